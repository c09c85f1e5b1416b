import { describe, expect, it } from 'vitest';
import * as z from 'zod/mini';
import { keys } from '../../shared/keys.ts';
import type { Role } from '../../shared/roles.ts';
import { manages, staffUserOf, staffUserPatch, userItem } from '../../shared/staff-user.ts';

const who = (role: Role, jurisdiction: string) => ({ role, jurisdiction });

describe('manages: who may change which account', () => {
  it('lets an admin manage anyone, and a lead only what lies strictly below it', () => {
    const cases: [ReturnType<typeof who>, ReturnType<typeof who>, boolean][] = [
      [who('admin', '320000'), who('admin', '320000'), true],
      [who('admin', '320000'), who('liaison', '320506'), true],
      [who('lead', '320500'), who('lead', '320506'), true], // a county lead under a city lead
      [who('lead', '320500'), who('liaison', '320506'), true],
      [who('lead', '320506'), who('liaison', '320506'), true], // a liaison of its own county
      [who('lead', '320506'), who('lead', '320506'), false], // its own level
      [who('lead', '320500'), who('lead', '320500'), false],
      [who('lead', '320506'), who('lead', '320500'), false], // above
      [who('lead', '320500'), who('admin', '320500'), false], // never an admin
      [who('lead', '320500'), who('liaison', '320281'), false], // outside the subtree
      [who('liaison', '320506'), who('liaison', '320506'), false],
    ];
    for (const [me, user, expected] of cases) expect(manages(me, user), JSON.stringify([me, user])).toBe(expected);
  });
});

describe('the user item, written and read', () => {
  it('writes keys, scope, enabled and version in one shape, and leaves out an absent mobile', () => {
    // Act
    const item = userItem(
      { username: 'l.x', displayName: 'L', email: 'l@x.test', role: 'liaison', jurisdiction: '320506' },
      { version: 1, at: '2026-12-06T00:00:00.000Z', by: 'admin' },
    );

    // Assess
    expect(item).toEqual({
      ...keys.user('l.x'),
      ...keys.userScope('320506', 'l.x'),
      type: 'user',
      username: 'l.x',
      displayName: 'L',
      email: 'l@x.test',
      role: 'liaison',
      jurisdiction: '320506',
      enabled: true,
      version: 1,
      roleSince: '2026-12-06',
      createdAt: '2026-12-06T00:00:00.000Z',
      createdBy: 'admin',
    });
  });

  it('dates the role from the Beijing day the account is made, unless the writer names the day', () => {
    const user = {
      username: 'l.y',
      displayName: 'L',
      email: 'l@x.test',
      role: 'lead',
      jurisdiction: '320500',
    } as const;
    // 16:30 UTC on 30 September is 00:30 on 1 October in Beijing: the role starts with Q4.
    expect(userItem(user, { version: 1, at: '2026-09-30T16:30:00.000Z' }).roleSince).toBe('2026-10-01');
    expect(
      userItem({ ...user, roleSince: '2025-12-06' }, { version: 1, at: '2026-12-06T00:00:00.000Z' }).roleSince,
    ).toBe('2025-12-06');
  });

  it('reads an item written before accounts could be disabled as enabled, version 1, no mobile', () => {
    const old = { username: 'a', displayName: 'A', email: 'a@x.test', role: 'lead', jurisdiction: '320500' };
    expect(staffUserOf(old)).toEqual({ ...old, enabled: true, mobile: null, version: 1 });
    expect(staffUserOf({ ...old, enabled: false, mobile: '13912345678', version: 4 })).toMatchObject({
      enabled: false,
      mobile: '13912345678',
      version: 4,
    });
  });
});

describe('the change of an account', () => {
  it('takes a mainland mobile or null, a whole positive version, and nothing unknown', () => {
    const ok = (value: unknown) => z.safeParse(staffUserPatch, value).success;
    expect(ok({ version: 1, mobile: ' 13912345678 ' })).toBe(true);
    expect(ok({ version: 1, mobile: null })).toBe(true);
    expect(ok({ version: 2, enabled: false, role: 'lead', jurisdiction: '320506', displayName: 'x' })).toBe(true);
    for (const bad of [
      { version: 1, mobile: '12912345678' },
      { version: 1, mobile: '1391234567' },
      { version: 1, mobile: '+8613912345678' },
      { version: 0 },
      { version: 1.5 },
      { enabled: false },
      { version: 1, email: 'x@y.test' },
      { version: 1, jurisdiction: '999999' },
      { version: 1, role: 'root' },
      { version: 1, displayName: '' },
    ])
      expect(ok(bad), JSON.stringify(bad)).toBe(false);
  });
});
