/**
 * Staff console, compliance (leads, admins): `GET /api/staff/compliance?month=&jurisdiction=` drawn as
 * the totals, bars of contacted vs missed per unit one level down (SVG made here, attributes set by
 * script; each row also says its numbers in text, and a table repeats them), the 12-month rate trend,
 * and the missed pairings with escalations marked. The month and the unit live in the URL
 * (`?month=2026-10&jurisdiction=320506`), so drilling into a unit, back and forward all work.
 */

import { contains, JURISDICTION_CODE } from '../../../shared/jurisdictions.ts';
import { MONTH } from '../../../shared/monthly.ts';
import { api } from '../kit/api.ts';
import { failureBox } from '../kit/failure.ts';
import { failureText } from '../kit/messages.ts';
import { complianceDrawing } from './compliance/draw.ts';
import './compliance/live.ts';
import type { ComplianceLive } from './compliance/live.ts';
import { keepQueryOnLangSwitch, monthBefore, monthLabel, placeName, thisMonth } from './compliance-months.ts';
import { runConsolePage, setFieldError, type TypedConsole } from './console.ts';
import { wireExports } from './export-box.ts';
import { el } from './format.ts';
import { parkFilter } from './park-filter.ts';
import { placePicker } from './place-picker.ts';

/** The month picker (the last 24 months) and the place picker (one's unit and each below it, indented). */
const pickers = (c: TypedConsole, scope: string, current: string) => {
  const { lang, $ } = c;
  const monthSelect = $<HTMLSelectElement>('#compliance-month');
  const placeSelect = $<HTMLSelectElement>('#compliance-jurisdiction');
  const prev = $<HTMLButtonElement>('#compliance-prev');
  const next = $<HTMLButtonElement>('#compliance-next');
  for (let back = 0; back < 24; back++) {
    const month = monthBefore(current, back);
    monthSelect.append(new Option(monthLabel(month, lang), month));
  }
  const ensureMonth = (month: string) => {
    if (![...monthSelect.options].some((o) => o.value === month)) {
      monthSelect.append(new Option(monthLabel(month, lang), month));
    }
  };
  const ensurePlace = placePicker(placeSelect, scope, lang, c.me.jurisdiction.name);
  /** The month and place shown; there is no month after the current one to step to. */
  const show = (month: string, code: string) => {
    ensureMonth(month);
    ensurePlace(code);
    monthSelect.value = month;
    placeSelect.value = code;
    prev.disabled = false;
    next.disabled = month >= current;
  };
  return { monthSelect, placeSelect, prev, next, ensurePlace, show };
};

