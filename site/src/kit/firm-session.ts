/**
 * The firm's session in the browser (issue 16): the token of `POST /api/public/firm-sign-in/verify`
 * and its expiry, kept in sessionStorage. Why sessionStorage and not localStorage: firms often sign
 * in on a shared office computer or a colleague's phone; a token that lives only as long as the tab
 * is not left behind for the next person, and no other tab or later visit can read it. The price is
 * signing in again in a new tab, for a token that lasts 12 hours at most anyway. An expired token is
 * dropped when read, so a page never sends one the API would refuse.
 */
const KEY = 'eco.firm.session';

export interface FirmSession {
  token: string;
  expiresAt: string;
}

export const readSession = (): FirmSession | null => {
  try {
    const parsed = JSON.parse(sessionStorage.getItem(KEY) ?? 'null') as FirmSession | null;
    if (!parsed || typeof parsed.token !== 'string' || !(Date.parse(parsed.expiresAt) > Date.now())) {
      sessionStorage.removeItem(KEY);
      return null;
    }
    return parsed;
  } catch {
    return null;
  }
};

export const saveSession = (session: FirmSession) => sessionStorage.setItem(KEY, JSON.stringify(session));
export const clearSession = () => sessionStorage.removeItem(KEY);
