/**
 * Staff console, the roster: `GET /api/staff/enterprises?q=&county=&tier=&status=&cursor=` a page at a
 * time ("load more" while `nextCursor`), the filters kept in the address so a reload or the back button
 * shows the same list. Leads and admins also get the "add a firm" form (`POST`, checked with the API's
 * schema first, the server's `error.fields` on the same inputs), the exports (with the list's filters)
 * and the import (roster-import.ts).
 */

import type { EnterpriseRow } from '../../../shared/answers.ts';
import { firmTypesText } from '../../../shared/enterprise-words.ts';
import { MANAGERS } from '../../../shared/roles.ts';
import { api, apiPath } from '../kit/api.ts';
import { failureText } from '../kit/messages.ts';
import { sortable } from '../kit/sortable.ts';
import { bandBadge } from './checkup-common.ts';
import { runConsolePage, type TypedConsole } from './console.ts';
import { exportButtons } from './export-buttons.ts';
import { buttonEl, el } from './format.ts';
import { wireLoadMore } from './load-more.ts';
import { setupBulk } from './roster-bulk.ts';
import { countiesInScope, countyLabel } from './roster-form/view.ts';
import type { RosterImport } from './roster-import/element.ts';
import type { RosterNewFirm } from './roster-new/element.ts';

/** One request asks for this many; a filtered page may hold fewer, so a short page asks again. */
const PAGE = 25;
const WANT = 15;
const MAX_REQUESTS = 5;

interface Filters {
  q: string;
  county: string;
  tier: string;
  status: string;
  paired: string;
}

