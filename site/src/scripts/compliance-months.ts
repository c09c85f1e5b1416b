/**
 * What the monthly-contact pages (console home, inbox, compliance, robot settings) share: Beijing
 * months and dates as people read them, rates, place names, and
 * links of inbox messages turned into this site's console paths.
 */

import { nameOf } from '../../../shared/jurisdictions.ts';
import { firstDayOf, lastDayOf, monthBefore, monthOf } from '../../../shared/monthly.ts';
import { shanghaiDate } from '../../../shared/time.ts';
import { dateText } from '../kit/dates.ts';
import type { Say } from '../kit/messages.ts';
import type { PageLang } from './format.ts';

export { firstDayOf, lastDayOf, monthBefore, monthOf };

const ZONE = 'Asia/Shanghai';
const locale = (lang: PageLang) => (lang === 'zh' ? 'zh-CN' : 'en-GB');

/** The Beijing month of now. */
export const thisMonth = (): string => monthOf(new Date());

/** The Beijing date of now. */
export const today = (): string => shanghaiDate(new Date());

const midMonth = (month: string) => new Date(`${month}-15T12:00:00+08:00`);

/** `2026-10` → `2026年10月` / `October 2026`. */
export const monthLabel = (month: string, lang: PageLang): string => {
  const d = midMonth(month);
  if (Number.isNaN(d.getTime())) return month;
  return new Intl.DateTimeFormat(locale(lang), { timeZone: ZONE, year: 'numeric', month: 'long' }).format(d);
};

/** `2026-10` → `10月` / `Oct`. */
export const monthShort = (month: string, lang: PageLang): string => {
  const d = midMonth(month);
  if (Number.isNaN(d.getTime())) return month;
  return new Intl.DateTimeFormat(locale(lang), { timeZone: ZONE, month: 'short' }).format(d);
};

/** An instant (ISO) → its Beijing calendar date as people read it; '' for none. */
export const instantDay = (iso: string | null | undefined, lang: PageLang): string => {
  if (!iso) return '';
  const d = new Date(iso);
  return Number.isNaN(d.getTime()) ? '' : dateText(shanghaiDate(d), lang);
};

/** Days from `from` to `to` (both `YYYY-MM-DD`, calendar days), `to` − `from`. */
export const daysBetween = (from: string, to: string): number =>
  Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / 86_400_000);

/** `0.4` → `40%`, null → `—`. */
export const rateText = (m: Say, rate: number | null | undefined): string =>
  typeof rate === 'number' ? m('monthly.rate', { rate: Math.round(rate * 100) }) : m('monthly.rateNone');

/** A jurisdiction's name in the page's language (the API's, or the known names), else its code. */
export const placeName = (code: string, lang: PageLang, name?: { zh?: string; en?: string }): string => {
  const given = name?.[lang];
  if (given && given !== code) return given;
  return nameOf(code, lang);
};

/** `吴中区（320506）` / `Wuzhong District (320506)`: the place's name (the answer's, if given) and its code. */
export const placeWithCode = (code: string, lang: PageLang, name?: { zh?: string; en?: string }): string => {
  const place = placeName(code, lang, name);
  if (place === code) return code;
  return lang === 'zh' ? `${place}（${code}）` : `${place} (${code})`;
};

/**
 * A message's link (an absolute URL of the site, or a path) → the console path in the page's
 * language, or undefined when it does not point into the staff console.
 */
export const consolePath = (link: string | null | undefined, lang: PageLang): string | undefined => {
  if (!link) return undefined;
  let url: URL;
  try {
    url = new URL(link, location.origin);
  } catch {
    return undefined;
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return undefined;
  const path = url.pathname.replace(/^\/en(?=\/)/, '');
  if (!path.startsWith('/staff/')) return undefined;
  return `${lang === 'zh' ? '' : '/en'}${path}${url.search}`;
};

/** Makes the language switch keep this page's query (`?month=…&jurisdiction=…`). */
export const keepQueryOnLangSwitch = () => {
  const link = document.querySelector<HTMLAnchorElement>('[data-lang-switch]');
  if (!link) return;
  const base = link.getAttribute('href')?.split('?')[0] ?? '';
  link.setAttribute('href', `${base}${location.search}`);
};

export const SVG_NS = 'http://www.w3.org/2000/svg';

/** An SVG element with attributes (set by script: the page never carries inline styles). */
export const svg = <K extends keyof SVGElementTagNameMap>(
  tag: K,
  attributes: Record<string, string | number> = {},
): SVGElementTagNameMap[K] => {
  const node = document.createElementNS(SVG_NS, tag);
  for (const [name, value] of Object.entries(attributes)) node.setAttribute(name, String(value));
  return node;
};

/**
 * A horizontal bar on a grey track, 0..100 across: each segment `value` out of `max` in its class's
 * colour (`seg-<kind>`), one after the other, none past the end.
 */
export const stackedBar = (segments: readonly (readonly [number, string])[], max: number): SVGSVGElement => {
  const chart = svg('svg', {
    class: 'bar',
    viewBox: '0 0 100 10',
    preserveAspectRatio: 'none',
    'aria-hidden': 'true',
    focusable: 'false',
  });
  chart.append(svg('rect', { class: 'seg-track', x: 0, y: 0, width: 100, height: 10 }));
  let x = 0;
  for (const [value, kind] of segments) {
    if (value <= 0 || max <= 0) continue;
    const width = Math.min(100 - x, (value / max) * 100);
    chart.append(svg('rect', { class: `seg-${kind}`, x: x.toFixed(3), y: 0, width: width.toFixed(3), height: 10 }));
    x += width;
  }
  return chart;
};
