/**
 * Staff console, the list page: loads the days in scope (`GET /api/staff/consultation-days`) and
 * publishes a new one (`POST`). The form is checked with the API's own schema (`dayInput`) and rules
 * (`dayProblems`) before it is sent; the server's `fields` (`venue`, `slots.0.startsAt`, …) land on
 * the same inputs. Problems go to the error summary, which takes focus. The days show as a list or as
 * a month calendar (console-days/calendar.ts); `?view=calendar&month=YYYY-MM` keeps the choice.
 */

import { type DayInput, dayInput, dayProblems } from '../../../shared/consultation.ts';
import type { StaffDay as Day } from '../../../shared/consultation-views.ts';
import { contains, levelOf, names } from '../../../shared/jurisdictions.ts';
import { shanghaiDate } from '../../../shared/time.ts';
import { api, errorCodeOf, fieldsOf } from '../kit/api.ts';
import {
  formProblems,
  localToIso,
  onSubmit,
  type Problem,
  runConsolePage,
  setFieldError,
  splitTopics,
  type TypedConsole,
} from './console.ts';
import { dayCalendar, monthOf } from './console-days/calendar.ts';
import { dayList } from './console-days/list.ts';
import { dayProblemFor, slotIso, slotMessageKey } from './day-fields.ts';
import { buttonEl, dayLabel, el } from './format.ts';

