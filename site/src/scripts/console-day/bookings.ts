/**
 * The day page's bookings: `GET …/bookings` (all pages) grouped by slot, each with its attendance
 * buttons (`POST /api/staff/bookings/{code}/attendance`, from the day itself on: before it a line says
 * when they open) and, once attended, its follow-up button, outcome or not. A recorded attendance
 * is changed in a small form that asks the reason (the server requires one and audits it).
 */
import type { StaffBooking as Booking, StaffDay as Day } from '../../../../shared/consultation-views.ts';
import { shanghaiDate } from '../../../../shared/time.ts';
import { api, errorCodeOf, fieldsOf } from '../../kit/api.ts';
import { failureText } from '../../kit/messages.ts';
import { setFieldError, type TypedConsole } from '../console.ts';
import { slotCounts } from '../console-days/slot-counts.ts';
import { boundedText, fieldEl } from '../form-fields.ts';
import { buttonEl, dayLabel, el, emptyRow, timeRange } from '../format.ts';

/** Where the bookings table lives, and what it needs from the rest of the day page. */
export interface BookingsContext {
  c: TypedConsole;
  dayId: string;
  /** The day as last read (its slots group the bookings). */
  day: () => Day | undefined;
  table: HTMLTableElement;
  problem: HTMLElement;
  status: HTMLElement;
  /** The line that says when attendance opens, shown before the day. */
  opens: HTMLElement;
  followUpButton: (b: Booking) => HTMLButtonElement;
}

