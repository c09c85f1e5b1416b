/**
 * Staff console, the leader's ledger statistics (leads, admins): `GET /api/staff/ledger-stats?
 * jurisdiction=&from=&to=` for the chosen unit and, in parallel, for each named unit one level down
 * (a province → its cities, a city → its counties; `shared/jurisdictions.ts`). Drawn as the headline
 * figures, a table by severity, a completion-rate bar and an overdue bar per unit (each said in text
 * too, and repeated in a table; a unit's name drills into it), and an SVG chart of items raised vs
 * closed per month (redrawn to the width it has), with a table. The unit and the range live in the URL
 * (`?jurisdiction=320506&from=2025-07&to=2026-06`), so drilling in, back and forward all work.
 */

import { contains, JURISDICTION_CODE, levelOf, names, parentOf } from '../../../shared/jurisdictions.ts';
import { SEVERITIES } from '../../../shared/ledger-rules.ts';
import { MONTH } from '../../../shared/monthly.ts';
import { api } from '../kit/api.ts';
import { failureBox } from '../kit/failure.ts';
import { failureText } from '../kit/messages.ts';
import {
  keepQueryOnLangSwitch,
  monthBefore,
  monthLabel,
  pathDownTo,
  placeName,
  placePicker,
  rateText,
  thisMonth,
} from './compliance-months.ts';
import { runConsolePage, setFieldError, type TypedConsole } from './console.ts';
import { el } from './format.ts';

import { monthsChart } from './ledger-stats/months.ts';
import { satisfactionChart } from './ledger-stats/satisfaction.ts';
import { figureHeads, rateCell, type Stats, statsTable, type Unit } from './ledger-stats/shapes.ts';
import { unitsChart, type View } from './ledger-stats/units.ts';
import { parkFilter } from './park-filter.ts';

/** How far back the month pickers reach. */
const MONTHS_BACK = 36;
const PRESETS = ['3', '6', '12', 'year'] as const;

const isStats = (value: unknown): value is Stats => {
  const stats = value as Stats | null;
  return (
    typeof stats?.raised === 'number' &&
    typeof stats.overdueNow === 'number' &&
    Array.isArray(stats.months) &&
    typeof stats.bySeverity === 'object'
  );
};

/** The named units one level down (none below a county). */
const childrenOf = (code: string): string[] =>
  levelOf(code) === 'county'
    ? []
    : Object.keys(names)
        .filter((other) => other !== code && parentOf(other) === code)
        .sort();

/** A message with its `{slots}` filled by text or nodes (a month that must not break across lines). */
const fillNodes = (template: string, vars: Record<string, string | Node>): (string | Node)[] =>
  template.split(/\{(\w+)\}/).map((part, i) => (i % 2 === 1 ? (vars[part] ?? `{${part}}`) : part));

/** The range's first and last month (the last MONTHS_BACK months) and the place picker. */
const pickers = (c: TypedConsole, scope: string, current: string) => {
  const { lang, $ } = c;
  const fromSelect = $<HTMLSelectElement>('#stats-from');
  const toSelect = $<HTMLSelectElement>('#stats-to');
  const placeSelect = $<HTMLSelectElement>('#stats-jurisdiction');
  for (let back = 0; back < MONTHS_BACK; back++) {
    const month = monthBefore(current, back);
    fromSelect.append(new Option(monthLabel(month, lang), month));
    toSelect.append(new Option(monthLabel(month, lang), month));
  }
  const ensurePlace = placePicker(placeSelect, scope, lang, c.me.jurisdiction.name);
  return { fromSelect, toSelect, placeSelect, ensurePlace };
};

