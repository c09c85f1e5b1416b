import { ENV } from '../../../shared/config.ts';
import { contains } from '../../../shared/jurisdictions.ts';
import { ROLES } from '../../../shared/roles.ts';
import type { StaffUser } from '../../../shared/staff-user.ts';
import { getStaffUser, recordIssuerAccount } from '../accounts/profiles.ts';
import { AccountDisabledError, UnauthenticatedError } from './errors.ts';
import type { Identity } from './identity.ts';

/**
 * How long one container trusts what it read of an account. A token outlives a change made to its
 * account (Cognito's access and ID tokens stay valid for their hour even after a global sign-out),
 * so every staff request is checked against the stored account; this bounds that check to one read
 * per account per container per `ttlMs`, and so bounds how long a disabled account's token still
 * works in a container that read it before (under the promised 60 s). Tests set `now` and `ttlMs`.
 */
export const accountCheck = { ttlMs: 30_000, now: (): number => Date.now() };

const MAX_CACHED = 5_000;
const cache = new Map<string, { readonly at: number; readonly user: StaffUser | undefined }>();

/** Drops what this container read of an account (after changing it here, the change applies at once). */
export const forgetAccount = (username: string): void => {
  cache.delete(username);
};

const storedAccount = async (username: string): Promise<StaffUser | undefined> => {
  const now = accountCheck.now();
  const hit = cache.get(username);
  if (hit && now - hit.at < accountCheck.ttlMs) return hit.user;
  const user = await getStaffUser(username);
  if (cache.size >= MAX_CACHED) cache.clear();
  cache.set(username, { at: now, user });
  return user;
};

const rank = (role: Identity['role']): number => ROLES.indexOf(role);

/**
 * The identity a request acts with: the token's, checked against the stored account.
 *
 * - A disabled account is refused: 401 ACCOUNT_DISABLED, also on a deployment whose accounts live
 *   at an external issuer (the stored account is the one thing this side controls there).
 * - No stored account: the token as it is. At an external issuer (RECORD_ISSUER_ACCOUNTS) the
 *   account is recorded from the token first, so it is listed and can be disabled here.
 * - With accounts of our own (a user pool), a role or jurisdiction changed since the token was
 *   issued takes effect at once when it narrows the token's (a lower or equal role, inside the
 *   token's jurisdiction): the request acts with the stored, narrower values. A change that would
 *   widen or move the scope is never taken from the table: 401, and the next sign-in issues a token
 *   with the new claims, which the pool has by then. So a request never acts beyond its token.
 *   At an external issuer role and jurisdiction are the issuer's and the token is the truth.
 */
export const checkAccount = async (identity: Identity): Promise<Identity> => {
  const user = await storedAccount(identity.username);
  if (user && !user.enabled) throw new AccountDisabledError();
  if (!process.env[ENV.userPoolId]) {
    const moved = user && (user.role !== identity.role || user.jurisdiction !== identity.jurisdiction);
    if (process.env[ENV.recordIssuerAccounts] === '1' && (!user || moved))
      cache.set(identity.username, { at: accountCheck.now(), user: await recordIssuerAccount(identity, user) });
    return identity;
  }
  if (!user) return identity;
  if (user.role === identity.role && user.jurisdiction === identity.jurisdiction) return identity;
  if (rank(user.role) <= rank(identity.role) && contains(identity.jurisdiction, user.jurisdiction))
    return { ...identity, role: user.role, jurisdiction: user.jurisdiction };
  throw new UnauthenticatedError('The account changed since this sign-in; sign in again');
};
