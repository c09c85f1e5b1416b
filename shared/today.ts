/**
 * The console home's answer (`GET /api/staff/today`, issue 18): what needs the signed-in person
 * today, each part with its count and its first few entries, for the home page and the counts in the
 * console's nav. A liaison's parts are its own firms'; a lead's or admin's its unit's.
 */

/** How many entries of each part are listed; the rest are counted. */
export const TODAY_FIRST = 5;
/** The counts the console nav shows beside its sections, each from one part of the answer. */
export const NAV_COUNTS = ['unread', 'overdue', 'redBand', 'days', 'undelivered'] as const;
export type NavCount = (typeof NAV_COUNTS)[number];

/** Upcoming consultation days: today and the 13 days after it (Beijing dates). */
export const TODAY_DAYS_AHEAD = 14;

export interface TodayPart<T> {
  /** How many there are; at least this many when `capped`. */
  count: number;
  capped: boolean;
  first: T[];
}

export interface TodayOverdueItem {
  itemId: string;
  title: string;
  uscc: string;
  firmName: string;
  county: string;
  dueOn: string;
}

export interface TodayDay {
  dayId: string;
  date: string;
  jurisdiction: string;
  venue: string | null;
  mode: string;
  status: string;
}

export interface TodayFirm {
  uscc: string;
  name: string;
  county: string;
  score: number;
  /** When the check-up that banded it red was made. */
  at: string;
}

export interface TodayMessage {
  about: string;
  kind: string;
  occasion: string;
  jurisdiction: string;
  createdAt: string;
  /** The channels that gave up (email, sms, webhook). */
  channels: string[];
}

export interface TodayView {
  /** Today in Beijing, `YYYY-MM-DD`. */
  today: string;
  unread: number;
  overdue: TodayPart<TodayOverdueItem>;
  days: TodayPart<TodayDay>;
  redBand: TodayPart<TodayFirm>;
  /** Given-up messages of the unit: leads and admins only (the deliveries page is theirs). */
  undelivered: TodayPart<TodayMessage> | null;
}
