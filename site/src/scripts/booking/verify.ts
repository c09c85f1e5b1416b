/**
 * The code step of an anonymous booking (issue 16): a `pending` booking holds its seat until
 * `holdUntil` while its booker types the six-digit code texted to the mobile it gave. The step shows
 * the masked mobile, the hold's end with the time left, the code field (`one-time-code`, so a phone
 * offers the code from the text message), and a resend button that opens 60 s after the last code
 * (the server's own interval; a 429 restarts the wait). A right code answers the booking confirmed
 * or waitlisted; HOLD_EXPIRED (or the hold's end passing on screen) shows the booking as expired.
 */

import type { PublicBooking as Booking } from '../../../../shared/consultation-views.ts';
import { errorCodeOf, failureText, publicApi } from '../../kit/public-api.ts';
import { $, clock } from '../format.ts';

type Say = (key: string, vars?: Record<string, string | number>) => string;

const RESEND_SECONDS = 60;

export const verifyStep = (
  m: Say,
  done: (booking: Booking) => void,
  expired: () => void,
): { show: (booking: Booking) => void; hide: () => void } => {
  const section = $<HTMLElement>('#verify');
  const form = $<HTMLFormElement>('#verify-form');
  const input = $<HTMLInputElement>('#sms-code');
  const error = $<HTMLElement>('#sms-code-error');
  const submit = $<HTMLButtonElement>('#verify-submit');
  const resend = $<HTMLButtonElement>('#resend-code');
  const status = $<HTMLElement>('#verify-status');
  const hold = $<HTMLElement>('#verify-hold');
  let code = '';
  let holdUntil = 0;
  let resendAt = 0;
  let timer: ReturnType<typeof setInterval> | undefined;

  const fieldError = (text: string) => {
    error.textContent = text;
    error.hidden = !text;
    if (text) {
      input.setAttribute('aria-invalid', 'true');
      input.setAttribute('aria-describedby', 'sms-code-hint sms-code-error');
    } else {
      input.removeAttribute('aria-invalid');
      input.setAttribute('aria-describedby', 'sms-code-hint');
    }
  };

  const stop = () => {
    if (timer) clearInterval(timer);
    timer = undefined;
  };

  const tick = () => {
    const now = Date.now();
    const left = Math.max(0, Math.ceil((holdUntil - now) / 1000));
    if (left === 0) {
      stop();
      expired();
      return;
    }
    hold.textContent = m('booking.verify.hold', {
      time: clock(new Date(holdUntil).toISOString()),
      left: `${Math.floor(left / 60)}:${String(left % 60).padStart(2, '0')}`,
    });
    const wait = Math.ceil((resendAt - now) / 1000);
    resend.disabled = wait > 0;
    resend.textContent = wait > 0 ? m('booking.verify.resendIn', { s: wait }) : m('booking.verify.resend');
  };

  const show = (booking: Booking) => {
    code = booking.code;
    holdUntil = Date.parse(booking.holdUntil ?? '') || Date.now() + 600_000;
    resendAt = Date.now() + RESEND_SECONDS * 1000;
    $<HTMLElement>('#verify-sent').textContent = m('booking.verify.sent', { mobile: booking.mobile ?? '' });
    section.hidden = false;
    stop();
    tick();
    timer = setInterval(tick, 1000);
  };
  const hide = () => {
    stop();
    section.hidden = true;
  };

  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    const smsCode = input.value.replace(/\D/g, '');
    input.value = smsCode;
    if (!/^\d{6}$/.test(smsCode)) {
      fieldError(m('booking.verify.err'));
      input.focus();
      return;
    }
    fieldError('');
    submit.disabled = true;
    submit.textContent = m('booking.verify.checking');
    const answer = await publicApi('bookings.verify', { params: { code }, json: { smsCode } });
    const { status: answered, body } = answer;
    submit.disabled = false;
    submit.textContent = m('booking.verify.submit');
    if (answer.ok) {
      hide();
      done(answer.body.booking);
      return;
    }
    if (errorCodeOf(body) === 'HOLD_EXPIRED') {
      hide();
      expired();
      return;
    }
    fieldError(failureText(m, answered, body));
    input.focus();
  });

  resend.addEventListener('click', async () => {
    resend.disabled = true;
    const { status: answered, body } = await publicApi('bookings.resendCode', { params: { code }, method: 'POST' });
    resendAt = Date.now() + RESEND_SECONDS * 1000;
    if (answered === 202) {
      status.textContent = m('booking.verify.resent');
      input.value = '';
      input.focus();
    } else if (errorCodeOf(body) === 'HOLD_EXPIRED') {
      hide();
      expired();
      return;
    } else status.textContent = failureText(m, answered, body);
    tick();
  });

  return { show, hide };
};
