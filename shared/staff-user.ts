import * as z from 'zod/mini';
import { knownJurisdiction } from './jurisdiction-input.ts';
import { ROLES } from './roles.ts';

/** A new staff account, as an admin (anywhere) or a lead (inside its subtree) creates it. */
export const USERNAME = /^[a-z][a-z0-9._-]{2,63}$/;

export const staffUserInput = z.object({
  username: z
    .string()
    .check(
      z.trim(),
      z.toLowerCase(),
      z.regex(USERNAME, '3-64 characters: a letter first, then letters, digits, dot, dash or underscore'),
    ),
  displayName: z.string().check(z.trim(), z.minLength(1), z.maxLength(60)),
  email: z.email('Not a valid e-mail address'),
  role: z.enum(ROLES),
  jurisdiction: knownJurisdiction,
});
export type StaffUserInput = z.output<typeof staffUserInput>;
