import chineseDays from 'chinese-days';
import { fromShanghai, shanghaiDate } from './time.ts';

/**
 * Working days on the mainland calendar: weekends off, the State Council's public holidays off,
 * and its 调休 weekend days ON (e.g. Saturday 10 October 2026 is worked for National Day).
 * Time limits a firm is promised ("taken up within 2 working days") count these days, in
 * Asia/Shanghai.
 *
 * The calendar comes from `chinese-days`, which carries each year once the State Council has
 * published it (usually in November for the next year). A year it does not carry is counted with
 * weekends only and said so (`calendarKnown`), so a date computed before the notice is marked as
 * an estimate rather than silently wrong; updating the package brings the year in.
 */

const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

/** Years the calendar carries: the highest year with any listed holiday, and every year since 2004. */
const LAST_KNOWN_YEAR = (() => {
  let year = 2004;
  for (let y = new Date().getUTCFullYear() + 2; y > 2004; y--) {
    if (chineseDays.getHolidaysInRange(`${y}-01-01`, `${y}-12-31`, false).length > 0) {
      year = y;
      break;
    }
  }
  return year;
})();

export const calendarKnown = (day: string): boolean => {
  const year = Number(DATE.exec(day)?.[1]);
  return year >= 2004 && year <= LAST_KNOWN_YEAR;
};

const parse = (day: string): { year: number; month: number; date: number } => {
  const match = DATE.exec(day);
  if (!match) throw new RangeError(`Not a YYYY-MM-DD date: ${day}`);
  const [year, month, date] = [Number(match[1]), Number(match[2]), Number(match[3])];
  const check = new Date(Date.UTC(year, month - 1, date));
  if (check.getUTCMonth() !== month - 1 || check.getUTCDate() !== date) throw new RangeError(`No such date: ${day}`);
  return { year, month, date };
};

const nextDay = (day: string): string => {
  const { year, month, date } = parse(day);
  return new Date(Date.UTC(year, month - 1, date + 1)).toISOString().slice(0, 10);
};

/** Whether people work on this Shanghai date (`YYYY-MM-DD`). */
export const isWorkingDay = (day: string): boolean => {
  const { year, month, date } = parse(day);
  if (calendarKnown(day)) return chineseDays.isWorkday(day);
  const weekday = new Date(Date.UTC(year, month - 1, date)).getUTCDay();
  return weekday !== 0 && weekday !== 6;
};

export interface WorkingDayLimit {
  /** The last Shanghai date inside the limit. */
  readonly lastDay: string;
  /** The end of that day in Shanghai: the instant after which the limit is missed. */
  readonly dueAt: Date;
  /** False when a year the limit crosses is not in the calendar yet (weekends only were counted). */
  readonly calendarKnown: boolean;
}

/**
 * `n` working days from an instant: the day it happens does not count (a request raised on a
 * Friday evening with a limit of 2 is due by the end of Tuesday), whatever the hour.
 */
export const workingDaysAfter = (from: Date, n: number): WorkingDayLimit => {
  if (!Number.isInteger(n) || n < 1 || n > 366) throw new RangeError(`A working-day limit is 1 to 366 days: ${n}`);
  let day = shanghaiDate(from);
  let known = calendarKnown(day);
  for (let counted = 0; counted < n; ) {
    day = nextDay(day);
    known &&= calendarKnown(day);
    if (isWorkingDay(day)) counted++;
  }
  const { year, month, date } = parse(day);
  return { lastDay: day, dueAt: fromShanghai(year, month, date + 1), calendarKnown: known };
};

/** Working days strictly after `from`'s day up to and including `to`'s day (0 when `to` is not later). */
export const workingDaysBetween = (from: Date, to: Date): number => {
  const last = shanghaiDate(to);
  let day = shanghaiDate(from);
  let count = 0;
  for (let guard = 0; day < last && guard < 3700; guard++) {
    day = nextDay(day);
    if (isWorkingDay(day)) count++;
  }
  return count;
};
