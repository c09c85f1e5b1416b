import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { exportJWK, generateKeyPair, importJWK, type JWK, type JWTPayload, jwtVerify, SignJWT } from 'jose';
import { type AccountStore, verifyPassword } from './accounts.ts';

/**
 * The local identity issuer: signs RS256 JWTs carrying the same claims as
 * Cognito ID tokens. The key pair is generated on first start and kept in DATA_DIR.
 * Nothing here exists in the deployed stacks, whose authorizer trusts Cognito only.
 */
export const LOCAL_AUDIENCE = 'eco-liaison-local';
export const TOKEN_TTL_SECONDS = 8 * 3600;

type Key = Awaited<ReturnType<typeof importJWK>>;

export interface Issuer {
  readonly issuer: string;
  signIn(username: string, password: string): Promise<{ token: string; expiresAt: string } | undefined>;
  sign(claims: JWTPayload, ttlSeconds?: number): Promise<string>;
  verify(token: string): Promise<JWTPayload>;
}

const loadOrCreateKeys = async (dataDir: string): Promise<{ privateKey: Key; publicKey: Key; kid: string }> => {
  const file = join(dataDir, 'issuer-key.json');
  if (!existsSync(file)) {
    const pair = await generateKeyPair('RS256', { extractable: true });
    const kid = `local-${Date.now().toString(36)}`;
    const stored = { kid, privateJwk: await exportJWK(pair.privateKey), publicJwk: await exportJWK(pair.publicKey) };
    writeFileSync(file, JSON.stringify(stored), { mode: 0o600 });
  }
  const stored = JSON.parse(readFileSync(file, 'utf8')) as { kid: string; privateJwk: JWK; publicJwk: JWK };
  return {
    kid: stored.kid,
    privateKey: await importJWK(stored.privateJwk, 'RS256'),
    publicKey: await importJWK(stored.publicJwk, 'RS256'),
  };
};

export const createIssuer = async (dataDir: string, issuer: string, accounts: AccountStore): Promise<Issuer> => {
  const { privateKey, publicKey, kid } = await loadOrCreateKeys(dataDir);
  const sign = (claims: JWTPayload, ttlSeconds = TOKEN_TTL_SECONDS) => {
    const now = Math.floor(Date.now() / 1000);
    return new SignJWT({ ...claims, token_use: 'id' })
      .setProtectedHeader({ alg: 'RS256', kid, typ: 'JWT' })
      .setIssuer(issuer)
      .setAudience(LOCAL_AUDIENCE)
      .setIssuedAt(now)
      .setExpirationTime(now + ttlSeconds)
      .sign(privateKey);
  };
  return {
    issuer,
    sign,
    signIn: async (username, password) => {
      const account = accounts.find(username);
      if (!account || !verifyPassword(password, account.passwordHash)) return undefined;
      const token = await sign({
        sub: `local-${account.username}`,
        'cognito:username': account.username,
        email: account.email,
        'cognito:groups': [account.role],
        'custom:jurisdiction': account.jurisdiction,
      });
      return { token, expiresAt: new Date(Date.now() + TOKEN_TTL_SECONDS * 1000).toISOString() };
    },
    // RS256 only: `alg: none` and HMAC confusion are refused; exp, iss and aud are checked.
    verify: async (token) =>
      (await jwtVerify(token, publicKey, { algorithms: ['RS256'], issuer, audience: LOCAL_AUDIENCE })).payload,
  };
};
