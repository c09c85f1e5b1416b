/**
 * Security headers for the site and API, served by CloudFront in AWS
 * (response headers policy) and by the local gateway, from this one list.
 */
/** Origins the deployed site adds: the sign-in domain and the evidence bucket. */
export interface CspExtras {
  readonly connect?: readonly string[];
  readonly img?: readonly string[];
  readonly formAction?: readonly string[];
  readonly upgradeInsecureRequests?: boolean;
}

export const contentSecurityPolicy = (extra: CspExtras = {}): string =>
  [
    "default-src 'self'",
    "script-src 'self'",
    "style-src 'self' 'unsafe-inline'",
    ["img-src 'self' data: blob:", ...(extra.img ?? [])].join(' '),
    "font-src 'self'",
    ["connect-src 'self'", ...(extra.connect ?? [])].join(' '),
    ["form-action 'self'", ...(extra.formAction ?? [])].join(' '),
    "frame-ancestors 'none'",
    "base-uri 'self'",
    "object-src 'none'",
    ...(extra.upgradeInsecureRequests ? ['upgrade-insecure-requests'] : []),
  ].join('; ');

/** The local runtime's policy (plain http on 127.0.0.1, no other origins). */
export const CONTENT_SECURITY_POLICY = contentSecurityPolicy();

export const HSTS_MAX_AGE_SECONDS = 63_072_000;

export const securityHeaders: Record<string, string> = {
  'content-security-policy': CONTENT_SECURITY_POLICY,
  'strict-transport-security': `max-age=${HSTS_MAX_AGE_SECONDS}; includeSubDomains; preload`,
  'x-content-type-options': 'nosniff',
  'x-frame-options': 'DENY',
  'referrer-policy': 'strict-origin-when-cross-origin',
};
