/**
 * `<eco-stats-satisfaction>` (StatsSatisfaction.astro): 好差评 beside the ledger statistics, the firms'
 * ratings of closed items in the range (average stars, how many, how many low), from the same answer's
 * `satisfaction` (counters written with each rating), as tiles and a table by month, text only.
 */

import { StatsSection } from '../charts/section.ts';
import { rateText } from '../compliance-months.ts';
import { el } from '../format.ts';
import { partOf } from '../parts.ts';
import { monthsBetween, type StatsShown, statsTable, th, tile } from './shapes.ts';

export class StatsSatisfaction extends StatsSection {
  static readonly tag = 'eco-stats-satisfaction';

  show({ stats, place, range }: StatsShown) {
    const { m } = this.c;
    const s = stats.satisfaction;
    const stars = (average: number | null) =>
      average === null ? m('monthly.rateNone') : m('ledgerStats.satisfaction.averageValue', { n: average.toFixed(1) });
    const count = (n: number) => m('ledgerStats.satisfaction.count', { n });
    const lowShare =
      s.rated > 0 ? m('ledgerStats.satisfaction.lowShare', { rate: rateText(m, s.low / s.rated) }) : undefined;
    partOf(this, '.tiles').replaceChildren(
      tile('stars', m('ledgerStats.satisfaction.average'), stars(s.average)),
      tile('rated', m('ledgerStats.satisfaction.rated'), count(s.rated)),
      tile('low', m('ledgerStats.satisfaction.low'), count(s.low), lowShare),
    );
    partOf(this, '.satisfaction-empty').hidden = s.rated > 0;
    const byMonth = new Map(s.months.map((row) => [row.month, row]));
    const { table, tbody } = statsTable(
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
        el('td', 'num', stars(row.average)),
        el('td', 'num', String(row.low)),
      );
      tbody.append(tr);
    }
    partOf(this, '.table-scroll').replaceChildren(table);
  }
}
