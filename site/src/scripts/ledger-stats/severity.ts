/**
 * `<eco-stats-severity>` (StatsSeverity.astro): the range's items by severity, the gravest first:
 * raised, closed, cancelled and the share closed.
 */
import { SEVERITIES } from '../../../../shared/ledger-rules.ts';
import { StatsSection } from '../charts/section.ts';
import { el } from '../format.ts';
import { partOf } from '../parts.ts';
import { figureCells, figureHeads, type StatsShown, statsTable } from './shapes.ts';

export class StatsSeverity extends StatsSection {
  static readonly tag = 'eco-stats-severity';

  show({ stats, place, range }: StatsShown) {
    const { m } = this.c;
    const { table, tbody } = statsTable(
      'severity-table',
      m('ledgerStats.severity.caption', { place, range }),
      m('ledgerStats.col.severity'),
      figureHeads(m),
    );
    for (const severity of [...SEVERITIES].reverse()) {
      const row = stats.bySeverity[severity] ?? { raised: 0, closed: 0, cancelled: 0, completionRate: null };
      const tr = el('tr');
      tr.dataset.severity = severity;
      const name = el('th');
      name.scope = 'row';
      const badge = el('span', 'ledger-severity', m(`ledger.severity.${severity}`));
      badge.dataset.severity = severity;
      name.append(badge);
      tr.append(name, ...figureCells(m, row));
      tbody.append(tr);
    }
    partOf(this, '.table-scroll').replaceChildren(table);
  }
}
