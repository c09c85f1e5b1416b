import { randomBytes } from 'node:crypto';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { join } from 'node:path';
import {
  createLocalJWKSet,
  exportJWK,
  generateKeyPair,
  importJWK,
  type JWK,
  type JWTPayload,
  jwtVerify,
  SignJWT,
} from 'jose';
import Provider, { type KoaContext } from 'oidc-provider';
import { CONSOLE_SCOPES, SIGN_IN_PATHS, type SiteConfig } from '../../shared/auth-config.ts';
import { type AccountStore, type LocalAccount, verifyPassword } from './accounts.ts';
import {
  changePasswordForm,
  langOf,
  messagePage,
  type PageLang,
  SIGN_OUT_SCRIPT,
  say,
  signInForm,
  signOutPage,
  siteStylesheets,
} from './issuer-pages.ts';

/**
 * The local identity issuer: a real OpenID Connect provider (`oidc-provider`) mounted on the local
 * gateway under `/oidc`, on the site's own origin (`http://127.0.0.1:<port>/oidc`). Same origin, so the
 * console's CSP stays `connect-src 'self'` / `form-action 'self'` and no CORS is needed, while the
 * browser still finds every endpoint through discovery exactly as it does at Cognito or a province's
 * issuer. It offers discovery, JWKS, authorization code + PKCE (S256, required), refresh tokens rotated
 * on every use and bound to the sign-in session (about a working day), revocation and RP-initiated
 * logout; its ID tokens carry Cognito's claim names. The console is a first-party public client: no
 * consent step, no secret. The signing key and cookie keys are generated on first start and kept in
 * DATA_DIR. Nothing here exists in the deployed stacks.
 */

/** The console's client id here: the `aud` of the ID tokens the gateway accepts. */
export const LOCAL_AUDIENCE = 'eco-liaison-local';
/** Where the provider is mounted on the gateway's origin. */
export const ISSUER_PATH = '/oidc';
/** The lifetime of an ID token from the shortcut `POST /api/local-auth/sign-in` (scripts, tests). */
export const TOKEN_TTL_SECONDS = 8 * 3600;
/** ID tokens from the provider, as Cognito's console client has them. */
export const ID_TOKEN_TTL_SECONDS = 3600;
/** Sign-in session, grant and refresh token: about a working day, whatever the rotations. */
export const WORKING_DAY_SECONDS = 10 * 3600;

type Key = Awaited<ReturnType<typeof importJWK>>;

export interface Issuer {
  /** `iss` of every token, `<origin>/oidc`. */
  readonly issuer: string;
  /** The console's client id (`aud`). */
  readonly clientId: string;
  /** The shortcut for scripts and tests: an ID token for a password, from the same issuer and key. */
  signIn(username: string, password: string): Promise<{ token: string; expiresAt: string } | undefined>;
  sign(claims: JWTPayload, ttlSeconds?: number): Promise<string>;
  /** Verifies an ID token as API Gateway's JWT authorizer would: RS256, this issuer's key, iss, aud, exp. */
  verify(token: string): Promise<JWTPayload>;
  /** What the browser reads at `/config.json`, in the Site stack's shape. */
  config(): SiteConfig;
  /** Serves a request under `/oidc` (the provider, and its sign-in pages). */
  handle(req: IncomingMessage, res: ServerResponse): Promise<void>;
}

interface StoredKeys {
  kid: string;
  privateJwk: JWK;
  publicJwk: JWK;
  /** Keys that sign the provider's cookies (added to files written before there were cookies). */
  cookieKeys?: string[];
}

