/**
 * Staff sign-in with the local issuer: `POST /api/local-auth/sign-in` → token in sessionStorage →
 * `GET /api/staff/me` → the "me" card. A stored token shows "me" directly; a 401 from /me drops it.
 * A 404 from the sign-in route means there is no local issuer (a deployed stack): Cognito is used there.
 */

import { errorKey } from '../../../shared/api-errors.ts';
import { type Level, nameOf } from '../../../shared/jurisdictions.ts';
import { isRole } from '../../../shared/roles.ts';
import { api, errorCodeOf, fetchJson, messagesOf } from '../kit/api.ts';
import { LOCAL_SIGN_IN_PATH } from '../kit/paths.ts';
import { clearToken, getToken, setToken } from '../kit/session.ts';

interface Me {
  username: string;
  displayName?: string;
  email?: string;
  role: string;
  jurisdiction: { code: string; name?: { zh?: string; en?: string }; level?: Level };
}

const root = document.querySelector<HTMLElement>('#sign-in');
const form = document.querySelector<HTMLFormElement>('#sign-in-form');
const card = document.querySelector<HTMLElement>('#me');

if (root && form && card) {
  const lang = root.dataset.lang === 'en' ? 'en' : 'zh';
  const msg = messagesOf(root);
  const m = (key: string): string => msg[key] ?? msg['error.INTERNAL'] ?? key;
  const alertBox = root.querySelector<HTMLElement>('#sign-in-error');
  const statusBox = root.querySelector<HTMLElement>('#sign-in-status');
  const loading = root.querySelector<HTMLElement>('#me-loading');
  const submit = form.querySelector<HTMLButtonElement>('button[type=submit]');
  const username = form.querySelector<HTMLInputElement>('#username');
  const password = form.querySelector<HTMLInputElement>('#password');
  const signOut = card.querySelector<HTMLButtonElement>('#sign-out');
  const submitLabel = submit?.textContent ?? '';

  const say = (box: HTMLElement | null, text: string, kind = 'error', focus = true) => {
    if (!box) return;
    box.dataset.kind = kind;
    box.textContent = text;
    if (focus && text) box.focus();
  };
  const clearMessages = () => {
    say(alertBox, '', 'error', false);
    say(statusBox, '', 'info', false);
  };
  const busy = (on: boolean) => {
    if (!submit) return;
    submit.disabled = on;
    submit.textContent = on ? m('signIn.submitting') : submitLabel;
    form.setAttribute('aria-busy', String(on));
  };
  const view = (which: 'form' | 'loading' | 'me') => {
    form.hidden = which !== 'form';
    if (loading) loading.hidden = which !== 'loading';
    card.hidden = which !== 'me';
  };
  const field = (name: string, text: string) => {
    const el = card.querySelector<HTMLElement>(`[data-field="${name}"]`);
    if (el) el.textContent = text;
    return el;
  };

  const render = (me: Me) => {
    field('displayName', me.displayName || me.username);
    field('username', me.username);
    const role = field('role', msg[`role.${me.role}`] ?? me.role);
    if (role) role.dataset.role = me.role;
    const code = me.jurisdiction.code;
    const name = me.jurisdiction.name?.[lang] ?? nameOf(code, lang);
    const jurisdiction = field(
      'jurisdiction',
      name === code ? code : `${name}${lang === 'zh' ? `（${code}）` : ` (${code})`}`,
    );
    if (jurisdiction) jurisdiction.dataset.code = code;
    const email = field('email', me.email ?? '');
    email?.parentElement?.toggleAttribute('hidden', !me.email);
    // Every staff role has pairings (a liaison its own); consultation days are for leads and admins.
    card.querySelector<HTMLElement>('#pairings-link')?.toggleAttribute('hidden', !isRole(me.role));
    card
      .querySelector<HTMLElement>('#console-link')
      ?.toggleAttribute('hidden', me.role !== 'lead' && me.role !== 'admin');
  };

  /** A staff page that sent a person here to sign in (`?next=/staff/…`), to go back to afterwards. */
  const next = (() => {
    const value = new URLSearchParams(location.search).get('next') ?? '';
    return /^\/(?:en\/)?staff\/[\w\-/]*(?:\?[\w=&%-]*)?$/.test(value) && !value.includes('sign-in') ? value : '';
  })();

  /** Shows "me" for a token; answers false (and forgets the token) when it is not accepted. */
  const showMe = async (token: string, afterSignIn: boolean): Promise<boolean> => {
    view('loading');
    const { status, body } = await api('me.get', { token, keepPageOn401: true });
    const me = (body as { me?: Me } | null)?.me;
    if (status === 200 && me && typeof me.username === 'string' && me.jurisdiction) {
      render(me);
      view('me');
      if (afterSignIn) card.querySelector<HTMLElement>('#me-heading')?.focus();
      return true;
    }
    view('form');
    if (status === 401) {
      clearToken();
      if (afterSignIn) say(alertBox, m('signIn.sessionExpired'));
    } else {
      say(alertBox, m(status === 0 ? 'error.NETWORK' : errorKey(errorCodeOf(body))), 'error', afterSignIn);
    }
    return false;
  };

  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    clearMessages();
    const user = username?.value.trim() ?? '';
    const pass = password?.value ?? '';
    username?.setAttribute('aria-invalid', String(!user));
    password?.setAttribute('aria-invalid', String(!pass));
    if (!user || !pass) {
      say(alertBox, m('signIn.required'));
      return;
    }
    busy(true);
    const { status, body } = await fetchJson(LOCAL_SIGN_IN_PATH, { json: { username: user, password: pass } });
    const token = (body as { token?: unknown } | null)?.token;
    if (status === 200 && typeof token === 'string') {
      setToken(token);
      if (password) password.value = '';
      if (next) {
        location.assign(next);
        return;
      }
      await showMe(token, true);
    } else if (status === 404) {
      say(alertBox, m('signIn.noLocalIssuer'), 'info');
    } else if (status === 0) {
      say(alertBox, m('error.NETWORK'));
    } else {
      const code = errorCodeOf(body);
      if (status === 401 || code === 'UNAUTHENTICATED') {
        username?.setAttribute('aria-invalid', 'true');
        password?.setAttribute('aria-invalid', 'true');
        say(alertBox, m('signIn.badCredentials'));
      } else {
        say(alertBox, m(errorKey(code)));
      }
    }
    busy(false);
  });

  signOut?.addEventListener('click', () => {
    clearToken();
    form.reset();
    username?.removeAttribute('aria-invalid');
    password?.removeAttribute('aria-invalid');
    view('form');
    say(statusBox, m('me.signedOut'), 'info', false);
    username?.focus();
  });

  const stored = getToken();
  if (stored) void showMe(stored, false);
  busy(false);
}
