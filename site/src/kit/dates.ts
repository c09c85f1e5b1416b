/**
 * Calendar dates as people read them, in Beijing (the product's time zone, whatever the browser's).
 * A date is formatted at its Beijing noon, so no time zone can move it to the day before or after.
 */
const locale = (lang: 'zh' | 'en'): string => (lang === 'zh' ? 'zh-CN' : 'en-GB');

/** `2026-09-01` → `2026年9月1日` / `1 September 2026` (no weekday); the input itself when it is no date. */
export const dateText = (date: string, lang: 'zh' | 'en'): string => {
  const noon = new Date(`${date}T12:00:00+08:00`);
  if (Number.isNaN(noon.getTime())) return date;
  return new Intl.DateTimeFormat(locale(lang), {
    timeZone: 'Asia/Shanghai',
    year: 'numeric',
    month: 'long',
    day: 'numeric',
  }).format(noon);
};
