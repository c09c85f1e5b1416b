/**
 * Staff console, the leader's ledger statistics (leads, admins): `GET /api/staff/ledger-stats?
 * jurisdiction=&from=&to=` for the chosen unit and, in parallel, for each named unit one level down
 * (a province → its cities, a city → its counties; `shared/jurisdictions.ts`). The unit and the range
 * live in the URL (`?jurisdiction=320506&from=2025-07&to=2026-06`), so drilling in, back and forward
 * all work. The page's sections are custom elements (scripts/ledger-stats/*.ts, defined here): this
 * script reads the URL, fetches, hands each section the figures, and answers their events (a view
 * chosen in the filters, a unit clicked in the chart, its table or the path above).
 */

import { contains, JURISDICTION_CODE, levelOf, names, parentOf } from '../../../shared/jurisdictions.ts';
import { MONTH } from '../../../shared/monthly.ts';
import { api } from '../kit/api.ts';
import { PlacePath } from './charts/place-path.ts';
import { StatsResult } from './charts/result.ts';
import { sectionsOf } from './charts/section.ts';
import { viewInUrl } from './charts/url-view.ts';
import { keepQueryOnLangSwitch, monthBefore, monthLabel, placeName, thisMonth } from './compliance-months.ts';
import { runConsolePage, type TypedConsole } from './console.ts';
import { MONTHS_BACK, StatsFilters } from './ledger-stats/filters.ts';
import { StatsMonths } from './ledger-stats/months.ts';
import { StatsSatisfaction } from './ledger-stats/satisfaction.ts';
import { StatsSeverity } from './ledger-stats/severity.ts';
import type { StatsShown, Unit, View } from './ledger-stats/shapes.ts';
import { StatsSummary } from './ledger-stats/summary.ts';
import { StatsUnits } from './ledger-stats/units.ts';

/** The named units one level down (none below a county). */
const childrenOf = (code: string): string[] =>
  levelOf(code) === 'county'
    ? []
    : Object.keys(names)
        .filter((other) => other !== code && parentOf(other) === code)
        .sort();

const run = async (c: TypedConsole, root: HTMLElement) => {
  const { lang, m } = c;
  const scope = c.me.jurisdiction.code;
  const current = thisMonth();
  const oldest = monthBefore(current, MONTHS_BACK - 1);
  const [filters, path, result, ...sections] = sectionsOf(c, [
    StatsFilters,
    PlacePath,
    StatsResult,
    StatsSummary,
    StatsSatisfaction,
    StatsSeverity,
    StatsUnits,
    StatsMonths,
  ]);
  filters.start(current);
  const [summary] = sections;

  const valid = ({ from, to, code, park }: Partial<Record<keyof View, string | null>>): View => {
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
    const [from, to, code, park] = ['from', 'to', 'jurisdiction', 'park'].map((key) => query.get(key));
    return valid({ from, to, code, park });
  };
  const urlOf = ({ from, to, code, park }: View) =>
    `${location.pathname}?${new URLSearchParams({ jurisdiction: code, from, to, ...(park ? { park } : {}) })}`;
  const rangeText = (from: string, to: string) =>
    from === to
      ? monthLabel(from, lang)
      : m('ledgerStats.range', { from: monthLabel(from, lang), to: monthLabel(to, lang) });
  const nameOf = (code: string) => placeName(code, lang, code === scope ? c.me.jurisdiction.name : undefined);

  // ---- loading ----

  const statsQuery = (code: string, view: View) => ({
    jurisdiction: code,
    from: view.from,
    to: view.to,
    ...(view.park && code === view.code ? { park: view.park } : {}),
  });

  let loading = 0;
  let showing: View | undefined;
  const load = async (view: View, focus: boolean) => {
    const ticket = ++loading;
    showing = view;
    await filters.show(view);
    if (ticket !== loading) return;
    result.loading();
    // A park's view has no units below it: its firms are counted as one.
    const codes = view.park ? [] : childrenOf(view.code);
    const [main, ...below] = await Promise.all(
      [view.code, ...codes].map((code) => api('ledger.stats', { query: statsQuery(code, view), token: c.token })),
    );
    if (ticket !== loading || !main) return;
    if (!main.ok) {
      if (result.failed(main, 'ledgerStats.failed', () => void load(view, true)))
        filters.refuseUnit(m('ledgerStats.err.jurisdiction'));
      return;
    }
    const stats = main.body;
    const units: Unit[] = codes.map((code, i) => {
      const answer = below[i];
      return { code, ...(answer?.ok ? { stats: answer.body } : {}) };
    });
    const hrefOf = (code: string) => urlOf({ ...view, code, park: '' });
    path.show({ scope, code: view.code, nameOf, hrefOf });
    const unitName = nameOf(view.code);
    const place = stats.park ? `${unitName} · ${stats.park.name}` : unitName;
    const shown: StatsShown = { stats, view, units, place, range: rangeText(stats.from, stats.to), hrefOf };
    result.shown({ jurisdiction: view.code, from: stats.from, to: stats.to });
    for (const section of sections) section.show(shown);
    keepQueryOnLangSwitch();
    if (focus) summary.focusHeading();
  };

  const { first, go } = viewInUrl(fromUrl, urlOf, load);
  filters.addEventListener('range-chosen', (event) => go(valid(event.detail)));
  // A unit in the chart, its table or the path above: drill in without reloading the page.
  root.addEventListener('drill', (event) =>
    go(valid({ ...(showing ?? fromUrl()), code: event.detail.code, park: '' })),
  );
  await first;
};

runConsolePage(run);
