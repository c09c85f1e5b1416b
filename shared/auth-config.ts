/**
 * What the browser needs to sign staff in at whatever OpenID Connect issuer the deployment trusts,
 * published as `/config.json` (the Site stack in AWS, the local gateway on this machine), so the same
 * page code runs in both. Endpoints are not listed: the browser reads them from the issuer's discovery
 * document (`<issuer>/.well-known/openid-configuration`), except Cognito's sign-out, which its
 * discovery document does not name.
 */

/** The console pages that receive the authorization code and the sign-out return, relative to the site. */
export const SIGN_IN_PATHS = ['/staff/sign-in/', '/en/staff/sign-in/'] as const;

/** The scopes the console asks for (Cognito refuses scopes it does not know, such as `offline_access`). */
export const CONSOLE_SCOPES = ['openid', 'email', 'profile'] as const;

export interface AuthConfig {
  /** Exactly the `iss` of the ID tokens; its discovery document is at `<issuer>/.well-known/openid-configuration`. */
  readonly issuer: string;
  /** The console's client id at the issuer (a public client: code + PKCE, no secret). */
  readonly clientId: string;
  readonly scopes: readonly string[];
  /** Registered redirect URIs, as paths of this site (the page's language picks one). */
  readonly callbackPaths: readonly string[];
  /** Registered post-logout redirect URIs, as paths of this site. */
  readonly signOutPaths: readonly string[];
  /** Cognito's managed login domain (`https://<prefix>.auth.<region>.amazoncognito.com`), Cognito only. */
  readonly signInDomain?: string;
  /**
   * Where sign-out ends the issuer's session when its discovery document names no
   * `end_session_endpoint` (Cognito: `<signInDomain>/logout`, with `client_id` and `logout_uri`).
   */
  readonly logoutEndpoint?: string;
}

export interface SiteConfig {
  readonly auth: AuthConfig;
}

const strings = (value: unknown): value is string[] =>
  Array.isArray(value) && value.every((item) => typeof item === 'string');

/** Reads `/config.json` as sent; undefined when it is not the shape above (the page then says so). */
export const authConfigOf = (body: unknown): AuthConfig | undefined => {
  const auth = (body as { auth?: Record<string, unknown> } | null)?.auth;
  if (!auth || typeof auth !== 'object') return undefined;
  const { issuer, clientId, scopes, callbackPaths, signOutPaths, signInDomain, logoutEndpoint } = auth;
  if (typeof issuer !== 'string' || !/^https?:\/\/[^\s?#]+$/.test(issuer)) return undefined;
  if (typeof clientId !== 'string' || clientId === '') return undefined;
  if (!strings(scopes) || !strings(callbackPaths)) return undefined;
  return {
    issuer,
    clientId,
    scopes,
    callbackPaths,
    signOutPaths: strings(signOutPaths) ? signOutPaths : callbackPaths,
    ...(typeof signInDomain === 'string' ? { signInDomain } : {}),
    ...(typeof logoutEndpoint === 'string' && /^https:\/\//.test(logoutEndpoint) ? { logoutEndpoint } : {}),
  };
};
