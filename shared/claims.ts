/**
 * Which ID-token claims carry a staff member's role, jurisdiction and username. They are deployment
 * settings (CDK context `oidcGroupsClaim`, `oidcJurisdictionClaim`, `oidcUsernameClaim`), handed to
 * the functions as plain environment variables, because a province's own issuer names them its way.
 */
export interface ClaimNames {
  /** Holds the staff role: an array, or a string of names separated by spaces or commas. */
  readonly groups: string;
  /** Holds the six-digit jurisdiction code. */
  readonly jurisdiction: string;
  /**
   * Names the user, when the deployment names one claim for it; otherwise the first present of
   * {@link USERNAME_CLAIMS_IN_ORDER}.
   */
  readonly username?: string | undefined;
}

/** What the stack's own Cognito pool puts in its ID tokens (and the local issuer too). */
export const DEFAULT_CLAIM_NAMES = { groups: 'cognito:groups', jurisdiction: 'custom:jurisdiction' } as const;

/**
 * The username, when no claim is configured: Cognito's own, then OpenID Connect's, then a plain
 * `username`, then `sub`. Cognito always sends the first; other issuers at least `sub`.
 */
export const USERNAME_CLAIMS_IN_ORDER = ['cognito:username', 'preferred_username', 'username', 'sub'] as const;

/**
 * Registered JWT / OpenID Connect claims that say something else: a role or jurisdiction read from
 * one of them would be nonsense (e.g. `aud` would make every user of the client the same role).
 */
export const RESERVED_CLAIMS = [
  'iss',
  'sub',
  'aud',
  'exp',
  'nbf',
  'iat',
  'jti',
  'azp',
  'nonce',
  'auth_time',
  'acr',
  'amr',
  'at_hash',
  'c_hash',
  'token_use',
] as const;

/** Plain names (`roles`, `cognito:groups`) and namespaced URLs (`https://example.gov.cn/roles`). */
const CLAIM_NAME = /^[A-Za-z][A-Za-z0-9_:./-]{0,127}$/;

/** Why `name` cannot name a role or jurisdiction claim, or undefined when it can. */
export const claimNameProblem = (name: string): string | undefined => {
  if (!CLAIM_NAME.test(name))
    return 'must be 1-128 ASCII letters, digits or _ : . / -, starting with a letter (e.g. roles, cognito:groups)';
  if ((RESERVED_CLAIMS as readonly string[]).includes(name))
    return `"${name}" is a registered claim with its own meaning`;
  return undefined;
};