const run = async (c: TypedConsole, root: HTMLElement) => {
  const { lang, m, $ } = c;
  const scope = c.me.jurisdiction.code;
  const current = thisMonth();
  const { monthSelect, placeSelect, prev, next, ensurePlace, show } = pickers(c, scope, current);
  const parks = parkFilter($<HTMLSelectElement>('#compliance-park'), $<HTMLElement>('#compliance-park-field'), c);
  const problem = $<HTMLElement>('#compliance-problem');
  const result = $<HTMLElement>('#compliance-result');
  const title = $<HTMLElement>('#compliance-title');
  const running = $<HTMLElement>('#compliance-running');

  const valid = (month: string | null, code: string | null) => ({
    month: month && MONTH.test(month) && month <= current ? month : current,
    code: code && JURISDICTION_CODE.test(code) && contains(scope, code) ? code : scope,
  });
  const fromUrl = () => {
    const query = new URLSearchParams(location.search);
    return { ...valid(query.get('month'), query.get('jurisdiction')), park: query.get('park') ?? '' };
  };
  /** A park (issue 19) narrows a county's view to its firms; it belongs to that county only. */
  const urlOf = (month: string, code: string, park = '') => {
    const query = new URLSearchParams({ month, jurisdiction: code, ...(park.startsWith(`${code}-`) ? { park } : {}) });
    return `${location.pathname}?${query}`;
  };

  // The missed list's liaisons come by name in the answer itself (issue 18): no staff list to read.
  const { drawChildren, drawMissed, drawTotals, drawTrend, showCrumbs } = complianceDrawing({
    c,
    root,
    scope,
    current,
    monthSelect,
    urlOf,
  });

  // During the month: who is not contacted yet (issue 19), and the month's spreadsheet for the unit shown.
  // Loaded on first use (only a running month shows it), so the page's first script stays small.
  // The month's pairings not yet contacted (ComplianceLive.astro): the default month is the running one,
  // so the list is part of what the page opens with.
  const live = $<ComplianceLive>('eco-compliance-live');
  live.init(c);
  wireExports(
    root,
    c,
    'compliance.export',
    () => new URLSearchParams({ month: monthSelect.value, jurisdiction: placeSelect.value }),
  );

  // ---- loading ----

  let loading = 0;
  const load = async (month: string, code: string, focus: boolean, park = '') => {
    const ticket = ++loading;
    await parks.show(code, park);
    show(month, code);
    setFieldError(placeSelect, undefined);
    problem.replaceChildren();
    result.setAttribute('aria-busy', 'true');
    if (result.hidden) problem.replaceChildren(el('p', 'muted', m('monthly.loading')));
    const query = new URLSearchParams({ month, jurisdiction: code, ...(parks.value() ? { park: parks.value() } : {}) });
    const answer = await api('compliance.get', { query, token: c.token });
    if (ticket !== loading) return;
    result.removeAttribute('aria-busy');
    if (!answer.ok) {
      const { status } = answer;
      if (status === 401) return;
      if (status === 404 || status === 403) setFieldError(placeSelect, m('compliance.err.jurisdiction'));
      result.hidden = true;
      const box = failureBox(
        m,
        m('monthly.failed'),
        failureText(m, status, answer.body),
        () => void load(month, code, true),
        'monthly.retry',
      );
      problem.replaceChildren(box);
      return;
    }
    const report = answer.body;
    problem.replaceChildren();
    const isRunning = report.month >= current;
    ensurePlace(report.jurisdiction.code, report.jurisdiction.name);
    showCrumbs(report.jurisdiction.code, report.jurisdiction.name);
    const place = placeName(report.jurisdiction.code, lang, report.jurisdiction.name);
    title.textContent = m('compliance.resultHeading', { place, month: monthLabel(report.month, lang) });
    const shownPark = report.park;
    if (shownPark) title.textContent += ` · ${shownPark.name}`;
    running.hidden = !isRunning;
    running.textContent = isRunning ? m('compliance.running', { month: monthLabel(report.month, lang) }) : '';
    drawTotals(report, isRunning);
    drawChildren(report, isRunning);
    drawTrend(report);
    drawMissed(report, isRunning);
    // The live list is the county's; a park's view shows its own missed pairings only.
    void live.show(report.jurisdiction.code, isRunning && !parks.value(), () => ticket === loading);
    result.hidden = false;
    result.dataset.month = report.month;
    result.dataset.jurisdiction = report.jurisdiction.code;
    keepQueryOnLangSwitch();
    if (focus) title.focus();
  };

  const go = (month: string, code: string, park = '') => {
    const target = valid(month, code);
    history.pushState(null, '', urlOf(target.month, target.code, park));
    void load(target.month, target.code, true, park);
  };

  $<HTMLFormElement>('#compliance-filters').addEventListener('submit', (event) => {
    event.preventDefault();
    go(monthSelect.value, placeSelect.value, parks.value());
  });
  placeSelect.addEventListener('change', () => void parks.show(placeSelect.value));
  prev.addEventListener('click', () => go(monthBefore(monthSelect.value), placeSelect.value, parks.value()));
  next.addEventListener('click', () => go(monthBefore(monthSelect.value, -1), placeSelect.value, parks.value()));
  // A unit in the chart or the path above: drill in without reloading the page.
  root.addEventListener('click', (event) => {
    const link = (event.target as HTMLElement).closest<HTMLAnchorElement>('a[data-code]');
    if (!link || event.ctrlKey || event.metaKey || event.shiftKey || event.button !== 0) return;
    event.preventDefault();
    go(monthSelect.value, link.dataset.code as string);
  });
  window.addEventListener('popstate', () => {
    const { month, code, park } = fromUrl();
    void load(month, code, true, park);
  });

  const start = fromUrl();
  history.replaceState(null, '', urlOf(start.month, start.code, start.park));
  await load(start.month, start.code, false, start.park);
};

runConsolePage(run);
