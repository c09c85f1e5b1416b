/**
 * Dates and times of consultation days as people read them, always in Asia/Shanghai
 * (the product's time zone, whatever the browser's), and message templates with `{name}` slots.
 */
import { dateText } from '../kit/dates.ts';

export type PageLang = 'zh' | 'en';

const ZONE = 'Asia/Shanghai';
const locale = (lang: PageLang): string => (lang === 'zh' ? 'zh-CN' : 'en-GB');

/** Reads `data-lang` of an element: `en` or the default `zh`. */
export const langOf = (element: HTMLElement): PageLang => (element.dataset.lang === 'en' ? 'en' : 'zh');

/** `{n} seats left` with `{ n: 3 }` → `3 seats left`. */
export const fill = (template: string, vars: Record<string, string | number>): string =>
  template.replace(/\{(\w+)\}/g, (whole, name: string) => (name in vars ? String(vars[name]) : whole));

const instantOf = (iso: string): Date | undefined => {
  const d = new Date(iso);
  return Number.isNaN(d.getTime()) ? undefined : d;
};

/** `2026-12-15` → `2026年12月15日 星期二` / `Tuesday, 15 December 2026`. */
export const dayLabel = (date: string, lang: PageLang): string => {
  const noon = instantOf(`${date}T12:00:00+08:00`);
  if (!noon) return date;
  const weekday = new Intl.DateTimeFormat(locale(lang), { timeZone: ZONE, weekday: 'long' }).format(noon);
  return lang === 'zh' ? `${dateText(date, lang)} ${weekday}` : `${weekday}, ${dateText(date, lang)}`;
};

/** `09:00` in Shanghai. */
export const clock = (iso: string): string => {
  const d = instantOf(iso);
  if (!d) return iso;
  return new Intl.DateTimeFormat('en-GB', { timeZone: ZONE, hour: '2-digit', minute: '2-digit', hourCycle: 'h23' })
    .format(d)
    .replace(/^24/, '00');
};

/** `09:00–10:00`. */
export const timeRange = (startsAt: string, endsAt: string): string => `${clock(startsAt)}–${clock(endsAt)}`;

/** `12月14日 17:00` / `14 December 17:00` (no year), or with the year when `withYear`. */
export const dateTime = (iso: string, lang: PageLang, withYear = false): string => {
  const d = instantOf(iso);
  if (!d) return iso;
  const dateText = new Intl.DateTimeFormat(locale(lang), {
    timeZone: ZONE,
    ...(withYear ? { year: 'numeric' } : {}),
    month: 'long',
    day: 'numeric',
  }).format(d);
  return `${dateText} ${clock(iso)}`;
};

/**
 * The element a page's markup holds for `selector` (ids are unique in a page, so the document is the
 * root). A page's script ships with its own markup, so a lookup that finds nothing is a build mistake
 * the page's e2e test catches, not a state each caller handles. The public and firm pages share this
 * one (each defined its own `$`, issue 18); console pages get theirs, scoped to the console, from
 * `TypedConsole`. It sits beside `el` rather than in kit/ because every page that uses it loads this
 * module already: a module of its own was one more chunk, 70 bytes gzip on each public page.
 */
export const $ = <T extends HTMLElement>(selector: string): T => document.querySelector(selector) as T;

/** Creates an element with a class and text. */
export const el = <K extends keyof HTMLElementTagNameMap>(
  tag: K,
  className?: string,
  text?: string,
): HTMLElementTagNameMap[K] => {
  const node = document.createElement(tag);
  if (className) node.className = className;
  if (text !== undefined) node.textContent = text;
  return node;
};

/** Shows a status line with this content and its kind (`data-kind`), and takes focus so it is read out. */
export const showStatus = (box: HTMLElement, kind: string, ...content: (string | Node)[]): void => {
  box.replaceChildren(...content);
  box.dataset.kind = kind;
  box.hidden = false;
  box.focus();
};

/** A table's one row saying it has nothing to show, across its `columns`. */
export const emptyRow = (text: string, columns: number): HTMLTableRowElement => {
  const tr = el('tr', 'empty-row');
  const td = el('td', undefined, text);
  td.colSpan = columns;
  tr.append(td);
  return tr;
};

/** A button with a class and text; `button` unless it sends its form. */
export const buttonEl = (
  className: string | undefined,
  text: string,
  type: 'button' | 'submit' = 'button',
): HTMLButtonElement => {
  const node = el('button', className, text);
  node.type = type;
  return node;
};

/** A `<div><dt>…</dt><dd>…</dd></div>` row of a `.facts` list. */
export const fact = (label: string, value: string | Node): HTMLDivElement => {
  const row = el('div');
  const dd = el('dd');
  dd.append(value);
  row.append(el('dt', undefined, label), dd);
  return row;
};