/** Fills the bookings table; `loadBookings` reads them again (after an edit, a cancellation). */
export const bookingsTable = ({
  c,
  dayId,
  day: currentDay,
  table,
  problem: bookingsProblem,
  status: bookingsStatus,
  opens,
  followUpButton,
}: BookingsContext) => {
  const { lang, m, token } = c;
  let all: Booking[] = [];
  /** Attendance is recorded from the day itself (Beijing time), as the server insists (409 TOO_EARLY). */
  const attendanceOpen = () => {
    const date = currentDay()?.date;
    return date !== undefined && date <= shanghaiDate(new Date());
  };
  const errorText = (code: number, answer: unknown) => failureText(m, code, answer);
  const badge = (b: Booking) => {
    const span = el('span', 'badge', m(`booking.status.${b.status}`));
    span.dataset.status = b.status;
    return span;
  };

  const cell = (label: string, ...content: (string | Node)[]) => {
    const td = el('td');
    td.dataset.label = label;
    td.append(...content);
    return td;
  };

  const attendanceCell = (b: Booking): HTMLTableCellElement => {
    const td = cell(m('console.col.attendance'));
    const box = el('div', 'attendance');
    const marked = b.status === 'attended' || b.status === 'no_show';
    if (b.status === 'confirmed' && attendanceOpen()) {
      const inputId = `outcome-${b.code}`;
      const label = el('label', 'visually-hidden', m('console.outcomeFor', { company: b.companyName }));
      label.htmlFor = inputId;
      const input = el('input');
      input.id = inputId;
      input.name = 'outcome';
      input.type = 'text';
      input.maxLength = 1000;
      input.placeholder = m('console.outcome');
      const buttons = el('div', 'buttons');
      for (const [value, key] of [
        ['attended', 'console.attended'],
        ['no_show', 'console.noShow'],
      ] as const) {
        const button = el('button', value === 'attended' ? 'button-small' : 'button-secondary button-small', m(key));
        button.type = 'button';
        button.dataset.attendance = value;
        button.setAttribute('aria-label', `${m(key)} – ${b.companyName}`);
        button.addEventListener('click', () => void mark(b, value, td));
        buttons.append(button);
      }
      box.append(label, input, buttons);
    } else if (marked) {
      if (b.outcome) box.append(el('p', 'outcome-text', b.outcome));
      const buttons = el('div', 'buttons');
      // A follow-up for any attended booking: the form starts from the outcome, or else from the topic.
      if (b.status === 'attended') buttons.append(followUpButton(b));
      const change = buttonEl('button-secondary button-small', m('console.attendance.change'));
      change.dataset.changeAttendance = b.code;
      change.setAttribute('aria-label', `${m('console.attendance.change')} – ${b.companyName}`);
      change.setAttribute('aria-expanded', 'false');
      change.addEventListener('click', () => changeForm(b, td, change));
      buttons.append(change);
      box.append(buttons);
    } else {
      box.append(el('span', 'muted', '—'));
    }
    td.append(box);
    return td;
  };

  /** The change of a recorded attendance, in the cell: the new status and outcome, and the reason. */
  const changeForm = (b: Booking, td: HTMLTableCellElement, opener: HTMLButtonElement) => {
    const existing = td.querySelector<HTMLFormElement>('form.attendance-change');
    if (existing) {
      existing.hidden = !existing.hidden;
      opener.setAttribute('aria-expanded', String(!existing.hidden));
      if (!existing.hidden) existing.querySelector<HTMLElement>('select')?.focus();
      return;
    }
    const id = (name: string) => `change-${name}-${b.code}`;
    const form = el('form', 'attendance-change');
    form.noValidate = true;
    form.id = id('form');
    const heading = el('p', 'form-title', m('console.attendance.changeHeading', { company: b.companyName }));
    heading.id = id('heading');
    form.setAttribute('aria-labelledby', heading.id);
    opener.setAttribute('aria-controls', form.id);
    const status = el('select');
    status.name = 'status';
    for (const [value, key] of [
      ['attended', 'console.attended'],
      ['no_show', 'console.noShow'],
    ] as const) {
      const option = el('option', undefined, m(key));
      option.value = value;
      option.selected = value !== b.status;
      status.append(option);
    }
    const outcome = el('input');
    outcome.name = 'outcome';
    outcome.type = 'text';
    outcome.maxLength = 1000;
    outcome.value = b.outcome ?? '';
    const reason = el('textarea');
    reason.name = 'reason';
    reason.rows = 2;
    reason.maxLength = 500;
    reason.required = true;
    const save = buttonEl('button-small', m('console.attendance.save'), 'submit');
    const cancel = buttonEl('button-secondary button-small', m('console.attendance.cancel'));
    const actions = el('div', 'buttons');
    actions.append(save, cancel);
    form.append(
      heading,
      fieldEl(id('status'), m('console.col.status'), status),
      fieldEl(id('outcome'), m('console.outcome'), outcome),
      fieldEl(id('reason'), m('console.attendance.reason'), reason, m('console.attendance.reasonHint')),
      actions,
    );
    td.append(form);
    opener.setAttribute('aria-expanded', 'true');
    cancel.addEventListener('click', () => {
      form.hidden = true;
      opener.setAttribute('aria-expanded', 'false');
      opener.focus();
    });
    form.addEventListener('submit', (event) => {
      event.preventDefault();
      const why = boundedText(reason, 1, 500, m('console.attendance.err.reason'));
      if (why === undefined) return;
      const value = status.value === 'no_show' ? 'no_show' : 'attended';
      void mark(b, value, td, { reason: why, outcome: outcome.value.trim() });
    });
    status.focus();
  };
  const bookingRow = (b: Booking): HTMLTableRowElement => {
    const tr = el('tr');
    tr.dataset.code = b.code;
    tr.dataset.status = b.status;
    const company = el('strong', undefined, b.companyName);
    const contact: (string | Node)[] = [];
    if (b.personal) {
      contact.push(b.personal.contactName ?? '');
      if (b.personal.mobile) contact.push(el('span', 'sub nowrap', b.personal.mobile));
      if (b.personal.email) contact.push(el('span', 'sub', b.personal.email));
    } else {
      contact.push(el('span', 'muted', m('console.personalGone')));
    }
    const question = cell(m('console.col.question'), b.personal?.question ?? '—');
    question.className = 'question';
    tr.append(
      cell(m('console.col.company'), company, el('span', 'uscc', b.uscc)),
      cell(m('console.col.contact'), ...contact),
      cell(m('console.col.topic'), b.topic),
      question,
      cell(m('console.col.status'), badge(b)),
      attendanceCell(b),
    );
    return tr;
  };

  const order: Record<Booking['status'], number> = {
    confirmed: 0,
    attended: 0,
    no_show: 0,
    waitlisted: 1,
    pending: 1,
    cancelled: 2,
    expired: 2,
  };

  const renderBookings = (bookings: Booking[]) => {
    for (const old of table.querySelectorAll('tbody')) old.remove();
    const date = currentDay()?.date;
    opens.hidden = attendanceOpen() || !date || !bookings.some((b) => b.status === 'confirmed');
    if (date) opens.textContent = m('console.attendance.opens', { date: dayLabel(date, lang) });
    for (const slot of currentDay()?.slots ?? []) {
      const group = el('tbody');
      const head = el('tr', 'slot-group');
      const th = el('th');
      th.colSpan = 6;
      th.scope = 'colgroup';
      th.append(timeRange(slot.startsAt, slot.endsAt), slotCounts(m, slot));
      head.append(th);
      group.append(head);
      const mine = bookings
        .filter((b) => b.slotId === slot.slotId)
        .sort((a, b) => order[a.status] - order[b.status] || a.createdAt.localeCompare(b.createdAt));
      if (mine.length === 0) group.append(emptyRow(m('console.bookings.none'), 6));
      for (const b of mine) group.append(bookingRow(b));
      table.append(group);
    }
  };

  const pageAfter = (cursor: string | null) =>
    api('days.bookings', { params: { dayId }, query: { limit: 50, cursor: cursor ?? undefined }, token });

  const loadBookings = async () => {
    table.setAttribute('aria-busy', 'true');
    bookingsProblem.hidden = true;
    const found: Booking[] = [];
    let cursor: string | null = null;
    for (let page = 0; page < 100; page++) {
      const result = await pageAfter(cursor);
      if (!result.ok) {
        table.removeAttribute('aria-busy');
        bookingsProblem.textContent = `${m('console.bookings.failed')} ${errorText(result.status, result.body)}`;
        bookingsProblem.hidden = false;
        return;
      }
      found.push(...result.body.bookings);
      cursor = result.body.nextCursor;
      if (!cursor) break;
    }
    table.removeAttribute('aria-busy');
    all = found;
    renderBookings(all);
  };

  const mark = async (
    b: Booking,
    value: 'attended' | 'no_show',
    td: HTMLTableCellElement,
    change?: { reason: string; outcome: string },
  ) => {
    const row = td.closest('tr');
    const input = td.querySelector<HTMLInputElement>('input[name=outcome]');
    const buttons = [...td.querySelectorAll<HTMLButtonElement>('button')];
    for (const button of buttons) button.disabled = true;
    bookingsStatus.textContent = m('console.marking');
    const outcome = change ? change.outcome : (input?.value.trim() ?? '');
    // The version read: a mark someone else made meanwhile is refused (409), never overwritten.
    const json: Record<string, unknown> = { status: value, version: b.version };
    if (outcome) json.outcome = outcome;
    if (change) json.reason = change.reason;
    const result = await api('bookings.attendance', { params: { code: b.code }, json, token });
    if (result.ok && row) {
      // The answer leaves out the booker's personal fields: the row keeps those it read.
      const updated = result.body.booking;
      const now = { ...b, ...updated };
      all = all.map((x) => (x.code === b.code ? now : x));
      const fresh = bookingRow(now);
      row.replaceWith(fresh);
      const text = m('console.marked', { company: b.companyName, status: m(`booking.status.${updated.status}`) });
      bookingsStatus.textContent = text;
      // Focus stays in the table: on the row's status, which now says what happened.
      const statusCell = fresh.querySelector<HTMLElement>('.badge');
      if (statusCell) {
        statusCell.tabIndex = -1;
        statusCell.focus();
      }
      return;
    }
    for (const button of buttons) button.disabled = false;
    bookingsStatus.textContent = '';
    const { status: code, body: answer } = result;
    const reason = td.querySelector<HTMLTextAreaElement>('textarea[name=reason]');
    if (reason && code === 400 && fieldsOf(answer).reason) {
      setFieldError(reason, m('console.attendance.err.reason'));
      reason.focus();
      return;
    }
    bookingsProblem.textContent = `${b.companyName}: ${errorText(code, answer)}`;
    bookingsProblem.hidden = false;
    // Marked by someone else meanwhile: the table shows what is recorded now.
    if (errorCodeOf(answer) === 'VERSION_CONFLICT') void loadBookings().then(() => (bookingsProblem.hidden = false));
  };

  return { loadBookings, bookings: () => all };
};
