import { firmSignInStart, firmSignInVerify } from '../../shared/firm-sign-in.ts';
import { firmIssuerDocuments } from '../lib/firms/firm-token.ts';
import { RESEND_SECONDS, startFirmSignIn, verifyFirmSignIn } from '../lib/firms/sign-in.ts';
import { defineRoute, reply } from '../lib/http/handler.ts';

/**
 * POST /api/public/firm-sign-in/start {"uscc","mobile"}: always 202 and the same body, whether or
 * not the mobile is a contact of that firm (only then is a code sent); 429 RATE_LIMITED past the
 * limits or within 60 s of the last code, as for anyone.
 */
export const startSignIn = defineRoute({
  body: firmSignInStart,
  handler: async ({ body }) => {
    await startFirmSignIn(body, new Date());
    return reply(202, { status: 'sent-if-known', resendAfterSeconds: RESEND_SECONDS });
  },
});

/** POST /api/public/firm-sign-in/verify {"uscc","mobile","code"} → {"token","expiresAt"}; 401 CODE_INVALID. */
export const verifySignIn = defineRoute({
  body: firmSignInVerify,
  handler: async ({ body }) => verifyFirmSignIn({ uscc: body.uscc, mobile: body.mobile }, body.code, new Date()),
});

/** The firm issuer's discovery document and key set: what the API's JWT authorizer reads (cacheable). */
const CACHE = { 'cache-control': 'public, max-age=300' };
export const firmIssuerDiscovery = defineRoute({
  handler: async () => reply(200, (await firmIssuerDocuments()).discovery, CACHE),
});
export const firmIssuerKeys = defineRoute({
  handler: async () => reply(200, (await firmIssuerDocuments()).jwks, CACHE),
});
