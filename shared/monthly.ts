import * as z from 'zod/mini';
import { fromShanghai, shanghaiDate, shanghaiMonth } from './time.ts';

/**
 * The monthly-contact rule (design rules 4-7): months are calendar months in Asia/Shanghai; a pairing
 * is judged for a month when it was active on the month's first day, did not end before the month
 * was over, and was not paused for the whole month. Shared by the API, the jobs and the console.
 */
export const NUDGE_KINDS = ['reminder', 'missed', 'escalation'] as const;
export type NudgeKind = (typeof NUDGE_KINDS)[number];

/** Day of the month of the reminder digest (09:00 Beijing); a deployment may choose another. */
export const DEFAULT_REMINDER_DAY = 20;

export const MONTH = /^\d{4}-(0[1-9]|1[0-2])$/;
export const monthField = z.string().check(z.regex(MONTH, 'A month as YYYY-MM'));

/** `2026-11` → `2026-10` (`back` = 1) or any number of months back (negative: forward). */
export const monthBefore = (month: string, back = 1): string => {
  const [year, m] = month.split('-').map(Number) as [number, number];
  const index = year * 12 + (m - 1) - back;
  return `${Math.floor(index / 12)}-${String((index % 12) + 1).padStart(2, '0')}`;
};

/** The Beijing month an instant falls in (rule 4). */
export const monthOf = (instant: Date): string => shanghaiMonth(instant);

/** First and last calendar day of a month, as `YYYY-MM-DD`. */
export const firstDayOf = (month: string): string => `${month}-01`;
export const lastDayOf = (month: string): string => {
  const [year, m] = month.split('-').map(Number) as [number, number];
  return shanghaiDate(new Date(fromShanghai(year, m + 1, 1).getTime() - 1));
};

/** A pause of a pairing: from one day, until the day it resumed (null while paused). */
export interface Pause {
  readonly from: string;
  readonly to: string | null;
}

export interface JudgedFacts {
  readonly startsOn: string;
  readonly endedOn: string | null;
  readonly pauses?: readonly Pause[] | undefined;
}

/** Rule 5, as the issue states it: active on the first day, not ended within, not paused all month. */
export const isJudged = (pairing: JudgedFacts, month: string): boolean => {
  const first = firstDayOf(month);
  const last = lastDayOf(month);
  if (pairing.startsOn > first) return false;
  if (pairing.endedOn !== null && pairing.endedOn <= last) return false;
  const pausedAllMonth = (pairing.pauses ?? []).some((p) => p.from <= first && (p.to === null || p.to > last));
  return !pausedAllMonth;
};

/** Whether a month had a qualifying contact (months kept on the pairing when contacts are logged). */
export const wasContacted = (pairing: { qualifyingMonths?: readonly string[] | undefined }, month: string) =>
  (pairing.qualifyingMonths ?? []).includes(month);
