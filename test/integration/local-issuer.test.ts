import { createHash, randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { decodeProtectedHeader, exportJWK, generateKeyPair, importJWK, type JWK, SignJWT } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Runtime, startRuntime } from '../../infra/local/runtime.ts';
import { authConfigOf } from '../../shared/auth-config.ts';

// The local issuer is a real OpenID Connect provider mounted on the gateway (`<origin>/oidc`), and the
// gateway checks bearer tokens as API Gateway's JWT authorizer does. Each test names the rule it tries
// to break: PKCE and its method, one use per code and per refresh token, the issuer's session as the
// refresh token's limit, a disabled account, and tokens from elsewhere.

let dataDir: string;
let runtime: Runtime;

beforeAll(async () => {
  dataDir = mkdtempSync(join(tmpdir(), 'eco-issuer-'));
  runtime = await startRuntime({ port: 0, dataDir, siteDir: dataDir, scheduler: false, log: () => undefined });
});

afterAll(async () => {
  await runtime?.stop();
  rmSync(dataDir, { recursive: true, force: true });
});

const issuer = () => `${runtime.url}/oidc`;
const redirectUri = () => `${runtime.url}/staff/sign-in/`;
const CLIENT = 'eco-liaison-local';
const b64url = (bytes: Buffer) => bytes.toString('base64url');

/** A browser without JavaScript: follows nothing by itself, keeps cookies. */
const browserless = () => {
  const jar = new Map<string, string>();
  return async (address: string, init: RequestInit = {}) => {
    const res = await fetch(new URL(address, runtime.url), {
      ...init,
      redirect: 'manual',
      headers: {
        ...(init.headers as Record<string, string>),
        cookie: [...jar].map(([k, v]) => `${k}=${v}`).join('; '),
      },
    });
    for (const cookie of res.headers.getSetCookie()) {
      const [pair] = cookie.split(';');
      const at = (pair ?? '').indexOf('=');
      jar.set((pair ?? '').slice(0, at), (pair ?? '').slice(at + 1));
    }
    return res;
  };
};

const form = (values: Record<string, string>) => ({
  method: 'POST',
  headers: { 'content-type': 'application/x-www-form-urlencoded' },
  body: new URLSearchParams(values).toString(),
});

/** The authorization request's query, with PKCE S256 unless `pkce` says otherwise. */
const authorizeQuery = (verifier: string, pkce: Record<string, string> | 'none' = {}) => {
  const challenge = b64url(createHash('sha256').update(verifier).digest());
  return new URLSearchParams({
    client_id: CLIENT,
    redirect_uri: redirectUri(),
    response_type: 'code',
    scope: 'openid email profile',
    state: 'state-1',
    nonce: 'nonce-1',
    ...(pkce === 'none' ? {} : { code_challenge: challenge, code_challenge_method: 'S256', ...pkce }),
  });
};