const loadOrCreateKeys = async (dataDir: string): Promise<StoredKeys> => {
  const file = join(dataDir, 'issuer-key.json');
  if (!existsSync(file)) {
    const pair = await generateKeyPair('RS256', { extractable: true });
    const kid = `local-${Date.now().toString(36)}`;
    const stored = { kid, privateJwk: await exportJWK(pair.privateKey), publicJwk: await exportJWK(pair.publicKey) };
    writeFileSync(file, JSON.stringify(stored), { mode: 0o600 });
  }
  const stored = JSON.parse(readFileSync(file, 'utf8')) as StoredKeys;
  if (!stored.cookieKeys?.length) {
    stored.cookieKeys = [randomBytes(32).toString('base64url')];
    writeFileSync(file, JSON.stringify(stored), { mode: 0o600 });
  }
  return stored;
};

/** The ID token claims of an account, named as Cognito names them. */
export const claimsOf = (account: LocalAccount): JWTPayload => ({
  sub: subjectOf(account.username),
  'cognito:username': account.username,
  email: account.email,
  email_verified: true,
  name: account.displayName,
  'cognito:groups': account.groups ?? [account.role],
  'custom:jurisdiction': account.jurisdiction,
});

const SUBJECT_PREFIX = 'local-';
const subjectOf = (username: string) => `${SUBJECT_PREFIX}${username}`;
const usernameOfSubject = (sub: string) => (sub.startsWith(SUBJECT_PREFIX) ? sub.slice(SUBJECT_PREFIX.length) : '');

/** Why an account may not sign in, or undefined when it may (password checked by the caller). */
const refusal = (account: LocalAccount | undefined): 'disabled' | undefined =>
  account?.enabled === false ? 'disabled' : undefined;

/** A new password: at least 8 characters with a letter and a digit (Cognito's default policy, in short). */
export const strongEnough = (password: string, old: string): boolean =>
  password.length >= 8 && password.length <= 256 && /\p{L}/u.test(password) && /\d/.test(password) && password !== old;

const readForm = async (req: IncomingMessage): Promise<URLSearchParams> => {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > 16 * 1024) break;
    chunks.push(chunk as Buffer);
  }
  return new URLSearchParams(Buffer.concat(chunks).toString('utf8'));
};

const sendHtml = (res: ServerResponse, status: number, html: string): void => {
  res.writeHead(status, {
    'content-type': 'text/html; charset=utf-8',
    'cache-control': 'no-store',
    'content-length': String(Buffer.byteLength(html)),
  });
  res.end(html);
};

interface Stored {
  payload: Record<string, unknown>;
  expiresAt: number;
}

/**
 * The provider's sessions, grants, codes and tokens, kept in memory: a restart of the local runtime
 * signs everyone out (the console then sends them to sign in again), which is all a developer needs.
 */
