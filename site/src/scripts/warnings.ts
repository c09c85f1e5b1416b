/**
 * Staff console, the early-warning board (issue 19): `GET /api/staff/warnings?jurisdiction=` for a
 * unit of the caller's subtree: the counts, the units one level down (each a link one level deeper,
 * as compliance drills), and three lists, each a sortable table whose further pages come from
 * `?list=&cursor=` ("load more"). Firms are shown by name with their USCC.
 */

import { contains, names } from '../../../shared/jurisdictions.ts';
import { MANAGERS } from '../../../shared/roles.ts';
import type {
  WarningBoard,
  WarningCounts,
  WarningFinding,
  WarningFirm,
  WarningList,
  WarningPage,
  WarningPermit,
} from '../../../shared/warnings.ts';
import { api } from '../kit/api.ts';
import { failureText } from '../kit/messages.ts';
import { sortable } from '../kit/sortable.ts';
import { headRow, runConsolePage, type TypedConsole } from './console.ts';
import { dayLabel, el } from './format.ts';
import { placeLabel } from './pairings-common.ts';

const COUNT_KEYS = ['red', 'worsened', 'findings', 'permitsExpiring', 'permitsExpired'] as const;

/** One column of a list: its header's key and how a row fills its cell (text, or a node, with a sort value). */
interface Column<T> {
  readonly head: Parameters<TypedConsole['m']>[0];
  readonly cell: (row: T) => string | Node;
  readonly sort?: (row: T) => string;
}

