import type { APIGatewayProxyEventV2WithJWTAuthorizer } from 'aws-lambda';
import { type ClaimNames, DEFAULT_CLAIM_NAMES, USERNAME_CLAIMS_IN_ORDER } from '../../../shared/claims.ts';
import { ENV } from '../../../shared/config.ts';
import { FIRM_AUDIENCE, FIRM_TOKEN_USE, firmIssuerOf } from '../../../shared/firm-issuer.ts';
import { JURISDICTION_CODE } from '../../../shared/jurisdictions.ts';
import { isRole, type Role } from '../../../shared/roles.ts';
import { isValidUscc } from '../../../shared/uscc.ts';
import { ForbiddenError, UnauthenticatedError } from './errors.ts';

/** Who is calling, read from the JWT claims that the authorizer verified. */
export interface Identity {
  readonly sub: string;
  readonly username: string;
  readonly email: string | undefined;
  readonly role: Role;
  readonly jurisdiction: string;
}

type Claims = Record<string, string | number | boolean | string[] | undefined>;

/**
 * API Gateway HTTP APIs hand array claims to Lambda as a bracketed, space-separated
 * string (`"[lead]"`, `"[a b]"`); accept that, a plain string, or a real array.
 */
export const parseGroups = (value: Claims[string]): string[] => {
  if (Array.isArray(value)) return value.map(String);
  if (typeof value !== 'string') return [];
  const trimmed = value.trim();
  const inner = trimmed.startsWith('[') && trimmed.endsWith(']') ? trimmed.slice(1, -1) : trimmed;
  return inner.split(/[\s,]+/).filter((g) => g.length > 0);
};

const claimsOf = (event: Partial<APIGatewayProxyEventV2WithJWTAuthorizer>): Claims | undefined =>
  (event.requestContext as { authorizer?: { jwt?: { claims?: Claims } } } | undefined)?.authorizer?.jwt?.claims;

/**
 * The claim names this deployment reads (plain settings in the environment; CDK checks them at
 * synth). Unset means the stack's own Cognito pool's names, which the local issuer uses too.
 */
export const claimNamesFromEnv = (): ClaimNames => ({
  groups: process.env[ENV.groupsClaim] || DEFAULT_CLAIM_NAMES.groups,
  jurisdiction: process.env[ENV.jurisdictionClaim] || DEFAULT_CLAIM_NAMES.jurisdiction,
  username: process.env[ENV.usernameClaim] || undefined,
});

/**
 * What a username taken from a token may look like. Usernames key records (`USER#…`, inboxes), so
 * an issuer's claim carrying `#`, `/`, spaces or control characters is refused rather than stored.
 */
export const IDENTITY_USERNAME = /^[A-Za-z0-9_][A-Za-z0-9_.@+|:-]{0,127}$/;

const usernameOf = (claims: Claims, names: ClaimNames): string | undefined => {
  const candidates = names.username ? [names.username] : USERNAME_CLAIMS_IN_ORDER;
  for (const name of candidates) {
    const value = claims[name];
    if ((typeof value === 'string' && value !== '') || typeof value === 'number') return String(value);
  }
  return undefined;
};

/** A signed-in firm, read from a firm token's claims: it acts for this one USCC and nothing else. */
export interface FirmIdentity {
  readonly kind: 'firm';
  readonly uscc: string;
  /** The roster mobile the sign-in code went to. */
  readonly mobile: string;
}

/** The firm issuer this deployment trusts (`<SITE_URL>/api/public/firm-issuer`); undefined without SITE_URL. */
const firmIssuerHere = (): string | undefined => {
  const site = process.env[ENV.siteUrl];
  return site ? firmIssuerOf(site) : undefined;
};

/** API Gateway hands `aud` on as a string, or a bracketed list when the token had several. */
const audiences = (value: Claims[string]): string[] => parseGroups(value);

/**
 * Whether the claims are a firm token's: marked `token_use: firm` or issued by the firm issuer.
 * Either is enough to keep it off staff routes (a staff issuer never sets that `token_use`).
 */
const looksLikeFirmToken = (claims: Claims): boolean => {
  const issuer = firmIssuerHere();
  return claims.token_use === FIRM_TOKEN_USE || (issuer !== undefined && claims.iss === issuer);
};

/**
 * Reads a firm's identity on a firm route; 401 unless the verified claims are a firm token of this
 * deployment's firm issuer (iss, aud, `token_use`) naming one valid USCC as `sub` `firm:<uscc>`.
 * The authorizer of the firm routes checked the signature and times; this is the second look the
 * handler stack gives every identity, so a staff token never reaches a firm handler, whatever an
 * authorizer was set up to accept.
 */
export const readFirmIdentity = (event: Partial<APIGatewayProxyEventV2WithJWTAuthorizer>): FirmIdentity => {
  const claims = claimsOf(event);
  const issuer = firmIssuerHere();
  if (!claims || issuer === undefined) throw new UnauthenticatedError();
  const { uscc, mobile, sub } = claims;
  if (
    claims.token_use !== FIRM_TOKEN_USE ||
    claims.iss !== issuer ||
    !audiences(claims.aud).includes(FIRM_AUDIENCE) ||
    typeof uscc !== 'string' ||
    !isValidUscc(uscc) ||
    sub !== `firm:${uscc}` ||
    typeof mobile !== 'string' ||
    mobile === ''
  )
    throw new UnauthenticatedError('A firm sign-in is required');
  return { kind: 'firm', uscc, mobile };
};

/**
 * Reads the identity; throws 401 without verified claims (or with a firm token's) and 403 without
 * exactly one staff role, a six-digit jurisdiction and a well-formed username, each read from the
 * claims `names` gives.
 */
export const readIdentity = (
  event: Partial<APIGatewayProxyEventV2WithJWTAuthorizer>,
  names: ClaimNames = claimNamesFromEnv(),
): Identity => {
  const claims = claimsOf(event);
  const sub = claims?.sub;
  if (!claims || typeof sub !== 'string' || sub === '') throw new UnauthenticatedError();
  // A firm token is no staff sign-in at all: 401, as the staff authorizer answers it in AWS.
  if (looksLikeFirmToken(claims)) throw new UnauthenticatedError('A staff sign-in is required');
  const roles = parseGroups(claims[names.groups]).filter(isRole);
  const jurisdictionClaim = claims[names.jurisdiction];
  const jurisdiction =
    typeof jurisdictionClaim === 'string' || typeof jurisdictionClaim === 'number' ? String(jurisdictionClaim) : '';
  if (roles.length !== 1 || !JURISDICTION_CODE.test(jurisdiction)) {
    throw new ForbiddenError('The account has no single staff role and jurisdiction');
  }
  const username = usernameOf(claims, names);
  if (username === undefined || !IDENTITY_USERNAME.test(username)) {
    throw new ForbiddenError('The account has no usable username');
  }
  const email = claims.email;
  return {
    sub,
    username,
    email: typeof email === 'string' ? email : undefined,
    role: roles[0] as Role,
    jurisdiction,
  };
};

/** Throws 403 unless the identity has one of the allowed roles. */
export const requireRole = (identity: Identity, allowed: readonly Role[]): void => {
  if (!allowed.includes(identity.role)) throw new ForbiddenError();
};
