/**
 * Moving a booking to another time, keeping its code (issue 16): the open days' slots that still
 * have a seat (`GET /api/public/consultation-days`), other than the booking's own, each a button;
 * one tap sends `POST /api/public/bookings/{code}/reschedule {"dayId","slot"}`, which takes the new
 * seat before it gives the old one back, and answers the booking where it now is.
 */

import type { PublicBooking as Booking, PublicDay as Day } from '../../../../shared/consultation-views.ts';
import { failureText, publicApi } from '../../kit/public-api.ts';
import { $, dayLabel, el, type PageLang, timeRange } from '../format.ts';

type Say = (key: string, vars?: Record<string, string | number>) => string;

export const moveStep = (
  m: Say,
  lang: PageLang,
  current: () => Booking | undefined,
  moved: (booking: Booking) => void,
  say: (text: string, kind: 'error' | 'info') => void,
) => {
  const open = $<HTMLButtonElement>('#move-booking');
  const box = $<HTMLElement>('#move');
  const slots = $<HTMLElement>('#move-slots');

  const close = (focus = true) => {
    box.hidden = true;
    open.setAttribute('aria-expanded', 'false');
    if (focus) open.focus();
  };

  const choose = async (button: HTMLButtonElement, day: Day, slotId: string) => {
    const booking = current();
    if (!booking) return;
    for (const b of slots.querySelectorAll('button')) b.disabled = true;
    const label = button.textContent;
    button.textContent = m('booking.move.moving');
    const answer = await publicApi('bookings.reschedule', {
      params: { code: booking.code },
      json: { dayId: day.dayId, slot: slotId },
    });
    if (answer.ok) {
      const updated = answer.body.booking;
      close(false);
      moved(updated);
      const slot = updated.slot;
      say(
        m('booking.move.done', {
          when: `${dayLabel(updated.day?.date ?? day.date, lang)} ${slot ? timeRange(slot.startsAt, slot.endsAt) : ''}`,
        }),
        'info',
      );
      return;
    }
    button.textContent = label;
    for (const b of slots.querySelectorAll('button')) b.disabled = false;
    say(failureText(m, answer.status, answer.body), 'error');
  };

  open.addEventListener('click', async () => {
    const booking = current();
    if (!booking) return;
    box.hidden = false;
    open.setAttribute('aria-expanded', 'true');
    say('', 'info');
    slots.setAttribute('aria-busy', 'true');
    slots.replaceChildren();
    $<HTMLElement>('#move-title').focus();
    const answer = await publicApi('publicDays.list');
    slots.removeAttribute('aria-busy');
    if (!answer.ok) {
      slots.replaceChildren(el('p', 'alert', failureText(m, answer.status, answer.body)));
      return;
    }
    const { days } = answer.body;
    const items = days.flatMap((day) =>
      day.slots
        .filter((s) => s.remaining > 0 && !(day.dayId === booking.dayId && s.slotId === booking.slotId))
        .map((s) => {
          const button = el('button', 'slot');
          button.type = 'button';
          button.dataset.slotId = s.slotId;
          button.dataset.dayId = day.dayId;
          button.append(
            el('span', 'slot-time', `${dayLabel(day.date, lang)} ${timeRange(s.startsAt, s.endsAt)}`),
            el('span', 'slot-seats', s.remaining === 1 ? m('days.seatLeft') : m('days.seatsLeft', { n: s.remaining })),
          );
          button.addEventListener('click', () => void choose(button, day, s.slotId));
          const li = el('li');
          li.append(button);
          return li;
        }),
    );
    if (items.length === 0) {
      slots.replaceChildren(el('p', 'muted', m('booking.move.none')));
      return;
    }
    const ul = el('ul', 'slots');
    ul.append(...items);
    slots.replaceChildren(ul);
  });
  $<HTMLButtonElement>('#move-close').addEventListener('click', () => close());

  return { close };
};
