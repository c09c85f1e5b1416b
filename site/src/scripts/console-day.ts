/**
 * Staff console, one day: `GET …/{dayId}` for the details, `PATCH` with `version` for edits (a
 * VERSION_CONFLICT shows #conflict-message with a reload button), `POST …/cancel` with a reason after a
 * confirmation, `GET …/bookings` (all pages) grouped by slot with attendance buttons
 * (`POST /api/staff/bookings/{code}/attendance`), turning an attended booking's outcome into a follow-up
 * (`POST /api/staff/ledger-items`, source `booking`, from a small form in a row under the booking),
 * a message to all the day's bookers (`POST …/messages`, after a confirmation naming how many), and
 * the CSV / XLSX exports fetched with the token.
 */

import type { StaffDay as Day } from '../../../shared/consultation-views.ts';
import { names } from '../../../shared/jurisdictions.ts';
import { api } from '../kit/api.ts';
import { lazy } from '../kit/lazy.ts';
import { failureText } from '../kit/messages.ts';
import { sortable } from '../kit/sortable.ts';
import { runConsolePage, type TypedConsole } from './console.ts';
import { bookingsTable } from './console-day/bookings.ts';
// The page's elements (DayEdit.astro, DayCancel.astro, DayNotice.astro, DayShare.astro), defined here: a component
// script of their own would be a module file of its own, whose fixed cost (imports, preload lists)
// outweighed what it held.
import './console-day/day-cancel.ts';
import type { DayCancel } from './console-day/day-cancel.ts';
import './console-day/day-edit.ts';
import type { DayEdit } from './console-day/day-edit.ts';
import './console-day/day-notice.ts';
import type { DayNotice } from './console-day/day-notice.ts';
import './console-day/day-share.ts';
import type { DayShare } from './console-day/day-share.ts';
import { dayExports } from './console-day/exports.ts';
import { followUpButtons } from './console-day/follow-up-button.ts';
import { dateTime, dayLabel, el, fact, timeRange } from './format.ts';

