/**
 * The console's "publish a day" form. It is checked with the API's own schema (`dayInput`) and rules
 * (`dayProblems`), loaded on first use, before it is sent; the server's `fields` (`venue`,
 * `slots.0.startsAt`, …) land on the same inputs. Problems go to the error summary, which takes focus.
 * Its sections: the place fields the mode asks for, the jurisdiction picker, the slot editor
 * (slots.ts), then checking and sending.
 */
import type { DayInput } from '../../../../shared/consultation.ts';
import { contains, levelOf, names } from '../../../../shared/jurisdictions.ts';
import { shanghaiDate } from '../../../../shared/time.ts';
import { api, errorCodeOf, fieldsOf } from '../../kit/api.ts';
import { lazy, warmOn } from '../../kit/lazy.ts';
import { formProblems, localToIso, onSubmit, type Problem, splitTopics, type TypedConsole } from '../console.ts';
import { dayProblemFor, slotIso, slotMessageKey } from '../day-fields.ts';
import { remarkFields } from '../form-fields.ts';
import { dayLabel, el } from '../format.ts';
import { slotEditor } from './slots.ts';

/** The venue and the online link: each shown and required only when the mode needs it. */
const placeFields = (c: TypedConsole) => {
  const { $ } = c;
  const mode = $<HTMLSelectElement>('#day-mode');
  const venue = $<HTMLInputElement>('#day-venue');
  const onlineUrl = $<HTMLInputElement>('#day-online-url');
  const show = () => {
    const needVenue = mode.value !== 'online';
    const needLink = mode.value !== 'onsite';
    (venue.closest('.field') as HTMLElement).hidden = !needVenue;
    (onlineUrl.closest('.field') as HTMLElement).hidden = !needLink;
    venue.required = needVenue;
    onlineUrl.required = needLink;
  };
  mode.addEventListener('change', show);
  show();
  return { mode, venue, onlineUrl, show };
};

/** The jurisdictions in scope; a county's staff get their county chosen. */
const jurisdictionPicker = (c: TypedConsole) => {
  const { lang, $ } = c;
  const jurisdiction = $<HTMLSelectElement>('#day-jurisdiction');
  const scope = c.me.jurisdiction.code;
  for (const [code, name] of Object.entries(names).sort(([a], [b]) => a.localeCompare(b))) {
    const label = lang === 'zh' ? `${name.zh}（${code}）` : `${name.en} (${code})`;
    if (contains(scope, code)) jurisdiction.append(new Option(label, code));
  }
  const defaultJurisdiction = levelOf(scope) === 'county' ? scope : '';
  const reset = () => {
    jurisdiction.value = [...jurisdiction.options].some((o) => o.value === defaultJurisdiction)
      ? defaultJurisdiction
      : '';
  };
  reset();
  return { jurisdiction, reset };
};

/** `created` shows the new day among the others (list or calendar) before the form says it is made. */
// The API's own schema and rules (zod, 9 KB gzip) load when the user turns to the form, not with the list.
const rules = lazy(() => import('../../../../shared/consultation.ts'));

export const newDayForm = (c: TypedConsole, root: HTMLElement, dayPath: string, created: () => Promise<unknown>) => {
  const { lang, m, $ } = c;
  const form = $<HTMLFormElement>('#new-day-form');
  warmOn(form, rules);
  const date = $<HTMLInputElement>('#day-date');
  const topics = $<HTMLTextAreaElement>('#day-topics');
  const closes = $<HTMLInputElement>('#day-closes');
  const places = placeFields(c);
  const { mode, venue, onlineUrl } = places;
  const picker = jurisdictionPicker(c);
  const { jurisdiction } = picker;
  const slots = slotEditor(c, root, () => check());
  const { addSlot, slotRows, inputOf } = slots;

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

  /** The form's problems by the API's own rules; none while they have not loaded (the API answers 400 alike). */
  const problems = (): Map<string, Problem> => {
    const found = new Map<string, Problem>();
    if (!rules.now) return found;
    const { dayInput, dayProblems } = rules.now;
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

  const formErrors = formProblems(form, $<HTMLElement>('#day-errors'), m);
  const show = (found: Map<string, Problem>) => formErrors.show(found.values());

  /**
   * Re-checks while someone corrects a marked field: every marked one, since a slot's times bear on
   * the others' (never marks a field not yet marked).
   */
  const check = () => {
    const found = problems();
    remarkFields(controls(), found.values());
    if (found.size === 0) formErrors.clear();
  };

  for (const control of [date, jurisdiction, mode, venue, onlineUrl, topics, closes]) {
    control.addEventListener(control.tagName === 'SELECT' || control.type === 'date' ? 'change' : 'input', () => {
      if (control.getAttribute('aria-invalid') === 'true') check();
    });
  }

  // ---- sending ----

  onSubmit(form, $<HTMLButtonElement>('#new-day-form button[type=submit]'), m('console.creating'), async (busy) => {
    await busy(() => rules().catch(() => undefined));
    if (!formErrors.passes(problems().values())) return;
    const data = values();
    const result = await busy(() => api('days.create', { json: data, token: c.token }));
    if (result.ok) {
      const { day } = result.body;
      form.reset();
      slots.reset();
      picker.reset();
      places.show();
      await created();
      const status = $<HTMLElement>('#console-status');
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
    const { status: code, body: answer } = result;
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

  slots.reset();
  date.min = shanghaiDate(new Date());
};
