/**
 * "Find my booking" and the confirmation: `?code=` → `GET /api/public/bookings/{code}` → the booking
 * (status badge, code, day, slot in Asia/Shanghai, masked contact, .ics link). Cancelling asks first,
 * then `POST …/cancel` and shows the cancelled state. A malformed or unknown code returns to the form.
 * A `pending` booking (an anonymous hold) shows the code step first (booking/verify.ts), an `expired`
 * one says so with a way to book again; an active one can move to another time (booking/move.ts).
 * Without a code, the page also finds one's bookings by USCC, mobile and SMS code (booking/recover.ts).
 */

import { BOOKING_CODE } from '../../../shared/booking-code.ts';
import type { PublicBooking as Booking } from '../../../shared/consultation-views.ts';
import { errorCodeOf, failureText, messagesOf, publicApi, publicPath } from '../kit/public-api.ts';
import { moveStep } from './booking/move.ts';
import { recovery } from './booking/recover.ts';
import { verifyStep } from './booking/verify.ts';
import { $, dateTime, dayLabel, el, fact, fill, langOf, timeRange } from './format.ts';

const ACTIVE = ['confirmed', 'waitlisted'];
const BOOKED_KEY = 'eco.booked';

/** People copy codes with spaces or dashes, or in lower case. */
const normalizeCode = (value: string): string => value.replace(/[\s-]/g, '').toUpperCase();

const root = document.querySelector<HTMLElement>('#booking-page');