const run = async (c: TypedConsole, root: HTMLElement) => {
  const { lang, m, token, $ } = c;
  const dayId = new URLSearchParams(location.search).get('id') ?? '';
  const problemBox = $<HTMLElement>('#day-problem');
  const body = $<HTMLElement>('#console-body');
  const heading = $<HTMLElement>('#day-heading');
  const status = $<HTMLElement>('#day-status');
  const facts = $<HTMLElement>('#day-facts');
  const slotBody = $<HTMLElement>('#day-slots tbody');
  const conflict = $<HTMLElement>('#conflict-message');
  const editBox = $<DayEdit>('day-edit');
  const cancelBox = $<DayCancel>('eco-day-cancel');
  const noticeBox = $<DayNotice>('eco-day-notice');
  const shareBox = $<DayShare>('day-share');
  const table = $<HTMLTableElement>('#bookings');
  sortable(table, m);
  sortable($<HTMLTableElement>('#day-slots'), m);
  const bookingsProblem = $<HTMLElement>('#bookings-problem');
  const bookingsStatus = $<HTMLElement>('#bookings-status');

  let day: Day | undefined;

  const fail = (text: string) => {
    problemBox.textContent = text;
    problemBox.hidden = false;
    problemBox.focus();
  };
  const errorText = (code: number, answer: unknown) => failureText(m, code, answer);
  const say = (text: string, kind: 'success' | 'info' = 'success') => {
    status.textContent = text;
    status.dataset.kind = kind;
    status.hidden = false;
  };

  if (!dayId) {
    fail(m('console.day.missing'));
    return;
  }

  // ---- the day ----

  const placeOf = (d: Day) => d.jurisdiction.name?.[lang] ?? names[d.jurisdiction.code]?.[lang] ?? d.jurisdiction.code;

  const renderDay = (d: Day) => {
    heading.textContent = `${dayLabel(d.date, lang)} · ${placeOf(d)}`;
    document.title = `${heading.textContent} · ${document.title.split(' · ').at(-1) ?? ''}`;
    const statusBadge = el('span', 'badge', m(`console.status.${d.status}`));
    statusBadge.dataset.status = d.status === 'open' ? 'confirmed' : 'cancelled';
    const rows = [
      fact(m('console.day.date'), dayLabel(d.date, lang)),
      fact(
        m('console.day.jurisdiction'),
        `${placeOf(d)}${lang === 'zh' ? `（${d.jurisdiction.code}）` : ` (${d.jurisdiction.code})`}`,
      ),
      fact(m('console.day.mode'), m(`days.mode.${d.mode}`)),
      fact(m('console.day.status'), statusBadge),
    ];
    if (d.venue) rows.push(fact(m('console.day.venue'), d.venue));
    if (d.onlineUrl) {
      const link = el('a', 'url', d.onlineUrl);
      link.href = d.onlineUrl;
      link.rel = 'noopener noreferrer';
      rows.push(fact(m('console.day.link'), link));
    }
    rows.push(fact(m('console.day.topics'), d.topics.join(lang === 'zh' ? '、' : ', ')));
    if (d.bookingClosesAt) rows.push(fact(m('console.day.closes'), dateTime(d.bookingClosesAt, lang, true)));
    // The creator by name; the day's version stays in the form's data, never on screen (issue 18).
    if (d.createdBy) {
      const who = el('span', undefined, d.createdByName || d.createdBy);
      who.title = d.createdBy; // the account, for whoever needs it, behind the name
      rows.push(fact(m('console.day.createdBy'), who));
    }
    facts.replaceChildren(...rows);

    slotBody.replaceChildren(
      ...d.slots.map((slot) => {
        const tr = el('tr');
        const th = el('th', undefined, timeRange(slot.startsAt, slot.endsAt));
        th.scope = 'row';
        tr.append(
          th,
          el('td', 'num', String(slot.capacity)),
          el('td', 'num', String(slot.confirmed ?? slot.capacity - slot.remaining)),
          el('td', 'num', String(slot.waitlisted ?? 0)),
          el('td', 'num', String(slot.remaining)),
        );
        return tr;
      }),
    );

    // The edit form starts from what the day is now.
    editBox.show(d);
    const cancelled = d.status === 'cancelled';
    $<HTMLElement>('#cancelled-notice').hidden = !cancelled;
    noticeBox.open = d.status === 'open';
    shareBox.show(d, m);
    cancelBox.cancelled = cancelled;
  };

  const loadDay = async (): Promise<boolean> => {
    const result = await api('days.get', { params: { dayId }, token });
    if (result.status === 401) return false;
    if (!result.ok) {
      body.hidden = true;
      fail(`${m('console.day.failed')} ${errorText(result.status, result.body)}`);
      return false;
    }
    const found = result.body.day;
    day = found;
    problemBox.hidden = true;
    renderDay(found);
    body.hidden = false;
    return true;
  };

  const followUp = lazy(() =>
    import('./console-day/follow-up.ts').then(({ followUps }) =>
      followUps(c, root, table, bookingsStatus, () => day?.date),
    ),
  );
  const { loadBookings, bookings } = bookingsTable({
    c,
    dayId,
    day: () => day,
    table,
    problem: bookingsProblem,
    status: bookingsStatus,
    opens: $<HTMLElement>('#attendance-opens'),
    followUpButton: followUpButtons(c, followUp, bookingsProblem),
  });

  noticeBox.init({ c, dayId, day: () => day, bookings });

  // ---- exports ----

  dayExports(c, root, dayId, () => day);

  // ---- editing (DayEdit.astro) ----

  editBox.init(c, dayId);
  // A new try hides what the last one said; the element tells how this one ended.
  editBox.addEventListener('submit', () => {
    conflict.hidden = true;
    status.hidden = true;
  });
  editBox.addEventListener('day-unchanged', () => {
    say(m('console.edit.nothing'), 'info');
    status.focus();
  });
  editBox.addEventListener('day-saved', (event) => {
    const saved = (event as CustomEvent<Day>).detail;
    day = saved;
    renderDay(saved);
    say(m('console.edit.saved'));
    status.focus();
    void loadBookings();
  });
  editBox.addEventListener('day-conflict', () => {
    conflict.hidden = false;
    conflict.focus();
  });

  $<HTMLButtonElement>('#conflict-reload').addEventListener('click', async () => {
    if (await loadDay()) {
      conflict.hidden = true;
      void loadBookings();
      say(m('console.conflict.reloaded'), 'info');
      $<HTMLElement>('#edit-heading').focus();
    }
  });

  // ---- cancelling (DayCancel.astro) ----

  cancelBox.init({
    c,
    dayId,
    day: () => day,
    conflict,
    onCancelled: (cancelled, n) => {
      day = cancelled;
      renderDay(cancelled);
      say(m('console.cancel.done', { n }));
      status.focus();
      void loadBookings();
    },
  });

  if (await loadDay()) await loadBookings();
};

runConsolePage(run, undefined, { revealsBody: true });
