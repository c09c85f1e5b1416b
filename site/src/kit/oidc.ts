/**
 * The console as a standard OpenID Connect client (authorization code + PKCE S256, `state` and
 * `nonce`) of whatever issuer `/config.json` names: the stack's Cognito pool, a province's unified
 * identity, or the local runtime's provider. Endpoints come from the issuer's discovery document; the
 * protocol work is `oauth4webapi` (a certified client library), never hand-written. The ID token is
 * the API's bearer token; the API checks its signature, issuer and audience as the authorizer does.
 */
import * as oauth from 'oauth4webapi';
import { type AuthConfig, authConfigOf } from '../../../shared/auth-config.ts';

interface Issuer {
  config: AuthConfig;
  as: oauth.AuthorizationServer;
  client: oauth.Client;
  options: { [oauth.allowInsecureRequests]?: boolean };
}

/** Why a sign-in could not finish; each has its message on the page. */
export type SignInFailure = 'config' | 'state' | 'issuer' | 'exchange';

export class SignInError extends Error {
  readonly reason: SignInFailure;
  constructor(reason: SignInFailure) {
    super(reason);
    this.reason = reason;
  }
}

/** This tab's sign-in in progress: what the callback checks and needs (sessionStorage, this tab only). */
const PENDING_KEY = 'eco.signIn';

let found: Promise<Issuer> | undefined;

/** Reads `/config.json` and the issuer's discovery document, once per page. */
export const issuer = (): Promise<Issuer> => {
  found ??= (async () => {
    const res = await fetch('/config.json', { cache: 'no-cache', credentials: 'same-origin' });
    const config = authConfigOf(await res.json());
    if (!config) throw new SignInError('config');
    const url = new URL(config.issuer);
    // Plain http only for an issuer on this machine (the local runtime); anything else must be https.
    const local = url.protocol === 'http:' && (url.hostname === '127.0.0.1' || url.hostname === 'localhost');
    const options = local ? { [oauth.allowInsecureRequests]: true } : {};
    const as = await oauth.processDiscoveryResponse(
      url,
      await oauth.discoveryRequest(url, { algorithm: 'oidc', ...options }),
    );
    return { config, as, client: { client_id: config.clientId }, options };
  })().catch((error: unknown) => {
    found = undefined;
    throw error instanceof SignInError ? error : new SignInError('config');
  });
  return found;
};

type Lang = 'zh' | 'en';

/** The registered path of this site for the page's language (the English one starts with /en/). */
const pathFor = (paths: readonly string[], lang: Lang): string =>
  paths.find((p) => p.startsWith('/en/') === (lang === 'en')) ?? paths[0] ?? '/staff/sign-in/';

/** Sends the browser to the issuer's sign-in; the callback comes back to this language's sign-in page. */
export const beginSignIn = async (lang: Lang, next: string): Promise<void> => {
  const { config, as } = await issuer();
  if (!as.authorization_endpoint) throw new SignInError('config');
  const verifier = oauth.generateRandomCodeVerifier();
  const state = oauth.generateRandomState();
  const nonce = oauth.generateRandomNonce();
  const redirectUri = `${location.origin}${pathFor(config.callbackPaths, lang)}`;
  sessionStorage.setItem(PENDING_KEY, JSON.stringify({ state, nonce, verifier, next, redirectUri }));
  const url = new URL(as.authorization_endpoint);
  url.search = new URLSearchParams({
    client_id: config.clientId,
    redirect_uri: redirectUri,
    response_type: 'code',
    scope: config.scopes.join(' '),
    code_challenge: await oauth.calculatePKCECodeChallenge(verifier),
    code_challenge_method: 'S256',
    state,
    nonce,
    ui_locales: lang === 'en' ? 'en' : 'zh-CN',
    // Cognito's managed login reads `lang`.
    lang: lang === 'en' ? 'en' : 'zh-CN',
  }).toString();
  location.assign(url.href);
};

