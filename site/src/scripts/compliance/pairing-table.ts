/**
 * The table of pairings both compliance lists draw (missed last month: compliance/draw.ts; not yet
 * contacted while the month runs: compliance/live.ts): the firm heads each row and links to its
 * contact page, every cell carries its column's name for the phone layout, and the heads sort it.
 */
import { sortable } from '../../kit/sortable.ts';
import type { TypedConsole } from '../console.ts';
import { headRow } from '../console.ts';
import { el } from '../format.ts';

export interface PairingRow {
  pairingId: string;
  uscc: string;
  firmName?: string | undefined;
}

/** A cell after the firm: its content, or its content and a class. */
export type Cell = string | Node | readonly [string | Node, string];

/** The columns after the firm, each headed by its `compliance.missed.*` words. */
export type PairingColumn = 'county' | 'liaison' | 'kind' | 'last';

export const pairingTable = <R extends PairingRow>(
  { m, path }: TypedConsole,
  className: string,
  columns: readonly PairingColumn[],
  rows: readonly R[],
  cellsOf: (row: R, tr: HTMLTableRowElement) => Cell[],
): HTMLTableElement => {
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
    cellsOf(row, tr).forEach((cell, i) => {
      const [content, cellClass] = Array.isArray(cell) ? cell : [cell as string | Node, undefined];
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
