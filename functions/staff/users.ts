import { ENV } from '../../shared/config.ts';
import { levelOf, nameOf, prefixOf } from '../../shared/jurisdictions.ts';
import { type StaffUserInput, staffUserInput } from '../../shared/staff-user.ts';
import { createLogin, requireOwnAccounts, temporaryPassword } from '../lib/accounts/logins.ts';
import { createProfile, deleteProfile, profilesUnder } from '../lib/accounts/profiles.ts';
import { ForbiddenError, found, ValidationError } from '../lib/http/errors.ts';
import { defineRoute, reply } from '../lib/http/handler.ts';
import type { Identity } from '../lib/http/identity.ts';
import { logger } from '../lib/http/log.ts';
import { requireMayCreateIn } from '../lib/http/scope.ts';
import { sendEmail } from '../lib/messaging/notify.ts';

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

const invitation = (user: StaffUserInput, password: string) => {
  const signIn = `${process.env[ENV.siteUrl] ?? ''}/staff/sign-in/`;
  return {
    to: [user.email],
    subject: '环保服务联络平台工作人员账号 / Your Eco Liaison staff account',
    text: [
      `${user.displayName}，您好：`,
      `已为您开通环保服务联络平台工作人员账号（${nameOf(user.jurisdiction)}）。`,
      `用户名：${user.username}`,
      `临时密码：${password}`,
      '首次登录后请修改密码。',
      `登录地址：${signIn}`,
      '',
      `Hello ${user.displayName},`,
      `a staff account of Eco Liaison (${nameOf(user.jurisdiction, 'en')}) was created for you.`,
      `Username: ${user.username}`,
      `Temporary password: ${password}`,
      'Change it when you first sign in.',
      `Sign in: ${signIn}`,
    ].join('\n'),
  };
};

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
    const now = new Date().toISOString();
    await createProfile(me, body, now);
    const password = temporaryPassword();
    try {
      await createLogin(body, password);
    } catch (error) {
      await deleteProfile(body.username);
      throw error;
    }
    const sent = await sendEmail(invitation(body, password)).then(
      () => true,
      (error: unknown) => {
        logger.error('invitation not sent', error as Error);
        return false;
      },
    );
    const { username, displayName, email, role, jurisdiction } = body;
    return reply(201, { user: { username, displayName, email, role, jurisdiction }, invitation: { sent } });
  },
});