const run = async (c: TypedConsole) => {
  const { lang, m, token, me, $ } = c;
  const place = $<HTMLSelectElement>('#warnings-jurisdiction');
  const body = $<HTMLElement>('#warnings-body');
  const codes = Object.keys(names)
    .filter((code) => contains(me.jurisdiction.code, code))
    .sort((a, b) => (a === me.jurisdiction.code ? -1 : b === me.jurisdiction.code ? 1 : a.localeCompare(b)));
  for (const code of codes) place.add(new Option(placeLabel(code, lang), code));
  const asked = new URLSearchParams(location.search).get('jurisdiction');
  if (asked && codes.includes(asked)) place.value = asked;

  const firmCell = (name: string, uscc: string) => {
    const link = el('a', undefined, name || uscc);
    link.href = `${c.path('/staff/enterprises/firm/')}?uscc=${encodeURIComponent(uscc)}`;
    const cell = el('span');
    cell.append(link, el('span', 'uscc-small', uscc));
    return cell;
  };
  const band = (b: string | null) => (b ? el('span', `band-${b}`, m(`warnings.band.${b}` as never)) : '—');
  const county = (code: string) => placeLabel(code, lang);

  const tiles = (counts: WarningCounts) => {
    const dl = el('dl', 'tiles');
    for (const key of COUNT_KEYS) {
      const tile = el('div', `tile${counts[key] > 0 ? ' tile-missed' : ''}`);
      tile.append(el('dt', undefined, m(`warnings.count.${key}`)), el('dd', undefined, String(counts[key])));
      dl.append(tile);
    }
    return dl;
  };

  /** A row per item: the first column is the row's header; every cell labelled for the phone's card. */
  const rowOf = <T>(columns: readonly Column<T>[], row: T) => {
    const tr = el('tr');
    columns.forEach((col, i) => {
      const cell = i === 0 ? el('th') : el('td');
      if (i === 0) cell.scope = 'row';
      else cell.dataset.label = m(col.head);
      cell.append(col.cell(row));
      if (col.sort) cell.dataset.sort = col.sort(row);
      tr.append(cell);
    });
    return tr;
  };

  const tableOf = <T>(columns: readonly Column<T>[], rows: readonly T[]) => {
    const table = el('table', 'data-table warnings-table cards-on-phone');
    table.createTHead().append(headRow(columns.map((col) => m(col.head))));
    const tbody = table.createTBody();
    for (const row of rows) tbody.append(rowOf(columns, row));
    sortable(table, m);
    return table;
  };

  /** A list's section: heading with its total, the table, and "load more" while the server has more. */
  const section = <T>(list: WarningList, page: WarningPage<T>, columns: readonly Column<T>[], jurisdiction: string) => {
    const part = el('section');
    part.setAttribute('aria-labelledby', `warnings-${list}`);
    const heading = el('h3', undefined, m('warnings.listTotal', { title: m(`warnings.${list}`), n: page.total }));
    heading.id = `warnings-${list}`;
    part.append(heading);
    if (page.total === 0) {
      part.append(el('p', 'muted', m('warnings.none')));
      return part;
    }
    const table = tableOf(columns, page.items);
    const wrap = el('div', 'table-wrap');
    wrap.append(table);
    part.append(wrap);
    let cursor = page.cursor;
    if (cursor) {
      const more = el('button', 'button-secondary', m('warnings.more'));
      more.type = 'button';
      more.addEventListener('click', async () => {
        more.disabled = true;
        const result = await api('warnings.get', {
          token,
          query: { jurisdiction, list, cursor: cursor ?? '' },
        });
        // The contract types one list's page as WarningPage<unknown> (the handler builds it under a
        // computed key); it is the page of the list asked for, so of this section's rows.
        const next =
          result.ok && !('totals' in result.body) ? (result.body[list] as WarningPage<T> | undefined) : undefined;
        if (!next) {
          more.replaceWith(el('p', 'alert', failureText(m, result.status, result.body)));
          return;
        }
        for (const row of next.items) table.tBodies[0]?.append(rowOf(columns, row));
        cursor = next.cursor;
        more.disabled = false;
        if (!cursor) more.remove();
      });
      part.append(more);
    }
    return part;
  };

  const firmColumns: Column<WarningFirm>[] = [
    { head: 'warnings.col.firm', cell: (f) => firmCell(f.firmName, f.uscc), sort: (f) => f.firmName },
    { head: 'warnings.col.county', cell: (f) => county(f.county) },
    {
      head: 'warnings.col.band',
      cell: (f) => band(f.band),
      sort: (f) => `${f.band === 'red' ? 2 : f.band === 'yellow' ? 1 : 0}`,
    },
    { head: 'warnings.col.previous', cell: (f) => band(f.previousBand) },
    { head: 'warnings.col.score', cell: (f) => String(f.score) },
    { head: 'warnings.col.checkedOn', cell: (f) => dayLabel(f.at.slice(0, 10), lang), sort: (f) => f.at },
  ];
  const findingColumns: Column<WarningFinding>[] = [
    { head: 'warnings.col.firm', cell: (f) => firmCell(f.firmName, f.uscc), sort: (f) => f.firmName },
    {
      head: 'warnings.col.title',
      cell: (f) => {
        const link = el('a', undefined, f.title);
        link.href = `${c.path('/staff/ledger/item/')}?id=${encodeURIComponent(f.itemId)}`;
        return link;
      },
    },
    { head: 'warnings.col.county', cell: (f) => county(f.county) },
    { head: 'warnings.col.dueOn', cell: (f) => dayLabel(f.dueOn, lang), sort: (f) => f.dueOn },
    { head: 'warnings.col.late', cell: (f) => String(f.daysLate) },
    { head: 'warnings.col.owner', cell: (f) => f.ownerDepartment },
  ];
  const permitColumns: Column<WarningPermit>[] = [
    { head: 'warnings.col.firm', cell: (p) => firmCell(p.firmName, p.uscc), sort: (p) => p.firmName },
    { head: 'warnings.col.county', cell: (p) => county(p.county) },
    { head: 'warnings.col.permitNo', cell: (p) => p.permitNo ?? '—' },
    { head: 'warnings.col.expiresOn', cell: (p) => dayLabel(p.permitExpiresOn, lang), sort: (p) => p.permitExpiresOn },
    {
      head: 'warnings.col.days',
      cell: (p) =>
        p.expired
          ? el('span', 'is-expired', m('warnings.expired', { n: -p.days }))
          : m('warnings.daysLeft', { n: p.days }),
      sort: (p) => String(p.days),
    },
  ];

  const unitsTable = (b: WarningBoard) => {
    const columns: Column<WarningBoard['children'][number]>[] = [
      {
        head: 'warnings.col.unit',
        cell: (u) => {
          const link = el('a', 'unit-link', placeLabel(u.code, lang));
          link.href = `?jurisdiction=${u.code}`;
          return link;
        },
      },
      ...COUNT_KEYS.map((key) => ({
        head: `warnings.count.${key}` as const,
        cell: (u: WarningCounts) => String(u[key]),
      })),
    ];
    const part = el('section');
    part.append(el('h3', undefined, m('warnings.units')));
    const wrap = el('div', 'table-wrap');
    wrap.append(tableOf(columns, b.children));
    part.append(wrap);
    return part;
  };

  const show = async () => {
    const jurisdiction = place.value;
    body.replaceChildren(el('p', 'muted', m('console.loading' as never)));
    const result = await api('warnings.get', { token, query: { jurisdiction } });
    if (!result.ok || !('totals' in result.body)) {
      body.replaceChildren(el('p', 'alert', failureText(m, result.status, result.body)));
      return;
    }
    const board = result.body;
    $('#warnings-caption').textContent = m('warnings.caption', {
      place: placeLabel(board.jurisdiction.code, lang),
      today: dayLabel(board.today, lang),
    });
    const parts: Node[] = [tiles(board.totals)];
    if (!board.complete) parts.push(el('p', 'notice', m('warnings.incomplete')));
    if (board.children.length > 0) parts.push(unitsTable(board));
    parts.push(
      section('firms', board.firms, firmColumns, jurisdiction),
      section('findings', board.findings, findingColumns, jurisdiction),
      section('permits', board.permits, permitColumns, jurisdiction),
    );
    body.replaceChildren(...parts);
  };

  $<HTMLFormElement>('#warnings-form').addEventListener('submit', (event) => {
    event.preventDefault();
    const url = new URL(location.href);
    url.searchParams.set('jurisdiction', place.value);
    history.replaceState(null, '', url);
    void show();
  });
  await show();
};

runConsolePage(run, MANAGERS);
