import { describe, expect, it } from 'vitest';
import { parseGroups, readIdentity, requireRole } from '../../functions/lib/http/identity.ts';
import { flattenClaims } from '../../infra/local/event.ts';
import { claimsFor } from '../support/events.ts';

const eventWith = (claims?: Record<string, string>) =>
  ({ requestContext: claims ? { authorizer: { jwt: { claims } } } : {} }) as never;

describe('auth helper', () => {
  it('reads the array claim in the bracketed form API Gateway passes, and in other forms', () => {
    expect(parseGroups('[lead]')).toEqual(['lead']);
    expect(parseGroups('[lead admin]')).toEqual(['lead', 'admin']);
    expect(parseGroups(['liaison'])).toEqual(['liaison']);
    expect(parseGroups('admin')).toEqual(['admin']);
    expect(parseGroups(undefined)).toEqual([]);
  });

  it('reads role, jurisdiction and username from the claims', () => {
    const identity = readIdentity(eventWith(flattenClaims(claimsFor('lead.wuzhong', 'lead', '320506'))));
    expect(identity).toEqual({
      sub: 'sub-lead.wuzhong',
      username: 'lead.wuzhong',
      email: 'lead.wuzhong@example.test',
      role: 'lead',
      jurisdiction: '320506',
    });
  });

  it('answers 401 without claims, 403 with two roles or a malformed jurisdiction', () => {
    expect(() => readIdentity(eventWith())).toThrow(expect.objectContaining({ status: 401 }));
    const twoRoles = { ...flattenClaims(claimsFor('x', 'lead', '320506')), 'cognito:groups': '[lead admin]' };
    expect(() => readIdentity(eventWith(twoRoles))).toThrow(expect.objectContaining({ status: 403 }));
    const badCode = flattenClaims(claimsFor('x', 'lead', '3205'));
    expect(() => readIdentity(eventWith(badCode))).toThrow(expect.objectContaining({ status: 403 }));
  });

  it('refuses a role that the route does not allow', () => {
    const liaison = readIdentity(eventWith(flattenClaims(claimsFor('l', 'liaison', '320506'))));
    expect(() => requireRole(liaison, ['lead', 'admin'])).toThrow(expect.objectContaining({ code: 'FORBIDDEN' }));
    expect(() => requireRole(liaison, ['liaison'])).not.toThrow();
  });
});

