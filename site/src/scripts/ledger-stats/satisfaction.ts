/**
 * 好差评 beside the ledger statistics: the firms' ratings of closed items in the range (average stars,
 * how many, how many low), from the same answer's `satisfaction` (counters written with each rating),
 * and a table by month. Drawn as tiles and a table, text only.
 */
import { rateText } from '../compliance-months.ts';
import type { TypedConsole } from '../console.ts';
import { el } from '../format.ts';
import { monthsBetween, type Stats, statsTable, th } from './shapes.ts';

const stars = (average: number | null, c: TypedConsole) =>
  average === null ? c.m('monthly.rateNone') : c.m('ledgerStats.satisfaction.averageValue', { n: average.toFixed(1) });

export const satisfactionChart = (c: TypedConsole, root: HTMLElement) => {
  const { m } = c;
  const tiles = root.querySelector('#satisfaction-tiles') as HTMLElement;
  const table = root.querySelector('#satisfaction-table') as HTMLElement;
  const empty = root.querySelector('#satisfaction-empty') as HTMLElement;
  return (stats: Stats, place: string, range: string) => {
    const s = stats.satisfaction ?? { rated: 0, stars: 0, low: 0, average: null, months: [] };
    const tile = (kind: string, label: string, value: string, sub?: string) => {
      const row = el('div', `tile tile-${kind}`);
      row.dataset.figure = kind;
      row.append(el('dt', undefined, label), el('dd', 'tile-value', value));
      if (sub) row.append(el('dd', 'tile-sub', sub));
      return row;
    };
    tiles.replaceChildren(
      tile('stars', m('ledgerStats.satisfaction.average'), stars(s.average, c)),
      tile('rated', m('ledgerStats.satisfaction.rated'), m('ledgerStats.satisfaction.count', { n: s.rated })),
      tile(
        'low',
        m('ledgerStats.satisfaction.low'),
        m('ledgerStats.satisfaction.count', { n: s.low }),
        s.rated > 0 ? m('ledgerStats.satisfaction.lowShare', { rate: rateText(m, s.low / s.rated) }) : undefined,
      ),
    );
    empty.hidden = s.rated > 0;
    const byMonth = new Map(s.months.map((row) => [row.month, row]));
    const { table: data, tbody } = statsTable(
      '',
      m('ledgerStats.satisfaction.monthsCaption', { place, range }),
      m('ledgerStats.months.month'),
      [m('ledgerStats.satisfaction.rated'), m('ledgerStats.satisfaction.average'), m('ledgerStats.satisfaction.low')],
    );
    for (const month of monthsBetween(stats.from, stats.to)) {
      const row = byMonth.get(month) ?? { rated: 0, low: 0, average: null };
      const tr = el('tr');
      tr.dataset.month = month;
      tr.append(
        th(month, false, 'row'),
        el('td', 'num', String(row.rated)),
        el('td', 'num', stars(row.average, c)),
        el('td', 'num', String(row.low)),
      );
      tbody.append(tr);
    }
    table.replaceChildren(data);
  };
};
