/**
 * `<eco-compliance-summary>` (ComplianceSummary.astro): what the page shows, as its heading (the unit,
 * the month, a park), a note while the month still runs, and the totals as tiles. The page focuses
 * the heading after a drill-down, so that a screen reader hears where it is.
 */

import { StatsSection } from '../charts/section.ts';
import { monthLabel, placeName, rateText } from '../compliance-months.ts';
import { el } from '../format.ts';
import { partOf } from '../parts.ts';
import { type ComplianceShown, openOf } from './counts.ts';

const tile = (label: string, value: string, kind: string) => {
  const row = el('div', `tile tile-${kind}`);
  row.append(el('dt', undefined, label), el('dd', undefined, value));
  return row;
};

export class ComplianceSummary extends StatsSection {
  static readonly tag = 'eco-compliance-summary';

  show({ report, isRunning }: ComplianceShown) {
    const { lang, m } = this.c;
    const month = monthLabel(report.month, lang);
    const place = placeName(report.jurisdiction.code, lang, report.jurisdiction.name);
    const heading = m('compliance.resultHeading', { place, month });
    partOf(this, 'h2').textContent = report.park ? `${heading} · ${report.park.name}` : heading;
    const running = partOf(this, '.running-note');
    running.hidden = !isRunning;
    running.textContent = isRunning ? m('compliance.running', { month }) : '';
    const t = report.totals;
    partOf(this, '.tiles').replaceChildren(
      tile(m('compliance.judged'), String(t.judged), 'judged'),
      tile(m('compliance.contacted'), String(t.contacted), 'contacted'),
      isRunning
        ? tile(m('compliance.open'), String(openOf(t)), 'open')
        : tile(m('compliance.missed'), String(t.missed), 'missed'),
      tile(m('compliance.rate'), rateText(m, t.rate), 'rate'),
    );
  }

  /** Takes the focus to the heading: after a drill-down, a screen reader hears the unit shown. */
  focusHeading() {
    partOf(this, 'h2').focus();
  }
}
