/**
 * Staff console, one day: `GET …/{dayId}` for the details, `PATCH` with `version` for edits (a
 * VERSION_CONFLICT shows #conflict-message with a reload button), `POST …/cancel` with a reason after a
 * confirmation, `GET …/bookings` (all pages) grouped by slot with attendance buttons
 * (`POST /api/staff/bookings/{code}/attendance`), turning an attended booking's outcome into a follow-up
 * (`POST /api/staff/ledger-items`, source `booking`, from a small form in a row under the booking),
 * a message to all the day's bookers (`POST …/messages`, after a confirmation naming how many), and
 * the CSV / XLSX exports fetched with the token.
 */

import { dayPatch } from '../../../shared/consultation.ts';
import { slotProblems } from '../../../shared/consultation-rules.ts';
import type { StaffDay as Day } from '../../../shared/consultation-views.ts';
import { names } from '../../../shared/jurisdictions.ts';
import { api, errorCodeOf, fieldsOf } from '../kit/api.ts';
import { failureText } from '../kit/messages.ts';
import { sortable } from '../kit/sortable.ts';
import {
  formProblems,
  isoToLocal,
  localToIso,
  onSubmit,
  type Problem,
  runConsolePage,
  splitTopics,
  type TypedConsole,
} from './console.ts';
import { bookingsTable } from './console-day/bookings.ts';
import { cancelDay } from './console-day/cancel.ts';
import { dayExports } from './console-day/exports.ts';
import { followUps } from './console-day/follow-up.ts';
import { dayNotice } from './console-day/notice.ts';
import { dayProblemFor, slotIso, slotMessageKey } from './day-fields.ts';
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
  const form = $<HTMLFormElement>('#edit-day-form');
  const summary = $<HTMLElement>('#edit-errors');
  const formErrors = formProblems(form, summary, m);
  const conflict = $<HTMLElement>('#conflict-message');
  const venue = $<HTMLInputElement>('#edit-venue');
  const onlineUrl = $<HTMLInputElement>('#edit-online-url');
  const topics = $<HTMLTextAreaElement>('#edit-topics');
  const closes = $<HTMLInputElement>('#edit-closes');
  const capacities = $<HTMLElement>('#edit-capacities');
  const addStart = $<HTMLInputElement>('#add-start');
  const addEnd = $<HTMLInputElement>('#add-end');
  const addCapacity = $<HTMLInputElement>('#add-capacity');
  const save = $<HTMLButtonElement>('#edit-day-form button[type=submit]');
  const cancelButton = $<HTMLButtonElement>('#cancel-day');
  const cancelForm = $<HTMLFormElement>('#cancel-confirm');
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
    formErrors.clear();
    venue.value = d.venue ?? '';
    onlineUrl.value = d.onlineUrl ?? '';
    topics.value = d.topics.join('\n');
    closes.value = isoToLocal(d.bookingClosesAt);
    addStart.value = '';
    addEnd.value = '';
    addCapacity.value = '';
    capacities.replaceChildren(
      ...d.slots.map((slot) => {
        const row = el('div', 'cap-row field');
        const label = el('label', undefined, timeRange(slot.startsAt, slot.endsAt));
        const input = el('input');
        input.type = 'number';
        input.inputMode = 'numeric';
        input.min = '1';
        input.max = root.dataset.max ?? '500';
        input.step = '1';
        input.id = `cap-${slot.slotId}`;
        input.name = 'capacity';
        input.dataset.slotId = slot.slotId;
        input.value = String(slot.capacity);
        label.htmlFor = input.id;
        row.append(label, input);
        return row;
      }),
    );
    const cancelled = d.status === 'cancelled';
    $<HTMLElement>('#cancelled-notice').hidden = !cancelled;
    form.hidden = cancelled;
    $<HTMLElement>('#day-notice').hidden = d.status !== 'open';
    cancelButton.hidden = cancelled;
    if (cancelled) cancelForm.hidden = true;
  };

  const loadDay = async (): Promise<boolean> => {
    const { status: code, body: answer } = await api('days.get', { params: { dayId }, token });
    const found = (answer as { day?: Day } | null)?.day;
    if (code === 401) return false;
    if (code !== 200 || !found) {
      body.hidden = true;
      fail(`${m('console.day.failed')} ${errorText(code, answer)}`);
      return false;
    }
    day = found;
    problemBox.hidden = true;
    renderDay(found);
    body.hidden = false;
    return true;
  };

  const { loadBookings, bookings } = bookingsTable({
    c,
    dayId,
    day: () => day,
    table,
    problem: bookingsProblem,
    status: bookingsStatus,
    opens: $<HTMLElement>('#attendance-opens'),
    followUpButton: followUps(c, root, table, bookingsStatus, () => day?.date),
  });

  dayNotice({ c, dayId, day: () => day, bookings });

  // ---- exports ----

  dayExports(c, root, dayId, () => day);

  // ---- editing ----

  const capacityInputs = () => [...capacities.querySelectorAll<HTMLInputElement>('input[data-slot-id]')];

  const patchOf = (d: Day): Record<string, unknown> => {
    const patch: Record<string, unknown> = { version: d.version };
    const v = venue.value.trim();
    if (v !== (d.venue ?? '')) patch.venue = v;
    const u = onlineUrl.value.trim();
    if (u !== (d.onlineUrl ?? '')) patch.onlineUrl = u;
    const t = splitTopics(topics.value);
    if (t.join('\n') !== d.topics.join('\n')) patch.topics = t;
    if (closes.value !== isoToLocal(d.bookingClosesAt)) patch.bookingClosesAt = localToIso(closes.value);
    const caps: Record<string, number> = {};
    for (const input of capacityInputs()) {
      const slot = d.slots.find((s) => s.slotId === input.dataset.slotId);
      const value = input.value === '' ? Number.NaN : Number(input.value);
      if (slot && value !== slot.capacity) caps[slot.slotId] = value;
    }
    if (Object.keys(caps).length > 0) patch.capacities = caps;
    if (addStart.value || addEnd.value || addCapacity.value) {
      patch.addSlots = [
        {
          startsAt: slotIso(d.date, addStart.value),
          endsAt: slotIso(d.date, addEnd.value),
          capacity: addCapacity.value === '' ? Number.NaN : Number(addCapacity.value),
        },
      ];
    }
    return patch;
  };

  const dayControls = { venue, onlineUrl, topics, bookingClosesAt: closes };
  const problemFor = (key: string, text?: string): Problem => {
    const [head, second, third] = key.split('.');
    switch (head) {
      case 'capacities': {
        const input = capacityInputs().find((i) => i.dataset.slotId === second) ?? capacityInputs()[0];
        const n = capacityInputs().indexOf(input as HTMLInputElement) + 1 || 1;
        return { control: input, text: m('console.err.capacity', { n }) };
      }
      case 'addSlots':
      case 'slots': {
        const field = third ?? 'startsAt';
        const control = field === 'capacity' ? addCapacity : field === 'endsAt' ? addEnd : addStart;
        const n = (day?.slots.length ?? 0) + 1;
        return { control, text: m(slotMessageKey(field, text), { n }) };
      }
      default:
        return dayProblemFor(m, dayControls, key, text);
    }
  };

  const problems = (patch: Record<string, unknown>): Map<string, Problem> => {
    const found = new Map<string, Problem>();
    const result = dayPatch.safeParse(patch);
    if (!result.success) {
      for (const issue of result.error.issues) {
        const path = issue.path.map(String);
        const key = path[0] === 'addSlots' || path[0] === 'capacities' ? path.slice(0, 3).join('.') : (path[0] ?? '');
        if (!found.has(key)) found.set(key, problemFor(key, issue.message));
      }
    } else if (day && result.data.addSlots?.length) {
      const all = [
        ...day.slots.map((s) => ({ startsAt: s.startsAt, endsAt: s.endsAt, capacity: s.capacity })),
        ...result.data.addSlots,
      ];
      for (const [key, text] of Object.entries(slotProblems(day.date, all))) {
        const index = Number(key.split('.')[1]);
        const field = key.split('.')[2] ?? 'startsAt';
        const k = index >= day.slots.length ? `addSlots.0.${field}` : `addSlots.0.startsAt`;
        if (!found.has(k)) found.set(k, problemFor(k, text));
      }
    }
    return found;
  };

  const showProblems = (found: Map<string, Problem>) => formErrors.show(found.values());

  onSubmit(form, save, m('console.edit.saving'), async (busy) => {
    if (!day) return;
    conflict.hidden = true;
    status.hidden = true;
    const patch = patchOf(day);
    if (Object.keys(patch).length === 1) {
      formErrors.clear();
      say(m('console.edit.nothing'), 'info');
      status.focus();
      return;
    }
    if (!formErrors.passes(problems(patch).values())) return;
    const { status: code, body: answer } = await busy(() =>
      api('days.update', { params: { dayId }, method: 'PATCH', json: patch, token }),
    );
    const updated = (answer as { day?: Day } | null)?.day;
    const error = errorCodeOf(answer);
    if (code === 200 && updated) {
      day = updated;
      renderDay(updated);
      say(m('console.edit.saved'));
      status.focus();
      void loadBookings();
      return;
    }
    if (error === 'VERSION_CONFLICT') {
      conflict.hidden = false;
      conflict.focus();
      return;
    }
    if (error === 'CAPACITY_BELOW_BOOKED') {
      const changed = Object.keys((patch.capacities as Record<string, number> | undefined) ?? {});
      const found = new Map<string, Problem>();
      for (const slotId of changed) {
        const input = capacityInputs().find((i) => i.dataset.slotId === slotId);
        const slot = day.slots.find((s) => s.slotId === slotId);
        if (input && slot && Number(input.value) < slot.capacity) {
          found.set(slotId, { control: input, text: m('console.err.capacityBelow') });
        }
      }
      if (found.size === 0) found.set('', { text: m('console.err.capacityBelow') });
      showProblems(found);
      return;
    }
    if (code === 400 || error === 'VALIDATION_FAILED') {
      const fields = fieldsOf(answer);
      const found = new Map<string, Problem>();
      for (const [key, text] of Object.entries(fields))
        found.set(key, problemFor(key, typeof text === 'string' ? text : undefined));
      if (found.size === 0) found.set('', { text: m('error.VALIDATION_FAILED') });
      showProblems(found);
      return;
    }
    formErrors.fail(errorText(code, answer));
  });

  $<HTMLButtonElement>('#conflict-reload').addEventListener('click', async () => {
    if (await loadDay()) {
      conflict.hidden = true;
      void loadBookings();
      say(m('console.conflict.reloaded'), 'info');
      $<HTMLElement>('#edit-heading').focus();
    }
  });

  // ---- cancelling ----

  cancelDay({
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