/** Signs in through the provider's form; answers the callback address the browser is sent to. */
const signInForCode = async (username: string, password = 'demo', verifier = b64url(randomBytes(32))) => {
  const go = browserless();
  let res = await go(`/oidc/auth?${authorizeQuery(verifier)}`);
  const interaction = res.headers.get('location') ?? '';
  expect(interaction).toMatch(/^\/oidc\/interaction\//);
  res = await go(`${interaction}/login`, form({ username, password }));
  let location = res.headers.get('location') ?? '';
  while (location && !location.startsWith(redirectUri())) {
    res = await go(location);
    location = res.headers.get('location') ?? '';
  }
  return { callback: new URL(location), verifier, go };
};

const exchange = (code: string, verifier: string) =>
  fetch(
    `${issuer()}/token`,
    form({
      grant_type: 'authorization_code',
      code,
      redirect_uri: redirectUri(),
      client_id: CLIENT,
      code_verifier: verifier,
    }),
  );
const refresh = (refreshToken: string) =>
  fetch(`${issuer()}/token`, form({ grant_type: 'refresh_token', refresh_token: refreshToken, client_id: CLIENT }));
const me = (token: string) => fetch(`${runtime.url}/api/staff/me`, { headers: { authorization: `Bearer ${token}` } });

const tokensFor = async (username: string) => {
  const { callback, verifier } = await signInForCode(username);
  const res = await exchange(callback.searchParams.get('code') ?? '', verifier);
  expect(res.status).toBe(200);
  return (await res.json()) as { id_token: string; refresh_token: string; access_token: string };
};

describe('the local OpenID Connect provider', () => {
  it('publishes discovery with S256 as the only PKCE method, code flow only, and end-session', async () => {
    // Act
    const res = await fetch(`${issuer()}/.well-known/openid-configuration`);
    const doc = (await res.json()) as Record<string, unknown>;
    const config = authConfigOf(await (await fetch(`${runtime.url}/config.json`)).json());

    // Assess
    expect(doc.issuer).toBe(issuer());
    expect(doc.code_challenge_methods_supported).toEqual(['S256']);
    expect(doc.response_types_supported).toEqual(['code']);
    expect(doc.end_session_endpoint).toBe(`${issuer()}/session/end`);
    expect(doc.revocation_endpoint).toBe(`${issuer()}/token/revocation`);
    expect(config).toEqual({
      issuer: issuer(),
      clientId: CLIENT,
      scopes: ['openid', 'email', 'profile'],
      callbackPaths: ['/staff/sign-in/', '/en/staff/sign-in/'],
      signOutPaths: ['/staff/sign-in/', '/en/staff/sign-in/'],
    });
  });

  it('refuses an authorization request without PKCE, or with the plain method', async () => {
    const go = browserless();
    for (const pkce of ['none', { code_challenge_method: 'plain', code_challenge: 'x'.repeat(43) }] as const) {
      // Act
      const res = await go(`/oidc/auth?${authorizeQuery('v'.repeat(43), pkce)}`);

      // Assess: back to the client with an error, never to a sign-in form.
      const location = new URL(res.headers.get('location') ?? '', runtime.url);
      expect(location.href.startsWith(redirectUri())).toBe(true);
      expect(location.searchParams.get('error')).toBe('invalid_request');
    }
  });

  it('issues ID tokens with Cognito’s claim names that the API accepts, once per code and only with its verifier', async () => {
    // Prepare
    const { callback, verifier } = await signInForCode('lead.wuzhong');
    const code = callback.searchParams.get('code') ?? '';
    expect(callback.searchParams.get('state')).toBe('state-1');

    // Act
    const wrongVerifier = await exchange(code, b64url(randomBytes(32)));
    const first = await exchange(code, verifier);
    const replayed = await exchange(code, verifier);

    // Assess
    expect(wrongVerifier.status).toBe(400);
    expect(((await wrongVerifier.json()) as { error: string }).error).toBe('invalid_grant');
    expect(first.status).toBe(200);
    const tokens = (await first.json()) as { id_token: string };
    const claims = JSON.parse(Buffer.from(tokens.id_token.split('.')[1] ?? '', 'base64url').toString()) as Record<
      string,
      unknown
    >;
    expect(claims).toMatchObject({
      iss: issuer(),
      aud: CLIENT,
      nonce: 'nonce-1',
      'cognito:username': 'lead.wuzhong',
      'cognito:groups': ['lead'],
      'custom:jurisdiction': '320506',
      email: 'lead.wuzhong@demo.eco-liaison.local',
    });
    expect(decodeProtectedHeader(tokens.id_token).alg).toBe('RS256');
    expect((await me(tokens.id_token)).status).toBe(200);
    expect(replayed.status).toBe(400);
  });

  it('rotates the refresh token on every use; a used one ends the whole session', async () => {
    // Prepare
    const tokens = await tokensFor('liaison.wuzhong');

    // Act
    const renewed = await refresh(tokens.refresh_token);
    const next = (await renewed.json()) as { id_token: string; refresh_token: string };
    const reused = await refresh(tokens.refresh_token);
    const afterReuse = await refresh(next.refresh_token);

    // Assess
    expect(renewed.status).toBe(200);
    expect(next.refresh_token).not.toBe(tokens.refresh_token);
    expect((await me(next.id_token)).status).toBe(200);
    expect(reused.status).toBe(400);
    expect(afterReuse.status).toBe(400);
  });

  it('gives a disabled account no more tokens, and its refresh token stops working', async () => {
    // Prepare
    const tokens = await tokensFor('lead.jiangyin');
    const file = join(dataDir, 'local-accounts.json');
    const accounts = JSON.parse(readFileSync(file, 'utf8')) as { username: string }[];
    writeFileSync(
      file,
      JSON.stringify(accounts.map((a) => (a.username === 'lead.jiangyin' ? { ...a, enabled: false } : a))),
    );

    // Act
    const renewed = await refresh(tokens.refresh_token);
    const shortcut = await runtime.issuer.signIn('lead.jiangyin', 'demo');
    const go = browserless();
    const started = await go(`/oidc/auth?${authorizeQuery(b64url(randomBytes(32)))}`);
    const page = await go(
      `${started.headers.get('location')}/login`,
      form({ username: 'lead.jiangyin', password: 'demo' }),
    );

    // Assess
    expect(renewed.status).toBe(400);
    expect(shortcut).toBeUndefined();
    expect(page.status).toBe(200);
    expect(await page.text()).toContain('此账号已停用');
  });

  it('ends the refresh token with the sign-in session at RP-initiated logout', async () => {
    // Prepare
    const { callback, verifier, go } = await signInForCode('lead.suzhou');
    const res = await exchange(callback.searchParams.get('code') ?? '', verifier);
    const tokens = (await res.json()) as { id_token: string; refresh_token: string };

    // Act: the console sends the browser to end-session; the page's form is submitted.
    const end = new URLSearchParams({
      id_token_hint: tokens.id_token,
      post_logout_redirect_uri: redirectUri(),
      client_id: CLIENT,
    });
    const page = await go(`/oidc/session/end?${end}`);
    const html = await page.text();
    const xsrf = /name="xsrf" value="([^"]+)"/.exec(html)?.[1] ?? '';
    const confirmed = await go('/oidc/session/end/confirm', form({ xsrf, logout: 'yes' }));

    // Assess
    expect(html).toContain('/oidc/assets/sign-out.js');
    expect(confirmed.headers.get('location')).toBe(redirectUri());
    expect((await refresh(tokens.refresh_token)).status).toBe(400);
  });

  it('lets no other site call the token endpoint from a page (CORS)', async () => {
    const { callback, verifier } = await signInForCode('admin');
    const res = await fetch(`${issuer()}/token`, {
      ...form({
        grant_type: 'authorization_code',
        code: callback.searchParams.get('code') ?? '',
        redirect_uri: redirectUri(),
        client_id: CLIENT,
        code_verifier: verifier,
      }),
      headers: { 'content-type': 'application/x-www-form-urlencoded', origin: 'https://evil.example' },
    });
    expect(res.status).toBe(400);
    expect(res.headers.get('access-control-allow-origin')).toBeNull();
  });
});

