import { describe, expect, it } from 'vitest';
import { parseGroups, readIdentity, requireRole } from '../../functions/lib/auth.ts';
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
