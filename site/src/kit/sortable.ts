/**
 * Sortable console tables. `sortable(table)` turns each column header of the table's head into a
 * button: a click (or Enter / Space, the button's own keys) sorts the body's rows by that column,
 * ascending, then descending on the next press; the header carries `aria-sort` so a screen reader
 * says the order. Numbers sort as numbers, dates as dates, words by Chinese collation (pinyin, so
 * 苏州 comes before 吴中; Latin letters alphabetically), empty cells last whichever the direction.
 *
 * A cell's sort value is its `data-sort` when the script gives one (an ISO instant behind a date
 * shown as 2026年12月7日, a count behind a badge), else its text. A header with `data-nosort` or no
 * text (a check-box column) stays a plain header. A row with `data-sort-with="previous"` (a detail
 * row under its record) moves with the row above it; a row of one cell across the table (a slot's
 * heading, "no bookings yet") stays at the top of its body, and each body sorts on its own.
 *
 * On a phone a card list hides the headers, so the table also gets a "sort by" picker (shown by the
 * stylesheet on narrow screens only) offering each column both ways; picker and headers agree.
 *
 * Scripts re-render and page their rows: rows added or replaced later are put into the chosen order
 * again, so "load more" and a refresh keep the order the person picked. Calling `sortable` twice on
 * one table does nothing the second time.
 */
import type { Say } from './messages.ts';

type Direction = 'ascending' | 'descending';
type Kind = 'number' | 'date' | 'text';

const collator = new Intl.Collator('zh', { numeric: true, sensitivity: 'base' });
const NUMBER = /^[-+]?[\d,]*\.?\d+\s*%?$/;
const ISO = /^\d{4}-\d{2}-\d{2}/;
/** 2026年12月7日 04:02, as the console's date formatter writes it. */
const ZH_DATE = /^(\d{4})年(\d{1,2})月(\d{1,2})日(?:\D*(\d{1,2}):(\d{2}))?/;

const pad = (n: string | undefined) => (n ?? '0').padStart(2, '0');

const rawValue = (cell: Element | undefined): string => {
  if (!(cell instanceof HTMLElement)) return '';
  return (cell.dataset.sort ?? cell.textContent ?? '').replace(/\s+/g, ' ').trim();
};

/** A date's sortable form (ISO-like), or undefined when the value is not a date. */
const dateKey = (value: string): string | undefined => {
  if (ISO.test(value)) return value;
  const zh = ZH_DATE.exec(value);
  if (zh) return `${zh[1]}-${pad(zh[2])}-${pad(zh[3])}T${pad(zh[4])}:${pad(zh[5])}`;
  return undefined;
};

const kindOf = (values: readonly string[]): Kind => {
  const present = values.filter((v) => v !== '' && v !== '—');
  if (present.length === 0) return 'text';
  if (present.every((v) => NUMBER.test(v))) return 'number';
  if (present.every((v) => dateKey(v) !== undefined)) return 'date';
  return 'text';
};

const compare = (kind: Kind, a: string, b: string): number => {
  if (kind === 'number')
    return Number.parseFloat(a.replace(/[,%\s+]/g, '')) - Number.parseFloat(b.replace(/[,%\s+]/g, ''));
  if (kind === 'date') return (dateKey(a) ?? '').localeCompare(dateKey(b) ?? '');
  return collator.compare(a, b);
};

/** One cell across the table: a group's heading (a slot's time) or a "none yet" line, not a record. */
const spansTable = (row: HTMLTableRowElement) => row.cells.length === 1 && (row.cells[0]?.colSpan ?? 1) > 1;

/** The body's full-width rows (kept on top, in their order), and each record with its detail rows. */
const groupsOf = (tbody: HTMLTableSectionElement) => {
  const pinned: HTMLTableRowElement[] = [];
  const groups: HTMLTableRowElement[][] = [];
  for (const row of tbody.rows) {
    const last = groups.at(-1);
    if (row.dataset.sortWith === 'previous' && last) last.push(row);
    else if (spansTable(row)) pinned.push(row);
    else groups.push([row]);
  }
  return { pinned, groups };
};

const wired = new WeakSet<HTMLTableElement>();

export const sortable = (table: HTMLTableElement, m: Say): void => {
  if (wired.has(table)) return;
  wired.add(table);
  const headRow = table.tHead?.rows[0];
  if (!headRow) return;
  let chosen: { index: number; direction: Direction } | undefined;

  const apply = () => {
    if (!chosen) return;
    const { index, direction } = chosen;
    const sign = direction === 'ascending' ? 1 : -1;
    for (const tbody of table.tBodies) {
      const { pinned, groups } = groupsOf(tbody);
      const values = groups.map((g) => rawValue(g[0]?.cells[index]));
      const kind = kindOf(values);
      const order = groups.map((group, at) => ({ group, value: values[at] ?? '', at }));
      order.sort((x, y) => {
        const xEmpty = x.value === '' || x.value === '—';
        const yEmpty = y.value === '' || y.value === '—';
        if (xEmpty !== yEmpty) return xEmpty ? 1 : -1;
        return sign * compare(kind, x.value, y.value) || x.at - y.at;
      });
      tbody.append(...pinned, ...order.flatMap((o) => o.group));
    }
  };

  // Rows the script adds or replaces later are put in the chosen order too; the observer is paused
  // while this module moves rows itself, so sorting does not wake it.
  const observer = new MutationObserver((records) => {
    if (records.some((r) => r.target === table || r.target instanceof HTMLTableSectionElement)) sortNow();
  });
  const watch = () => observer.observe(table, { childList: true, subtree: true });
  const sortNow = () => {
    observer.disconnect();
    apply();
    observer.takeRecords();
    watch();
  };

  const headers = [...headRow.cells];
  const picker = document.createElement('select');
  picker.append(new Option(m('desk.sort.none'), ''));
  const choose = (index: number, direction: Direction) => {
    chosen = { index, direction };
    for (const other of headers) other.removeAttribute('aria-sort');
    headers[index]?.setAttribute('aria-sort', direction);
    picker.value = `${index}:${direction}`;
    sortNow();
  };
  headers.forEach((th, index) => {
    const label = (th.textContent ?? '').replace(/\s+/g, ' ').trim();
    if (th.dataset.nosort !== undefined || label === '' || th.querySelector('.visually-hidden')) return;
    const button = document.createElement('button');
    button.type = 'button';
    button.className = 'sort-button';
    button.append(...th.childNodes);
    th.append(button);
    th.classList.add('sortable');
    button.addEventListener('click', () =>
      choose(index, chosen?.index === index && chosen.direction === 'ascending' ? 'descending' : 'ascending'),
    );
    for (const direction of ['ascending', 'descending'] as const) {
      picker.append(new Option(m(`desk.sort.${direction}`, { column: label }), `${index}:${direction}`));
    }
  });
  picker.addEventListener('change', () => {
    const [index, direction] = picker.value.split(':');
    if (direction === 'ascending' || direction === 'descending') choose(Number(index), direction);
  });
  // The picker goes above the table (or its scrolling box) once the script has placed the table.
  const label = document.createElement('label');
  label.className = 'sort-pick';
  label.append(m('desk.sort.by'), picker);
  const place = (tries: number) => {
    const anchor = table.closest<HTMLElement>('.table-wrap, .table-scroll') ?? table;
    if (anchor.parentElement) anchor.before(label);
    else if (tries > 0) setTimeout(() => place(tries - 1), 0);
  };
  if (picker.options.length > 1) queueMicrotask(() => place(3));
  watch();
};
