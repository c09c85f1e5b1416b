/**
 * Time in Asia/Shanghai. China has kept UTC+8 without daylight saving since 1991,
 * so a fixed offset is exact for every date this product handles.
 */
export const SHANGHAI_OFFSET_MINUTES = 8 * 60;
const OFFSET_MS = SHANGHAI_OFFSET_MINUTES * 60_000;

const pad = (n: number, width = 2): string => String(n).padStart(width, '0');

/** The wall-clock fields of an instant in Shanghai. */
export const shanghaiParts = (instant: Date) => {
  const d = new Date(instant.getTime() + OFFSET_MS);
  return {
    year: d.getUTCFullYear(),
    month: d.getUTCMonth() + 1,
    day: d.getUTCDate(),
    hour: d.getUTCHours(),
    minute: d.getUTCMinutes(),
    second: d.getUTCSeconds(),
    /** 0 = Sunday … 6 = Saturday */
    weekday: d.getUTCDay(),
  };
};

/** ISO 8601 with the +08:00 offset, e.g. `2026-11-30T23:30:00+08:00`. */
export const toShanghaiIso = (instant: Date): string => {
  const p = shanghaiParts(instant);
  return `${p.year}-${pad(p.month)}-${pad(p.day)}T${pad(p.hour)}:${pad(p.minute)}:${pad(p.second)}+08:00`;
};

/** `YYYY-MM-DD` of the instant in Shanghai. */
export const shanghaiDate = (instant: Date): string => toShanghaiIso(instant).slice(0, 10);

/** `YYYY-MM` of the instant in Shanghai: the month a contact counts for. */
export const shanghaiMonth = (instant: Date): string => toShanghaiIso(instant).slice(0, 7);

/** The instant of a Shanghai wall-clock time. Month is 1-12. */
export const fromShanghai = (year: number, month: number, day: number, hour = 0, minute = 0): Date =>
  new Date(Date.UTC(year, month - 1, day, hour, minute) - OFFSET_MS);