describe('the gateway checks bearer tokens as the JWT authorizer does', () => {
  const claims = {
    sub: 'local-admin',
    'cognito:username': 'admin',
    'cognito:groups': ['admin'],
    'custom:jurisdiction': '320000',
  };
  /** Signs with the issuer's own key (from DATA_DIR), choosing issuer, audience and lifetime. */
  const ownKeySigned = async (iss: string, aud: string, expiresIn = '1h') => {
    const stored = JSON.parse(readFileSync(join(dataDir, 'issuer-key.json'), 'utf8')) as {
      kid: string;
      privateJwk: JWK;
    };
    return new SignJWT(claims)
      .setProtectedHeader({ alg: 'RS256', kid: stored.kid })
      .setIssuer(iss)
      .setAudience(aud)
      .setIssuedAt()
      .setExpirationTime(expiresIn)
      .sign(await importJWK(stored.privateJwk, 'RS256'));
  };

  it('accepts the issuer’s own token (the control)', async () => {
    expect((await me(await ownKeySigned(issuer(), CLIENT))).status).toBe(200);
  });

  it('refuses a token from another issuer, for another audience, or expired, even under the right key', async () => {
    for (const token of [
      await ownKeySigned('https://cognito-idp.us-east-1.amazonaws.com/us-east-1_other', CLIENT),
      await ownKeySigned(`${runtime.url}/oidc/`, CLIENT),
      await ownKeySigned(issuer(), 'another-client'),
      await ownKeySigned(issuer(), CLIENT, '-1m'),
    ]) {
      const res = await me(token);
      expect(res.status).toBe(401);
      expect(((await res.json()) as { error: { code: string } }).error.code).toBe('UNAUTHENTICATED');
    }
  });

  it('refuses alg none, an HMAC signed with the public key, and a key the issuer never published', async () => {
    const b64 = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');
    const body = { ...claims, iss: issuer(), aud: CLIENT, exp: Math.floor(Date.now() / 1000) + 3600 };
    const stored = JSON.parse(readFileSync(join(dataDir, 'issuer-key.json'), 'utf8')) as {
      kid: string;
      publicJwk: JWK;
    };
    const hmac = await new SignJWT(body)
      .setProtectedHeader({ alg: 'HS256', kid: stored.kid })
      .sign(new TextEncoder().encode(JSON.stringify(stored.publicJwk)));
    const stranger = await generateKeyPair('RS256', { extractable: true });
    const strangerSigned = await new SignJWT(body)
      .setProtectedHeader({ alg: 'RS256', kid: stored.kid })
      .sign(stranger.privateKey);
    void (await exportJWK(stranger.publicKey));
    for (const token of [`${b64({ alg: 'none', typ: 'JWT' })}.${b64(body)}.`, hmac, strangerSigned]) {
      expect((await me(token)).status).toBe(401);
    }
  });
});
