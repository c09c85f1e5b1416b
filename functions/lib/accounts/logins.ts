import { randomBytes } from 'node:crypto';
import type { CognitoIdentityProviderClient } from '@aws-sdk/client-cognito-identity-provider';
import { ENV } from '../../../shared/config.ts';
import { isRole } from '../../../shared/roles.ts';
import type { StaffUser, StaffUserInput } from '../../../shared/staff-user.ts';
import { ConflictError } from '../http/errors.ts';
import { env } from '../store/table.ts';

let cached: { endpoint: string | undefined; client: CognitoIdentityProviderClient } | undefined;

const cognito = async () => {
  const sdk = await import('@aws-sdk/client-cognito-identity-provider');
  const endpoint = process.env[ENV.cognitoEndpoint] || undefined;
  if (!cached || cached.endpoint !== endpoint)
    cached = { endpoint, client: new sdk.CognitoIdentityProviderClient({ endpoint }) };
  return { client: cached.client, sdk };
};

/**
 * Throws 409 ACCOUNTS_AT_ISSUER when this deployment keeps no staff accounts of its own: it trusts an
 * external OpenID Connect issuer (CDK context `oidcIssuer`), so no user pool is set and people are
 * created, disabled and given roles at that issuer. Checked before anything is written.
 */
export const requireOwnAccounts = (): void => {
  if (!process.env[ENV.userPoolId])
    throw new ConflictError(
      'ACCOUNTS_AT_ISSUER',
      'Staff accounts of this deployment are managed at its identity issuer, not here',
    );
};

/** A temporary password meeting the pool's policy (upper, lower, digit, symbol; 16 characters). */
export const temporaryPassword = (): string => `Tmp-${randomBytes(9).toString('base64url')}7a`;

/**
 * Creates the sign-in account of a staff member in the user pool (the local runtime serves the same
 * API from its stand-in): the user with e-mail, display name and jurisdiction, a temporary password
 * the person must change, and the group that is its role. Cognito's own invitation is suppressed:
 * the product sends its own, in Chinese and English. A taken username is 409 USERNAME_TAKEN.
 */
export const createLogin = async (user: StaffUserInput, password: string): Promise<void> => {
  const { client, sdk } = await cognito();
  const UserPoolId = env(ENV.userPoolId);
  try {
    await client.send(
      new sdk.AdminCreateUserCommand({
        UserPoolId,
        Username: user.username,
        TemporaryPassword: password,
        MessageAction: 'SUPPRESS',
        UserAttributes: [
          { Name: 'email', Value: user.email },
          { Name: 'email_verified', Value: 'true' },
          { Name: 'name', Value: user.displayName },
          { Name: 'custom:jurisdiction', Value: user.jurisdiction },
        ],
      }),
    );
  } catch (error) {
    if (error instanceof sdk.UsernameExistsException)
      throw new ConflictError('USERNAME_TAKEN', 'An account with this username exists already');
    throw error;
  }
  try {
    await client.send(
      new sdk.AdminAddUserToGroupCommand({ UserPoolId, Username: user.username, GroupName: user.role }),
    );
  } catch (error) {
    // Without its group the account could sign in with no role: take it back.
    await client.send(new sdk.AdminDeleteUserCommand({ UserPoolId, Username: user.username })).catch(() => undefined);
    throw error;
  }
};

/**
 * Brings the sign-in account in the user pool in line with the stored account `user` (which the
 * API already enforces): enabled or disabled, in exactly the group of its role, with its display
 * name and jurisdiction. Disabling also signs the account out everywhere, which revokes its refresh
 * tokens; its access and ID tokens stay valid until they expire, so the API checks the stored
 * account too (account-check.ts). Every call is idempotent: repeating it after a crash, or a PATCH
 * with nothing to change, repairs a pool that missed a change.
 */
export const syncLogin = async (user: StaffUser): Promise<void> => {
  const { client, sdk } = await cognito();
  const UserPoolId = env(ENV.userPoolId);
  const Username = user.username;
  if (!user.enabled) {
    await client.send(new sdk.AdminDisableUserCommand({ UserPoolId, Username }));
    await client.send(new sdk.AdminUserGlobalSignOutCommand({ UserPoolId, Username }));
  }
  await client.send(
    new sdk.AdminUpdateUserAttributesCommand({
      UserPoolId,
      Username,
      UserAttributes: [
        { Name: 'name', Value: user.displayName },
        { Name: 'custom:jurisdiction', Value: user.jurisdiction },
      ],
    }),
  );
  // Join the new group before leaving the old ones: the account is never without a role, and a
  // token issued meanwhile with two groups is refused by readIdentity (exactly one staff role).
  await client.send(new sdk.AdminAddUserToGroupCommand({ UserPoolId, Username, GroupName: user.role }));
  const groups = await client.send(new sdk.AdminListGroupsForUserCommand({ UserPoolId, Username }));
  for (const group of groups.Groups ?? []) {
    if (group.GroupName && group.GroupName !== user.role && isRole(group.GroupName))
      await client.send(new sdk.AdminRemoveUserFromGroupCommand({ UserPoolId, Username, GroupName: group.GroupName }));
  }
  if (user.enabled) await client.send(new sdk.AdminEnableUserCommand({ UserPoolId, Username }));
};
