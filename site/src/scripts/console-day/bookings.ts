/**
 * The day page's bookings: `GET …/bookings` (all pages) grouped by slot, each with its attendance
 * buttons (`POST /api/staff/bookings/{code}/attendance`) and, once attended, its follow-up button.
 */
import type { StaffBooking as Booking, StaffDay as Day } from '../../../../shared/consultation-views.ts';
import { api } from '../../kit/api.ts';
import { failureText } from '../../kit/messages.ts';
import type { TypedConsole } from '../console.ts';
import { el, timeRange } from '../format.ts';

/** Where the bookings table lives, and what it needs from the rest of the day page. */
export interface BookingsContext {
  c: TypedConsole;
  dayId: string;
  /** The day as last read (its slots group the bookings). */
  day: () => Day | undefined;
  table: HTMLTableElement;
  problem: HTMLElement;
  status: HTMLElement;
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
  followUpButton,
}: BookingsContext) => {
  const { m, token } = c;
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
    if (b.status === 'confirmed') {
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
    } else if (b.outcome) {
      box.append(el('p', 'outcome-text', b.outcome));
      if (b.status === 'attended') box.append(followUpButton(b));
    } else {
      box.append(el('span', 'muted', '—'));
    }
    td.append(box);
    return td;
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
    for (const slot of currentDay()?.slots ?? []) {
      const group = el('tbody');
      const head = el('tr', 'slot-group');
      const th = el('th');
      th.colSpan = 6;
      th.scope = 'colgroup';
      th.append(
        timeRange(slot.startsAt, slot.endsAt),
        el(
          'span',
          'slot-counts',
          m('console.slotCounts', {
            confirmed: slot.confirmed ?? slot.capacity - slot.remaining,
            capacity: slot.capacity,
            waitlisted: slot.waitlisted ?? 0,
          }),
        ),
      );
      head.append(th);
      group.append(head);
      const mine = bookings
        .filter((b) => b.slotId === slot.slotId)
        .sort((a, b) => order[a.status] - order[b.status] || a.createdAt.localeCompare(b.createdAt));
      if (mine.length === 0) {
        const tr = el('tr', 'empty-row');
        const td = el('td', undefined, m('console.bookings.none'));
        td.colSpan = 6;
        tr.append(td);
        group.append(tr);
      }
      for (const b of mine) group.append(bookingRow(b));
      table.append(group);
    }
  };

  const loadBookings = async () => {
    table.setAttribute('aria-busy', 'true');
    bookingsProblem.hidden = true;
    const all: Booking[] = [];
    let cursor: string | null = null;
    for (let page = 0; page < 100; page++) {
      const { status: code, body: answer } = await api('days.bookings', {
        params: { dayId },
        query: { limit: 50, cursor: cursor ?? undefined },
        token,
      });
      const found = answer as { bookings?: Booking[]; nextCursor?: string | null } | null;
      if (code !== 200 || !Array.isArray(found?.bookings)) {
        table.removeAttribute('aria-busy');
        bookingsProblem.textContent = `${m('console.bookings.failed')} ${errorText(code, answer)}`;
        bookingsProblem.hidden = false;
        return;
      }
      all.push(...found.bookings);
      cursor = found.nextCursor ?? null;
      if (!cursor) break;
    }
    table.removeAttribute('aria-busy');
    renderBookings(all);
  };

  const mark = async (b: Booking, value: 'attended' | 'no_show', td: HTMLTableCellElement) => {
    const row = td.closest('tr');
    const input = td.querySelector<HTMLInputElement>('input[name=outcome]');
    const buttons = [...td.querySelectorAll<HTMLButtonElement>('button')];
    for (const button of buttons) button.disabled = true;
    bookingsStatus.textContent = m('console.marking');
    const outcome = input?.value.trim() ?? '';
    const { status: code, body: answer } = await api('bookings.attendance', {
      params: { code: b.code },
      json: outcome ? { status: value, outcome } : { status: value },
      token,
    });
    const updated = (answer as { booking?: Booking } | null)?.booking;
    if (code === 200 && updated && row) {
      const fresh = bookingRow({ ...b, ...updated, personal: updated.personal ?? b.personal });
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
    bookingsProblem.textContent = `${b.companyName}: ${errorText(code, answer)}`;
    bookingsProblem.hidden = false;
  };

  return { loadBookings };
};
