/**
 * Finding one's bookings again without the code (issue 16): the firm's USCC and the mobile its
 * bookings gave → `POST /api/public/booking-recovery/start` (always the same 202, so the page says
 * "if there are bookings, a code was sent") → the six-digit code → `…/verify` → the list of that
 * firm's bookings made with that mobile, each with its code and a link to its page.
 */

import { isValidUscc, normalizeUscc } from '../../../../shared/uscc.ts';
import { failureText, publicApi } from '../../kit/public-api.ts';
import { normalizeMobile } from '../days/fields.ts';
import { $, dayLabel, el, type PageLang, timeRange } from '../format.ts';

type Say = (key: string, vars?: Record<string, string | number>) => string;

export const recovery = (m: Say, lang: PageLang, bookingHref: (code: string) => string) => {
  const form = $<HTMLFormElement>('#recover-form');
  const uscc = $<HTMLInputElement>('#recover-uscc');
  const mobile = $<HTMLInputElement>('#recover-mobile');
  const code = $<HTMLInputElement>('#recover-code');
  const step = $<HTMLElement>('#recover-step');
  const start = $<HTMLButtonElement>('#recover-start');
  const verify = $<HTMLButtonElement>('#recover-verify');
  const error = $<HTMLElement>('#recover-error');
  const list = $<HTMLElement>('#recover-list');

  const fieldError = (input: HTMLInputElement, text: string) => {
    const box = $<HTMLElement>(`#${input.id}-error`);
    box.textContent = text;
    box.hidden = !text;
    if (text) {
      input.setAttribute('aria-invalid', 'true');
      input.setAttribute('aria-describedby', box.id);
    } else {
      input.removeAttribute('aria-invalid');
      input.removeAttribute('aria-describedby');
    }
    return !text;
  };
  const problem = (text: string) => {
    error.textContent = text;
    error.hidden = !text;
    if (text) error.focus();
  };
  /** The subject as the API wants it, or null after marking the fields that are not right. */
  const subject = () => {
    const value = { uscc: normalizeUscc(uscc.value), mobile: normalizeMobile(mobile.value) };
    uscc.value = value.uscc;
    mobile.value = value.mobile;
    const ok = [
      fieldError(uscc, isValidUscc(value.uscc) ? '' : m('booking.recover.errUscc')),
      fieldError(mobile, /^1[3-9]\d{9}$/.test(value.mobile) ? '' : m('booking.recover.errMobile')),
    ].every(Boolean);
    return ok ? value : null;
  };

  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    problem('');
    const body = subject();
    if (!body) return;
    start.disabled = true;
    const answer = await publicApi('bookingRecovery.start', { json: body });
    start.disabled = false;
    if (answer.status !== 202) return problem(failureText(m, answer.status, answer.body));
    step.hidden = false;
    $<HTMLElement>('#recover-sent').textContent = m('booking.recover.sent');
    code.focus();
  });

  verify.addEventListener('click', async () => {
    problem('');
    const body = subject();
    const smsCode = code.value.replace(/\D/g, '');
    code.value = smsCode;
    if (!fieldError(code, /^\d{6}$/.test(smsCode) ? '' : m('booking.verify.err')) || !body) return;
    verify.disabled = true;
    const answer = await publicApi('bookingRecovery.verify', { json: { ...body, smsCode } });
    verify.disabled = false;
    if (!answer.ok) {
      fieldError(code, failureText(m, answer.status, answer.body));
      return code.focus();
    }
    const found = answer.body.bookings;
    const items = found.map((b) => {
      const li = el('li', 'recover-item');
      const link = el('a', 'mono', b.code);
      link.href = bookingHref(b.code);
      li.dataset.code = b.code;
      li.append(
        el(
          'strong',
          undefined,
          [b.day?.date ? dayLabel(b.day.date, lang) : '', b.slot ? timeRange(b.slot.startsAt, b.slot.endsAt) : '']
            .filter(Boolean)
            .join(' '),
        ),
        el('div', undefined, `${b.topic ?? ''} · ${m(`booking.status.${b.status}`)}`),
        link,
      );
      return li;
    });
    const ul = el('ul', 'recover-items');
    ul.append(...items);
    list.replaceChildren(
      el('p', undefined, items.length ? m('booking.recover.found', { n: items.length }) : m('booking.recover.none')),
      ...(items.length ? [ul] : []),
    );
  });
};
