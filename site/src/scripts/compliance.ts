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
import { PlacePath } from './charts/place-path.ts';
import { StatsResult } from './charts/result.ts';
import { sectionsOf } from './charts/section.ts';
import { viewInUrl } from './charts/url-view.ts';
import { ComplianceChildren } from './compliance/children.ts';
import type { ComplianceShown } from './compliance/counts.ts';
import { type ComplianceChoice, ComplianceFilters } from './compliance/filters.ts';
import { ComplianceLive } from './compliance/live.ts';
import { ComplianceMissed } from './compliance/missed.ts';
import { ComplianceSummary } from './compliance/summary.ts';
import { ComplianceTrend } from './compliance/trend.ts';
import { keepQueryOnLangSwitch, placeName, thisMonth } from './compliance-months.ts';
import { runConsolePage, type TypedConsole } from './console.ts';
import { wireExports } from './export-box.ts';

const run = async (c: TypedConsole, root: HTMLElement) => {
  const { lang, m } = c;
  const scope = c.me.jurisdiction.code;
  const current = thisMonth();
  const [filters, path, result, summary, children, trend, live, missed] = sectionsOf(c, [
    ComplianceFilters,
    PlacePath,
    StatsResult,
    ComplianceSummary,
    ComplianceChildren,
    ComplianceTrend,
    ComplianceLive,
    ComplianceMissed,
  ]);
  filters.start(current);
  // The sections that draw the report, each handed the same view of it.
  const charts = [summary, children, trend, missed];

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
    result.loading();
    const park = filters.park;
    const query = new URLSearchParams({ month, jurisdiction: code, ...(park ? { park } : {}) });
    const answer = await api('compliance.get', { query, token: c.token });
    if (ticket !== loading) return;
    if (!answer.ok) {
      if (result.failed(answer, 'monthly.failed', () => void load(choice, true)))
        filters.refuseUnit(m('compliance.err.jurisdiction'));
      return;
    }
    const report = answer.body;
    const { code: at, name } = report.jurisdiction;
    const shown: ComplianceShown = {
      report,
      isRunning: report.month >= current,
      current,
      hrefOf: (to) => urlOf({ month: report.month, code: to, park: '' }),
    };
    filters.named(at, name);
    path.show({
      scope,
      code: at,
      nameOf: (unit) => placeName(unit, lang, unit === at ? name : undefined),
      hrefOf: shown.hrefOf,
    });
    result.shown({ month: report.month, jurisdiction: at });
    for (const section of charts) section.show(shown);
    // The live list is the county's; a park's view shows its own missed pairings only.
    void live.show(at, shown.isRunning && !park, () => ticket === loading);
    keepQueryOnLangSwitch();
    if (focus) summary.focusHeading();
  };

  const { first, go } = viewInUrl(fromUrl, urlOf, load);
  filters.addEventListener('month-chosen', (event) => go(valid(event.detail)));
  // A unit in a chart or in the path above: drill in without reloading the page.
  root.addEventListener('drill', (event) => go(valid({ month: filters.month, code: event.detail.code })));
  await first;
};

runConsolePage(run);
