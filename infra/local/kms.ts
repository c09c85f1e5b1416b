import { createPrivateKey, createPublicKey, generateKeyPairSync, type KeyObject, randomUUID, sign } from 'node:crypto';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import * as z from 'zod/mini';
import { AwsJsonError, parseInput, type StandIn, startAwsJsonStandIn } from './aws-json.ts';

/**
 * The local stand-in for the KMS calls that sign firm tokens (Sign, GetPublicKey), speaking KMS's
 * JSON protocol so the function runs the same SDK calls as in AWS, where the private key never
 * leaves KMS. Here it is an ECC_NIST_P256 key kept in `<DATA_DIR>/kms-keys.json` (mode 600), made on
 * first start: a key pair of this machine only, as the local accounts are.
 */
export const LOCAL_FIRM_KEY_ALIAS = 'alias/eco-liaison-firm-tokens';
const REGION = 'us-east-1';
const ACCOUNT = '000000000000';

interface StoredKey {
  readonly keyId: string;
  readonly privatePem: string;
}

const loadOrCreate = (dataDir: string): StoredKey => {
  const file = join(dataDir, 'kms-keys.json');
  if (existsSync(file)) return JSON.parse(readFileSync(file, 'utf8')) as StoredKey;
  const { privateKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  const stored = { keyId: randomUUID(), privatePem: privateKey.export({ format: 'pem', type: 'pkcs8' }).toString() };
  writeFileSync(file, JSON.stringify(stored), { mode: 0o600 });
  return stored;
};

const base64 = z.string().check(z.regex(/^[A-Za-z0-9+/]*={0,2}$/));
const getPublicKey = z.object({ KeyId: z.string() });
const signInput = z.object({
  KeyId: z.string(),
  Message: base64,
  MessageType: z.optional(z.enum(['RAW', 'DIGEST'])),
  SigningAlgorithm: z.string(),
});

export const startKmsStandIn = async (dataDir: string): Promise<StandIn> => {
  const stored = loadOrCreate(dataDir);
  const privateKey: KeyObject = createPrivateKey(stored.privatePem);
  const arn = `arn:aws:kms:${REGION}:${ACCOUNT}:key/${stored.keyId}`;
  // KMS takes a key by id, ARN, alias name or alias ARN.
  const names = new Set([
    stored.keyId,
    arn,
    LOCAL_FIRM_KEY_ALIAS,
    `arn:aws:kms:${REGION}:${ACCOUNT}:${LOCAL_FIRM_KEY_ALIAS}`,
  ]);
  const keyOf = (keyId: string) => {
    if (!names.has(keyId)) throw new AwsJsonError('NotFoundException', `Key '${keyId}' does not exist`);
  };
  return startAwsJsonStandIn({
    GetPublicKey: (body) => {
      keyOf(parseInput(getPublicKey, body).KeyId);
      return {
        KeyId: arn,
        PublicKey: createPublicKey(privateKey).export({ format: 'der', type: 'spki' }).toString('base64'),
        KeySpec: 'ECC_NIST_P256',
        KeyUsage: 'SIGN_VERIFY',
        SigningAlgorithms: ['ECDSA_SHA_256'],
      };
    },
    Sign: (body) => {
      const input = parseInput(signInput, body);
      keyOf(input.KeyId);
      if (input.SigningAlgorithm !== 'ECDSA_SHA_256')
        throw new AwsJsonError('InvalidKeyUsageException', `Key does not support ${input.SigningAlgorithm}`);
      const message = Buffer.from(input.Message, 'base64');
      // Node signs messages, not digests someone else hashed; the product sends RAW (a JWT's signing
      // input, far under KMS's 4096-byte limit), which KMS hashes with SHA-256 as done here.
      if (input.MessageType === 'DIGEST')
        throw new AwsJsonError('UnsupportedOperationException', 'The local KMS signs RAW messages only');
      if (message.byteLength > 4096) throw new AwsJsonError('ValidationException', 'Message over 4096 bytes');
      const signature = sign('sha256', message, { key: privateKey, dsaEncoding: 'der' });
      return { KeyId: arn, Signature: signature.toString('base64'), SigningAlgorithm: 'ECDSA_SHA_256' };
    },
  });
};
