/**
 * Staff console, compliance (leads, admins): `GET /api/staff/compliance?month=&jurisdiction=` for the
 * month and unit in the URL (`?month=2026-10&jurisdiction=320506`, so drilling into a unit, back and
 * forward all work). The page's sections are custom elements (scripts/compliance/*.ts, defined here):
 * this script reads the URL, fetches, hands each section the report, and answers their events (a
 * month or unit chosen in the filters, a unit clicked in a chart or in the path above).
 */

import { contains, JURISDICTION_CODE } from '../../../shared/jurisdictions.ts';
import { MONTH } from '../../../shared/monthly.ts';
import { api } from '../kit/api.ts';
import { failureBox } from '../kit/failure.ts';
import { failureText } from '../kit/messages.ts';
import type { PlacePath } from './charts/place-path.ts';
import type { ComplianceChildren } from './compliance/children.ts';
import type { ComplianceShown } from './compliance/counts.ts';
import type { ComplianceChoice, ComplianceFilters } from './compliance/filters.ts';
import type { ComplianceLive } from './compliance/live.ts';
import type { ComplianceMissed } from './compliance/missed.ts';
import type { ComplianceSummary } from './compliance/summary.ts';
import type { ComplianceTrend } from './compliance/trend.ts';
// Each module defines its element: the page's one script carries them all (a module entry per element
// would cost every page more in imports and preload lists than the elements weigh).
import './charts/place-path.ts';
import './compliance/children.ts';
import './compliance/filters.ts';
import './compliance/live.ts';
import './compliance/missed.ts';
import './compliance/summary.ts';
import './compliance/trend.ts';
import { keepQueryOnLangSwitch, placeName, thisMonth } from './compliance-months.ts';
import { runConsolePage, type TypedConsole } from './console.ts';
import { wireExports } from './export-box.ts';
import { el } from './format.ts';

const run = async (c: TypedConsole, root: HTMLElement) => {
  const { lang, m, $ } = c;
  const scope = c.me.jurisdiction.code;
  const current = thisMonth();
  const filters = $<ComplianceFilters>('eco-compliance-filters');
  filters.start(c, current);
  const path = $<PlacePath>('eco-place-path');
  const summary = $<ComplianceSummary>('eco-compliance-summary');
  const live = $<ComplianceLive>('eco-compliance-live');
  // The sections that draw the report, each handed the same view of it.
  const charts = [
    summary,
    $<ComplianceChildren>('eco-compliance-children'),
    $<ComplianceTrend>('eco-compliance-trend'),
    $<ComplianceMissed>('eco-compliance-missed'),
  ];
  for (const section of [path, live, ...charts]) section.init(c);
  const problem = $('#compliance-problem');
  const result = $('#compliance-result');

  const valid = ({ month, code, park }: Partial<Record<keyof ComplianceChoice, string | null>>) => ({
    month: month && MONTH.test(month) && month <= current ? month : current,
    code: code && JURISDICTION_CODE.test(code) && contains(scope, code) ? code : scope,
    park: park ?? '',
  });
  const fromUrl = () => {
    const query = new URLSearchParams(location.search);
    return valid({ month: query.get('month'), code: query.get('jurisdiction'), park: query.get('park') });
  };
  /** A park (issue 19) narrows a county's view to its firms; it belongs to that county only. */
  const urlOf = ({ month, code, park }: ComplianceChoice) => {
    const query = new URLSearchParams({ month, jurisdiction: code, ...(park.startsWith(`${code}-`) ? { park } : {}) });
    return `${location.pathname}?${query}`;
  };

  // The month's spreadsheet of the unit shown (ExportBox.astro).
  wireExports(root, c, 'compliance.export', () => filters.query);

  let loading = 0;
  const load = async (choice: ComplianceChoice, focus: boolean) => {
    const ticket = ++loading;
    const { month, code } = choice;
    await filters.show(choice);
    problem.replaceChildren();
    result.setAttribute('aria-busy', 'true');
    if (result.hidden) problem.replaceChildren(el('p', 'muted', m('monthly.loading')));
    const park = filters.park;
    const query = new URLSearchParams({ month, jurisdiction: code, ...(park ? { park } : {}) });
    const answer = await api('compliance.get', { query, token: c.token });
    if (ticket !== loading) return;
    result.removeAttribute('aria-busy');
    if (!answer.ok) {
      const { status } = answer;
      if (status === 401) return;
      if (status === 404 || status === 403) filters.refuseUnit(m('compliance.err.jurisdiction'));
      result.hidden = true;
      const retry = () => void load(choice, true);
      const text = failureText(m, status, answer.body);
      problem.replaceChildren(failureBox(m, m('monthly.failed'), text, retry, 'monthly.retry'));
      return;
    }
    const report = answer.body;
    problem.replaceChildren();
    const shown: ComplianceShown = {
      report,
      isRunning: report.month >= current,
      current,
      hrefOf: (to) => urlOf({ month: report.month, code: to, park: '' }),
    };
    const { code: at, name } = report.jurisdiction;
    filters.named(at, name);
    path.show({
      scope,
      code: at,
      nameOf: (unit) => placeName(unit, lang, unit === at ? name : undefined),
      hrefOf: shown.hrefOf,
    });
    for (const section of charts) section.show(shown);
    // The live list is the county's; a park's view shows its own missed pairings only.
    void live.show(at, shown.isRunning && !park, () => ticket === loading);
    result.hidden = false;
    result.dataset.month = report.month;
    result.dataset.jurisdiction = at;
    keepQueryOnLangSwitch();
    if (focus) summary.focusHeading();
  };

  const go = (choice: ComplianceChoice) => {
    const target = valid(choice);
    history.pushState(null, '', urlOf(target));
    void load(target, true);
  };
  filters.addEventListener('month-chosen', (event) => go(event.detail));
  // A unit in a chart or in the path above: drill in without reloading the page.
  root.addEventListener('drill', (event) => go({ month: filters.month, code: event.detail.code, park: '' }));
  window.addEventListener('popstate', () => void load(fromUrl(), true));

  const start = fromUrl();
  history.replaceState(null, '', urlOf(start));
  await load(start, false);
};

runConsolePage(run);
