/**
 * The staff session token, kept in sessionStorage (one tab, gone when the tab closes).
 * Storage can be unavailable (privacy modes); then the session just does not persist.
 */
export const TOKEN_KEY = 'eco.token';

export const getToken = (): string | null => {
  try {
    return sessionStorage.getItem(TOKEN_KEY);
  } catch {
    return null;
  }
};

export const setToken = (token: string): void => {
  try {
    sessionStorage.setItem(TOKEN_KEY, token);
  } catch {
    // not persisted; this page still works until it is left
  }
};

export const clearToken = (): void => {
  try {
    sessionStorage.removeItem(TOKEN_KEY);
  } catch {
    // nothing stored
  }
};

/** The sign-in page in the page's language, coming back to `next` (a path of this site) afterwards. */
export const signInPath = (lang: 'zh' | 'en', next: string = location.pathname + location.search): string =>
  `${lang === 'zh' ? '/staff/sign-in/' : '/en/staff/sign-in/'}?next=${encodeURIComponent(next)}`;

/**
 * The one answer to a 401 (no session, or the token expired or was revoked): the dead token is
 * dropped, so the sign-in page does not show it as a session, and the person signs in again and comes
 * back to this page (path and query). `replace`, so Back does not return to the page that failed.
 */
export const sessionExpired = (lang: 'zh' | 'en'): void => {
  clearToken();
  location.replace(signInPath(lang));
};