/**
 * Finishes a sign-in at the callback (its address, `?code=…&state=…&iss=…`): the `state` must be the one this tab sent (used once: the
 * pending sign-in is forgotten first, so a replayed or reloaded callback is refused), the code is
 * exchanged with its PKCE verifier, and the ID token must carry this sign-in's `nonce`. Answers the
 * tokens and where to go (`next`).
 */
export const finishSignIn = async (
  callback: URL,
): Promise<{ idToken: string; refreshToken?: string; next: string }> => {
  let pending: { state: string; nonce: string; verifier: string; next: string; redirectUri: string } | undefined;
  try {
    pending = JSON.parse(sessionStorage.getItem(PENDING_KEY) ?? 'null') ?? undefined;
    sessionStorage.removeItem(PENDING_KEY);
  } catch {
    pending = undefined;
  }
  const { as, client, options } = await issuer();
  if (!pending || typeof pending.state !== 'string') throw new SignInError('state');
  let params: URLSearchParams;
  try {
    params = oauth.validateAuthResponse(as, client, callback, pending.state);
  } catch (error) {
    throw new SignInError(error instanceof oauth.AuthorizationResponseError ? 'issuer' : 'state');
  }
  try {
    const res = await oauth.authorizationCodeGrantRequest(
      as,
      client,
      oauth.None(),
      params,
      pending.redirectUri,
      pending.verifier,
      options,
    );
    const tokens = await oauth.processAuthorizationCodeResponse(as, client, res, {
      expectedNonce: pending.nonce,
      requireIdToken: true,
    });
    if (!tokens.id_token) throw new SignInError('exchange');
    return {
      idToken: tokens.id_token,
      next: pending.next,
      ...(tokens.refresh_token ? { refreshToken: tokens.refresh_token } : {}),
    };
  } catch {
    throw new SignInError('exchange');
  }
};

/**
 * Renews the ID token with the refresh token (rotated by the issuer: the new one replaces it; Cognito
 * without rotation sends none and the old one stays). Answers the new tokens, `refused` (expired,
 * revoked, reused, account disabled: the session is over) or `unreachable` (keep it for the next try).
 */
export const renew = async (
  refreshToken: string,
): Promise<{ idToken: string; refreshToken: string } | 'refused' | 'unreachable'> => {
  const { as, client, options } = await issuer();
  let res: Response;
  try {
    res = await oauth.refreshTokenGrantRequest(as, client, oauth.None(), refreshToken, options);
  } catch {
    return 'unreachable';
  }
  try {
    const tokens = await oauth.processRefreshTokenResponse(as, client, res);
    if (!tokens.id_token) return 'refused';
    return { idToken: tokens.id_token, refreshToken: tokens.refresh_token ?? refreshToken };
  } catch {
    return 'refused';
  }
};

/**
 * Where sign-out goes to end the issuer's session: the refresh token is revoked first (best effort),
 * then the issuer's end-session endpoint (from discovery) or Cognito's `/logout`, both coming back to
 * this language's sign-in page.
 */
export const endSessionUrl = async (
  session: { idToken: string; refreshToken?: string } | null,
  lang: Lang,
): Promise<string> => {
  const { config, as, client, options } = await issuer();
  const back = `${location.origin}${pathFor(config.signOutPaths, lang)}`;
  if (session?.refreshToken && as.revocation_endpoint) {
    await oauth
      .revocationRequest(as, client, oauth.None(), session.refreshToken, {
        ...options,
        signal: AbortSignal.timeout(3000),
      })
      .catch(() => undefined);
  }
  if (as.end_session_endpoint) {
    const url = new URL(as.end_session_endpoint);
    url.searchParams.set('client_id', config.clientId);
    url.searchParams.set('post_logout_redirect_uri', back);
    url.searchParams.set('ui_locales', lang === 'en' ? 'en' : 'zh-CN');
    if (session?.idToken) url.searchParams.set('id_token_hint', session.idToken);
    return url.href;
  }
  if (config.logoutEndpoint) {
    const url = new URL(config.logoutEndpoint);
    url.searchParams.set('client_id', config.clientId);
    url.searchParams.set('logout_uri', back);
    return url.href;
  }
  return back;
};
