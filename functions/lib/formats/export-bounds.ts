import * as z from 'zod/mini';
import { fromShanghai, shanghaiDate, toShanghaiIso } from '../../../shared/time.ts';
import { AppError, ValidationError } from '../http/errors.ts';
import { DEFAULT_SHEET_LIMITS } from './sheet-limits.ts';

/**
 * The bounds every staff export keeps (rule 13: hostile input is bounded). An export reads its
 * records page by page and stops as soon as it would pass EXPORT_ROW_CAP rows (422
 * EXPORT_TOO_LARGE: narrow the dates or the unit), so a request never holds more than one file's
 * worth in memory, and a file it writes is one the product's own readers take back (their limit is
 * DEFAULT_SHEET_LIMITS.rows, the header included). Dates are Beijing days; a range is at most
 * MAX_RANGE_DAYS long, so a request cannot ask for a century of audit events.
 */
export const EXPORT_ROW_CAP = DEFAULT_SHEET_LIMITS.rows - 1;
export const MAX_RANGE_DAYS = 366;

/**
 * The cap in force: EXPORT_ROW_CAP. A setting object rather than the constant alone so that the
 * integration tests (which run the handlers in their own process) can try the cap with a few dozen
 * records instead of writing ten thousand; nothing in the product changes it.
 */
export const exportLimits: { rows: number } = { rows: EXPORT_ROW_CAP };

export class ExportTooLargeError extends AppError {
  constructor(limit: number) {
    super(422, 'EXPORT_TOO_LARGE', `More than ${limit} rows: narrow the dates or the unit`, undefined, { limit });
  }
}

/**
 * A `YYYY-MM-DD` that is a real calendar day (2026-02-30 is not), as a query parameter. zod's
 * `iso.date` already refuses impossible days; the round trip through Date is a second check.
 */
export const dayField = z.string().check(
  z.regex(/^\d{4}-\d{2}-\d{2}$/, 'A date as YYYY-MM-DD'),
  z.refine(
    (v) => !Number.isNaN(Date.parse(`${v}T00:00:00Z`)) && new Date(`${v}T00:00:00Z`).toISOString().startsWith(v),
    'Not a calendar date',
  ),
);

const DAY_MS = 86_400_000;

/** Days from `a` to `b` (both `YYYY-MM-DD`), calendar days: 2026-10-01 → 2026-10-02 is 1. */
export const daysBetween = (a: string, b: string): number =>
  Math.round((Date.parse(`${b}T00:00:00Z`) - Date.parse(`${a}T00:00:00Z`)) / DAY_MS);

const addDays = (day: string, n: number): string =>
  new Date(Date.parse(`${day}T00:00:00Z`) + n * DAY_MS).toISOString().slice(0, 10);

export interface DayRange {
  from: string;
  to: string;
  /** The range as instants (UTC ISO), to compare with stored times: [start of from, end of to]. */
  fromIso: string;
  toIso: string;
}

/**
 * The Beijing days [from, to] an export covers. Either may be left out: `to` defaults to today,
 * `from` to the year up to `to`. `from` after `to`, or a range longer than MAX_RANGE_DAYS, is a 400
 * naming the field at fault.
 */
export const dayRange = (given: { from?: string | undefined; to?: string | undefined }, now: Date): DayRange => {
  const to = given.to ?? (given.from ? addDays(given.from, MAX_RANGE_DAYS - 1) : shanghaiDate(now));
  const from = given.from ?? addDays(to, -(MAX_RANGE_DAYS - 1));
  if (from > to) throw new ValidationError({ from: 'Must not be after to' });
  if (daysBetween(from, to) + 1 > MAX_RANGE_DAYS)
    throw new ValidationError({ to: `At most ${MAX_RANGE_DAYS} days from from; export a longer time in parts` });
  const [fy, fm, fd] = from.split('-').map(Number) as [number, number, number];
  const [ty, tm, td] = to.split('-').map(Number) as [number, number, number];
  return {
    from,
    to,
    fromIso: fromShanghai(fy, fm, fd).toISOString(),
    toIso: new Date(fromShanghai(ty, tm, td + 1).getTime() - 1).toISOString(),
  };
};

/** A stored instant as the bureaus write it: Beijing wall-clock `YYYY-MM-DD HH:mm`. */
export const beijingTime = (iso: string | null | undefined): string =>
  iso ? toShanghaiIso(new Date(iso)).slice(0, 16).replace('T', ' ') : '';

/** Rows gathered up to the cap: `add` past EXPORT_ROW_CAP throws ExportTooLargeError. */
export const cappedRows = <T>(cap = exportLimits.rows) => {
  const rows: T[] = [];
  return {
    rows,
    add: (row: T) => {
      if (rows.length >= cap) throw new ExportTooLargeError(cap);
      rows.push(row);
    },
  };
};
