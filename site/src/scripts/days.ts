/**
 * The public consultation-day page: loads the open days (`GET /api/public/consultation-days`), shows
 * every slot as a button, and reveals the booking form for the chosen slot. The form checks each field
 * with the API's own schema (`bookingInput`), on blur and on submit, so the browser and the server
 * agree; server answers (400 fields, 409 SLOT_FULL → waitlist, ALREADY_BOOKED, BOOKING_CLOSED) are
 * shown in the error summary, which takes focus. The hold's 202 goes to the booking page, which asks
 * for the SMS code (issue 16). A signed-in firm (kit/firm-session.ts) books on its own route instead:
 * its USCC, name and mobile are its sign-in's, so those fields are hidden and no code is asked; a
 * 201 goes to the confirmation page. A shared link (`?day=<dayId>`, the console's share panel and QR)
 * scrolls to that day and marks it; a day no longer listed says so above the others.
 */

import { bookingInput } from '../../../shared/consultation.ts';
import type { PublicDay as Day, PublicSlot as Slot } from '../../../shared/consultation-views.ts';
import { normalizeUscc } from '../../../shared/uscc.ts';
import { firmApi } from '../kit/firm-api.ts';
import { clearSession, readSession } from '../kit/firm-session.ts';
import { errorCodeOf, fieldsOf, messagesOf, publicApi } from '../kit/public-api.ts';
import { FIELDS, type Field, isField, normalizeMobile, type Values } from './days/fields.ts';
import { daysList } from './days/list.ts';
import { questionCounter } from './days/question-counter.ts';
import { errorSummary } from './days/summary.ts';
import { $, dayLabel, fill, langOf, timeRange } from './format.ts';

const root = document.querySelector<HTMLElement>('#consultation');
const list = document.querySelector<HTMLElement>('#days');
const section = document.querySelector<HTMLElement>('#booking');
const form = document.querySelector<HTMLFormElement>('#booking-form');

