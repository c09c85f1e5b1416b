/**
 * The days list's month calendar (issue 20): one month of the consultation days in scope
 * (`GET /api/staff/consultation-days?from=<first>&to=<last>`) as a grid of weeks, Monday first, in
 * Beijing dates whatever the browser's zone; each day's entries (time, venue, status, booked/capacity)
 * link to the day page. Today is marked; the mainland's public holidays are shaded once
 * `chinese-days` has loaded (a dynamic import, so the page does not wait for it). On a phone the CSS
 * turns the grid into an agenda: only the days with entries (and today), one under the other.
 */
import type { StaffDay as Day } from '../../../../shared/consultation-views.ts';
import { names } from '../../../../shared/jurisdictions.ts';
import { shanghaiDate } from '../../../../shared/time.ts';
import { api } from '../../kit/api.ts';
import { answerFailureBox } from '../../kit/failure.ts';
import type { TypedConsole } from '../console.ts';
import { buttonEl, dayLabel, el, timeRange } from '../format.ts';

export interface CalendarContext {
  c: TypedConsole;
  box: HTMLElement;
  dayPath: string;
  /** Called with the month shown, after a move to another month (the page keeps it in the URL). */
  moved: (month: string) => void;
}

const MONTH = /^(\d{4})-(\d{2})$/;

/** `2026-12` when `value` is a month from 2000 to 2999, else undefined. */
export const monthOf = (value: string | null | undefined): string | undefined => {
  const match = MONTH.exec(value ?? '');
  if (!match) return undefined;
  const [year, month] = [Number(match[1]), Number(match[2])];
  return year >= 2000 && year <= 2999 && month >= 1 && month <= 12 ? (value as string) : undefined;
};

/** The month `delta` months after `month` (`2026-12`, 1 → `2027-01`). */
export const addMonths = (month: string, delta: number): string => {
  const [year, m] = month.split('-').map(Number) as [number, number];
  const d = new Date(Date.UTC(year, m - 1 + delta, 1));
  return `${d.getUTCFullYear()}-${String(d.getUTCMonth() + 1).padStart(2, '0')}`;
};

/**
 * The weeks of a month as calendar dates, Monday first: `null` for the cells before the 1st and after
 * the last day. Plain UTC date arithmetic: a calendar date has no time zone.
 */
export const monthWeeks = (month: string): (string | null)[][] => {
  const [year, m] = month.split('-').map(Number) as [number, number];
  const lead = (new Date(Date.UTC(year, m - 1, 1)).getUTCDay() + 6) % 7;
  const length = new Date(Date.UTC(year, m, 0)).getUTCDate();
  const cells: (string | null)[] = Array.from({ length: lead }, () => null);
  for (let d = 1; d <= length; d++) cells.push(`${month}-${String(d).padStart(2, '0')}`);
  while (cells.length % 7 !== 0) cells.push(null);
  const weeks: (string | null)[][] = [];
  for (let i = 0; i < cells.length; i += 7) weeks.push(cells.slice(i, i + 7));
  return weeks;
};