const run = async (c: TypedConsole, root: HTMLElement) => {
  const { lang, m, $ } = c;
  const scope = c.me.jurisdiction.code;
  const current = thisMonth();
  const oldest = monthBefore(current, MONTHS_BACK - 1);
  const { fromSelect, toSelect, placeSelect, ensurePlace } = pickers(c, scope, current);
  const presets = [...root.querySelectorAll<HTMLButtonElement>('[data-preset]')];
  const crumbs = $<HTMLElement>('#stats-path');
  const problem = $<HTMLElement>('#stats-problem');
  const result = $<HTMLElement>('#stats-result');
  const title = $<HTMLElement>('#stats-title');
  const totals = $<HTMLElement>('#stats-totals');
  const severityTable = $<HTMLElement>('#severity-table');

  const valid = (from: string | null, to: string | null, code: string | null, park?: string | null): View => {
    const last = to && MONTH.test(to) && to <= current && to >= oldest ? to : current;
    const fallback = monthBefore(last, 11) < oldest ? oldest : monthBefore(last, 11);
    return {
      from: from && MONTH.test(from) && from <= last && from >= oldest ? from : fallback,
      to: last,
      code: code && JURISDICTION_CODE.test(code) && contains(scope, code) ? code : scope,
      // A park belongs to one county (its id starts with the county's code).
      park: park && code && park.startsWith(`${code}-`) ? park : '',
    };
  };
  const fromUrl = () => {
    const query = new URLSearchParams(location.search);
    return valid(query.get('from'), query.get('to'), query.get('jurisdiction'), query.get('park'));
  };
  const urlOf = ({ from, to, code, park }: View) =>
    `${location.pathname}?${new URLSearchParams({ jurisdiction: code, from, to, ...(park ? { park } : {}) })}`;
  const presetRange = (preset: string): { from: string; to: string } =>
    preset === 'year'
      ? { from: `${current.slice(0, 4)}-01`, to: current }
      : { from: monthBefore(current, Number(preset) - 1), to: current };

  const rangeText = (from: string, to: string) =>
    from === to
      ? monthLabel(from, lang)
      : m('ledgerStats.range', { from: monthLabel(from, lang), to: monthLabel(to, lang) });

  // ---- drawing: the path, the figures ----

  const showCrumbs = (view: View) => {
    const chain = pathDownTo(scope, view.code);
    const list = crumbs.querySelector('ol') as HTMLOListElement;
    list.replaceChildren(
      ...chain.map((at) => {
        const item = el('li');
        const label = placeName(at, lang, at === scope ? c.me.jurisdiction.name : undefined);
        if (at === view.code) {
          const here = el('span', undefined, label);
          here.setAttribute('aria-current', 'page');
          item.append(here);
        } else {
          const link = el('a', undefined, label);
          link.href = urlOf({ ...view, code: at });
          link.dataset.code = at;
          item.append(link);
        }
        return item;
      }),
    );
    crumbs.hidden = chain.length < 2;
  };

  /** The ledger board's overdue items of the unit, where the board can show just them. */
  const overdueLink = (code: string): string | undefined => {
    if (levelOf(code) === 'county') return `${c.path('/staff/ledger/')}?overdue=true&county=${code}`;
    if (code === scope) return `${c.path('/staff/ledger/')}?overdue=true`;
    return undefined;
  };

  const tile = (kind: string, label: string, value: string, sub?: string | Node) => {
    const row = el('div', `tile tile-${kind}`);
    row.dataset.figure = kind;
    row.append(el('dt', undefined, label), el('dd', 'tile-value', value));
    if (sub !== undefined) {
      const dd = el('dd', 'tile-sub');
      dd.append(sub);
      row.append(dd);
    }
    return row;
  };

  const drawTotals = (stats: Stats, code: string) => {
    const overdue = stats.overdueNow > 0;
    const overdueSub = el('span', undefined, m(overdue ? 'ledgerStats.overdueYes' : 'ledgerStats.overdueNo'));
    const href = overdue ? overdueLink(code) : undefined;
    const overdueNote = el('span');
    overdueNote.append(overdueSub);
    if (href) {
      const link = el('a', undefined, m('ledgerStats.overdueLink'));
      link.href = href;
      overdueNote.append(el('br'), link);
    }
    const overdueTile = tile(
      overdue ? 'overdue tile-overdue-yes' : 'overdue',
      m('ledgerStats.overdue'),
      m('ledgerStats.count', { n: stats.overdueNow }),
      overdueNote,
    );
    overdueTile.dataset.figure = 'overdue';
    totals.replaceChildren(
      tile(
        'rate',
        m('ledgerStats.rate'),
        rateText(m, stats.completionRate),
        m('ledgerStats.rateOf', { closed: stats.closed, raised: stats.raised }),
      ),
      tile('raised', m('ledgerStats.raised'), m('ledgerStats.count', { n: stats.raised })),
      tile('closed', m('ledgerStats.closed'), m('ledgerStats.count', { n: stats.closed })),
      tile('cancelled', m('ledgerStats.cancelled'), m('ledgerStats.count', { n: stats.cancelled })),
      tile(
        'median',
        m('ledgerStats.median'),
        stats.medianDaysToClose === null
          ? m('monthly.rateNone')
          : m('ledgerStats.days', { n: stats.medianDaysToClose }),
        m(stats.medianDaysToClose === null ? 'ledgerStats.medianNone' : 'ledgerStats.daysHint'),
      ),
      overdueTile,
    );
  };

  const drawSeverity = (stats: Stats, place: string, range: string) => {
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
      tr.append(
        name,
        el('td', 'num', String(row.raised)),
        el('td', 'num', String(row.closed)),
        el('td', 'num', String(row.cancelled)),
        rateCell(m, row.completionRate),
      );
      tbody.append(tr);
    }
    severityTable.replaceChildren(table);
  };

  const drawChildren = unitsChart(c, urlOf);
  const drawMonths = monthsChart(c);
  const drawSatisfaction = satisfactionChart(c, root);
  // A table wider than a phone scrolls sideways in its box: the box takes the keyboard's focus so
  // that scrolling does not need a mouse or a finger (axe: scrollable-region-focusable).
  for (const box of root.querySelectorAll<HTMLElement>('.table-scroll')) box.tabIndex = 0;

  // ---- loading ----

  const statsQuery = (code: string, view: View) => ({
    jurisdiction: code,
    from: view.from,
    to: view.to,
    ...(view.park && code === view.code ? { park: view.park } : {}),
  });
  const parks = parkFilter($<HTMLSelectElement>('#stats-park'), $<HTMLElement>('#stats-park-field'), c);
  placeSelect.addEventListener('change', () => void parks.show(placeSelect.value));

  let loading = 0;
  let showing: View | undefined;
  const load = async (view: View, focus: boolean) => {
    const ticket = ++loading;
    showing = view;
    ensurePlace(view.code);
    fromSelect.value = view.from;
    toSelect.value = view.to;
    placeSelect.value = view.code;
    await parks.show(view.code, view.park);
    if (ticket !== loading) return;
    setFieldError(fromSelect, undefined);
    setFieldError(placeSelect, undefined);
    for (const button of presets) {
      const range = presetRange(button.dataset.preset ?? '');
      button.setAttribute('aria-pressed', String(range.from === view.from && range.to === view.to));
    }
    problem.replaceChildren();
    result.setAttribute('aria-busy', 'true');
    if (result.hidden) problem.replaceChildren(el('p', 'muted', m('monthly.loading')));
    // A park's view has no units below it: its firms are counted as one.
    const codes = view.park ? [] : childrenOf(view.code);
    const [main, ...below] = await Promise.all([
      api('ledger.stats', { query: statsQuery(view.code, view), token: c.token }),
      ...codes.map((code) => api('ledger.stats', { query: statsQuery(code, view), token: c.token })),
    ]);
    if (ticket !== loading || !main) return;
    result.removeAttribute('aria-busy');
    const stats = main.body;
    if (main.status !== 200 || !isStats(stats)) {
      if (main.status === 401) return;
      if (main.status === 404 || main.status === 403) setFieldError(placeSelect, m('ledgerStats.err.jurisdiction'));
      result.hidden = true;
      problem.replaceChildren(
        failureBox(
          m,
          m('ledgerStats.failed'),
          failureText(m, main.status, main.body),
          () => void load(view, true),
          'monthly.retry',
        ),
      );
      return;
    }
    const units: Unit[] = codes.map((code, i) => {
      const answer = below[i];
      return { code, ...(answer?.status === 200 && isStats(answer.body) ? { stats: answer.body } : {}) };
    });
    showCrumbs(view);
    const parkName = (stats as Stats & { park?: { name: string } }).park?.name;
    const unitName = placeName(view.code, lang, view.code === scope ? c.me.jurisdiction.name : undefined);
    const place = parkName ? `${unitName} · ${parkName}` : unitName;
    const range = rangeText(stats.from, stats.to);
    const nowrap = (text: string) => el('span', 'nowrap', text);
    const rangeNodes =
      stats.from === stats.to
        ? [nowrap(monthLabel(stats.from, lang))]
        : fillNodes(m('ledgerStats.range'), {
            from: nowrap(monthLabel(stats.from, lang)),
            to: nowrap(monthLabel(stats.to, lang)),
          });
    const rangeSpan = el('span');
    rangeSpan.append(...rangeNodes);
    title.replaceChildren(...fillNodes(m('ledgerStats.resultHeading'), { place: nowrap(place), range: rangeSpan }));
    problem.replaceChildren();
    result.hidden = false;
    drawTotals(stats, view.code);
    drawSeverity(stats, place, range);
    drawChildren(stats, view, units, place, range);
    drawMonths(stats, place, range);
    drawSatisfaction(stats, place, range);
    result.dataset.jurisdiction = view.code;
    result.dataset.from = stats.from;
    result.dataset.to = stats.to;
    keepQueryOnLangSwitch();
    if (focus) title.focus();
  };

  const go = (view: View) => {
    const target = valid(view.from, view.to, view.code, view.park);
    history.pushState(null, '', urlOf(target));
    void load(target, true);
  };

  $<HTMLFormElement>('#stats-filters').addEventListener('submit', (event) => {
    event.preventDefault();
    if (fromSelect.value > toSelect.value) {
      setFieldError(fromSelect, m('ledgerStats.err.range'));
      fromSelect.focus();
      return;
    }
    go({ from: fromSelect.value, to: toSelect.value, code: placeSelect.value, park: parks.value() });
  });
  fromSelect.addEventListener('change', () => {
    if (fromSelect.getAttribute('aria-invalid') === 'true' && fromSelect.value <= toSelect.value)
      setFieldError(fromSelect, undefined);
  });
  for (const button of presets) {
    button.addEventListener('click', () => {
      const preset = button.dataset.preset ?? '';
      if (!(PRESETS as readonly string[]).includes(preset)) return;
      go({ ...presetRange(preset), code: placeSelect.value, park: parks.value() });
    });
  }
  // A unit in the chart, the table or the path above: drill in without reloading the page.
  root.addEventListener('click', (event) => {
    const link = (event.target as HTMLElement).closest<HTMLAnchorElement>('a[data-code]');
    if (!link || event.ctrlKey || event.metaKey || event.shiftKey || event.button !== 0) return;
    event.preventDefault();
    go({ ...(showing ?? fromUrl()), code: link.dataset.code as string, park: '' });
  });
  window.addEventListener('popstate', () => void load(fromUrl(), true));

  const start = fromUrl();
  history.replaceState(null, '', urlOf(start));
  await load(start, false);
};

runConsolePage(run);
