import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createLocalJWKSet, jwtVerify } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { StandIn } from '../../infra/local/aws-json.ts';
import { LOCAL_FIRM_KEY_ALIAS, startKmsStandIn } from '../../infra/local/kms.ts';

// The firm token is signed by KMS (here the local stand-in, through the SDK's standard endpoint
// variable) and checked the way the JWT authorizer checks it: against the issuer's published JWKS.
const dataDir = mkdtempSync(join(tmpdir(), 'firm-token-'));
let kms: StandIn;
let firmToken: typeof import('../../functions/lib/firms/firm-token.ts');

beforeAll(async () => {
  kms = await startKmsStandIn(dataDir);
  Object.assign(process.env, {
    AWS_ENDPOINT_URL_KMS: kms.endpoint,
    AWS_REGION: 'us-east-1',
    AWS_ACCESS_KEY_ID: 'local',
    AWS_SECRET_ACCESS_KEY: 'local',
    FIRM_KEY_ID: LOCAL_FIRM_KEY_ALIAS,
    SITE_URL: 'https://eco.example.cn',
  });
  firmToken = await import('../../functions/lib/firms/firm-token.ts');
});
afterAll(async () => {
  await kms.stop();
  rmSync(dataDir, { recursive: true, force: true });
});

const firm = { uscc: '91320506MA1XXXXX0Y', mobile: '13800000000' };

describe('firm tokens signed by KMS', () => {
  it('verify against the published key set with the firm issuer and audience', async () => {
    const { token, expiresAt } = await firmToken.signFirmToken(firm);
    const { discovery, jwks } = await firmToken.firmIssuerDocuments();
    expect(discovery.issuer).toBe('https://eco.example.cn/api/public/firm-issuer');
    expect(discovery.jwks_uri).toBe('https://eco.example.cn/api/public/firm-issuer/jwks.json');
    const { payload, protectedHeader } = await jwtVerify(token, createLocalJWKSet(jwks), {
      issuer: discovery.issuer,
      audience: firmToken.FIRM_AUDIENCE,
      algorithms: ['ES256'],
    });
    expect(protectedHeader.kid).toBe(jwks.keys[0]?.kid);
    expect(payload).toMatchObject({ sub: `firm:${firm.uscc}`, uscc: firm.uscc, token_use: 'firm' });
    expect(Date.parse(expiresAt) - Date.now()).toBeGreaterThan(11 * 3600 * 1000);
    // The key set carries the public half only.
    expect(jwks.keys[0]).not.toHaveProperty('d');
  });

  it('is refused when its claims are changed or its signature is another firm’s', async () => {
    const mine = await firmToken.signFirmToken(firm);
    const theirs = await firmToken.signFirmToken({ ...firm, uscc: '91320506MA1YYYYY0Z' });
    const { jwks } = await firmToken.firmIssuerDocuments();
    const keySet = createLocalJWKSet(jwks);
    const [header, , signature] = mine.token.split('.');
    const [, otherPayload] = theirs.token.split('.');
    await expect(jwtVerify(`${header}.${otherPayload}.${signature}`, keySet)).rejects.toThrow();
    const forged = Buffer.from(JSON.stringify({ alg: 'none', typ: 'JWT' })).toString('base64url');
    await expect(jwtVerify(`${forged}.${otherPayload}.`, keySet)).rejects.toThrow();
  });

  it('has an expiry a verifier enforces', async () => {
    const old = await firmToken.signFirmToken(firm, new Date(Date.now() - 13 * 3600 * 1000));
    const { jwks } = await firmToken.firmIssuerDocuments();
    await expect(jwtVerify(old.token, createLocalJWKSet(jwks))).rejects.toThrow(/exp/);
  });

  it('keeps its local key in the data folder, private to its owner, across restarts', async () => {
    expect(statSync(join(dataDir, 'kms-keys.json')).mode & 0o077).toBe(0);
    const again = await startKmsStandIn(dataDir);
    try {
      const { KMSClient, GetPublicKeyCommand } = await import('@aws-sdk/client-kms');
      const a = await new KMSClient({ endpoint: kms.endpoint }).send(
        new GetPublicKeyCommand({ KeyId: LOCAL_FIRM_KEY_ALIAS }),
      );
      const b = await new KMSClient({ endpoint: again.endpoint }).send(
        new GetPublicKeyCommand({ KeyId: LOCAL_FIRM_KEY_ALIAS }),
      );
      expect(Buffer.from(b.PublicKey ?? [])).toEqual(Buffer.from(a.PublicKey ?? []));
      await expect(
        new KMSClient({ endpoint: again.endpoint }).send(new GetPublicKeyCommand({ KeyId: 'alias/unknown' })),
      ).rejects.toThrow(/does not exist/);
    } finally {
      await again.stop();
    }
  });
});

describe('DER to JOSE signatures', () => {
  const der = (r: number[], s: number[]) =>
    Uint8Array.from([0x30, r.length + s.length + 4, 0x02, r.length, ...r, 0x02, s.length, ...s]);

  it('drops the sign byte of a high r and left-pads a short s', () => {
    const r = [0x00, 0x80, ...Array(31).fill(1)];
    const s = Array(30).fill(2);
    const jose = firmToken.derToJose(der(r, s));
    expect(jose.length).toBe(64);
    expect([...jose.subarray(0, 32)]).toEqual(r.slice(1));
    expect([...jose.subarray(32, 34)]).toEqual([0, 0]);
  });

  it('refuses malformed input', () => {
    expect(() => firmToken.derToJose(Uint8Array.from([0x31, 0]))).toThrow(/Malformed/);
    expect(() => firmToken.derToJose(der(Array(34).fill(1), [1]))).toThrow(/Malformed/);
    expect(() => firmToken.derToJose(Uint8Array.from([0x30, 6, 0x02, 1, 1, 0x02, 1, 1, 0]))).toThrow(/Malformed/);
  });
});
