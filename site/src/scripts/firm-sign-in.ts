/**
 * The firm's sign-in page: `POST /api/public/firm-sign-in/start` {uscc, mobile} (always 202: the page
 * never learns whether the mobile is the firm's), then `…/verify` {uscc, mobile, code} → {token,
 * expiresAt}, kept in this tab. "Send a new code" waits 60 s, counted down on the button; a 429 waits
 * as long as its Retry-After says.
 */

import { readSession, saveSession } from '../kit/firm-session.ts';
import { type ApiResult, errorCodeOf, publicApi } from '../kit/public-api.ts';
import { firmMessages, fieldError as showFieldError } from './firm-forms.ts';
import { $ } from './format.ts';

const root = document.querySelector<HTMLElement>('#firm-sign-in');
const RESEND_SECONDS = 60;

if (root) {
  const { msg, m } = firmMessages(root);
  const next = root.dataset.next ?? '/firm/';
  if (readSession()) location.replace(next);

  const start = $<HTMLFormElement>('#firm-start');
  const verify = $<HTMLFormElement>('#firm-verify');
  const uscc = $<HTMLInputElement>('#firm-uscc');
  const mobile = $<HTMLInputElement>('#firm-mobile');
  const code = $<HTMLInputElement>('#firm-code');
  const send = $<HTMLButtonElement>('#firm-send');
  const sent = $<HTMLElement>('#firm-sent');
  const error = $<HTMLElement>('#firm-error');
  let timer: ReturnType<typeof setInterval> | undefined;

  const fieldError = (input: HTMLInputElement, text: string) => showFieldError(root, input, text);
  const say = (text: string) => {
    error.textContent = text;
    if (text) error.focus();
  };

  /** Disables the send button for `seconds`, its label counting down. */
  const wait = (seconds: number) => {
    clearInterval(timer);
    let left = Math.ceil(seconds);
    const tick = () => {
      if (left <= 0) {
        clearInterval(timer);
        send.disabled = false;
        send.textContent = m('firm.signIn.resend');
        return;
      }
      send.disabled = true;
      send.textContent = m('firm.signIn.resendIn', { s: left });
      left--;
    };
    tick();
    timer = setInterval(tick, 1000);
  };

  const failure = (answer: ApiResult) => {
    if (answer.status === 429) return m('firm.signIn.wait', { s: answer.retryAfter ?? RESEND_SECONDS });
    if (answer.status === 0) return m('error.NETWORK');
    const c = errorCodeOf(answer.body);
    return (c && msg[`error.${c}`]) || m('error.INTERNAL');
  };

  const identity = () => ({ uscc: uscc.value.trim().toUpperCase(), mobile: mobile.value.trim() });

  start.addEventListener('submit', async (event) => {
    event.preventDefault();
    say('');
    const who = identity();
    const ok = [
      fieldError(uscc, /^[0-9A-Z]{18}$/.test(who.uscc) ? '' : m('firm.signIn.errUscc')),
      fieldError(mobile, /^1\d{10}$/.test(who.mobile) ? '' : m('firm.signIn.errMobile')),
    ].every(Boolean);
    if (!ok) return (uscc.getAttribute('aria-invalid') ? uscc : mobile).focus();
    send.disabled = true;
    const answer = await publicApi('firmSignIn.start', { json: who });
    if (answer.status === 202) {
      sent.hidden = false;
      verify.hidden = false;
      wait(RESEND_SECONDS);
      code.focus();
      return;
    }
    if (answer.status === 429) wait(answer.retryAfter ?? RESEND_SECONDS);
    else send.disabled = false;
    say(failure(answer));
  });

  verify.addEventListener('submit', async (event) => {
    event.preventDefault();
    say('');
    const value = code.value.trim();
    if (!fieldError(code, /^\d{6}$/.test(value) ? '' : m('firm.signIn.errCode'))) return code.focus();
    const button = $<HTMLButtonElement>('#firm-verify-button');
    button.disabled = true;
    const answer = await publicApi('firmSignIn.verify', { json: { ...identity(), code: value } });
    button.disabled = false;
    if (answer.ok) {
      saveSession({ token: answer.body.token, expiresAt: answer.body.expiresAt });
      location.assign(next);
      return;
    }
    if (errorCodeOf(answer.body) === 'CODE_INVALID') fieldError(code, m('error.CODE_INVALID'));
    say(failure(answer));
  });
}
