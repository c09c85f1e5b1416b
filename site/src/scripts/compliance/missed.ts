/**
 * `<eco-compliance-missed>` (ComplianceMissed.astro): the month's missed pairings, one row per pairing
 * (an escalation marks its missed nudge's row and comes first), each linking to its contact page.
 */
import type { MissedEntry } from '../../../../shared/answers.ts';
import { StatsSection } from '../charts/section.ts';
import { monthLabel } from '../compliance-months.ts';
import { el } from '../format.ts';
import { partOf } from '../parts.ts';
import type { ComplianceShown } from './counts.ts';
import { pairingTable } from './pairing-table.ts';

type Row = MissedEntry & { escalated: boolean };

export class ComplianceMissed extends StatsSection {
  static readonly tag = 'eco-compliance-missed';

  show({ report, isRunning }: ComplianceShown) {
    const c = this.c;
    const { lang, m } = c;
    const byPairing = new Map<string, Row>();
    for (const item of report.missed) {
      const seen = byPairing.get(item.pairingId);
      if (seen) seen.escalated ||= item.kind === 'escalation';
      else byPairing.set(item.pairingId, { ...item, escalated: item.kind === 'escalation' });
    }
    const rows = [...byPairing.values()].sort(
      (a, b) =>
        Number(b.escalated) - Number(a.escalated) ||
        a.county.localeCompare(b.county) ||
        (a.firmName ?? a.uscc).localeCompare(b.firmName ?? b.uscc, lang === 'zh' ? 'zh-CN' : 'en'),
    );
    partOf(this, 'h3').textContent = m('compliance.missed.heading', { n: rows.length });
    const list = partOf(this, '.missed-list');
    if (rows.length === 0) {
      const empty = isRunning ? 'compliance.missed.runningEmpty' : 'compliance.missed.empty';
      list.replaceChildren(el('p', 'empty', m(empty, { month: monthLabel(report.month, lang) })));
      return;
    }
    const table = pairingTable(c, 'data-table missed-table', rows, (row, tr) => {
      const kind = row.escalated ? 'escalation' : 'missed';
      tr.dataset.kind = kind;
      const badge = el('span', 'badge badge-kind', m(`monthly.kind.${kind}`));
      badge.dataset.kind = kind;
      return badge;
    });
    list.replaceChildren(table);
  }
}
