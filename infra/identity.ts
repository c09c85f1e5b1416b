import { type ClaimNames, claimNameProblem, DEFAULT_CLAIM_NAMES } from '../shared/claims.ts';

/**
 * Who signs staff in, chosen per deployment by CDK context: the stack's own Cognito pool (the
 * default, AWS's global regions), or any OpenID Connect issuer the deployment names (a province's
 * unified identity; AWS's China regions have no Cognito user pools). Either way the API's JWT
 * authorizer checks issuer and audience, and the functions read the claims `claims` names.
 */
export type IdentitySettings =
  | { readonly kind: 'cognito'; readonly claims: ClaimNames }
  | {
      readonly kind: 'external';
      /** Exactly the `iss` of its tokens; its discovery document is `<issuer>/.well-known/openid-configuration`. */
      readonly issuer: string;
      /** The console's client id at that issuer: the `aud` the API accepts. */
      readonly audience: string;
      readonly claims: ClaimNames;
    };

/** The context keys read here (listed with the others in app-builder.ts's CONTEXT). */
export const IDENTITY_CONTEXT = {
  issuer: 'oidcIssuer',
  audience: 'oidcAudience',
  groupsClaim: 'oidcGroupsClaim',
  jurisdictionClaim: 'oidcJurisdictionClaim',
  usernameClaim: 'oidcUsernameClaim',
  authDomainPrefix: 'authDomainPrefix',
} as const;

const fail = (key: string, problem: string, value: unknown): never => {
  throw new Error(`CDK context ${key}: ${problem} (got ${JSON.stringify(value)}).`);
};

/**
 * An issuer the API Gateway JWT authorizer can trust: https (it fetches the discovery document and
 * keys from there), no credentials, query or fragment (OpenID Connect Discovery forbids them in an
 * issuer, and `iss` must match the setting character for character).
 */
const issuerFrom = (value: string): string => {
  const problem =
    'must be an https:// URL with a host and no user, query or fragment, e.g. https://id.example.gov.cn/oidc';
  if (/[\s?#]/.test(value) || value.length > 512) return fail(IDENTITY_CONTEXT.issuer, problem, value);
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return fail(IDENTITY_CONTEXT.issuer, problem, value);
  }
  if (url.protocol !== 'https:' || url.hostname === '' || url.username !== '' || url.password !== '')
    return fail(IDENTITY_CONTEXT.issuer, problem, value);
  return value;
};

/** A client id: printable ASCII, no spaces or commas (the authorizer takes a list), at most 256 characters. */
const CLIENT_ID = /^[\x21-\x2b\x2d-\x7e]{1,256}$/;

/**
 * Reads and checks the identity settings before any stack is built, so a wrong value fails the
 * synth with the setting's name instead of a deployment whose every sign-in is refused.
 */
export const identitySettingsFrom = (context: (key: string) => unknown): IdentitySettings => {
  const text = (key: string): string | undefined => {
    const value = context(key);
    if (value === undefined) return undefined;
    if (typeof value !== 'string' || value.trim() === '') return fail(key, 'must be a non-empty string', value);
    return value.trim();
  };
  const claimName = (key: string): string | undefined => {
    const name = text(key);
    const problem = name === undefined ? undefined : claimNameProblem(name);
    return problem ? fail(key, problem, name) : name;
  };

  const claims: ClaimNames = {
    groups: claimName(IDENTITY_CONTEXT.groupsClaim) ?? DEFAULT_CLAIM_NAMES.groups,
    jurisdiction: claimName(IDENTITY_CONTEXT.jurisdictionClaim) ?? DEFAULT_CLAIM_NAMES.jurisdiction,
    username: claimName(IDENTITY_CONTEXT.usernameClaim),
  };
  if (claims.groups === claims.jurisdiction)
    fail(IDENTITY_CONTEXT.jurisdictionClaim, 'must name another claim than the groups claim', claims.jurisdiction);
  if (claims.username !== undefined && [claims.groups, claims.jurisdiction].includes(claims.username))
    fail(
      IDENTITY_CONTEXT.usernameClaim,
      'must name another claim than the groups and jurisdiction claims',
      claims.username,
    );

  const issuer = text(IDENTITY_CONTEXT.issuer);
  const audience = text(IDENTITY_CONTEXT.audience);
  if (issuer === undefined) {
    if (audience !== undefined)
      fail(IDENTITY_CONTEXT.audience, 'is the client id at an external issuer; set oidcIssuer too', audience);
    return { kind: 'cognito', claims };
  }
  if (audience === undefined)
    return fail(IDENTITY_CONTEXT.audience, 'must name the console’s client id at the issuer', audience);
  if (!CLIENT_ID.test(audience))
    fail(IDENTITY_CONTEXT.audience, 'must be one client id: printable ASCII without spaces or commas', audience);
  if (context(IDENTITY_CONTEXT.authDomainPrefix) !== undefined)
    fail(
      IDENTITY_CONTEXT.authDomainPrefix,
      'names the Cognito sign-in domain, but with oidcIssuer the deployment has no Cognito pool',
      context(IDENTITY_CONTEXT.authDomainPrefix),
    );
  return { kind: 'external', issuer: issuerFrom(issuer), audience, claims };
};