describe('claims mapping (claim names are deployment settings)', () => {
  const base = { sub: 'f3a1c2', email: 'wang@example.test' };
  const roles = { groups: 'roles', jurisdiction: 'district' };

  it('reads the role from the groups claim as an array, a bracketed string, or a space or comma list', () => {
    // Prepare
    const forms = [['lead'], '[lead]', 'lead', ' lead ', 'lead,', '[ lead ]'];

    // Act
    const read = forms.map(
      (groups) =>
        readIdentity(
          {
            requestContext: { authorizer: { jwt: { claims: { ...base, roles: groups, district: '320506' } } } },
          } as never,
          roles,
        ).role,
    );

    // Assess
    expect(read).toEqual(forms.map(() => 'lead'));
    expect(parseGroups('[a b]')).toEqual(['a', 'b']);
    expect(parseGroups('a, b')).toEqual(['a', 'b']);
    expect(parseGroups('a b,c')).toEqual(['a', 'b', 'c']);
  });

  it('reads role and jurisdiction only from the configured claims, never from the Cognito defaults', () => {
    // Prepare: a token carrying both the defaults and the configured claims, with different values.
    const claims = {
      ...base,
      'cognito:groups': '[admin]',
      'custom:jurisdiction': '320000',
      groups: '[liaison]',
      'https://id.example.gov.cn/district': '320506',
    };
    const names = { groups: 'groups', jurisdiction: 'https://id.example.gov.cn/district' };

    // Act
    const identity = readIdentity(eventWith(claims), names);

    // Assess
    expect(identity).toMatchObject({ role: 'liaison', jurisdiction: '320506' });
  });

  it('takes the claim names from the environment, and the Cognito names when they are unset', () => {
    // Prepare
    const claims = {
      ...base,
      roles: '[admin]',
      district: '320000',
      'cognito:groups': '[lead]',
      'custom:jurisdiction': '320506',
    };
    const saved = { groups: process.env.GROUPS_CLAIM, jurisdiction: process.env.JURISDICTION_CLAIM };

    try {
      // Act
      delete process.env.GROUPS_CLAIM;
      delete process.env.JURISDICTION_CLAIM;
      const byDefault = readIdentity(eventWith(claims));
      process.env.GROUPS_CLAIM = 'roles';
      process.env.JURISDICTION_CLAIM = 'district';
      const configured = readIdentity(eventWith(claims));

      // Assess
      expect(byDefault).toMatchObject({ role: 'lead', jurisdiction: '320506' });
      expect(configured).toMatchObject({ role: 'admin', jurisdiction: '320000' });
    } finally {
      for (const [name, value] of [
        ['GROUPS_CLAIM', saved.groups],
        ['JURISDICTION_CLAIM', saved.jurisdiction],
      ] as const) {
        if (value === undefined) delete process.env[name];
        else process.env[name] = value;
      }
    }
  });

  it('answers 403 to a user in two staff groups or in none, and to a missing or malformed jurisdiction', () => {
    // Prepare
    const cases: Record<string, string>[] = [
      { ...base, roles: '[lead admin]', district: '320506' },
      { ...base, roles: 'lead,liaison', district: '320506' },
      { ...base, roles: '[]', district: '320506' },
      { ...base, roles: '[staff viewers]', district: '320506' },
      { ...base, district: '320506' },
      { ...base, roles: '[lead]' },
      { ...base, roles: '[lead]', district: '' },
      { ...base, roles: '[lead]', district: '[320506]' },
      { ...base, roles: '[lead]', district: '32050６' },
      { ...base, roles: '[lead]', district: '3205061' },
    ];

    // Act / Assess
    for (const claims of cases) {
      expect(() => readIdentity(eventWith(claims), roles), JSON.stringify(claims)).toThrow(
        expect.objectContaining({ status: 403, code: 'FORBIDDEN' }),
      );
    }
  });

  it('names the user by the configured claim, else by cognito:username, preferred_username, username, then sub', () => {
    // Prepare
    const staff = { ...base, roles: '[lead]', district: '320506' };
    const read = (claims: Record<string, string>, username?: string) =>
      readIdentity(eventWith({ ...staff, ...claims }), { ...roles, username }).username;

    // Act / Assess
    expect(read({ 'cognito:username': 'a.cognito', preferred_username: 'b.oidc', username: 'c.plain' })).toBe(
      'a.cognito',
    );
    expect(read({ preferred_username: 'b.oidc', username: 'c.plain' })).toBe('b.oidc');
    expect(read({ username: 'c.plain' })).toBe('c.plain');
    expect(read({})).toBe('f3a1c2');
    expect(read({ preferred_username: '', username: 'c.plain' })).toBe('c.plain');
    expect(read({ 'cognito:username': 'a.cognito', employee_no: 'e1024' }, 'employee_no')).toBe('e1024');
  });

  it('answers 403 when the configured username claim is missing, and to a username that could reach into other keys', () => {
    // Prepare
    const staff = { ...base, roles: '[lead]', district: '320506' };
    const bad = ['bob#INBOX', 'a/b', 'two words', 'tab\tname', '#', 'x'.repeat(129), '-lead'];

    // Act / Assess
    expect(() =>
      readIdentity(eventWith({ ...staff, 'cognito:username': 'a.cognito' }), { ...roles, username: 'employee_no' }),
    ).toThrow(expect.objectContaining({ status: 403 }));
    for (const username of bad) {
      expect(() => readIdentity(eventWith({ ...staff, preferred_username: username }), roles), username).toThrow(
        expect.objectContaining({ status: 403 }),
      );
      const cognito = { ...base, 'cognito:groups': '[lead]', 'custom:jurisdiction': '320506' };
      expect(() => readIdentity(eventWith({ ...cognito, 'cognito:username': username })), username).toThrow(
        expect.objectContaining({ status: 403 }),
      );
    }
  });
});
