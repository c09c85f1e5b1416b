import * as z from 'zod/mini';
import { MOBILE } from './consultation.ts';
import { knownJurisdiction } from './jurisdiction-input.ts';
import { keys } from './keys.ts';
import { ROLES, type Role } from './roles.ts';
import { USERNAME } from './staff-user-rules.ts';
import { shanghaiDate } from './time.ts';

export * from './staff-user-rules.ts';

/** A staff member's mobile: a mainland number, the one firms and SMS nudges will use. */
const staffMobile = z.string().check(z.trim(), z.regex(MOBILE, 'A mainland mobile number: 1[3-9] and 9 more digits'));
const displayName = z.string().check(z.trim(), z.minLength(1), z.maxLength(60));

export const staffUserInput = z.object({
  username: z
    .string()
    .check(
      z.trim(),
      z.toLowerCase(),
      z.regex(USERNAME, '3-64 characters: a letter first, then letters, digits, dot, dash or underscore'),
    ),
  displayName,
  email: z.email('Not a valid e-mail address'),
  role: z.enum(ROLES),
  jurisdiction: knownJurisdiction,
  mobile: z.optional(staffMobile),
});
export type StaffUserInput = z.output<typeof staffUserInput>;

/**
 * A change to an account (`PATCH /api/staff/users/{username}`): the version read, and only the
 * fields to change. `mobile: null` removes the number. Unknown members are refused, so a typo never
 * passes as "nothing to change".
 */
export const staffUserPatch = z.strictObject({
  version: z.number().check(z.int(), z.minimum(1)),
  enabled: z.optional(z.boolean()),
  role: z.optional(z.enum(ROLES)),
  jurisdiction: z.optional(knownJurisdiction),
  displayName: z.optional(displayName),
  mobile: z.optional(z.nullable(staffMobile)),
});
export type StaffUserPatch = z.output<typeof staffUserPatch>;

/** A staff account as the table holds it and the list shows it. */
export interface StaffUser {
  readonly username: string;
  readonly displayName: string;
  readonly email: string;
  readonly role: Role;
  readonly jurisdiction: string;
  /** Absent on items written before accounts could be disabled: those are enabled. */
  readonly enabled: boolean;
  readonly mobile: string | null;
  readonly version: number;
}

/**
 * The one definition of the staff user item (`USER#<username>/PROFILE`, in the byScope index under
 * its jurisdiction): the API, the local seed, the bench and `admin:create` all write it through here.
 */
export const userItem = (
  user: Omit<StaffUser, 'enabled' | 'mobile' | 'version'> & {
    mobile?: string | null;
    enabled?: boolean;
    /** The Beijing day the account took its role and jurisdiction (default: the day it is made). */
    roleSince?: string;
  },
  meta: { readonly version: number; readonly at: string; readonly by?: string },
) => ({
  ...keys.user(user.username),
  ...keys.userScope(user.jurisdiction, user.username),
  type: 'user',
  username: user.username,
  displayName: user.displayName,
  email: user.email,
  role: user.role,
  jurisdiction: user.jurisdiction,
  enabled: user.enabled ?? true,
  ...(user.mobile ? { mobile: user.mobile } : {}),
  version: meta.version,
  // What the leaders' quarterly rule asks: did it hold this role on the quarter's first day.
  roleSince: user.roleSince ?? shanghaiDate(new Date(meta.at)),
  createdAt: meta.at,
  ...(meta.by ? { createdBy: meta.by } : {}),
});

/** Reads a stored user item back (older items lack `enabled`, `mobile` and maybe `version`). */
export const staffUserOf = (item: Record<string, unknown>): StaffUser => ({
  username: String(item.username),
  displayName: String(item.displayName ?? ''),
  email: String(item.email ?? ''),
  role: item.role as Role,
  jurisdiction: String(item.jurisdiction),
  enabled: item.enabled !== false,
  mobile: typeof item.mobile === 'string' ? item.mobile : null,
  version: typeof item.version === 'number' ? item.version : 1,
});
