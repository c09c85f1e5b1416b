import * as z from 'zod/mini';
import { ENV } from '../../shared/config.ts';
import { contains, levelOf, nameOf, prefixOf } from '../../shared/jurisdictions.ts';
import { staffInvitation } from '../../shared/messages/outgoing.ts';
import { ROLES } from '../../shared/roles.ts';
import {
  manages,
  type StaffUser,
  type StaffUserInput,
  type StaffUserPatch,
  staffUserInput,
  staffUserOf,
  staffUserPatch,
} from '../../shared/staff-user.ts';
import { createLogin, requireOwnAccounts, syncLogin, temporaryPassword } from '../lib/accounts/logins.ts';
import { createProfile, deleteProfile, getStaffUser, profilesUnder, updateProfile } from '../lib/accounts/profiles.ts';
import { forgetAccount } from '../lib/http/account-check.ts';
import { ConflictError, ForbiddenError, found, NotFoundError, ValidationError } from '../lib/http/errors.ts';
import { defineRoute, reply } from '../lib/http/handler.ts';
import { IDENTITY_USERNAME, type Identity } from '../lib/http/identity.ts';
import { requireMayCreateIn } from '../lib/http/scope.ts';
import { messageDelete, messagePut, releaseMessage } from '../lib/messaging/outgoing.ts';
import { transact } from '../lib/store/transact.ts';

const listQuery = z.object({
  q: z.optional(z.string().check(z.trim(), z.minLength(1), z.maxLength(40))),
  role: z.optional(z.enum(ROLES)),
  limit: z.optional(z.coerce.number().check(z.int(), z.minimum(1), z.maximum(50))),
});

/** How many accounts a name search answers when it does not say (a picker shows ten). */
const SEARCH_LIMIT = 10;

/**
 * GET /api/staff/users?q=&role=&limit=: staff accounts inside the caller's jurisdiction (Query on
 * byScope), of one role when asked. With `q` (a name picker typing), those whose display name or
 * username holds it, `limit` at most (ten unless asked): the answer stays small however many match.
 */
export const listUsers = defineRoute({
  query: listQuery,
  handler: async ({ query, identity: caller }) => {
    const identity = found(caller);
    const wanted = query.q?.toLowerCase();
    const users = (await profilesUnder(prefixOf(identity.jurisdiction)))
      .map(staffUserOf)
      .filter((user) => !query.role || user.role === query.role)
      .filter((user) => !wanted || `${user.username} ${user.displayName.toLowerCase()}`.includes(wanted));
    const limit = query.limit ?? (wanted ? SEARCH_LIMIT : undefined);
    return { users: limit ? users.slice(0, limit) : users };
  },
});

/** Who may create which account: admins anyone anywhere; leads liaisons and leads inside their subtree. */
const requireMayCreateUser = (me: Identity, user: StaffUserInput) => {
  if (me.role !== 'admin' && user.role === 'admin') throw new ForbiddenError('Only an admin creates admins');
  requireMayCreateIn(me, user.jurisdiction);
  if (user.role === 'liaison' && levelOf(user.jurisdiction) !== 'county')
    throw new ValidationError({ jurisdiction: 'A liaison belongs to a county-level code' });
};

/** Long enough to sign in with the temporary password (Cognito keeps one 7 days). */
const INVITATION_DAYS = 7;

/** The invitation with its temporary password: e-mail only, held until the sign-in account exists. */
const invitation = (user: StaffUserInput, password: string, now: Date) => ({
  about: `user:${user.username}`,
  kind: 'invitation',
  // A username may be given again after its account was removed: each account its own invitation.
  occasion: now.toISOString(),
  jurisdiction: user.jurisdiction,
  content: staffInvitation(
    user,
    { zh: nameOf(user.jurisdiction), en: nameOf(user.jurisdiction, 'en') },
    password,
    `${process.env[ENV.siteUrl] ?? ''}/staff/sign-in/`,
  ),
  deliveries: [{ channel: 'email' as const, to: user.email, status: 'pending' as const, attempts: 0 }],
  expiresAt: Math.floor(now.getTime() / 1000) + INVITATION_DAYS * 86_400,
  held: true,
});

/**
 * POST /api/staff/users: the profile (with its audit event) and then the sign-in account; a taken
 * username is 409 USERNAME_TAKEN, and a deployment on an external issuer (no pool) answers 409
 * ACCOUNTS_AT_ISSUER without writing anything. The person gets an invitation with a temporary password.
 */
