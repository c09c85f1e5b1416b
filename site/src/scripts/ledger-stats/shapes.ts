/** The ledger statistics as the page reads them, and the small pieces its charts and tables share. */
import type { LedgerStats, LedgerTotals } from '../../../../shared/answers.ts';
import type { Say } from '../../kit/messages.ts';
import { monthBefore, rateText, stackedBar } from '../compliance-months.ts';
import { el } from '../format.ts';

export type Stats = LedgerStats;

/** The month range and unit the page shows. */
export interface View {
  from: string;
  to: string;
  code: string;
  /** A park of the county `code` (issue 19): its firms' figures; absent or '' for the whole unit. */
  park?: string;
}

/** A unit one level down, with its statistics unless they could not be read. */
export interface Unit {
  code: string;
  stats?: Stats;
}

/** What the page hands each of its sections: the statistics, the view, the units below, said in words. */
export interface StatsShown {
  stats: Stats;
  view: View;
  units: Unit[];
  /** The unit's name (a park's after it), and the range in words, for captions. */
  place: string;
  range: string;
  /** A unit's link: the same view of another unit. */
  hrefOf: (code: string) => string;
}

/** Every month from `from` to `to`, both included. */
export const monthsBetween = (from: string, to: string): string[] => {
  const out: string[] = [];
  for (let month = from; month <= to && out.length < 600; month = monthBefore(month, -1)) out.push(month);
  return out;
};

/** A step for the value axis: 1, 2, 5, 10, 20, … so that about four lines span the largest value. */
export const niceStep = (top: number): number => {
  if (top <= 4) return 1;
  const raw = top / 4;
  const power = 10 ** Math.floor(Math.log10(raw));
  return ([1, 2, 5, 10].find((f) => f * power >= raw) ?? 10) * power;
};

/** A horizontal bar of `value` out of `max` (0..100 across), in the class's colour on a grey track. */
export const barSvg = (value: number, max: number, kind: 'rate' | 'overdue') => stackedBar([[value, kind]], max);

export const rateCell = (m: Say, rate: number | null) => {
  const td = el('td', 'num');
  const wrap = el('span', 'rate-cell');
  const mini = barSvg(rate ?? 0, 1, 'rate');
  mini.setAttribute('class', 'mini-bar');
  wrap.append(mini, rateText(m, rate));
  td.append(wrap);
  return td;
};

/** A figure as a tile (`data-figure` names it), with a line under its value when given. */
export const tile = (kind: string, label: string, value: string, sub?: string | Node) => {
  const row = el('div', `tile tile-${kind}`);
  row.dataset.figure = kind.split(' ')[0] ?? kind;
  row.append(el('dt', undefined, label), el('dd', 'tile-value', value));
  if (sub !== undefined) {
    const dd = el('dd', 'tile-sub');
    dd.append(sub);
    row.append(dd);
  }
  return row;
};

/** The cells of the figures every table of items shows: raised, closed, cancelled, and the share closed. */
export const figureCells = (m: Say, figures: LedgerTotals): HTMLTableCellElement[] => [
  ...[figures.raised, figures.closed, figures.cancelled].map((n) => el('td', 'num', String(n))),
  rateCell(m, figures.completionRate),
];

export const th = (text: string, numeric = false, scope: 'col' | 'row' = 'col') => {
  const cell = el('th', numeric ? 'num' : undefined, text);
  cell.scope = scope;
  return cell;
};

/** The heads of the figures each table of items shows (raised, closed, cancelled, rate), and any more. */
export const figureHeads = (m: Say, more: readonly ('median' | 'overdue')[] = []): string[] =>
  (['raised', 'closed', 'cancelled', 'rate', ...more] as const).map((key) => m(`ledgerStats.col.${key}`));

/**
 * A statistics table under its caption: the head row (the first column's head, then the figures'
 * heads, right-aligned) and an empty body; a foot, when given, goes after the body.
 */
export const statsTable = (className: string, caption: string, first: string, figures: string[]) => {
  const table = el('table', `data-table chart-data stats-table ${className}`.trim());
  table.append(el('caption', undefined, caption));
  const head = el('tr');
  head.append(th(first), ...figures.map((text) => th(text, true)));
  const thead = el('thead');
  thead.append(head);
  const tbody = el('tbody');
  table.append(thead, tbody);
  return { table, tbody };
};