const run = async (c: TypedConsole, root: HTMLElement) => {
  const { lang, m, $ } = c;
  const body = $<HTMLElement>('#console-body');
  const list = $<HTMLElement>('#staff-days');
  const status = $<HTMLElement>('#console-status');
  const form = $<HTMLFormElement>('#new-day-form');
  const summary = $<HTMLElement>('#day-errors');
  const date = $<HTMLInputElement>('#day-date');
  const jurisdiction = $<HTMLSelectElement>('#day-jurisdiction');
  const mode = $<HTMLSelectElement>('#day-mode');
  const venue = $<HTMLInputElement>('#day-venue');
  const onlineUrl = $<HTMLInputElement>('#day-online-url');
  const topics = $<HTMLTextAreaElement>('#day-topics');
  const closes = $<HTMLInputElement>('#day-closes');
  const rows = $<HTMLElement>('#slot-rows');
  const addSlot = $<HTMLButtonElement>('#add-slot');
  const live = $<HTMLElement>('#slot-live');
  const submit = $<HTMLButtonElement>('#new-day-form button[type=submit]');
  const dayPath = c.path('/staff/consultation-days/day/');
  body.hidden = false;

  const { loadDays } = dayList({ c, list, dayPath, checkInPath: c.path('/staff/consultation-days/check-in/') });

  // ---- list or month calendar, kept in the URL ----

  const calendarBox = $<HTMLElement>('#staff-calendar');
  const range = $<HTMLElement>('#staff-days-range');
  const switches = [...root.querySelectorAll<HTMLButtonElement>('.view-switch [data-view]')];
  const asked = new URLSearchParams(location.search);
  let view: 'list' | 'calendar' = asked.get('view') === 'calendar' ? 'calendar' : 'list';
  let month = monthOf(asked.get('month')) ?? shanghaiDate(new Date()).slice(0, 7);
  const remember = () => {
    const query = new URLSearchParams(location.search);
    query.delete('view');
    query.delete('month');
    if (view === 'calendar') {
      query.set('view', 'calendar');
      query.set('month', month);
    }
    const search = query.toString();
    history.replaceState(history.state, '', `${location.pathname}${search ? `?${search}` : ''}${location.hash}`);
  };
  const calendar = dayCalendar({
    c,
    box: calendarBox,
    dayPath,
    moved: (to) => {
      month = to;
      remember();
    },
  });
  /** Shows the chosen view, reading its days (the list's are read once at the start and after a new day). */
  const showView = async () => {
    for (const button of switches) button.setAttribute('aria-pressed', String(button.dataset.view === view));
    list.hidden = view !== 'list';
    range.hidden = view !== 'list';
    calendarBox.hidden = view !== 'calendar';
    if (view === 'calendar') await calendar.show(month);
  };
  for (const button of switches) {
    button.addEventListener('click', () => {
      const chosen = button.dataset.view === 'calendar' ? 'calendar' : 'list';
      if (chosen === view) return;
      view = chosen;
      remember();
      void showView();
    });
  }

  // ---- the form: jurisdictions and mode ----

  const scope = c.me.jurisdiction.code;
  for (const [code, name] of Object.entries(names).sort(([a], [b]) => a.localeCompare(b))) {
    const label = lang === 'zh' ? `${name.zh}（${code}）` : `${name.en} (${code})`;
    if (contains(scope, code)) jurisdiction.append(new Option(label, code));
  }
  const defaultJurisdiction = levelOf(scope) === 'county' ? scope : '';
  jurisdiction.value = [...jurisdiction.options].some((o) => o.value === defaultJurisdiction)
    ? defaultJurisdiction
    : '';

  const showPlaces = () => {
    const needVenue = mode.value !== 'online';
    const needLink = mode.value !== 'onsite';
    (venue.closest('.field') as HTMLElement).hidden = !needVenue;
    (onlineUrl.closest('.field') as HTMLElement).hidden = !needLink;
    venue.required = needVenue;
    onlineUrl.required = needLink;
  };
  mode.addEventListener('change', showPlaces);
  showPlaces();

  // ---- the slot editor ----

  let rowSeq = 0;
  const slotRows = () => [...rows.querySelectorAll<HTMLElement>('.slot-row')];
  const inputOf = (row: HTMLElement, name: 'start' | 'end' | 'capacity') =>
    row.querySelector(`[name=${name}]`) as HTMLInputElement;

  const renumber = () => {
    const all = slotRows();
    all.forEach((row, i) => {
      const n = i + 1;
      const legend = row.querySelector('legend');
      if (legend) legend.textContent = m('console.slot.n', { n });
      const remove = row.querySelector<HTMLButtonElement>('[data-action=remove-slot]');
      if (remove) {
        remove.setAttribute('aria-label', m('console.slot.removeLabel', { n }));
        remove.hidden = all.length === 1;
      }
    });
  };

  const plusHour = (time: string): string => {
    const match = /^(\d{2}):(\d{2})$/.exec(time);
    if (!match) return '';
    const hour = Math.min(23, Number(match[1]) + 1);
    return `${String(hour).padStart(2, '0')}:${match[2]}`;
  };

  const addRow = (start = '', end = '', capacity = '') => {
    rowSeq += 1;
    const id = `slot-${rowSeq}`;
    const row = el('fieldset', 'slot-row');
    row.append(el('legend'));
    const cell = (name: 'start' | 'end' | 'capacity', label: string, value: string) => {
      const wrap = el('div', 'field');
      const lab = el('label', undefined, label);
      lab.htmlFor = `${id}-${name}`;
      const input = el('input');
      input.id = `${id}-${name}`;
      input.name = name;
      input.value = value;
      if (name === 'capacity') {
        input.type = 'number';
        input.inputMode = 'numeric';
        input.min = '1';
        input.max = root.dataset.max ?? '500';
        input.step = '1';
      } else {
        input.type = 'time';
        input.step = '60';
      }
      input.required = true;
      input.addEventListener('input', () => {
        if (input.getAttribute('aria-invalid') === 'true') check();
      });
      wrap.append(lab, input);
      return wrap;
    };
    const remove = buttonEl('button-secondary button-small slot-remove', m('console.slot.remove'));
    remove.dataset.action = 'remove-slot';
    remove.addEventListener('click', () => {
      const all = slotRows();
      const index = all.indexOf(row);
      row.remove();
      renumber();
      live.textContent = m('console.slot.removed', { n: slotRows().length });
      const next = slotRows()[Math.min(index, slotRows().length - 1)];
      (next ? inputOf(next, 'start') : addSlot).focus();
    });
    row.append(
      cell('start', m('console.slot.start'), start),
      cell('end', m('console.slot.end'), end),
      cell('capacity', m('console.slot.capacity'), capacity),
      remove,
    );
    rows.append(row);
    renumber();
    return row;
  };

  addSlot.addEventListener('click', () => {
    const last = slotRows().at(-1);
    const start = last ? inputOf(last, 'end').value : '09:00';
    const row = addRow(start, plusHour(start), last ? inputOf(last, 'capacity').value : '10');
    inputOf(row, 'start').focus();
  });

  // ---- checking ----

  const values = () => {
    const day = date.value;
    const when = /^\d{4}-\d{2}-\d{2}$/.test(day) ? day : '2000-01-01';
    const data: Record<string, unknown> = {
      date: day,
      jurisdiction: jurisdiction.value,
      mode: mode.value,
      topics: splitTopics(topics.value),
      slots: slotRows().map((row) => ({
        startsAt: slotIso(when, inputOf(row, 'start').value),
        endsAt: slotIso(when, inputOf(row, 'end').value),
        capacity: inputOf(row, 'capacity').value === '' ? Number.NaN : Number(inputOf(row, 'capacity').value),
      })),
    };
    if (mode.value !== 'online' && venue.value.trim()) data.venue = venue.value.trim();
    if (mode.value !== 'onsite' && onlineUrl.value.trim()) data.onlineUrl = onlineUrl.value.trim();
    if (closes.value) data.bookingClosesAt = localToIso(closes.value);
    return data;
  };

  const dayControls = { venue, onlineUrl, topics, bookingClosesAt: closes };
  /** A problem key (`venue`, `slots.1.capacity`, …) → the control and the message. */
  const problemFor = (key: string, text?: string): Problem => {
    const [head, index, field] = key.split('.');
    switch (head) {
      case 'date':
        return { control: date, text: m('console.err.date') };
      case 'jurisdiction':
        return { control: jurisdiction, text: m('console.err.jurisdiction') };
      case 'mode':
        return { control: mode, text: m('console.err.mode') };
      case 'slots': {
        const row = index === undefined ? undefined : slotRows()[Number(index)];
        if (!row) return { control: addSlot, text: m('console.err.slots') };
        const name = field === 'capacity' ? 'capacity' : field === 'endsAt' ? 'end' : 'start';
        return {
          control: inputOf(row, name),
          text: m(slotMessageKey(field ?? 'startsAt', text), { n: Number(index) + 1 }),
        };
      }
      default:
        return dayProblemFor(m, dayControls, key, text);
    }
  };

  const problems = (): Map<string, Problem> => {
    const found = new Map<string, Problem>();
    const data = values();
    const result = dayInput.safeParse(data);
    if (result.success) {
      for (const [key, text] of Object.entries(dayProblems(result.data))) found.set(key, problemFor(key, text));
    } else {
      const badSlots = new Set<string>();
      for (const issue of result.error.issues) {
        const path = issue.path.map(String);
        // `topics.3` is about the topics field; `slots.0.startsAt` about one input.
        const key = path[0] === 'slots' ? path.slice(0, 3).join('.') : (path[0] ?? '');
        if (path[0] === 'slots' && path[1] !== undefined) badSlots.add(path[1]);
        if (!found.has(key)) found.set(key, problemFor(key, issue.message));
      }
      // The cross-field rules too (venue, link, overlaps), for the slots that parse, so one submit tells all.
      if (!found.has('date')) {
        for (const [key, text] of Object.entries(dayProblems(data as DayInput))) {
          const [head, index] = key.split('.');
          if (head === 'slots' && (index === undefined || badSlots.has(index))) continue;
          if (!found.has(key)) found.set(key, problemFor(key, text));
        }
      }
    }
    return found;
  };

  const controls = () => [
    date,
    jurisdiction,
    mode,
    venue,
    onlineUrl,
    topics,
    closes,
    addSlot,
    ...slotRows().flatMap((row) => [inputOf(row, 'start'), inputOf(row, 'end'), inputOf(row, 'capacity')]),
  ];

  const formErrors = formProblems(form, summary, m);
  const show = (found: Map<string, Problem>) => formErrors.show(found.values());

  /**
   * Re-checks while someone corrects a marked field: every marked one, since a slot's times bear on
   * the others' (never marks a field not yet marked).
   */
  const check = () => {
    const found = problems();
    for (const control of controls()) {
      if (control.getAttribute('aria-invalid') !== 'true') continue;
      const problem = [...found.values()].find((p) => p.control === control);
      setFieldError(control, problem?.text);
    }
    if (found.size === 0) formErrors.clear();
  };

  for (const control of [date, jurisdiction, mode, venue, onlineUrl, topics, closes]) {
    control.addEventListener(control.tagName === 'SELECT' || control.type === 'date' ? 'change' : 'input', () => {
      if (control.getAttribute('aria-invalid') === 'true') check();
    });
  }

  // ---- sending ----

  onSubmit(form, submit, m('console.creating'), async (busy) => {
    if (!formErrors.passes(problems().values())) return;
    const data = values();
    const { status: code, body: answer } = await busy(() => api('days.create', { json: data, token: c.token }));
    const day = (answer as { day?: Day } | null)?.day;
    if (code === 201 && day) {
      form.reset();
      rows.replaceChildren();
      addRow('09:00', '10:00', '10');
      jurisdiction.value = defaultJurisdiction;
      showPlaces();
      await Promise.all([loadDays(), view === 'calendar' ? calendar.show(month) : undefined]);
      status.replaceChildren();
      const link = el('a', undefined, m('console.created', { date: dayLabel(day.date, lang) }));
      link.href = `${dayPath}?id=${encodeURIComponent(day.dayId)}`;
      status.append(link);
      status.dataset.kind = 'success';
      status.hidden = false;
      status.focus();
      status.scrollIntoView({ block: 'center' });
      return;
    }
    const error = errorCodeOf(answer);
    if (code === 401) return;
    if (code === 400 || error === 'VALIDATION_FAILED') {
      const fields = fieldsOf(answer);
      const mapped = new Map<string, Problem>();
      for (const [key, text] of Object.entries(fields)) {
        mapped.set(key, problemFor(key, typeof text === 'string' ? text : undefined));
      }
      if (mapped.size === 0) mapped.set('', { text: m('error.VALIDATION_FAILED') });
      show(mapped);
      return;
    }
    const text = m(code === 0 ? 'error.NETWORK' : `error.${error ?? 'INTERNAL'}`);
    if (code === 403 || error === 'FORBIDDEN') {
      show(new Map([['jurisdiction', { control: jurisdiction, text }]]));
      return;
    }
    formErrors.fail(text);
  });

  addRow('09:00', '10:00', '10');
  date.min = shanghaiDate(new Date());
  await Promise.all([loadDays(), showView()]);
};

runConsolePage(run);