if (root) {
  const lang = langOf(root);
  const msg = messagesOf(root);
  const m = (key: string, vars?: Record<string, string | number>): string => {
    const text = msg[key] ?? msg['error.INTERNAL'] ?? key;
    return vars ? fill(text, vars) : text;
  };
  const find = $<HTMLElement>('#find');
  const findForm = $<HTMLFormElement>('#find-form');
  const findError = $<HTMLElement>('#find-error');
  const codeInput = $<HTMLInputElement>('#code');
  const codeError = $<HTMLElement>('#code-error');
  const loading = $<HTMLElement>('#booking-loading');
  const view = $<HTMLElement>('#booking-view');
  const banner = $<HTMLElement>('#booking-banner');
  const badge = $<HTMLElement>('#booking-status');
  const facts = $<HTMLElement>('#booking-facts');
  const actions = $<HTMLElement>('#booking-actions');
  const cancelButton = $<HTMLButtonElement>('#cancel-booking');
  const confirmBox = $<HTMLElement>('#cancel-confirm');
  const confirmButton = $<HTMLButtonElement>('#confirm-cancel');
  const keepButton = $<HTMLButtonElement>('#keep-booking');
  const message = $<HTMLElement>('#booking-message');
  const copyButton = $<HTMLButtonElement>('#copy-code');
  const copyStatus = $<HTMLElement>('#copy-status');

  // The calendar link exists only once there is a booking to point at.
  const ics = el('a', 'button button-secondary', m('booking.ics'));
  ics.id = 'ics-link';
  actions.prepend(ics);

  let booking: Booking | undefined;
  const expiredBox = $<HTMLElement>('#expired');

  const show = (which: 'find' | 'loading' | 'view') => {
    find.hidden = which !== 'find';
    loading.hidden = which !== 'loading';
    view.hidden = which !== 'view';
  };

  /** The find form with a problem on the code field; the message takes focus. */
  const findProblem = (text: string, focus = true) => {
    show('find');
    findError.textContent = text;
    findError.hidden = false;
    codeError.textContent = text;
    codeError.hidden = false;
    codeInput.setAttribute('aria-invalid', 'true');
    codeInput.setAttribute('aria-describedby', 'code-hint code-error');
    if (focus) findError.focus();
  };

  const say = (text: string, kind: 'error' | 'info') => {
    message.textContent = text;
    message.dataset.kind = kind;
    message.hidden = !text;
    if (text) message.focus();
  };

  /** The banner over the booking: booked, waitlisted, or nothing. */
  const announce = (b: Booking, justBooked: boolean) => {
    const text =
      b.status === 'waitlisted'
        ? m('booking.waitlisted')
        : justBooked && b.status === 'confirmed'
          ? m('booking.booked')
          : '';
    banner.textContent = text;
    banner.hidden = !text;
    banner.dataset.kind = b.status === 'waitlisted' ? 'info' : 'success';
    if (justBooked && text) banner.focus();
  };
  const verify = verifyStep(
    m,
    (b) => {
      render(b);
      announce(b, true);
    },
    () => {
      if (!booking) return;
      render({ ...booking, status: 'expired' });
      expiredBox.focus();
    },
  );
  const move = moveStep(
    m,
    lang,
    () => booking,
    (b) => render(b),
    (text, kind) => say(text, kind),
  );

  /** A confirmed booking's code as a QR, for check-in at the door; the encoder is loaded only here. */
  const qrBox = $<HTMLElement>('#checkin-qr');
  const drawCheckInQr = async (b: Booking) => {
    qrBox.hidden = b.status !== 'confirmed';
    if (qrBox.hidden || qrBox.dataset.code === b.code) return;
    try {
      const { qrSvgElement } = await import('../kit/qr.ts');
      qrBox.querySelector('[data-qr]')?.replaceChildren(qrSvgElement(b.code, m('desk.qr.alt', { code: b.code })));
      qrBox.dataset.code = b.code;
    } catch {
      qrBox.hidden = true; // the code above is still there to read out
    }
  };

  const render = (b: Booking) => {
    booking = b;
    const day: Partial<NonNullable<Booking['day']>> = b.day ?? {};
    const slot: Partial<NonNullable<Booking['slot']>> = b.slot ?? {};
    // In groups of four for the eye; the text stays the bare code (copying, selecting, tests).
    $<HTMLElement>('#booking-code').replaceChildren(
      ...(b.code.match(/.{1,4}/g) ?? [b.code]).map((group) => el('span', 'code-group', group)),
    );
    badge.textContent = msg[`booking.status.${b.status}`] ?? b.status;
    badge.dataset.status = b.status;
    const rows: HTMLElement[] = [];
    if (day.date) rows.push(fact(m('booking.day'), dayLabel(day.date, lang)));
    if (slot.startsAt && slot.endsAt) {
      rows.push(fact(m('booking.time'), `${timeRange(slot.startsAt, slot.endsAt)}${m('booking.beijing')}`));
    }
    const host = day.jurisdiction?.name?.[lang] ?? day.jurisdiction?.code;
    if (host) rows.push(fact(m('booking.host'), host));
    if (day.venue) rows.push(fact(m('days.venue'), day.venue));
    if (day.onlineUrl && /^https?:\/\//i.test(day.onlineUrl)) {
      const link = el('a', 'url', day.onlineUrl);
      link.href = day.onlineUrl;
      link.rel = 'noopener noreferrer';
      link.target = '_blank';
      rows.push(fact(m('booking.link'), link));
    }
    if (b.companyName || b.uscc) {
      const company = el('span', 'company');
      company.append(el('span', undefined, b.companyName ?? ''));
      if (b.uscc) company.append(el('span', 'mono small', b.uscc));
      rows.push(fact(m('booking.company'), company));
    }
    if (b.contactName) rows.push(fact(m('booking.contact'), b.contactName));
    if (b.mobile) rows.push(fact(m('booking.mobile'), b.mobile));
    if (b.email) rows.push(fact(m('booking.emailPlain'), b.email));
    // Every notice goes by SMS to the mobile (required), and by e-mail too when one was given.
    if (b.mobile)
      rows.push(
        fact(
          m('booking.notify'),
          b.email
            ? m('booking.notify.both', { mobile: b.mobile, email: b.email })
            : m('booking.notify.sms', { mobile: b.mobile }),
        ),
      );
    if (b.topic) rows.push(fact(m('booking.topic'), b.topic));
    if (b.createdAt) rows.push(fact(m('booking.createdAt'), dateTime(b.createdAt, lang, true)));
    facts.replaceChildren(...rows);
    const active = ACTIVE.includes(b.status);
    actions.hidden = !active;
    expiredBox.hidden = b.status !== 'expired';
    if (b.status === 'pending') verify.show(b);
    else verify.hide();
    move.close(false);
    ics.href = publicPath('bookings.calendar', { code: b.code });
    ics.setAttribute('download', `eco-liaison-${b.code}.ics`);
    confirmBox.hidden = true;
    cancelButton.setAttribute('aria-expanded', 'false');
    copyButton.hidden = !navigator.clipboard;
    void drawCheckInQr(b);
  };

  const load = async (code: string) => {
    show('loading');
    const answer = await publicApi('bookings.get', { params: { code } });
    const { status, body } = answer;
    if (answer.ok) {
      const found = answer.body.booking;
      render(found);
      show('view');
      document.title = document.title.replace(m('booking.find.title'), m('booking.title'));
      let justBooked = false;
      try {
        justBooked = sessionStorage.getItem(BOOKED_KEY) === found.code;
        if (justBooked) sessionStorage.removeItem(BOOKED_KEY);
      } catch {
        // no storage: no banner
      }
      announce(found, justBooked);
      if (found.status === 'pending') $<HTMLElement>('#verify-title').focus();
      return;
    }
    codeInput.value = code;
    if (status === 404 || status === 400 || errorCodeOf(body) === 'NOT_FOUND')
      findProblem(m('booking.notFound', { code }));
    else findProblem(failureText(m, status, body));
  };

  findForm.addEventListener('submit', (event) => {
    const code = normalizeCode(codeInput.value);
    codeInput.value = code;
    if (!BOOKING_CODE.test(code)) {
      event.preventDefault();
      findProblem(m(code ? 'booking.codeInvalid' : 'booking.codeRequired'));
    }
    // A good code submits the GET form: this page again with `?code=`.
  });

  cancelButton.addEventListener('click', () => {
    confirmBox.hidden = false;
    cancelButton.setAttribute('aria-expanded', 'true');
    say('', 'info');
    $<HTMLElement>('#cancel-title').focus();
  });
  keepButton.addEventListener('click', () => {
    confirmBox.hidden = true;
    cancelButton.setAttribute('aria-expanded', 'false');
    cancelButton.focus();
  });
  confirmButton.addEventListener('click', async () => {
    if (!booking) return;
    confirmButton.disabled = true;
    keepButton.disabled = true;
    confirmButton.textContent = m('booking.cancelling');
    const answer = await publicApi('bookings.cancel', { params: { code: booking.code }, method: 'POST' });
    confirmButton.disabled = false;
    keepButton.disabled = false;
    confirmButton.textContent = m('booking.cancelYes');
    if (answer.ok) {
      // The cancel's answer may leave out what the page had already (the day and slot): kept from before.
      render({ ...booking, ...answer.body.booking });
      banner.hidden = true;
      say(m('booking.cancelled'), 'info');
    } else {
      say(failureText(m, answer.status, answer.body), 'error');
    }
  });

  copyButton.addEventListener('click', async () => {
    if (!booking) return;
    try {
      await navigator.clipboard.writeText(booking.code);
      copyStatus.textContent = m('booking.copied');
    } catch {
      copyStatus.textContent = '';
    }
  });

  recovery(m, lang, (code) => `${location.pathname}?code=${encodeURIComponent(code)}`);

  const given = new URLSearchParams(location.search).get('code');
  if (given !== null) {
    const code = normalizeCode(given);
    if (BOOKING_CODE.test(code)) void load(code);
    else {
      codeInput.value = given;
      findProblem(m(code ? 'booking.codeInvalid' : 'booking.codeRequired'), code !== '');
    }
  }
}
