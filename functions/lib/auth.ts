import type { APIGatewayProxyEventV2WithJWTAuthorizer } from 'aws-lambda';
import { JURISDICTION_CODE } from '../../shared/jurisdictions.ts';
import { isRole, type Role } from '../../shared/roles.ts';
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

/** Reads the identity; throws 401 without verified claims and 403 without exactly one staff role. */
export const readIdentity = (event: Partial<APIGatewayProxyEventV2WithJWTAuthorizer>): Identity => {
  const claims = claimsOf(event);
  const sub = claims?.sub;
  if (!claims || typeof sub !== 'string' || sub === '') throw new UnauthenticatedError();
  const roles = parseGroups(claims['cognito:groups']).filter(isRole);
  const jurisdiction = String(claims['custom:jurisdiction'] ?? '');
  if (roles.length !== 1 || !JURISDICTION_CODE.test(jurisdiction)) {
    throw new ForbiddenError('The account has no single staff role and jurisdiction');
  }
  const username = claims['cognito:username'] ?? claims.username ?? sub;
  const email = claims.email;
  return {
    sub,
    username: String(username),
    email: typeof email === 'string' ? email : undefined,
    role: roles[0] as Role,
    jurisdiction,
  };
};

/** Throws 403 unless the identity has one of the allowed roles. */
export const requireRole = (identity: Identity, allowed: readonly Role[]): void => {
  if (!allowed.includes(identity.role)) throw new ForbiddenError();
};