if (root && list && section && form) {
  const lang = langOf(root);
  const msg = messagesOf(root);
  const m = (key: string, vars?: Record<string, string | number>): string => {
    const text = msg[key] ?? msg['error.INTERNAL'] ?? key;
    return vars ? fill(text, vars) : text;
  };
  const min = Number(root.dataset.min) || 10;
  const max = Number(root.dataset.max) || 1000;
  const bookingPath = lang === 'zh' ? '/consultation-days/booking/' : '/en/consultation-days/booking/';
  const daysSection = $<HTMLElement>('#days-section');
  const heading = $<HTMLElement>('#booking-heading');
  const summaryText = $<HTMLElement>('#booking-errors-text');
  const summaryList = $<HTMLUListElement>('#booking-errors-list');
  const joinWaitlist = $<HTMLButtonElement>('#join-waitlist');
  const submit = $<HTMLButtonElement>('#booking-form button[type=submit]');
  const topic = $<HTMLSelectElement>('#topic');
  const question = $<HTMLTextAreaElement>('#question');
  const counter = $<HTMLElement>('#question-count');
  const counterLive = $<HTMLElement>('#question-count-live');
  const consent = $<HTMLInputElement>('#consent');
  const control = (field: Field) => $<HTMLInputElement>(`#${field}`);

  // A signed-in firm books as itself: the fields its sign-in answers for are hidden, not typed.
  const IDENTITY: Field[] = ['uscc', 'companyName', 'contactName', 'mobile'];
  let firmToken = readSession()?.token;
  const firmNote = $<HTMLElement>('#firm-note');
  const asFirm = (on: boolean) => {
    for (const field of IDENTITY) {
      const box = control(field).closest<HTMLElement>('.field');
      if (box) box.hidden = on;
    }
    if (!on) {
      firmNote.hidden = true;
      firmToken = undefined;
    }
  };
  if (firmToken) {
    asFirm(true);
    // Who books, said on the form; a token the API no longer takes (or a firm gone from the roster)
    // gives the ordinary form back.
    void firmApi('firmMe.get', { token: firmToken }).then((answer) => {
      if (answer.ok) {
        const { name, uscc } = answer.body.firm;
        firmNote.textContent = m('booking.firm.as', { name, uscc });
        firmNote.hidden = false;
        return;
      }
      if (answer.status === 401) clearSession();
      asFirm(false);
    });
  }

  let current: { day: Day; slot: Slot; waitlist: boolean } | undefined;
  let stale = false;
  let sending = false;

  // ---- the list ----

  const dayList = daysList({ list, lang, m, onChoose: (day, slot) => open(day, slot) });
  const { seatsText, placeOf } = dayList;
  const loadDays = async (focusSlot?: string): Promise<void> => {
    if (await dayList.load(focusSlot)) stale = false;
  };

  // ---- showing the form for a slot, and back ----

  const open = (day: Day, slot: Slot) => {
    current = { day, slot, waitlist: slot.remaining <= 0 };
    $<HTMLElement>('#chosen-when').textContent = `${dayLabel(day.date, lang)} ${timeRange(slot.startsAt, slot.endsAt)}`;
    $<HTMLElement>('#chosen-where').textContent = [
      placeOf(day),
      day.venue,
      day.mode === 'onsite' ? '' : m('days.mode.online'),
    ]
      .filter(Boolean)
      .join(' · ');
    $<HTMLElement>('#chosen-seats').textContent = current.waitlist ? '' : seatsText(slot);
    $<HTMLElement>('#waitlist-notice').hidden = !current.waitlist;
    submit.textContent = m(current.waitlist ? 'booking.submitWaitlist' : 'booking.submit');
    const chosenTopic = topic.value;
    topic.replaceChildren(new Option(m('booking.topicChoose'), ''));
    for (const name of day.topics) topic.append(new Option(name, name, false, name === chosenTopic));
    if (day.topics.length === 1) topic.selectedIndex = 1;
    hideSummary();
    daysSection.hidden = true;
    section.hidden = false;
    if (history.state?.booking !== slot.slotId) history.pushState({ booking: slot.slotId }, '', '#booking');
    heading.focus({ preventScroll: true });
    section.scrollIntoView({ block: 'start' });
  };

  const close = () => {
    const slotId = current?.slot.slotId;
    section.hidden = true;
    daysSection.hidden = false;
    if (stale) {
      void loadDays(slotId);
    } else if (slotId) {
      list.querySelector<HTMLElement>(`button[data-slot-id="${CSS.escape(slotId)}"]`)?.focus();
    }
  };

  for (const button of document.querySelectorAll<HTMLButtonElement>('[data-action="change-slot"]')) {
    button.addEventListener('click', () => {
      if (history.state?.booking) history.back();
      else close();
    });
  }
  window.addEventListener('popstate', () => {
    const slotId: unknown = history.state?.booking;
    if (!section.hidden && !slotId) close();
    else if (section.hidden && slotId) {
      // Forward again to the form: reopen it for that slot if the list still has it.
      const day = dayList.days().find((d) => d.slots.some((s) => s.slotId === slotId));
      const slot = day?.slots.find((s) => s.slotId === slotId);
      if (day && slot) open(day, slot);
      else history.replaceState(null, '', location.pathname + location.search);
    }
  });

  // ---- validation ----

  const values = (): Values => {
    const email = control('email').value.trim();
    return {
      slotId: current?.slot.slotId ?? '',
      uscc: normalizeUscc(control('uscc').value),
      companyName: control('companyName').value.trim(),
      contactName: control('contactName').value.trim(),
      mobile: normalizeMobile(control('mobile').value),
      ...(email ? { email } : {}),
      topic: topic.value,
      question: question.value.trim(),
      consent: consent.checked,
    };
  };

  /** The message for a field the schema (or the server) rejected, from what was typed. */
  const messageFor = (field: Field, data: Values, serverText?: string): string => {
    switch (field) {
      case 'uscc':
        if (!data.uscc) return m('booking.err.uscc.required');
        return data.uscc.length === 18
          ? m('booking.err.uscc.invalid')
          : m('booking.err.uscc.length', { n: data.uscc.length });
      case 'companyName':
      case 'contactName':
      case 'mobile':
        return m(`booking.err.${field}.${data[field] ? 'invalid' : 'required'}`);
      case 'email':
        return m('booking.err.email.invalid');
      case 'topic':
        return m('booking.err.topic.required');
      case 'question':
        if (!data.question) return m('booking.err.question.required');
        if (data.question.length < min) return m('booking.err.question.short', { min });
        if (data.question.length > max) return m('booking.err.question.long', { max });
        return serverText ?? m('error.VALIDATION_FAILED');
      case 'consent':
        return m('booking.err.consent.required');
    }
  };

  /** Every field the booking schema rejects, with its message. */
  const problems = (data: Values): Map<Field, string> => {
    const found = new Map<Field, string>();
    const result = bookingInput.safeParse(data);
    if (result.success) return found;
    for (const issue of result.error.issues) {
      const name = String(issue.path[0] ?? '');
      if (isField(name) && !found.has(name) && !(firmToken && IDENTITY.includes(name)))
        found.set(name, messageFor(name, data));
    }
    return found;
  };

  const describedBy = new Map<Field, string>(
    FIELDS.map((f) => [f, document.getElementById(f)?.getAttribute('aria-describedby') ?? '']),
  );
  const hasError = (field: Field) => control(field).getAttribute('aria-invalid') === 'true';
  /** The summary's links to fields, kept in step as fields are corrected. */
  const summaryLinks = new Map<Field, HTMLElement>();

  const showFieldError = (field: Field, text: string | undefined) => {
    const input = control(field);
    const box = $<HTMLElement>(`#${field}-error`);
    box.textContent = text ?? '';
    box.hidden = !text;
    input.closest('.field')?.classList.toggle('field-invalid', Boolean(text));
    const ids = [describedBy.get(field), text ? box.id : ''].filter(Boolean).join(' ');
    if (text) input.setAttribute('aria-invalid', 'true');
    else input.removeAttribute('aria-invalid');
    if (ids) input.setAttribute('aria-describedby', ids);
    else input.removeAttribute('aria-describedby');
    const item = summaryLinks.get(field);
    if (item && text) {
      const link = item.querySelector('a');
      if (link) link.textContent = text;
    } else if (item) {
      item.remove();
      summaryLinks.delete(field);
      if (summaryList.childElementCount === 0 && summaryText.hidden) hideSummary();
    }
  };

  const checkField = (field: Field) => showFieldError(field, problems(values()).get(field));

  for (const field of FIELDS) {
    const input = control(field);
    input.addEventListener('blur', () => {
      if (field === 'uscc' && input.value) input.value = normalizeUscc(input.value);
      if (field === 'mobile' && input.value) input.value = normalizeMobile(input.value);
      // An untouched empty field is not an error yet: people move through a form with Tab.
      if (hasError(field) || (input.type !== 'checkbox' && input.value.trim() !== '')) checkField(field);
    });
    input.addEventListener(input.type === 'checkbox' || input.tagName === 'SELECT' ? 'change' : 'input', () => {
      if (hasError(field)) checkField(field);
    });
  }

  // ---- the question's counter ----

  questionCounter({ m, question, counter, counterLive, min, max });

  // ---- the error summary ----

  const { hideSummary, showSummary } = errorSummary(summaryLinks, control);

  // ---- sending ----

  const busy = (on: boolean) => {
    sending = on;
    submit.disabled = on;
    joinWaitlist.disabled = on;
    form.setAttribute('aria-busy', String(on));
    submit.textContent = on
      ? m('booking.submitting')
      : m(current?.waitlist ? 'booking.submitWaitlist' : 'booking.submit');
  };

  const send = async (waitlist: boolean) => {
    if (!current || sending) return;
    const data = values();
    const found = problems(data);
    for (const field of FIELDS) showFieldError(field, found.get(field));
    if (found.size > 0) {
      showSummary(m('booking.errorsTitle'), { fields: found });
      return;
    }
    hideSummary();
    busy(true);
    const { day } = current;
    const { uscc: _u, companyName: _n, contactName: _c, mobile: _m, ...own } = data;
    const answer = firmToken
      ? await firmApi('firmBookings.create', {
          params: { dayId: day.dayId },
          token: firmToken,
          json: waitlist ? { ...own, waitlist: true } : own,
        })
      : await publicApi('bookings.create', {
          params: { dayId: day.dayId },
          json: waitlist ? { ...data, waitlist: true } : data,
        });
    const { status, body } = answer;
    // 202: an anonymous hold, whose code step is the booking page's; 201: a firm's booking.
    if (answer.ok) {
      const { booking } = answer.body;
      try {
        sessionStorage.setItem('eco.booked', booking.code);
      } catch {
        // the confirmation page then just shows the booking without the "booked" banner
      }
      location.assign(`${bookingPath}?code=${encodeURIComponent(booking.code)}`);
      return;
    }
    busy(false);
    const code = errorCodeOf(body);
    if (firmToken && status === 401) {
      clearSession();
      asFirm(false);
      showSummary(m('booking.problemTitle'), { text: m('booking.firm.ended') });
    } else if (status === 400 || code === 'VALIDATION_FAILED') {
      const fields = fieldsOf(body);
      const mapped = new Map<Field, string>();
      const other: string[] = [];
      for (const [name, text] of Object.entries(fields)) {
        const key = name.split('.')[0] ?? name;
        if (isField(key)) mapped.set(key, messageFor(key, data, typeof text === 'string' ? text : undefined));
        else if (key === 'slotId') other.push(m('booking.err.slot'));
        else other.push(typeof text === 'string' ? `${name}: ${text}` : name);
      }
      for (const field of FIELDS) showFieldError(field, mapped.get(field));
      if (mapped.size === 0 && other.length === 0) other.push(m('error.VALIDATION_FAILED'));
      showSummary(m('booking.errorsTitle'), { fields: mapped, other });
    } else if (code === 'SLOT_FULL') {
      stale = true;
      $<HTMLElement>('#chosen-seats').textContent = m('days.full');
      showSummary(m('booking.full.title'), { text: m('booking.full.text'), waitlist: true });
    } else if (code === 'ALREADY_BOOKED') {
      showSummary(m('booking.problemTitle'), { text: m('error.ALREADY_BOOKED'), find: true });
    } else if (code === 'RATE_LIMITED') {
      // The same answer whether this mobile or this firm asked too often, or the firm is booked by
      // someone else: the page must not tell which (the server does not either).
      showSummary(m('booking.problemTitle'), { text: m('booking.limited'), find: true });
    } else if (code === 'BOOKING_CLOSED') {
      stale = true;
      showSummary(m('booking.problemTitle'), { text: m('booking.closed'), change: true });
    } else if (status === 404 || code === 'NOT_FOUND') {
      stale = true;
      showSummary(m('booking.problemTitle'), { text: m('booking.dayGone'), change: true });
    } else {
      const key = status === 0 ? 'error.NETWORK' : `error.${code ?? 'INTERNAL'}`;
      showSummary(m('booking.problemTitle'), { text: msg[key] ?? m('error.INTERNAL') });
    }
  };

  form.addEventListener('submit', (event) => {
    event.preventDefault();
    void send(current?.waitlist ?? false);
  });
  joinWaitlist.addEventListener('click', () => void send(true));

  daysSection.hidden = false;
  // A reload on `#booking` starts again at the list.
  if (location.hash === '#booking') history.replaceState(null, '', location.pathname + location.search);
  void loadDays();
}
