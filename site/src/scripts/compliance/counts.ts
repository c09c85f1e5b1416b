/**
 * What the compliance page's sections share: the report as the page hands it to each of them, the
 * pairings still open, a row's numbers said in words, and the table that repeats a chart's figures.
 */
import type { ComplianceView } from '../../../../shared/answers.ts';
import type { ComplianceCounts as Counts } from '../../../../shared/monthly.ts';
import type { Say } from '../../kit/messages.ts';
import { sortable } from '../../kit/sortable.ts';
import { rateText } from '../compliance-months.ts';
import { el } from '../format.ts';

/** The report a section draws, whether its month still runs, this month, and a unit's link. */
export interface ComplianceShown {
  report: ComplianceView;
  isRunning: boolean;
  current: string;
  hrefOf: (code: string) => string;
}

/** Not yet judged either way: judged pairings neither contacted nor (yet) missed. */
export const openOf = (counts: Counts) => Math.max(0, counts.judged - counts.contacted - counts.missed);

/** A bar's numbers in words: contacted and missed, or contacted and still open while the month runs. */
export const rowText = (m: Say, counts: Counts, isRunning: boolean) =>
  isRunning
    ? m('compliance.chart.rowOpen', { contacted: counts.contacted, open: openOf(counts) })
    : m('compliance.chart.row', { contacted: counts.contacted, missed: counts.missed });

/** A chart's figures as a sortable table: one row per unit or month, judged, contacted, missed or open, rate. */
export const numberTable = (
  m: Say,
  caption: string,
  head: string,
  rows: { label: string | Node; counts: Counts; key: string }[],
  isRunning: boolean,
) => {
  const table = el('table', 'data-table chart-data');
  table.append(el('caption', undefined, caption));
  const thead = el('thead');
  const headRow = el('tr');
  const columns = [
    m('compliance.judged'),
    m('compliance.contacted'),
    isRunning ? m('compliance.open') : m('compliance.missed'),
    m('compliance.rate'),
  ];
  const th = (text: string, numeric = false) => {
    const cell = el('th', numeric ? 'num' : undefined, text);
    cell.scope = 'col';
    return cell;
  };
  headRow.append(th(head), ...columns.map((text) => th(text, true)));
  thead.append(headRow);
  const tbody = el('tbody');
  for (const row of rows) {
    const tr = el('tr');
    tr.dataset.key = row.key;
    const name = el('th');
    name.scope = 'row';
    name.append(row.label);
    const values = [row.counts.judged, row.counts.contacted, isRunning ? openOf(row.counts) : row.counts.missed].map(
      String,
    );
    tr.append(name, ...values.map((v) => el('td', 'num', v)), el('td', 'num', rateText(m, row.counts.rate)));
    tbody.append(tr);
  }
  table.append(thead, tbody);
  sortable(table, m);
  return table;
};
