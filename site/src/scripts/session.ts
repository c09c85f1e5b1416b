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