export const createUser = defineRoute({
  body: staffUserInput,
  handler: async ({ body, identity: caller }) => {
    const me = found(caller);
    requireMayCreateUser(me, body);
    requireOwnAccounts();
    const now = new Date();
    const password = temporaryPassword();
    // Recorded with the profile and held: it goes out (deliveries function) once the login exists,
    // so nobody is sent a password that opens nothing; it never waits on the mail in this request.
    const message = invitation(body, password, now);
    await createProfile(me, body, now.toISOString(), [messagePut(message, now)]);
    try {
      await createLogin(body, password);
    } catch (error) {
      await deleteProfile(body.username);
      await transact([messageDelete(message)]);
      throw error;
    }
    // `sent`: handed to the mail channel (the site's wording); the outcome is on the message.
    const sent = await releaseMessage(message, now);
    return reply(201, { user: staffUserOf({ ...body, enabled: true, version: 1 }), invitation: { sent } });
  },
});

/**
 * The refusals of a change, in the order that reveals least: an account outside the caller's
 * subtree is 404 as if absent (rule 8); one inside it that the caller may not manage, or a change
 * that would put it beyond the caller, is 403. Oneself: display name and mobile only.
 */
const requireMayChange = (me: Identity, before: StaffUser, after: StaffUser) => {
  if (me.role !== 'admin' && !contains(me.jurisdiction, before.jurisdiction)) throw new NotFoundError();
  if (me.username === before.username) {
    if (!after.enabled) throw new ForbiddenError('Nobody disables their own account');
    if (after.role !== before.role || after.jurisdiction !== before.jurisdiction)
      throw new ForbiddenError('Nobody changes their own role or jurisdiction');
    return;
  }
  if (!manages(me, before)) throw new ForbiddenError('That account is not below yours');
  if (!manages(me, after)) throw new ForbiddenError('The account would not be below yours');
  if (after.role === 'liaison' && levelOf(after.jurisdiction) !== 'county')
    throw new ValidationError({ jurisdiction: 'A liaison belongs to a county-level code' });
};

// Any username a token may carry: accounts recorded from an external issuer's tokens are named by
// its claim (an employee number, an e-mail), not by the console's USERNAME rule for new accounts.
const usernameParams = z.object({
  username: z.string().check(z.regex(IDENTITY_USERNAME, 'Not a staff username')),
});

const applyPatch = (before: StaffUser, patch: StaffUserPatch): StaffUser => ({
  ...before,
  enabled: patch.enabled ?? before.enabled,
  role: patch.role ?? before.role,
  jurisdiction: patch.jurisdiction ?? before.jurisdiction,
  displayName: patch.displayName ?? before.displayName,
  mobile: patch.mobile === undefined ? before.mobile : patch.mobile,
  version: before.version + 1,
});

/**
 * PATCH /api/staff/users/{username}: enable or disable an account, change its role, jurisdiction,
 * display name or mobile, at the version the caller read (stale: 409 VERSION_CONFLICT). The stored
 * account changes first, with its audit event: from then on the API acts on it (account-check.ts),
 * whatever the pool says. Then the pool follows (disable + global sign-out, groups, attributes);
 * if that fails the answer is an error and the same change sent again at the new version, or a
 * PATCH with only the version, brings the pool in line. Where an external issuer holds the
 * accounts (no pool), only what is ours changes: enabled, display name, mobile; role and
 * jurisdiction are the issuer's (409 ACCOUNTS_AT_ISSUER).
 */
export const updateUser = defineRoute({
  params: usernameParams,
  body: staffUserPatch,
  handler: async ({ params, body, identity: caller }) => {
    const me = found(caller);
    const before = await getStaffUser(params.username);
    if (!before) throw new NotFoundError();
    const after = applyPatch(before, body);
    requireMayChange(me, before, after);
    if (body.version !== before.version)
      throw new ConflictError('VERSION_CONFLICT', 'The account changed meanwhile; reload it');
    const ownAccounts = Boolean(process.env[ENV.userPoolId]);
    if (!ownAccounts && (after.role !== before.role || after.jurisdiction !== before.jurisdiction))
      requireOwnAccounts();
    await updateProfile(me, before, after, new Date().toISOString());
    forgetAccount(before.username);
    if (ownAccounts) await syncLogin(after);
    return { user: after };
  },
});
