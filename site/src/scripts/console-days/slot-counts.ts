/**
 * A slot's counts as the console shows them, on the days list and on a day's bookings: a module of its
 * own so the day page does not load the whole list (list.ts) for this one helper.
 */
import type { StaffDay as Day } from '../../../../shared/consultation-views.ts';
import type { TypedConsole } from '../console.ts';
import { el } from '../format.ts';

/** Confirmed of capacity, and the waitlist. */
export const slotCounts = (m: TypedConsole['m'], slot: Day['slots'][number]): HTMLElement =>
  el(
    'span',
    'slot-counts',
    m('console.slotCounts', {
      confirmed: slot.confirmed ?? slot.capacity - slot.remaining,
      capacity: slot.capacity,
      waitlisted: slot.waitlisted ?? 0,
    }),
  );
