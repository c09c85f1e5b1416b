/**
 * The staff session, one per browser: the issuer's ID token (the API's bearer token) and, when the
 * issuer gave one, its refresh token, kept in localStorage so a reload, a new tab or a link opened from
 * WeCom, DingTalk or e-mail finds it. The refresh token is rotated on every use and dies with the
 * issuer's session (about a working day) or at sign-out; tabs refresh one at a time (a Web Lock), so a
 * rotation never looks like the reuse of a stolen token. Signing out anywhere ends every tab (the
 * `storage` event). Storage can be unavailable (privacy modes); then the session lives in this page only.
 *
 * The OpenID Connect work itself (discovery, code + PKCE, refresh, sign-out) is in `oidc.ts`: the
 * sign-in page loads it, console pages load it only when a token has to be renewed (`renew.ts`).
 */
import type { PathOf } from './paths.ts';

export const SESSION_KEY = 'eco.session';
/** This tab's note that the person signed out (the sign-in page then says so instead of offering a loop). */
export const SIGNED_OUT_KEY = 'eco.signedOut';

export interface Session {
  /** The ID token the API accepts. */
  idToken: string;
  /** The issuer's refresh token (none from the local shortcut, which scripts and tests use). */
  refreshToken?: string;
  /** When the ID token expires, seconds since the epoch (read from the token, for renewing early). */
  exp: number;
}

let inPage: Session | null = null;

const parse = (text: string | null): Session | null => {
  if (!text) return null;
  try {
    const value = JSON.parse(text) as Partial<Session>;
    if (typeof value.idToken !== 'string' || typeof value.exp !== 'number') return null;
    return {
      idToken: value.idToken,
      exp: value.exp,
      ...(typeof value.refreshToken === 'string' ? { refreshToken: value.refreshToken } : {}),
    };
  } catch {
    return null;
  }
};

export const readSession = (): Session | null => {
  try {
    return parse(localStorage.getItem(SESSION_KEY));
  } catch {
    return inPage;
  }
};

/** `exp` of a JWT, without checking it (the API checks; this only says when to renew); 0 when unreadable. */
export const expiryOf = (jwt: string): number => {
  try {
    const part = jwt.split('.')[1] ?? '';
    const claims: unknown = JSON.parse(atob(part.replace(/-/g, '+').replace(/_/g, '/')));
    const exp = typeof claims === 'object' && claims !== null && 'exp' in claims ? claims.exp : undefined;
    return typeof exp === 'number' ? exp : 0;
  } catch {
    return 0;
  }
};

export const saveSession = (idToken: string, refreshToken?: string): void => {
  const session: Session = { idToken, exp: expiryOf(idToken), ...(refreshToken ? { refreshToken } : {}) };
  inPage = session;
  try {
    localStorage.setItem(SESSION_KEY, JSON.stringify(session));
    sessionStorage.removeItem(SIGNED_OUT_KEY);
  } catch {
    // kept in this page only
  }
};

export const clearSession = (): void => {
  inPage = null;
  try {
    localStorage.removeItem(SESSION_KEY);
  } catch {
    // nothing stored
  }
};

/** The stored ID token (perhaps expired: `freshToken` renews it), or null without a session. */
export const getToken = (): string | null => readSession()?.idToken ?? null;

/** What renewing with a refresh token answered (kit/oidc.ts `renew`). */
export type Renewed = { idToken: string; refreshToken: string } | 'refused' | 'unreachable';
type Renew = (refreshToken: string) => Promise<Renewed>;

/** A token that is good for a while yet: the stored one, or a renewed one when it is about to expire. */
export const freshTokenWith = async (renew: Renew): Promise<string | null> => {
  const session = readSession();
  if (!session) return null;
  if (session.exp * 1000 > Date.now() + 30_000 || !session.refreshToken) return session.idToken;
  return (await renewSession(session.idToken, renew)) ?? session.idToken;
};

let renewing: Promise<string | null> | undefined;

/**
 * Renews the session once with its refresh token; answers the new ID token, or null when there is no
 * refresh token or the issuer refused it (expired, revoked, reused, account disabled: the session is
 * then dropped). `sent` is the token a call was refused with: when another tab renewed meanwhile, its
 * token is used instead of spending the refresh token again. One tab at a time (a Web Lock): two tabs
 * presenting the same rotating token would look like a stolen one, and the issuer would end the session.
 */