const run = async (c: TypedConsole, root: HTMLElement) => {
  const { lang, m, token, $ } = c;
  const manager = (MANAGERS as readonly string[]).includes(c.me.role);
  const firmPath = c.path('/staff/enterprises/firm/');
  const status = $<HTMLElement>('#roster-status');
  const filtersForm = $<HTMLFormElement>('#roster-filters');
  const q = $<HTMLInputElement>('#filter-q');
  const countyFilter = $<HTMLSelectElement>('#filter-county');
  const tier = $<HTMLSelectElement>('#filter-tier');
  const statusFilter = $<HTMLSelectElement>('#filter-status');
  const pairedFilter = $<HTMLSelectElement>('#filter-paired');
  const tbody = $<HTMLElement>('#roster-table tbody');
  const table = $<HTMLTableElement>('#roster-table');
  sortable(table, m);
  const count = $<HTMLElement>('#roster-count');
  const empty = $<HTMLElement>('#roster-empty');
  const problem = $<HTMLElement>('#roster-problem');
  const more = $<HTMLButtonElement>('#roster-more');

  for (const item of root.querySelectorAll<HTMLElement>('[data-manager]')) item.hidden = !manager;

  const errorText = (code: number, answer: unknown) => failureText(m, code, answer);

  // ---- filters ----

  for (const code of countiesInScope(c.me.jurisdiction.code)) {
    countyFilter.append(new Option(countyLabel(code, lang), code));
  }

  const readFilters = (): Filters => ({
    q: q.value.trim(),
    county: countyFilter.value,
    tier: tier.value,
    status: statusFilter.value,
    paired: pairedFilter.value,
  });
  const query = (filters: Filters, extra: Record<string, string> = {}) => {
    const params = new URLSearchParams();
    for (const [key, value] of Object.entries({ ...filters, ...extra })) if (value) params.set(key, value);
    return params.toString();
  };
  const fromAddress = () => {
    const params = new URLSearchParams(location.search);
    q.value = params.get('q') ?? '';
    const pick = (select: HTMLSelectElement, value: string | null) => {
      select.value = [...select.options].some((o) => o.value === value) ? (value ?? '') : '';
    };
    pick(countyFilter, params.get('county'));
    pick(tier, params.get('tier'));
    pick(statusFilter, params.get('status'));
    pick(pairedFilter, params.get('paired'));
  };

  // ---- the list ----

  let cursor: string | null = null;
  let shown = 0;
  let active: Filters = readFilters();
  let generation = 0;

  const cell = (label: string, content: string | Node, className?: string) => {
    const td = el('td', className);
    td.dataset.label = label;
    td.append(content);
    return td;
  };

  // Leads and admins pair firms from the list (roster-bulk.ts); it reloads the list once they are paired.
  const bulk = manager ? setupBulk(c, () => void load(true)) : undefined;

  const rowOf = (firm: EnterpriseRow): HTMLTableRowElement => {
    const tr = el('tr');
    tr.dataset.uscc = firm.uscc;
    const { paired } = firm;
    tr.dataset.paired = String(paired);
    if (bulk) tr.append(bulk.checkbox({ uscc: firm.uscc, name: firm.name, paired }));
    const th = el('th');
    th.scope = 'row';
    const link = el('a', 'firm-link', firm.name);
    link.href = `${firmPath}?uscc=${encodeURIComponent(firm.uscc)}`;
    th.append(link);
    // Its types and park under the name (issue 19); the park's name is filled in once its county's list is read.
    const tags = [firmTypesText(firm.types, lang)].filter(Boolean).join(' · ');
    if (tags || firm.park) {
      const line = el('span', 'firm-tags', tags);
      if (firm.park) line.dataset.park = firm.park;
      th.append(line);
    }
    const badge = el('span', 'badge', m(`roster.status.${firm.status}`));
    badge.dataset.status = firm.status;
    tr.append(
      th,
      cell(m('roster.col.uscc'), el('span', 'mono', firm.uscc), 'uscc-cell'),
      cell(m('roster.col.county'), countyLabel(firm.county, lang)),
      cell(m('roster.col.industry'), firm.industry),
      cell(m('roster.col.tier'), m(`roster.tier.${firm.tier}`), 'nowrap'),
      cell(m('roster.col.size'), m(`roster.size.${firm.size}`), 'nowrap'),
      cell(m('roster.col.status'), badge),
    );
    // The list carries each firm's latest band (null: no check-up yet).
    const { health } = firm;
    const shown = health ? bandBadge(m, health.band, health.score) : el('span', 'muted', m('checkup.health.unchecked'));
    tr.append(cell(m('checkup.col.health'), shown, 'health-cell'));
    if (bulk) tr.append(bulk.pairedCell(paired));
    else tr.append(cell(m('roster.col.paired'), m(paired ? 'roster.paired.yes' : 'roster.paired.no'), 'nowrap'));
    return tr;
  };

  const showCount = () => {
    count.textContent = cursor ? m('roster.list.count', { n: shown }) : m('roster.list.countAll', { n: shown });
    more.hidden = !cursor;
    empty.hidden = shown > 0 || Boolean(cursor);
    table.hidden = shown === 0;
  };

  /** Loads the first page (`reset`) or the next one; answers how many firms were added. */
  const load = async (reset: boolean): Promise<number | undefined> => {
    const mine = reset ? ++generation : generation;
    if (reset) {
      cursor = null;
      shown = 0;
      tbody.replaceChildren();
      table.hidden = true;
      empty.hidden = true;
      more.hidden = true;
      count.textContent = m('console.loading');
    }
    problem.hidden = true;
    table.setAttribute('aria-busy', 'true');
    let added = 0;
    for (let i = 0; i < MAX_REQUESTS; i++) {
      const result = await api('enterprises.list', {
        query: query(active, { limit: String(PAGE), ...(cursor ? { cursor } : {}) }),
        token,
      });
      if (mine !== generation) return undefined;
      const { status: code } = result;
      if (code === 401) return undefined;
      if (!result.ok) {
        table.removeAttribute('aria-busy');
        problem.replaceChildren(el('p', undefined, `${m('roster.list.failed')} ${errorText(code, result.body)}`));
        const retry = buttonEl('button-secondary button-small', m('console.retry'));
        retry.addEventListener('click', () => void load(shown === 0));
        problem.append(retry);
        problem.hidden = false;
        count.textContent = '';
        more.hidden = !cursor;
        return undefined;
      }
      const page = result.body;
      for (const firm of page.enterprises) tbody.append(rowOf(firm));
      added += page.enterprises.length;
      shown += page.enterprises.length;
      cursor = page.nextCursor;
      if (!cursor || added >= WANT) break;
    }
    table.removeAttribute('aria-busy');
    showCount();
    void nameParks();
    return added;
  };

  /** The parks' names of the rows shown: one read of each county's list. */
  const parkNames = new Map<string, string>();
  const nameParks = async () => {
    const lines = [...tbody.querySelectorAll<HTMLElement>('[data-park]')].filter((l) => !l.dataset.named);
    for (const county of new Set(lines.map((l) => (l.dataset.park ?? '').slice(0, 6)))) {
      if ([...parkNames.keys()].some((id) => id.startsWith(county))) continue;
      const result = await api('parks.list', { query: { county }, token });
      if (result.ok) for (const p of result.body.parkList.parks) parkNames.set(p.id, p.name);
    }
    for (const line of lines) {
      const name = parkNames.get(line.dataset.park ?? '');
      if (!name) continue;
      line.dataset.named = 'true';
      line.textContent = [line.textContent, `${m('roster.field.park')}${lang === 'zh' ? '：' : ': '}${name}`]
        .filter(Boolean)
        .join(' · ');
    }
  };

  filtersForm.addEventListener('submit', (event) => {
    event.preventDefault();
    active = readFilters();
    const search = query(active);
    history.replaceState(null, '', search ? `?${search}` : location.pathname);
    void load(true);
  });
  $<HTMLButtonElement>('#filter-reset').addEventListener('click', () => {
    filtersForm.reset();
    active = readFilters();
    history.replaceState(null, '', location.pathname);
    q.focus();
    void load(true);
  });
  wireLoadMore(more, $<HTMLElement>('#roster-more-status'), tbody, {
    loading: m('roster.list.loadingMore'),
    loaded: (n) => m('roster.list.loaded', { n, total: shown }),
    load: () => load(false),
    focus: (row) => {
      const next = row?.querySelector<HTMLAnchorElement>('a');
      if (next) next.focus();
      else if (!more.hidden) more.focus();
    },
  });

  // ---- leads and admins: add, export, import ----

  if (manager) {
    void customElements.whenDefined('roster-new-firm').then(() => {
      root.querySelector<RosterNewFirm>('roster-new-firm')?.init(c, status, () => void load(true));
    });

    // The export takes the county, tier and status of the list (not the search words nor pairing).
    exportButtons(c, root, (format) => ({
      path: apiPath('enterprises.export', undefined, query({ ...readFilters(), q: '', paired: '' }, { format })),
      fallback: `enterprises.${format}`,
    }));

    void customElements.whenDefined('roster-import').then(() => {
      root.querySelector<RosterImport>('roster-import')?.init(c, () => void load(true), bulk?.select);
    });
  }

  fromAddress();
  active = readFilters();
  await load(true);
};

runConsolePage(run, ['liaison', 'lead', 'admin']);
