/**
 * The table of pairings both compliance lists draw (missed last month: compliance/missed.ts; not yet
 * contacted while the month runs: compliance/live.ts): the firm heads each row and links to its
 * contact page, then its county, its liaison, (for the missed list) the kind of nudge, and the last
 * visit or video call. Every cell carries its column's name for the phone layout, and the heads sort it.
 */
import { sortable } from '../../kit/sortable.ts';
import { instantDay, placeName } from '../compliance-months.ts';
import type { TypedConsole } from '../console.ts';
import { headRow } from '../console.ts';
import { el } from '../format.ts';

export interface PairingRow {
  pairingId: string;
  uscc: string;
  firmName?: string | undefined;
  county: string;
  liaisonName: string;
  lastQualifyingContactAt: string | null;
}

/**
 * `kind`, when given, adds the column of the nudge's kind (missed or escalated): its badge for a row,
 * which it may also mark.
 */
export const pairingTable = <R extends PairingRow>(
  { lang, m, path }: TypedConsole,
  className: string,
  rows: readonly R[],
  kind?: (row: R, tr: HTMLTableRowElement) => Node,
): HTMLTableElement => {
  const columns = kind ? (['county', 'liaison', 'kind', 'last'] as const) : (['county', 'liaison', 'last'] as const);
  const headers = [m('compliance.missed.firm'), ...columns.map((column) => m(`compliance.missed.${column}`))];
  const table = el('table', className);
  const thead = el('thead');
  thead.append(headRow(headers));
  const tbody = el('tbody');
  for (const row of rows) {
    const tr = el('tr');
    tr.dataset.pairingId = row.pairingId;
    const firm = el('th', 'missed-firm');
    firm.scope = 'row';
    firm.dataset.label = headers[0] ?? '';
    const link = el('a', undefined, row.firmName || row.uscc);
    link.href = `${path('/staff/pairings/contact/')}?id=${encodeURIComponent(row.pairingId)}`;
    link.title = m('compliance.missed.open');
    firm.append(link, el('span', 'uscc-small', row.uscc));
    tr.append(firm);
    const cells: Record<(typeof columns)[number], [string | Node, string?]> = {
      county: [placeName(row.county, lang)],
      liaison: [row.liaisonName, 'missed-liaison'],
      kind: [kind ? kind(row, tr) : ''],
      last: [instantDay(row.lastQualifyingContactAt, lang) || m('monthly.never')],
    };
    columns.forEach((column, i) => {
      const [content, cellClass] = cells[column];
      const td = el('td', cellClass);
      td.dataset.label = headers[i + 1] ?? '';
      td.append(content);
      tr.append(td);
    });
    tbody.append(tr);
  }
  table.append(thead, tbody);
  sortable(table, m);
  return table;
};
