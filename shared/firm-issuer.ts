/**
 * The firm issuer, as data: the product issues firm tokens itself (functions/lib/firms/firm-token.ts)
 * and three parties check them: the API's second JWT authorizer (infra/stacks/api.ts), the local
 * gateway (infra/local/gateway.ts) and the handler stack (functions/lib/http/identity.ts). One
 * definition, so the issuer, audience and token kind they check cannot drift apart.
 */
export const FIRM_AUDIENCE = 'eco-liaison-firm';
/** The issuer is `<SITE_URL><FIRM_ISSUER_PATH>`; its discovery document and JWKS are public routes under it. */
export const FIRM_ISSUER_PATH = '/api/public/firm-issuer';
/** The `token_use` claim of a firm token: staff tokens never carry it, so a handler tells the two apart. */
export const FIRM_TOKEN_USE = 'firm';
/** A firm token's only algorithm (KMS ECC_NIST_P256, ECDSA_SHA_256). */
export const FIRM_TOKEN_ALG = 'ES256';

export const firmIssuerOf = (siteUrl: string): string => `${siteUrl}${FIRM_ISSUER_PATH}`;
