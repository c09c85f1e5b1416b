/**
 * The consultation days of the console's jurisdiction, from today to 90 days ahead
 * (`GET /api/staff/consultation-days`): date, place, status and each slot's counts, a link to each day.
 */
import type { StaffDay as Day } from '../../../../shared/consultation-views.ts';
import { names } from '../../../../shared/jurisdictions.ts';
import { shanghaiDate } from '../../../../shared/time.ts';
import { api } from '../../kit/api.ts';
import { answerFailureBox } from '../../kit/failure.ts';
import type { TypedConsole } from '../console.ts';
import { dayLabel, el, timeRange } from '../format.ts';
import { slotCounts } from './slot-counts.ts';

/** What this part of the page needs from the rest of it. */
export interface DayListContext {
  c: TypedConsole;
  list: HTMLElement;
  dayPath: string;
  /** The check-in page, linked from each open day of today (issue 20). */
  checkInPath: string;
}

export const dayList = ({ c, list, dayPath, checkInPath }: DayListContext) => {
  const { lang, m } = c;
  const placeOf = (day: Day) =>
    day.jurisdiction.name?.[lang] ?? names[day.jurisdiction.code]?.[lang] ?? day.jurisdiction.code;

  const dayCard = (day: Day): HTMLElement => {
    const item = el('li', `card staff-day${day.status === 'cancelled' ? ' staff-day-cancelled' : ''}`);
    const head = el('div', 'staff-day-head');
    const title = el('h3');
    const link = el('a', undefined, dayLabel(day.date, lang));
    link.href = `${dayPath}?id=${encodeURIComponent(day.dayId)}`;
    link.dataset.dayId = day.dayId;
    title.append(link);
    const badge = el('span', 'badge', m(`console.status.${day.status}`));
    badge.dataset.status = day.status === 'open' ? 'confirmed' : 'cancelled';
    head.append(title, badge);
    const where = el('p', 'staff-day-where');
    const parts = [placeOf(day), m(`days.mode.${day.mode}`)];
    if (day.venue) parts.push(day.venue);
    where.textContent = parts.join(' · ');
    const slots = el('ul', 'staff-slots');
    for (const slot of day.slots) {
      const li = el('li');
      li.append(el('span', 'slot-time', timeRange(slot.startsAt, slot.endsAt)), slotCounts(m, slot));
      slots.append(li);
    }
    item.append(head, where, slots);
    if (day.status === 'open' && day.date === shanghaiDate(new Date())) {
      const door = el('p', 'staff-day-checkin');
      const go = el('a', 'button button-small', m('desk.checkIn.link'));
      go.href = `${checkInPath}?day=${encodeURIComponent(day.dayId)}`;
      go.dataset.checkIn = day.dayId;
      door.append(go);
      item.append(door);
    }
    return item;
  };

  const loadDays = async (): Promise<void> => {
    list.setAttribute('aria-busy', 'true');
    list.replaceChildren(el('p', 'muted', m('console.loading')));
    const from = shanghaiDate(new Date());
    const to = shanghaiDate(new Date(Date.now() + 90 * 86_400_000));
    const result = await api('days.list', { query: { from, to }, token: c.token });
    list.removeAttribute('aria-busy');
    if (!result.ok) {
      list.replaceChildren(answerFailureBox(m, 'console.list.failed', result, () => void loadDays()));
      return;
    }
    const { days } = result.body;
    if (days.length === 0) {
      list.replaceChildren(el('p', 'muted', m('console.list.empty')));
      return;
    }
    days.sort((a, b) => a.date.localeCompare(b.date) || a.dayId.localeCompare(b.dayId));
    const ul = el('ul', 'staff-day-list');
    for (const day of days) ul.append(dayCard(day));
    list.replaceChildren(ul);
  };

  return { loadDays };
};
