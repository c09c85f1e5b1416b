import { createHash, createPublicKey, type JsonWebKey } from 'node:crypto';
import type { KMSClient } from '@aws-sdk/client-kms';
import { ENV } from '../../../shared/config.ts';
import { FIRM_AUDIENCE, FIRM_TOKEN_USE, firmIssuerOf } from '../../../shared/firm-issuer.ts';
import { env } from '../store/table.ts';

/**
 * Firm identities: a short-lived ES256 JWT naming one firm (its USCC), issued after the firm proves
 * a roster mobile by SMS code. Signed by a KMS asymmetric key, so no signing secret exists in the
 * repo or a function's environment, and no Cognito is needed (AWS's China regions have none). The
 * API's JWT authorizer trusts it through the issuer's discovery document and JWKS, which are public
 * routes of this product (`firmIssuerDocuments`).
 */
export { FIRM_AUDIENCE } from '../../../shared/firm-issuer.ts';
/** A working day on a phone; a firm signs in again with a new code after that. */
export const FIRM_TOKEN_SECONDS = 12 * 3600;

export const firmIssuer = (): string => firmIssuerOf(env(ENV.siteUrl));

const b64url = (data: Buffer | string) => Buffer.from(data).toString('base64url');

let kms: KMSClient | undefined;
const client = async () => {
  // Loaded on first use: only the sign-in and issuer routes need KMS.
  const { KMSClient } = await import('@aws-sdk/client-kms');
  kms ??= new KMSClient({});
  return kms;
};

interface PublicKey {
  readonly jwk: JsonWebKey & { kid: string; alg: 'ES256'; use: 'sig' };
}
let publicKey: Promise<PublicKey> | undefined;

/** The signing key's public half as a JWK; its `kid` is derived from the key itself (RFC 7638 thumbprint). */
const loadPublicKey = (): Promise<PublicKey> => {
  if (publicKey) return publicKey;
  const loading = (async (): Promise<PublicKey> => {
    const { GetPublicKeyCommand } = await import('@aws-sdk/client-kms');
    const out = await (await client()).send(new GetPublicKeyCommand({ KeyId: env(ENV.firmKeyId) }));
    if (out.KeySpec !== 'ECC_NIST_P256' || !out.PublicKey) throw new Error('The firm key must be ECC_NIST_P256');
    const jwk = createPublicKey({ key: Buffer.from(out.PublicKey), format: 'der', type: 'spki' }).export({
      format: 'jwk',
    });
    const thumbprint = createHash('sha256')
      .update(JSON.stringify({ crv: jwk.crv, kty: jwk.kty, x: jwk.x, y: jwk.y }))
      .digest();
    return { jwk: { ...jwk, kid: b64url(thumbprint), alg: 'ES256' as const, use: 'sig' as const } };
  })().catch((error: unknown) => {
    publicKey = undefined; // a failed load is tried again by the next call
    throw error;
  });
  publicKey = loading;
  return loading;
};

/**
 * KMS answers ECDSA signatures DER-encoded (SEQUENCE of two INTEGERs); JWS wants r and s as two
 * 32-byte big-endian numbers side by side (RFC 7518 §3.4).
 */
export const derToJose = (der: Uint8Array): Buffer => {
  const bytes = Buffer.from(der);
  const fail = (): never => {
    throw new Error('Malformed ECDSA signature');
  };
  let at = 0;
  if (bytes[at++] !== 0x30) fail();
  let length = bytes[at++] ?? fail();
  if (length & 0x80) {
    if (length !== 0x81) fail();
    length = bytes[at++] ?? fail();
  }
  if (at + length !== bytes.length) fail();
  const integer = (): Buffer => {
    if (bytes[at++] !== 0x02) fail();
    const size = bytes[at++] ?? fail();
    if (size < 1 || size > 33 || at + size > bytes.length) fail();
    let value = bytes.subarray(at, at + size);
    at += size;
    while (value.length > 32 && value[0] === 0) value = value.subarray(1);
    if (value.length > 32) fail();
    return Buffer.concat([Buffer.alloc(32 - value.length), value]);
  };
  const r = integer();
  const s = integer();
  if (at !== bytes.length) fail();
  return Buffer.concat([r, s]);
};

export interface FirmSubject {
  readonly uscc: string;
  /** The roster mobile the code went to: kept so a firm page can say who is signed in (masked). */
  readonly mobile: string;
}

/** A signed firm token and when it ends. */
export const signFirmToken = async (
  subject: FirmSubject,
  now = new Date(),
): Promise<{ token: string; expiresAt: string }> => {
  const { jwk } = await loadPublicKey();
  const iat = Math.floor(now.getTime() / 1000);
  const exp = iat + FIRM_TOKEN_SECONDS;
  const header = b64url(JSON.stringify({ alg: 'ES256', typ: 'JWT', kid: jwk.kid }));
  const payload = b64url(
    JSON.stringify({
      iss: firmIssuer(),
      aud: FIRM_AUDIENCE,
      sub: `firm:${subject.uscc}`,
      uscc: subject.uscc,
      mobile: subject.mobile,
      token_use: FIRM_TOKEN_USE,
      iat,
      nbf: iat,
      exp,
    }),
  );
  const signingInput = `${header}.${payload}`;
  const { SignCommand } = await import('@aws-sdk/client-kms');
  const out = await (await client()).send(
    new SignCommand({
      KeyId: env(ENV.firmKeyId),
      Message: Buffer.from(signingInput),
      MessageType: 'RAW',
      SigningAlgorithm: 'ECDSA_SHA_256',
    }),
  );
  if (!out.Signature) throw new Error('KMS returned no signature');
  return {
    token: `${signingInput}.${b64url(derToJose(out.Signature))}`,
    expiresAt: new Date(exp * 1000).toISOString(),
  };
};

/** The firm issuer's discovery document and key set, as the JWT authorizer fetches them. */
export const firmIssuerDocuments = async () => {
  const { jwk } = await loadPublicKey();
  const issuer = firmIssuer();
  return {
    discovery: {
      issuer,
      jwks_uri: `${issuer}/jwks.json`,
      response_types_supported: ['id_token'],
      subject_types_supported: ['public'],
      id_token_signing_alg_values_supported: ['ES256'],
    },
    jwks: { keys: [jwk] },
  };
};
