/**
 * The staff sign-in page: the console's side of OpenID Connect (kit/oidc.ts does the protocol).
 * - At the callback (`?code=…&state=…` or `?error=…`): finish the sign-in, check the account with
 *   `GET /api/staff/me`, then go to `next` (a path of the console) or the console home. Any failure is a
 *   message and a button, never an automatic trip back to the issuer, so nothing can loop.
 * - With a session: straight on to `next` (a link from a message needs no password).
 * - Otherwise: a button to the issuer's sign-in page.
 */
import { beginSignIn, endSessionUrl, finishSignIn, renew, SignInError } from '../kit/oidc.ts';
import {
  clearSession,
  freshTokenWith,
  ME_PATH,
  readSession,
  SIGNED_OUT_KEY,
  safeNext,
  saveSession,
  signOutWith,
} from '../kit/session.ts';

const root = document.querySelector<HTMLElement>('#sign-in');

if (root) {
  const lang = root.dataset.lang === 'en' ? 'en' : 'zh';
  let msg: Record<string, string> = {};
  try {
    msg = JSON.parse(root.dataset.msg ?? '{}') as Record<string, string>;
  } catch {
    // the keys show instead
  }
  const m = (key: string) => msg[key] ?? key;
  const errorBox = root.querySelector<HTMLElement>('#sign-in-error');
  const statusBox = root.querySelector<HTMLElement>('#sign-in-status');
  const card = root.querySelector<HTMLElement>('#sign-in-start-card');
  const start = root.querySelector<HTMLButtonElement>('#sign-in-start');
  const switchAccount = root.querySelector<HTMLButtonElement>('#sign-in-switch');
  const params = new URLSearchParams(location.search);

  const status = (key: string) => {
    if (statusBox) statusBox.textContent = key ? m(key) : '';
  };
  /** Shows the start button, with a problem (focused, for screen readers) or a notice above it. */
  const offer = (key?: string, kind: 'error' | 'info' = 'error', other = false) => {
    status('');
    if (card) card.hidden = false;
    if (switchAccount) switchAccount.hidden = !other;
    const box = kind === 'error' ? errorBox : statusBox;
    if (box && key) {
      box.textContent = m(key);
      box.focus();
    }
  };
  /** Where to go after sign-in: `next` from the callback's pending sign-in or this page's query. */
  const go = (next: string) => location.replace(safeNext(next, lang));

  start?.addEventListener('click', () => {
    if (errorBox) errorBox.textContent = '';
    status('signIn.redirecting');
    start.disabled = true;
    beginSignIn(lang, safeNext(params.get('next'), lang)).catch(() => {
      start.disabled = false;
      offer('signIn.noConfig');
    });
  });
  switchAccount?.addEventListener('click', () => void signOutWith(lang, endSessionUrl));

  const callback = async () => {
    status('signIn.finishing');
    // The code and state leave the address bar (and history) at once, whatever happens next.
    const answer = new URL(location.href);
    history.replaceState(null, '', location.pathname);
    let signedIn: Awaited<ReturnType<typeof finishSignIn>>;
    try {
      signedIn = await finishSignIn(answer);
    } catch (error) {
      const reason = error instanceof SignInError ? error.reason : 'exchange';
      const key = {
        config: 'signIn.noConfig',
        state: 'signIn.stateMismatch',
        issuer: 'signIn.issuerError',
        exchange: 'signIn.exchangeFailed',
      }[reason];
      offer(key);
      return;
    }
    // The issuer signed the person in; the service must accept the account too (enabled, one role).
    // (A plain fetch: the staff path map and its error decoding would double this page's script.)
    const code = await fetch(ME_PATH, {
      headers: { authorization: `Bearer ${signedIn.idToken}`, accept: 'application/json' },
      cache: 'no-store',
    }).then(
      (res) => res.status,
      () => 0,
    );
    if (code === 200) {
      saveSession(signedIn.idToken, signedIn.refreshToken);
      go(signedIn.next);
      return;
    }
    clearSession();
    offer(code === 0 ? 'error.NETWORK' : 'signIn.refused', 'error', code === 401 || code === 403);
  };

  const existing = async () => {
    if (!readSession()) return false;
    const token = await freshTokenWith(renew);
    const session = readSession();
    return Boolean(token && session && session.exp * 1000 > Date.now());
  };

  if (params.has('code') || params.has('error')) {
    void callback();
  } else {
    let signedOut: string | null = null;
    try {
      signedOut = sessionStorage.getItem(SIGNED_OUT_KEY);
      sessionStorage.removeItem(SIGNED_OUT_KEY);
    } catch {
      // no note to read
    }
    if (signedOut) {
      offer(signedOut === 'expired' ? 'signIn.sessionExpired' : 'me.signedOut', 'info');
    } else {
      void existing().then((live) => {
        if (live) go(params.get('next') ?? '');
        else offer();
      });
    }
  }
}
