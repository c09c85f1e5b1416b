import { shanghaiDate } from './time.ts';

// Consultation days' and bookings' limits, statuses and cross-field rules, without zod: the pages import these, and only a page that checks a form loads the schemas
// (shared/consultation.ts, which re-exports this file), on first use (site/src/kit/lazy.ts).

/**
 * Consultation days and bookings: the request schemas, shared by the API (which enforces
 * them) and the booking form (which checks the same rules inline).
 */
export const MOBILE = /^1[3-9]\d{9}$/;

export const QUESTION_MIN = 10;

export const QUESTION_MAX = 1000;

export const SLOT_CAPACITY_MAX = 500;

export const MODES = ['onsite', 'online', 'both'] as const;

export type Mode = (typeof MODES)[number];

/**
 * `pending`: an anonymous booking holding its seat (or waitlist place) until its booker types the SMS
 * code sent to the mobile it gave; `expired`: a hold whose code never came, its seat given back.
 */
export const BOOKING_STATUSES = [
  'pending',
  'confirmed',
  'waitlisted',
  'cancelled',
  'attended',
  'no_show',
  'expired',
] as const;

export type BookingStatus = (typeof BOOKING_STATUSES)[number];

/** Bookings that hold a seat or a waitlist place (and the one-per-USCC-per-day guard). */
export const ACTIVE_STATUSES: readonly BookingStatus[] = ['confirmed', 'waitlisted'];

/** What the cross-field rules read of a slot and a day (the schemas' outputs have these fields). */
interface SlotTimes {
  readonly startsAt: string;
  readonly endsAt: string;
}
interface DayPlace {
  readonly mode: Mode;
  readonly venue?: string | undefined;
  readonly onlineUrl?: string | undefined;
}

/** Slot rules: inside the day (Asia/Shanghai), ends after it starts, no two overlap. */
export const slotProblems = (date: string, slots: readonly SlotTimes[]): Record<string, string> => {
  const problems: Record<string, string> = {};
  const sorted = slots
    .map((s, i) => ({ i, start: new Date(s.startsAt).getTime(), end: new Date(s.endsAt).getTime(), s }))
    .sort((a, b) => a.start - b.start);
  for (const { i, start, end, s } of sorted) {
    if (end <= start) problems[`slots.${i}.endsAt`] = 'A slot must end after it starts';
    else if (shanghaiDate(new Date(s.startsAt)) !== date || shanghaiDate(new Date(end - 1)) !== date) {
      problems[`slots.${i}.startsAt`] = 'A slot must lie inside the day (Asia/Shanghai)';
    }
  }
  for (let k = 1; k < sorted.length; k++) {
    const prev = sorted[k - 1];
    const cur = sorted[k];
    if (prev && cur && cur.start < prev.end) problems[`slots.${cur.i}.startsAt`] = 'Slots must not overlap';
  }
  return problems;
};

/** Cross-field rules of a day: where it happens and its slots. */
export const dayProblems = (
  day: DayPlace & { readonly date: string; readonly slots: readonly SlotTimes[] },
): Record<string, string> => {
  const problems = slotProblems(day.date, day.slots);
  if (day.mode !== 'online' && !day.venue) problems.venue = 'An on-site day needs a venue';
  if (day.mode !== 'onsite' && !day.onlineUrl) problems.onlineUrl = 'An online day needs a link';
  return problems;
};

/** The statuses whose bookers a lead's message to a day reaches: a seat verified and not given up. */
export const NOTICE_STATUSES: readonly BookingStatus[] = ['confirmed', 'attended', 'no_show'];

/** How long a lead's message to the bookers of a day may be (the e-mail carries it whole). */
export const DAY_NOTICE_MAX = 500;