export const dayCalendar = ({ c, box, dayPath, moved }: CalendarContext) => {
  const { lang, m } = c;
  const locale = lang === 'zh' ? 'zh-CN' : 'en-GB';
  const monthName = (month: string) =>
    new Intl.DateTimeFormat(locale, { timeZone: 'UTC', year: 'numeric', month: 'long' }).format(
      new Date(`${month}-01T00:00:00Z`),
    );
  // 2024-01-01 was a Monday: the seven weekday names from it, short and long.
  const weekdays = Array.from({ length: 7 }, (_, i) => new Date(Date.UTC(2024, 0, 1 + i)));
  const weekday = (d: Date, width: 'short' | 'long') =>
    new Intl.DateTimeFormat(locale, { timeZone: 'UTC', weekday: width }).format(d);
  const placeOf = (day: Day) =>
    day.venue ?? day.jurisdiction.name?.[lang] ?? names[day.jurisdiction.code]?.[lang] ?? day.jurisdiction.code;

  let shown = '';
  let seq = 0;

  const entry = (day: Day): HTMLElement => {
    const item = el('li', `cal-entry${day.status === 'open' ? '' : ' cal-entry-cancelled'}`);
    const link = el('a');
    link.href = `${dayPath}?id=${encodeURIComponent(day.dayId)}`;
    link.dataset.dayId = day.dayId;
    const first = day.slots[0];
    const last = day.slots.at(-1);
    if (first && last) link.append(el('span', 'cal-time', timeRange(first.startsAt, last.endsAt)), ' ');
    link.append(el('span', 'cal-venue', placeOf(day)));
    const badge = el('span', 'badge', m(`console.status.${day.status}`));
    badge.dataset.status = day.status === 'open' ? 'confirmed' : 'cancelled';
    let booked = 0;
    let capacity = 0;
    for (const slot of day.slots) {
      booked += slot.confirmed ?? slot.capacity - slot.remaining;
      capacity += slot.capacity;
    }
    item.append(link, ' ', badge, ' ', el('span', 'cal-count', m('desk.cal.booked', { booked, capacity })));
    return item;
  };

  const grid = (month: string, days: Day[]): HTMLElement => {
    const today = shanghaiDate(new Date());
    const byDate = new Map<string, Day[]>();
    for (const day of days) byDate.set(day.date, [...(byDate.get(day.date) ?? []), day]);
    const table = el('table', 'cal-grid');
    table.append(el('caption', 'visually-hidden', m('desk.cal.caption', { month: monthName(month) })));
    const head = el('tr');
    for (const d of weekdays) {
      const th = el('th', undefined, weekday(d, 'short'));
      th.scope = 'col';
      th.abbr = weekday(d, 'long');
      head.append(th);
    }
    const thead = el('thead');
    thead.append(head);
    const tbody = el('tbody');
    for (const week of monthWeeks(month)) {
      const row = el('tr');
      for (const date of week) {
        const td = el('td');
        if (!date) {
          td.className = 'cal-blank';
          row.append(td);
          continue;
        }
        const entries = (byDate.get(date) ?? []).sort((a, b) =>
          (a.slots[0]?.startsAt ?? '').localeCompare(b.slots[0]?.startsAt ?? ''),
        );
        td.className = 'cal-day';
        td.dataset.date = date;
        if (entries.length === 0) td.dataset.empty = '';
        const number = el('p', 'cal-date');
        // The day number on the grid; its full label (with weekday) for the phone's agenda and readers.
        const num = el('span', 'cal-num', String(Number(date.slice(8))));
        num.setAttribute('aria-hidden', 'true');
        number.append(num, el('span', 'cal-label', dayLabel(date, lang)));
        if (date === today) {
          td.classList.add('cal-today');
          td.setAttribute('aria-current', 'date');
          number.append(' ', el('span', 'cal-today-tag', m('desk.cal.today')));
        }
        td.append(number);
        if (entries.length > 0) {
          const list = el('ul', 'cal-entries');
          for (const day of entries) list.append(entry(day));
          td.append(list);
        }
        row.append(td);
      }
      tbody.append(row);
    }
    table.append(thead, tbody);
    return table;
  };

  /** Shades the month's public holidays (weekends are not marked: every calendar shows those). */
  const shadeHolidays = async (month: string, table: HTMLElement) => {
    try {
      const { default: chineseDays } = await import('chinese-days');
      const last = new Date(Date.UTC(Number(month.slice(0, 4)), Number(month.slice(5)), 0)).getUTCDate();
      const holidays = chineseDays.getHolidaysInRange(`${month}-01`, `${month}-${last}`, false);
      for (const date of holidays) {
        const td = table.querySelector<HTMLElement>(`td[data-date="${date}"]`);
        if (!td || td.querySelector('.cal-holiday')) continue;
        td.classList.add('cal-is-holiday');
        td.querySelector('.cal-date')?.append(' ', el('span', 'cal-holiday', m('desk.cal.holiday')));
      }
    } catch {
      // Shading is a help: without it the calendar is still whole.
    }
  };

  const show = async (month: string, focus = false): Promise<void> => {
    shown = month;
    const mine = ++seq;
    const prev = buttonEl('button-secondary button-small', `‹ ${m('desk.cal.prev')}`);
    prev.dataset.move = '-1';
    const next = buttonEl('button-secondary button-small', `${m('desk.cal.next')} ›`);
    next.dataset.move = '1';
    const title = el('h3', 'cal-title', monthName(month));
    title.id = 'cal-title';
    title.tabIndex = -1;
    title.setAttribute('aria-live', 'polite');
    const bar = el('div', 'cal-bar');
    bar.append(prev, title, next);
    for (const button of [prev, next]) {
      button.addEventListener('click', () => {
        const to = addMonths(shown, Number(button.dataset.move));
        moved(to);
        void show(to, true);
      });
    }
    const body = el('div', 'cal-body');
    body.setAttribute('aria-busy', 'true');
    body.append(el('p', 'muted', m('console.loading')));
    box.replaceChildren(bar, body);
    if (focus) title.focus();
    const last = new Date(Date.UTC(Number(month.slice(0, 4)), Number(month.slice(5)), 0)).getUTCDate();
    const result = await api('days.list', {
      query: { from: `${month}-01`, to: `${month}-${String(last).padStart(2, '0')}` },
      token: c.token,
    });
    if (mine !== seq) return; // a later month was asked for meanwhile
    body.removeAttribute('aria-busy');
    if (!result.ok) {
      body.replaceChildren(answerFailureBox(m, 'console.list.failed', result, () => void show(month)));
      return;
    }
    const { days } = result.body;
    const table = grid(month, days);
    body.replaceChildren(table);
    if (days.length === 0) body.append(el('p', 'muted cal-none', m('desk.cal.empty')));
    void shadeHolidays(month, table);
  };

  return { show };
};
