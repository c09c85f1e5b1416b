import { ENV } from '../../shared/config.ts';
import { levelOf, nameOf, prefixOf } from '../../shared/jurisdictions.ts';
import { staffInvitation } from '../../shared/messages/outgoing.ts';
import { type StaffUserInput, staffUserInput } from '../../shared/staff-user.ts';
import { createLogin, requireOwnAccounts, temporaryPassword } from '../lib/accounts/logins.ts';
import { createProfile, deleteProfile, profilesUnder } from '../lib/accounts/profiles.ts';
import { ForbiddenError, found, ValidationError } from '../lib/http/errors.ts';
import { defineRoute, reply } from '../lib/http/handler.ts';
import type { Identity } from '../lib/http/identity.ts';
import { requireMayCreateIn } from '../lib/http/scope.ts';
import { messageDelete, messagePut, releaseMessage } from '../lib/messaging/outgoing.ts';
import { transact } from '../lib/store/transact.ts';

/** GET /api/staff/users: staff accounts inside the caller's jurisdiction (Query on byScope). */
export const listUsers = defineRoute({
  handler: async ({ identity: caller }) => {
    const identity = found(caller);
    const users = (await profilesUnder(prefixOf(identity.jurisdiction))).map((u) => ({
      username: u.username,
      displayName: u.displayName,
      email: u.email,
      role: u.role,
      jurisdiction: u.jurisdiction,
    }));
    return { users };
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
    const { username, displayName, email, role, jurisdiction } = body;
    return reply(201, { user: { username, displayName, email, role, jurisdiction }, invitation: { sent } });
  },
});
