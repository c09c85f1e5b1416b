/**
 * The open days as cards (`publicDays.list`), each slot a button with its seats left. A shared link
 * (`?day=<dayId>`, the console's share panel and QR) scrolls to that day and marks it on the first
 * list; a day no longer listed says so above the others.
 */
import type { PublicDay as Day, PublicSlot as Slot } from '../../../../shared/consultation-views.ts';
import { publicApi } from '../../kit/public-api.ts';
import { buttonEl, dateTime, dayLabel, el, fact, type PageLang, timeRange } from '../format.ts';

/** What the list needs from the page. */
export interface DaysListContext {
  list: HTMLElement;
  lang: PageLang;
  m: (key: string, vars?: Record<string, string | number>) => string;
  /** A slot's button was pressed: the booking form opens for it. */
  onChoose: (day: Day, slot: Slot) => void;
}

export const daysList = ({ list, lang, m, onChoose }: DaysListContext) => {
  let days: Day[] = [];
  /** `?day=` of a shared link, shown on the first list only (a reload after booking keeps its place). */
  let sharedDay: string | undefined = new URLSearchParams(location.search).get('day')?.slice(0, 64) || undefined;

  const seatsText = (slot: Slot): string =>
    slot.remaining <= 0
      ? m('days.full')
      : slot.remaining === 1
        ? m('days.seatLeft')
        : m('days.seatsLeft', { n: slot.remaining });
  const placeOf = (day: Day): string => day.jurisdiction.name?.[lang] ?? day.jurisdiction.code;

  const dayCard = (day: Day): HTMLElement => {
    const titleId = `day-${day.dayId}`;
    const card = el('article', 'card day');
    card.setAttribute('aria-labelledby', titleId);
    const title = el('h3', undefined, dayLabel(day.date, lang));
    title.id = titleId;
    const tags = el('p', 'tags');
    tags.append(el('span', 'tag', placeOf(day)), el('span', 'tag tag-mode', m(`days.mode.${day.mode}`)));
    const facts = el('dl', 'facts');
    if (day.venue) facts.append(fact(m('days.venue'), day.venue));
    if (day.mode !== 'onsite') facts.append(fact(m('days.online'), m('days.onlineText')));
    if (day.topics.length > 0) {
      const topics = el('ul', 'topics');
      for (const name of day.topics) topics.append(el('li', undefined, name));
      facts.append(fact(m('days.topics'), topics));
    }
    if (day.bookingClosesAt) facts.append(fact(m('days.closes'), dateTime(day.bookingClosesAt, lang)));
    const slotsTitle = el('p', 'slots-title', m('days.slots'));
    slotsTitle.id = `${titleId}-slots`;
    const slots = el('ul', 'slots');
    slots.setAttribute('aria-labelledby', slotsTitle.id);
    for (const slot of day.slots) {
      const button = el('button', slot.remaining <= 0 ? 'slot slot-full' : 'slot');
      button.type = 'button';
      button.dataset.slotId = slot.slotId;
      // Slot ids repeat from day to day (s1, s2, …): the day names the seat.
      button.dataset.dayId = day.dayId;
      button.setAttribute('aria-describedby', titleId);
      button.append(
        el('span', 'slot-time', timeRange(slot.startsAt, slot.endsAt)),
        el('span', 'slot-seats', seatsText(slot)),
      );
      button.addEventListener('click', () => onChoose(day, slot));
      const item = el('li');
      item.append(button);
      slots.append(item);
    }
    card.append(title, tags, facts, slotsTitle, slots);
    return card;
  };

  const load = async (focusSlot?: string): Promise<boolean> => {
    list.setAttribute('aria-busy', 'true');
    const note = el('p', 'muted', m('days.loading'));
    note.setAttribute('role', 'status');
    list.replaceChildren(note);
    const answer = await publicApi('publicDays.list');
    list.removeAttribute('aria-busy');
    const { status } = answer;
    if (!answer.ok) {
      const box = el('div', 'alert');
      box.setAttribute('role', 'alert');
      const gap = lang === 'zh' ? '' : ' ';
      box.append(
        el('p', undefined, `${m('days.loadFailed')}${gap}${m(status === 0 ? 'error.NETWORK' : 'error.INTERNAL')}`),
      );
      const retry = buttonEl('button-secondary', m('days.retry'));
      retry.addEventListener('click', () => void load());
      box.append(retry);
      list.replaceChildren(box);
      return false;
    }
    days = answer.body.days;
    if (days.length === 0) {
      const empty = el('p', 'card muted', m('days.empty'));
      empty.setAttribute('role', 'status');
      list.replaceChildren(empty);
      return true;
    }
    list.replaceChildren(...days.map(dayCard));
    if (sharedDay) showShared(sharedDay);
    sharedDay = undefined;
    if (focusSlot) {
      const button = list.querySelector<HTMLElement>(`button[data-slot-id="${CSS.escape(focusSlot)}"]`);
      (button ?? document.querySelector<HTMLElement>('#days-heading'))?.focus();
    }
    return true;
  };

  /** The day of a shared link: scrolled to, marked and focused; or a line saying it is not bookable. */
  const showShared = (dayId: string) => {
    const title = list.querySelector<HTMLElement>(`#${CSS.escape(`day-${dayId}`)}`);
    const card = title?.closest<HTMLElement>('article.day');
    const note = el('p', 'notice shared-note');
    note.setAttribute('role', 'status');
    if (!title || !card) {
      note.textContent = m('desk.shared.missing');
      list.prepend(note);
      return;
    }
    note.textContent = m('desk.shared.here');
    card.classList.add('day-shared');
    card.dataset.shared = '';
    title.after(note);
    title.tabIndex = -1;
    title.focus({ preventScroll: true });
    card.scrollIntoView({ block: 'start' });
  };

  return {
    /** Reads and shows the days; false when they could not be read (the list then offers a retry). */
    load,
    /** The days as last listed. */
    days: () => days,
    seatsText,
    placeOf,
  };
};
