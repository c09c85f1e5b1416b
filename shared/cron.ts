import { fromShanghai, shanghaiParts } from './time.ts';

/**
 * EventBridge Scheduler cron expressions (`min hour day-of-month month day-of-week year`)
 * evaluated in Asia/Shanghai. Supports numbers, `*`, `?`, lists, ranges, steps and
 * day / month names; `L`, `W` and `#` are refused rather than guessed.
 */
export interface CronSpec {
  minutes: Set<number>;
  hours: Set<number>;
  daysOfMonth: Set<number> | 'any';
  months: Set<number>;
  /** 1 = Sunday … 7 = Saturday, as in AWS */
  daysOfWeek: Set<number> | 'any';
  years: Set<number> | 'any';
}

const MONTHS = ['JAN', 'FEB', 'MAR', 'APR', 'MAY', 'JUN', 'JUL', 'AUG', 'SEP', 'OCT', 'NOV', 'DEC'];
const DAYS = ['SUN', 'MON', 'TUE', 'WED', 'THU', 'FRI', 'SAT'];

const parseValue = (raw: string, names: string[] | undefined, offset: number): number => {
  const named = names?.indexOf(raw.toUpperCase()) ?? -1;
  if (named >= 0) return named + offset;
  if (!/^\d+$/.test(raw)) throw new Error(`cron: unsupported value "${raw}"`);
  return Number(raw);
};

const parseField = (field: string, min: number, max: number, names?: string[], nameOffset = 0): Set<number> => {
  const out = new Set<number>();
  for (const part of field.split(',')) {
    const [range, stepRaw] = part.split('/');
    const step = stepRaw === undefined ? 1 : Number(stepRaw);
    if (!Number.isInteger(step) || step < 1) throw new Error(`cron: bad step in "${part}"`);
    let lo: number;
    let hi: number;
    if (range === '*') {
      lo = min;
      hi = max;
    } else if (range?.includes('-')) {
      const [a, b] = range.split('-');
      lo = parseValue(a ?? '', names, nameOffset);
      hi = parseValue(b ?? '', names, nameOffset);
    } else {
      lo = parseValue(range ?? '', names, nameOffset);
      hi = stepRaw === undefined ? lo : max;
    }
    if (lo < min || hi > max || lo > hi) throw new Error(`cron: "${part}" is outside ${min}-${max}`);
    for (let v = lo; v <= hi; v += step) out.add(v);
  }
  return out;
};

export const parseCron = (expression: string): CronSpec => {
  const fields = expression.trim().split(/\s+/);
  if (fields.length !== 6) throw new Error(`cron: expected 6 fields, got ${fields.length}`);
  const [mi, h, dom, mo, dow, y] = fields as [string, string, string, string, string, string];
  if ((dom === '?') === (dow === '?')) {
    throw new Error('cron: exactly one of day-of-month and day-of-week must be "?"');
  }
  return {
    minutes: parseField(mi, 0, 59),
    hours: parseField(h, 0, 23),
    daysOfMonth: dom === '?' ? 'any' : parseField(dom, 1, 31),
    months: parseField(mo, 1, 12, MONTHS, 1),
    daysOfWeek: dow === '?' ? 'any' : parseField(dow, 1, 7, DAYS, 1),
    years: y === '*' ? 'any' : parseField(y, 1970, 2199),
  };
};

/** The first fire time strictly after `after`, or undefined within the next 5 years. */
export const nextFire = (expression: string, after: Date): Date | undefined => {
  const spec = parseCron(expression);
  const start = shanghaiParts(after);
  // Walk day by day in Shanghai wall time, then pick the first matching hour:minute.
  for (let dayOffset = 0; dayOffset < 366 * 5; dayOffset++) {
    const dayStart = fromShanghai(start.year, start.month, start.day + dayOffset);
    const p = shanghaiParts(dayStart);
    if (spec.years !== 'any' && !spec.years.has(p.year)) continue;
    if (!spec.months.has(p.month)) continue;
    if (spec.daysOfMonth !== 'any' && !spec.daysOfMonth.has(p.day)) continue;
    if (spec.daysOfWeek !== 'any' && !spec.daysOfWeek.has(p.weekday + 1)) continue;
    for (const hour of [...spec.hours].sort((a, b) => a - b)) {
      for (const minute of [...spec.minutes].sort((a, b) => a - b)) {
        const at = fromShanghai(p.year, p.month, p.day, hour, minute);
        if (at.getTime() > after.getTime()) return at;
      }
    }
  }
  return undefined;
};

/** Whether a schedule fires at this minute (Shanghai wall time), e.g. to run "what fires at 09:00 on the 1st". */
export const firesAt = (expression: string, at: Date): boolean => {
  const minute = Math.floor(at.getTime() / 60_000) * 60_000;
  return nextFire(expression, new Date(minute - 1))?.getTime() === minute;
};