class MemoryAdapter {
  static readonly all = new Map<string, Stored>();
  readonly #model: string;
  constructor(model: string) {
    this.#model = model;
  }
  #key(id: string) {
    return `${this.#model}:${id}`;
  }
  #live(key: string): Record<string, unknown> | undefined {
    const found = MemoryAdapter.all.get(key);
    if (!found) return undefined;
    if (found.expiresAt <= Date.now()) {
      MemoryAdapter.all.delete(key);
      return undefined;
    }
    return found.payload;
  }
  async upsert(id: string, payload: Record<string, unknown>, expiresIn: number) {
    MemoryAdapter.all.set(this.#key(id), { payload, expiresAt: Date.now() + expiresIn * 1000 });
    const grantId = payload.grantId;
    if (typeof grantId === 'string') {
      const grantKey = `grant:${grantId}`;
      const members = (this.#live(grantKey)?.keys as string[] | undefined) ?? [];
      MemoryAdapter.all.set(grantKey, {
        payload: { keys: [...members, this.#key(id)] },
        expiresAt: Date.now() + expiresIn * 1000,
      });
    }
  }
  async find(id: string) {
    return this.#live(this.#key(id));
  }
  async findByUserCode(): Promise<undefined> {
    return undefined;
  }
  async findByUid(uid: string) {
    for (const [key, value] of MemoryAdapter.all) {
      if (key.startsWith(`${this.#model}:`) && value.payload.uid === uid) return this.#live(key);
    }
    return undefined;
  }
  async consume(id: string) {
    const found = this.#live(this.#key(id));
    if (found) found.consumed = Math.floor(Date.now() / 1000);
  }
  async destroy(id: string) {
    MemoryAdapter.all.delete(this.#key(id));
  }
  async revokeByGrantId(grantId: string) {
    const grantKey = `grant:${grantId}`;
    for (const key of (this.#live(grantKey)?.keys as string[] | undefined) ?? []) MemoryAdapter.all.delete(key);
    MemoryAdapter.all.delete(grantKey);
  }
}

export interface IssuerOptions {
  readonly dataDir: string;
  /** The gateway's origin, `http://127.0.0.1:<port>`: the issuer is `<origin>/oidc`. */
  readonly origin: string;
  readonly accounts: AccountStore;
  /** The built site, whose stylesheet the sign-in pages link. */
  readonly siteDir: string;
}

export const createIssuer = async (options: IssuerOptions): Promise<Issuer> => {
  const { dataDir, origin, accounts, siteDir } = options;
  const issuer = `${origin}${ISSUER_PATH}`;
  const stored = await loadOrCreateKeys(dataDir);
  const { kid } = stored;
  const privateKey: Key = await importJWK(stored.privateJwk, 'RS256');
  const publicJwks = createLocalJWKSet({ keys: [{ ...stored.publicJwk, kid, alg: 'RS256', use: 'sig' }] });
  const styles = () => siteStylesheets(siteDir);
  const redirectUris = SIGN_IN_PATHS.map((path) => `${origin}${path}`);

  const findUsable = (username: string): LocalAccount | undefined => {
    const account = accounts.find(username);
    return account && !refusal(account) && !account.mustChangePassword ? account : undefined;
  };

  const provider = new Provider(issuer, {
    adapter: MemoryAdapter,
    clients: [
      {
        client_id: LOCAL_AUDIENCE,
        client_name: 'Eco Liaison console',
        application_type: 'web',
        token_endpoint_auth_method: 'none',
        grant_types: ['authorization_code', 'refresh_token'],
        response_types: ['code'],
        redirect_uris: redirectUris,
        post_logout_redirect_uris: redirectUris,
        id_token_signed_response_alg: 'RS256',
      },
    ],
    jwks: { keys: [{ ...stored.privateJwk, kid, alg: 'RS256', use: 'sig' }] },
    cookies: {
      keys: stored.cookieKeys,
      names: { session: 'eco_op_session', interaction: 'eco_op_interaction', resume: 'eco_op_resume' },
      long: { httpOnly: true, sameSite: 'lax' },
      short: { httpOnly: true, sameSite: 'lax' },
    },
    claims: {
      openid: ['sub', 'cognito:username', 'cognito:groups', 'custom:jurisdiction'],
      email: ['email', 'email_verified'],
      profile: ['name'],
    },
    // The ID token from the token endpoint carries the scopes' claims, as Cognito's does: the API
    // reads role and jurisdiction from it.
    conformIdTokenClaims: false,
    findAccount: async (_ctx: unknown, sub: string) => {
      // Called at sign-in and at every refresh: a disabled account (or one that must change its
      // password) gets no more tokens, its refresh token answers invalid_grant.
      const account = findUsable(usernameOfSubject(sub));
      if (!account) return undefined;
      return { accountId: sub, claims: async () => claimsOf(account) };
    },
    features: {
      devInteractions: { enabled: false },
      revocation: { enabled: true },
      rpInitiatedLogout: {
        enabled: true,
        logoutSource: async (ctx: KoaContext, form: string) => {
          const lang = langOf(ctx.oidc.params?.ui_locales);
          ctx.type = 'html';
          ctx.body = signOutPage(
            lang,
            styles(),
            form.replace('</form>', '<input type="hidden" name="logout" value="yes"/></form>'),
            `${ISSUER_PATH}/assets/sign-out.js`,
          );
        },
        postLogoutSuccessSource: async (ctx: KoaContext) => {
          ctx.type = 'html';
          ctx.body = messagePage('zh', styles(), say('zh', 'signedOut'), say('zh', 'signedOut'));
        },
      },
    },
    interactions: {
      url: async (_ctx: unknown, interaction: { uid: string }) => `${ISSUER_PATH}/interaction/${interaction.uid}`,
    },
    pkce: { required: () => true },
    responseTypes: ['code'],
    rotateRefreshToken: true,
    issueRefreshToken: async (_ctx: unknown, client: { grantTypeAllowed(type: string): boolean }) =>
      client.grantTypeAllowed('refresh_token'),
    ttl: {
      AccessToken: ID_TOKEN_TTL_SECONDS,
      AuthorizationCode: 60,
      IdToken: ID_TOKEN_TTL_SECONDS,
      Interaction: 3600,
      Session: WORKING_DAY_SECONDS,
      Grant: WORKING_DAY_SECONDS,
      // A rotated token keeps what was left of its predecessor: rotation never stretches the day.
      RefreshToken: (ctx: { oidc?: { entities: { RotatedRefreshToken?: { remainingTTL: number } } } }) =>
        ctx?.oidc?.entities.RotatedRefreshToken?.remainingTTL ?? WORKING_DAY_SECONDS,
    },
    // The console is first-party: its grant is made at sign-in, so nobody sees a consent step.
    loadExistingGrant: async (ctx: KoaContext & { oidc: { provider: Provider } }) => {
      const { client, session, result } = ctx.oidc;
      if (!client || !session?.accountId) return undefined;
      const grantId = result?.consent?.grantId ?? session.grantIdFor(client.clientId);
      const existing = grantId ? await ctx.oidc.provider.Grant.find(grantId) : undefined;
      const grant =
        existing ?? new ctx.oidc.provider.Grant({ clientId: client.clientId, accountId: session.accountId });
      grant.addOIDCScope(CONSOLE_SCOPES.join(' '));
      await grant.save();
      return grant;
    },
    // The console's own origin only (browsers send `Origin` on same-origin POSTs too): no other site
    // may call the token or revocation endpoints from a page.
    clientBasedCORS: (_ctx: unknown, requestOrigin: string) => requestOrigin === origin,
    // The provider's own error page (an expired interaction, a bad request): the product's look and a
    // way back, never the error's internals.
    renderError: async (ctx: KoaContext) => {
      const lang = langOf(ctx.oidc?.params?.ui_locales);
      ctx.type = 'html';
      ctx.body = messagePage(lang, styles(), say(lang, 'errorTitle'), say(lang, 'errorIntro'));
    },
  });
  const callback = provider.callback();

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

  /** The sign-in pages of an interaction: GET shows the form, POST checks it. */
  const interaction = async (req: IncomingMessage, res: ServerResponse, uid: string, step: string) => {
    let details: Awaited<ReturnType<Provider['interactionDetails']>>;
    try {
      details = await provider.interactionDetails(req, res);
    } catch {
      sendHtml(res, 400, messagePage('zh', styles(), say('zh', 'errorTitle'), say('zh', 'errorIntro')));
      return;
    }
    const lang: PageLang = langOf(details.params.ui_locales);
    if (details.uid !== uid) {
      sendHtml(res, 400, messagePage(lang, styles(), say(lang, 'errorTitle'), say(lang, 'errorIntro')));
      return;
    }
    const base = `${ISSUER_PATH}/interaction/${uid}`;
    if (details.prompt.name !== 'login') {
      // Consent never needs a person here (the grant is made in loadExistingGrant).
      await provider.interactionFinished(req, res, {}, { mergeWithLastSubmission: true });
      return;
    }
    if (req.method === 'GET') {
      const hint = typeof details.params.login_hint === 'string' ? details.params.login_hint : '';
      sendHtml(res, 200, signInForm(lang, styles(), `${base}/login`, hint.slice(0, 128)));
      return;
    }
    if (req.method !== 'POST' || (step !== 'login' && step !== 'password')) {
      sendHtml(res, 405, messagePage(lang, styles(), say(lang, 'errorTitle'), say(lang, 'errorIntro')));
      return;
    }
    const form = await readForm(req);
    const username = (form.get('username') ?? '').trim().slice(0, 128);
    const password = (form.get('password') ?? '').slice(0, 256);
    const again = (message: string) =>
      sendHtml(res, 200, signInForm(lang, styles(), `${base}/login`, username, message));
    if (!username || !password) return again(say(lang, 'required'));
    const account = accounts.find(username);
    if (!account || !verifyPassword(password, account.passwordHash)) return again(say(lang, 'badCredentials'));
    if (refusal(account)) return again(say(lang, 'disabled'));
    if (account.mustChangePassword) {
      if (step === 'login') {
        sendHtml(res, 200, changePasswordForm(lang, styles(), `${base}/password`, username));
        return;
      }
      const next = form.get('newPassword') ?? '';
      if (next !== (form.get('confirmPassword') ?? '')) {
        sendHtml(res, 200, changePasswordForm(lang, styles(), `${base}/password`, username, say(lang, 'mismatch')));
        return;
      }
      if (!strongEnough(next, password)) {
        sendHtml(res, 200, changePasswordForm(lang, styles(), `${base}/password`, username, say(lang, 'weak')));
        return;
      }
      accounts.changePassword(username, next);
    }
    await provider.interactionFinished(
      req,
      res,
      { login: { accountId: subjectOf(username), amr: ['pwd'] } },
      { mergeWithLastSubmission: false },
    );
  };

  return {
    issuer,
    clientId: LOCAL_AUDIENCE,
    sign,
    signIn: async (username, password) => {
      const account = accounts.find(username);
      if (!account || !verifyPassword(password, account.passwordHash)) return undefined;
      // The shortcut keeps the issuer's rules: no token for a disabled account or a temporary password.
      if (refusal(account) || account.mustChangePassword) return undefined;
      const token = await sign(claimsOf(account));
      return { token, expiresAt: new Date(Date.now() + TOKEN_TTL_SECONDS * 1000).toISOString() };
    },
    // RS256 from this issuer's JWKS only (`alg: none` and HMAC confusion are refused); exp, iss and aud checked.
    verify: async (token) =>
      (await jwtVerify(token, publicJwks, { algorithms: ['RS256'], issuer, audience: LOCAL_AUDIENCE })).payload,
    config: () => ({
      auth: {
        issuer,
        clientId: LOCAL_AUDIENCE,
        scopes: [...CONSOLE_SCOPES],
        callbackPaths: [...SIGN_IN_PATHS],
        signOutPaths: [...SIGN_IN_PATHS],
      },
    }),
    handle: async (req, res) => {
      const url = new URL(req.url ?? '/', origin);
      const rest = url.pathname.slice(ISSUER_PATH.length);
      if (rest === '/assets/sign-out.js') {
        res.writeHead(200, { 'content-type': 'text/javascript; charset=utf-8', 'cache-control': 'no-cache' });
        res.end(SIGN_OUT_SCRIPT);
        return;
      }
      const step = /^\/interaction\/([\w-]{1,64})(?:\/(login|password))?$/.exec(rest);
      if (step?.[1]) {
        await interaction(req, res, step[1], step[2] ?? '');
        return;
      }
      // The provider routes on the path below its mount point and rebuilds its URLs from `originalUrl`.
      const mounted = req as IncomingMessage & { originalUrl?: string };
      mounted.originalUrl = req.url;
      req.url = `${rest || '/'}${url.search}`;
      await new Promise<void>((done) => {
        res.once('finish', () => done());
        res.once('close', () => done());
        callback(req, res);
      });
    },
  };
};
