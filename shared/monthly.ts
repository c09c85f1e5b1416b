import * as z from 'zod/mini';
import { fromShanghai, shanghaiDate, shanghaiMonth } from './time.ts';

/**
 * The monthly-contact rule (design rules 4-7): months are calendar months in Asia/Shanghai; a pairing
 * is judged for a month when it was active on the month's first day, did not end before the month
 * was over, and was not paused for the whole month. Shared by the API, the jobs and the console.
 */
export const NUDGE_KINDS = ['reminder', 'missed', 'escalation'] as const;
export type NudgeKind = (typeof NUDGE_KINDS)[number];

/** A nudge as stored: one per pairing, month and kind (rule 6). */
export interface NudgeRecord {
  nudgeId: string;
  pairingId: string;
  uscc: string;
  firmName: string;
  county: string;
  liaison: string;
  month: string;
  kind: NudgeKind;
  createdAt: string;
  lastQualifyingContactAt: string | null;
  deliveries: unknown[];
}

/**
 * The nudge's fields a missed pairing shows in the compliance views: said once, for the answer's type
 * (`MissedEntry` in shared/answers.ts) and for the projection that builds it (`missedEntry` in
 * functions/lib/pairings/compliance.ts), so a field added here is in both.
 */
export const MISSED_FIELDS = [
  'nudgeId',
  'pairingId',
  'uscc',
  'firmName',
  'county',
  'liaison',
  'kind',
  'lastQualifyingContactAt',
] as const satisfies readonly (keyof NudgeRecord)[];
export type MissedFields = Pick<NudgeRecord, (typeof MISSED_FIELDS)[number]>;

/** Day of the month of the reminder digest (09:00 Beijing); a deployment may choose another. */
export const DEFAULT_REMINDER_DAY = 20;

export const MONTH = /^\d{4}-(0[1-9]|1[0-2])$/;
export const monthField = z.string().check(z.regex(MONTH, 'A month as YYYY-MM'));

/**
 * The rule's period. The monthly-contact rule judges calendar months (`YYYY-MM`); the leaders'
 * field-service rule judges calendar quarters (`YYYY-Qn`, Q1 = January to March), by the same
 * functions: a period's first and last day, the one before, the one an instant falls in, all in
 * Asia/Shanghai.
 */
export type PeriodKind = 'month' | 'quarter';
export const QUARTER = /^\d{4}-Q[1-4]$/;
export const quarterField = z.string().check(z.regex(QUARTER, 'A quarter as YYYY-Qn (n = 1-4)'));

const isQuarter = (period: string) => period.charAt(5) === 'Q';

/** `2026-11` → `2026-10`, `2026-Q1` → `2025-Q4` (`back` = 1), or any number back (negative: forward). */
export const periodBefore = (period: string, back = 1): string => {
  const year = Number(period.slice(0, 4));
  if (isQuarter(period)) {
    const index = year * 4 + (Number(period.slice(6)) - 1) - back;
    return `${Math.floor(index / 4)}-Q${(index % 4) + 1}`;
  }
  const index = year * 12 + (Number(period.slice(5)) - 1) - back;
  return `${Math.floor(index / 12)}-${String((index % 12) + 1).padStart(2, '0')}`;
};

/** `2026-11` → `2026-10` (`back` = 1) or any number of months back (negative: forward). */
export const monthBefore = (month: string, back = 1): string => periodBefore(month, back);

/** The Beijing month an instant falls in (rule 4). */
export const monthOf = (instant: Date): string => shanghaiMonth(instant);

/** The quarter a month lies in: `2026-11` → `2026-Q4`. */
export const quarterOfMonth = (month: string): string =>
  `${month.slice(0, 4)}-Q${Math.floor((Number(month.slice(5)) - 1) / 3) + 1}`;

/** The Beijing quarter an instant falls in: 31 March 23:59 +08:00 is still Q1. */
export const quarterOf = (instant: Date): string => quarterOfMonth(monthOf(instant));

/** The period of a kind an instant falls in. */
export const periodOf = (kind: PeriodKind, instant: Date): string =>
  kind === 'month' ? monthOf(instant) : quarterOf(instant);

/** The months of a period, in order (a month: itself). */
export const monthsOf = (period: string): string[] => {
  if (!isQuarter(period)) return [period];
  const first = (Number(period.slice(6)) - 1) * 3 + 1;
  return [0, 1, 2].map((i) => `${period.slice(0, 4)}-${String(first + i).padStart(2, '0')}`);
};

/** First and last calendar day of a period (month or quarter), as `YYYY-MM-DD`. */
export const firstDayOf = (period: string): string => `${monthsOf(period)[0]}-01`;
export const lastDayOf = (period: string): string => {
  const month = monthsOf(period).at(-1) as string;
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

/** A unit's monthly standing (rule 6): pairings judged, contacted and missed, and the contacted share. */
export interface ComplianceCounts {
  judged: number;
  contacted: number;
  missed: number;
  rate: number | null;
}