export const renewSession = (sent: string, renew: Renew): Promise<string | null> => {
  renewing ??= (async () => {
    const run = async (): Promise<string | null> => {
      const now = readSession();
      if (!now) return null;
      if (now.idToken !== sent && now.exp * 1000 > Date.now() + 30_000) return now.idToken;
      if (!now.refreshToken) return null;
      const renewed = await renew(now.refreshToken);
      if (renewed === 'unreachable') return null;
      if (renewed === 'refused') {
        clearSession();
        return null;
      }
      saveSession(renewed.idToken, renewed.refreshToken);
      return renewed.idToken;
    };
    try {
      return navigator.locks ? await navigator.locks.request('eco.session.renew', run) : await run();
    } catch {
      return null;
    }
  })().finally(() => {
    renewing = undefined;
  });
  return renewing;
};

type Lang = 'zh' | 'en';

/** `GET /api/staff/me`, for the sign-in page, which checks a new session without the whole staff path map. */
export const ME_PATH: PathOf<'me.get'> = '/api/staff/me';

/**
 * Where to go after signing in: `next` when it is a console page of this site (a path with an optional
 * query; never another origin, `//host`, a `..` or the sign-in page itself), else the console home.
 */
export const safeNext = (value: string | null | undefined, lang: Lang): string => {
  const home = lang === 'en' ? '/en/staff/' : '/staff/';
  if (!value || !/^\/(?:en\/)?staff\/[\w\-/.]*(?:\?[\w=&%.\-+]*)?$/.test(value)) return home;
  if (value.includes('//') || value.includes('..') || value.includes('/sign-in')) return home;
  return value;
};

/** The sign-in page in the page's language, coming back to `next` (a path of this site) afterwards. */
export const signInPath = (lang: Lang, next: string = location.pathname + location.search): string =>
  `${lang === 'zh' ? '/staff/sign-in/' : '/en/staff/sign-in/'}?next=${encodeURIComponent(next)}`;

const onSignInPage = () => /^\/(?:en\/)?staff\/sign-in\/?$/.test(location.pathname);

/** Set once this page is on its way to sign-in. */
let leaving = false;

/**
 * The one answer to a 401 that renewing could not cure (no session, or the token expired or was
 * revoked): the dead session is dropped, and the person signs in again and comes back to this page
 * (path and query). `replace`, so Back does not return to the page that failed.
 */
export const sessionExpired = (lang: Lang): void => {
  clearSession();
  try {
    sessionStorage.setItem(SIGNED_OUT_KEY, 'expired');
  } catch {
    // the sign-in page then just offers to sign in
  }
  // Once per page: two requests refused together would otherwise start the same navigation twice,
  // the second aborting the first mid-flight (seen as net::ERR_ABORTED).
  if (leaving) return;
  leaving = true;
  location.replace(signInPath(lang));
};

/**
 * Signs out: drops the session here (every other tab follows through the `storage` event), then ends
 * the issuer's session too (`endSessionUrl` revokes the refresh token and names the issuer's
 * end-session endpoint), which comes back to the sign-in page.
 */
export const signOutWith = async (
  lang: Lang,
  endSessionUrl: (session: Session | null, lang: Lang) => Promise<string>,
): Promise<void> => {
  const session = readSession();
  clearSession();
  try {
    sessionStorage.setItem(SIGNED_OUT_KEY, '1');
  } catch {
    // the sign-in page then offers to sign in, which is right too
  }
  try {
    location.assign(await endSessionUrl(session, lang));
  } catch {
    location.assign(lang === 'zh' ? '/staff/sign-in/' : '/en/staff/sign-in/');
  }
};

// Another tab signed out (or its session was refused): this tab's session is gone too.
if (typeof window !== 'undefined') {
  window.addEventListener('storage', (event) => {
    if (event.key !== SESSION_KEY && event.key !== null) return;
    if (readSession() || onSignInPage()) return;
    try {
      sessionStorage.setItem(SIGNED_OUT_KEY, '1');
    } catch {
      // the sign-in page offers to sign in
    }
    location.replace(signInPath(location.pathname.startsWith('/en/') ? 'en' : 'zh'));
  });
}
