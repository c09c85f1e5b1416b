import { randomBytes } from 'node:crypto';
import type { CognitoIdentityProviderClient } from '@aws-sdk/client-cognito-identity-provider';
import { ENV } from '../../../shared/config.ts';
import type { StaffUserInput } from '../../../shared/staff-user.ts';
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
