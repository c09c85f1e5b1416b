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
import { SEVERITIES, type Severity } from '../../../shared/ledger.ts';
import { MONTH } from '../../../shared/monthly.ts';
import { api, messagesOf } from '../kit/api.ts';
import { failureBox } from '../kit/failure.ts';
import { failureText } from '../kit/messages.ts';
import {
  keepQueryOnLangSwitch,
  monthBefore,
  monthLabel,
  monthShort,
  placeName,
  rateText,
  svg,
  thisMonth,
} from './compliance-months.ts';
import { setFieldError, startConsole, type TypedConsole } from './console.ts';
import { el, type PageLang } from './format.ts';

interface Totals {
  raised: number;
  closed: number;
  cancelled: number;
  completionRate: number | null;
}

interface Stats extends Totals {
  jurisdiction: string;
  from: string;
  to: string;
  bySeverity: Record<Severity, Totals>;
  medianDaysToClose: number | null;
  overdueNow: number;
  months: { month: string; raised: number; closed: number }[];
}

interface Unit {
  code: string;
  stats?: Stats;
}

/** How far back the month pickers reach. */
const MONTHS_BACK = 36;
const PRESETS = ['3', '6', '12', 'year'] as const;

const root = document.querySelector<HTMLElement>('#console');

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

/** Every month from `from` to `to`, both included. */
const monthsBetween = (from: string, to: string): string[] => {
  const out: string[] = [];
  for (let month = from; month <= to && out.length < 600; month = monthBefore(month, -1)) out.push(month);
  return out;
};

/** A step for the value axis: 1, 2, 5, 10, 20, … so that about four lines span the largest value. */
const niceStep = (top: number): number => {
  if (top <= 4) return 1;
  const raw = top / 4;
  const power = 10 ** Math.floor(Math.log10(raw));
  return ([1, 2, 5, 10].find((f) => f * power >= raw) ?? 10) * power;
};

/** A message with its `{slots}` filled by text or nodes (a month that must not break across lines). */
const fillNodes = (template: string, vars: Record<string, string | Node>): (string | Node)[] =>
  template.split(/\{(\w+)\}/).map((part, i) => (i % 2 === 1 ? (vars[part] ?? `{${part}}`) : part));

/** `吴中区（320506）` / `Wuzhong District (320506)`. */
const placeWithCode = (code: string, lang: PageLang) => {
  const place = placeName(code, lang);
  if (place === code) return code;
  return lang === 'zh' ? `${place}（${code}）` : `${place} (${code})`;
};

const run = async (root: HTMLElement, c: TypedConsole) => {
  const { lang, m } = c;
  const $ = <T extends HTMLElement>(selector: string): T => root.querySelector(selector) as T;
  const body = $<HTMLElement>('#console-body');
  const form = $<HTMLFormElement>('#stats-filters');
  const fromSelect = $<HTMLSelectElement>('#stats-from');
  const toSelect = $<HTMLSelectElement>('#stats-to');
  const placeSelect = $<HTMLSelectElement>('#stats-jurisdiction');
  const presets = [...root.querySelectorAll<HTMLButtonElement>('[data-preset]')];
  const crumbs = $<HTMLElement>('#stats-path');
  const problem = $<HTMLElement>('#stats-problem');
  const result = $<HTMLElement>('#stats-result');
  const title = $<HTMLElement>('#stats-title');
  const totals = $<HTMLElement>('#stats-totals');
  const severityTable = $<HTMLElement>('#severity-table');
  const childrenHeading = $<HTMLElement>('#children-heading');
  const childrenHint = $<HTMLElement>('#children-hint');
  const childrenLegend = $<HTMLElement>('#children-legend');
  const childrenChart = $<HTMLElement>('#children-chart');
  const childrenCaption = $<HTMLElement>('#children-caption');
  const childrenBars = $<HTMLElement>('#children-bars');
  const childrenProblem = $<HTMLElement>('#children-problem');
  const childrenDetails = $<HTMLDetailsElement>('#children-details');
  const childrenTable = $<HTMLElement>('#children-table');
  const monthsCaption = $<HTMLElement>('#months-caption');
  const monthsPlot = $<HTMLElement>('#months-plot');
  const monthsSummary = $<HTMLElement>('#months-summary');
  const monthsTable = $<HTMLElement>('#months-table');
  body.hidden = false;
  // The unit table is open on a desk, where there is room for it next to the bars.
  childrenDetails.open = matchMedia('(min-width: 48rem)').matches;

  const scope = c.me.jurisdiction.code;
  const current = thisMonth();
  const oldest = monthBefore(current, MONTHS_BACK - 1);

  // ---- the pickers ----

  for (let back = 0; back < MONTHS_BACK; back++) {
    const month = monthBefore(current, back);
    fromSelect.append(new Option(monthLabel(month, lang), month));
    toSelect.append(new Option(monthLabel(month, lang), month));
  }
  const depth = (code: string) => {
    let n = 0;
    for (let at: string | undefined = code; at && at !== scope; at = parentOf(at)) n++;
    return n;
  };
  const ensurePlace = (code: string) => {
    if ([...placeSelect.options].some((o) => o.value === code)) return;
    const label = code === scope ? placeName(code, lang, c.me.jurisdiction.name) : placeName(code, lang);
    const text = label === code ? code : lang === 'zh' ? `${label}（${code}）` : `${label} (${code})`;
    const option = new Option(`${'\u3000'.repeat(depth(code))}${text}`, code);
    const after = [...placeSelect.options].find((o) => o.value > code);
    placeSelect.add(option, after ?? null);
  };
  ensurePlace(scope);
  for (const code of Object.keys(names).sort()) if (contains(scope, code)) ensurePlace(code);

  interface View {
    from: string;
    to: string;
    code: string;
  }
  const valid = (from: string | null, to: string | null, code: string | null): View => {
    const last = to && MONTH.test(to) && to <= current && to >= oldest ? to : current;
    const fallback = monthBefore(last, 11) < oldest ? oldest : monthBefore(last, 11);
    return {
      from: from && MONTH.test(from) && from <= last && from >= oldest ? from : fallback,
      to: last,
      code: code && JURISDICTION_CODE.test(code) && contains(scope, code) ? code : scope,
    };
  };
  const fromUrl = () => {
    const query = new URLSearchParams(location.search);
    return valid(query.get('from'), query.get('to'), query.get('jurisdiction'));
  };
  const urlOf = ({ from, to, code }: View) =>
    `${location.pathname}?${new URLSearchParams({ jurisdiction: code, from, to })}`;
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
    const chain: string[] = [];
    for (let at: string | undefined = view.code; at; at = parentOf(at)) {
      chain.unshift(at);
      if (at === scope) break;
    }
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

  /** A horizontal bar of `value` out of `max` (0..100 across), in the class's colour on a grey track. */
  const barSvg = (value: number, max: number, kind: 'rate' | 'overdue') => {
    const chart = svg('svg', {
      class: 'bar',
      viewBox: '0 0 100 10',
      preserveAspectRatio: 'none',
      'aria-hidden': 'true',
      focusable: 'false',
    });
    chart.append(svg('rect', { class: 'seg-track', x: 0, y: 0, width: 100, height: 10 }));
    const width = max > 0 ? Math.min(100, (value / max) * 100) : 0;
    if (width > 0) chart.append(svg('rect', { class: `seg-${kind}`, x: 0, y: 0, width: width.toFixed(3), height: 10 }));
    return chart;
  };

  const rateCell = (rate: number | null) => {
    const td = el('td', 'num');
    const wrap = el('span', 'rate-cell');
    const mini = barSvg(rate ?? 0, 1, 'rate');
    mini.setAttribute('class', 'mini-bar');
    wrap.append(mini, rateText(m, rate));
    td.append(wrap);
    return td;
  };

  const th = (text: string, numeric = false, scope: 'col' | 'row' = 'col') => {
    const cell = el('th', numeric ? 'num' : undefined, text);
    cell.scope = scope;
    return cell;
  };

  const drawSeverity = (stats: Stats, place: string, range: string) => {
    const table = el('table', 'data-table chart-data stats-table severity-table');
    table.append(el('caption', undefined, m('ledgerStats.severity.caption', { place, range })));
    const head = el('tr');
    head.append(
      th(m('ledgerStats.col.severity')),
      th(m('ledgerStats.col.raised'), true),
      th(m('ledgerStats.col.closed'), true),
      th(m('ledgerStats.col.cancelled'), true),
      th(m('ledgerStats.col.rate'), true),
    );
    const thead = el('thead');
    thead.append(head);
    const tbody = el('tbody');
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
        rateCell(row.completionRate),
      );
      tbody.append(tr);
    }
    table.append(thead, tbody);
    severityTable.replaceChildren(table);
  };

  // ---- drawing: the units one level down ----

  const overdueText = (n: number) => m(n > 0 ? 'ledgerStats.bar.overdue' : 'ledgerStats.bar.noOverdue', { n });

  const drawChildren = (stats: Stats, view: View, units: Unit[], place: string, range: string) => {
    const level = levelOf(view.code);
    childrenHeading.textContent = m(
      level === 'province'
        ? 'ledgerStats.children.city'
        : level === 'city'
          ? 'ledgerStats.children.county'
          : 'ledgerStats.children.below',
    );
    if (units.length === 0) {
      childrenHint.replaceChildren(m('ledgerStats.children.none', { place }));
      if (level === 'county') {
        const link = el('a', undefined, m('ledgerStats.children.board', { place }));
        link.href = `${c.path('/staff/ledger/')}?county=${view.code}`;
        childrenHint.append(' ', link);
      }
      childrenLegend.hidden = true;
      childrenChart.hidden = true;
      childrenDetails.hidden = true;
      childrenProblem.hidden = true;
      childrenBars.replaceChildren();
      childrenTable.replaceChildren();
      return;
    }
    childrenHint.textContent = m('ledgerStats.children.hint');
    childrenLegend.hidden = false;
    childrenChart.hidden = false;
    childrenDetails.hidden = false;
    childrenCaption.textContent = m('ledgerStats.children.caption', { place, range });

    // What the named units do not account for (units without a name here) is one more row.
    const loaded = units.filter((u): u is Required<Unit> => Boolean(u.stats));
    const rest =
      loaded.length === units.length
        ? {
            raised: stats.raised - loaded.reduce((n, u) => n + u.stats.raised, 0),
            closed: stats.closed - loaded.reduce((n, u) => n + u.stats.closed, 0),
            cancelled: stats.cancelled - loaded.reduce((n, u) => n + u.stats.cancelled, 0),
            overdueNow: stats.overdueNow - loaded.reduce((n, u) => n + u.stats.overdueNow, 0),
          }
        : undefined;
    const other =
      rest && (rest.raised > 0 || rest.closed > 0 || rest.cancelled > 0 || rest.overdueNow > 0)
        ? {
            ...rest,
            completionRate: rest.raised > 0 ? rest.closed / rest.raised : null,
            medianDaysToClose: null,
          }
        : undefined;

    const maxOverdue = Math.max(1, ...loaded.map((u) => u.stats.overdueNow), other?.overdueNow ?? 0);
    const barRow = (
      key: string,
      name: string,
      figures: Pick<Stats, 'raised' | 'closed' | 'cancelled' | 'completionRate' | 'overdueNow'> | undefined,
      drill: boolean,
    ) => {
      const item = el('li', 'bar-row');
      item.dataset.code = key;
      const label = el('p', 'bar-label');
      if (drill) {
        const link = el('a', 'bar-name', name);
        link.href = urlOf({ ...view, code: key });
        link.dataset.code = key;
        link.title = m('ledgerStats.drill', { place: name });
        label.append(link);
      } else {
        label.append(el('span', 'bar-name', name));
      }
      item.append(label);
      if (!figures) {
        item.dataset.failed = 'true';
        item.append(el('p', 'bar-numbers', m('ledgerStats.children.failed')));
        return item;
      }
      item.dataset.overdue = String(figures.overdueNow);
      const pairs = el('div', 'unit-bars');
      const overdueValue = el('span', 'bar-value', overdueText(figures.overdueNow));
      if (figures.overdueNow > 0) overdueValue.classList.add('bar-overdue-yes');
      pairs.append(
        el('span', 'bar-key', m('ledgerStats.col.rate')),
        barSvg(figures.completionRate ?? 0, 1, 'rate'),
        el('span', 'bar-value bar-rate', rateText(m, figures.completionRate)),
        el('span', 'bar-key', m('ledgerStats.col.overdue')),
        barSvg(figures.overdueNow, maxOverdue, 'overdue'),
        overdueValue,
      );
      const numbers = el(
        'p',
        'bar-numbers',
        figures.raised > 0 || figures.closed > 0 || figures.cancelled > 0
          ? m('ledgerStats.bar.numbers', {
              raised: figures.raised,
              closed: figures.closed,
              cancelled: figures.cancelled,
            })
          : m('ledgerStats.bar.empty'),
      );
      item.append(pairs, numbers);
      return item;
    };
    childrenBars.replaceChildren(
      ...units.map((unit) => barRow(unit.code, placeName(unit.code, lang), unit.stats, true)),
      ...(other ? [barRow('other', m('ledgerStats.children.other'), other, false)] : []),
    );
    childrenProblem.hidden = loaded.length === units.length;
    childrenProblem.textContent = childrenProblem.hidden ? '' : m('ledgerStats.children.someFailed');

    // The same figures as a table, with the unit's own totals at the foot.
    const table = el('table', 'data-table chart-data stats-table children-table');
    table.append(el('caption', undefined, m('ledgerStats.children.caption', { place, range })));
    const thead = el('thead');
    const head = el('tr');
    head.append(
      th(m('ledgerStats.col.unit')),
      th(m('ledgerStats.col.raised'), true),
      th(m('ledgerStats.col.closed'), true),
      th(m('ledgerStats.col.cancelled'), true),
      th(m('ledgerStats.col.rate'), true),
      th(m('ledgerStats.col.median'), true),
      th(m('ledgerStats.col.overdue'), true),
    );
    thead.append(head);
    const row = (
      key: string,
      label: string | Node,
      figures: Pick<Stats, 'raised' | 'closed' | 'cancelled' | 'completionRate' | 'overdueNow' | 'medianDaysToClose'>,
    ) => {
      const tr = el('tr');
      tr.dataset.key = key;
      const name = el('th');
      name.scope = 'row';
      name.append(label);
      const overdue = el('td', 'num', overdueText(figures.overdueNow));
      if (figures.overdueNow > 0) overdue.classList.add('overdue-yes');
      tr.append(
        name,
        el('td', 'num', String(figures.raised)),
        el('td', 'num', String(figures.closed)),
        el('td', 'num', String(figures.cancelled)),
        rateCell(figures.completionRate),
        el(
          'td',
          'num',
          figures.medianDaysToClose === null
            ? m('monthly.rateNone')
            : m('ledgerStats.days', { n: figures.medianDaysToClose }),
        ),
        overdue,
      );
      return tr;
    };
    const tbody = el('tbody');
    for (const unit of units) {
      const link = el('a', undefined, placeWithCode(unit.code, lang));
      link.href = urlOf({ ...view, code: unit.code });
      link.dataset.code = unit.code;
      if (unit.stats) tbody.append(row(unit.code, link, unit.stats));
      else {
        const tr = el('tr');
        tr.dataset.key = unit.code;
        const name = el('th');
        name.scope = 'row';
        name.append(link);
        const failed = el('td', undefined, m('ledgerStats.children.failed'));
        failed.colSpan = 6;
        tr.append(name, failed);
        tbody.append(tr);
      }
    }
    if (other) {
      const tr = row('other', m('ledgerStats.children.other'), other);
      tr.dataset.other = 'true';
      tbody.append(tr);
    }
    const tfoot = el('tfoot');
    tfoot.append(row('total', m('ledgerStats.total'), stats));
    table.append(thead, tbody, tfoot);
    childrenTable.replaceChildren(table);
  };

  // ---- drawing: the months ----

  let shown: { month: string; raised: number; closed: number }[] = [];

  /** Columns of raised (blue) and closed (green) per month, sized to the plot's width. */
  const drawMonthsChart = () => {
    const points = shown;
    const width = Math.max(240, Math.floor(monthsPlot.clientWidth));
    const height = width < 480 ? 210 : 250;
    const pad = { top: 16, right: 6, bottom: 38, left: 30 };
    const innerW = width - pad.left - pad.right;
    const innerH = height - pad.top - pad.bottom;
    const base = pad.top + innerH;
    const top = Math.max(0, ...points.flatMap((p) => [p.raised, p.closed]));
    const step = niceStep(top);
    const max = Math.max(step, Math.ceil(top / step) * step);
    const chart = svg('svg', {
      width,
      height,
      viewBox: `0 0 ${width} ${height}`,
      role: 'img',
      'aria-labelledby': 'months-caption months-summary',
      focusable: 'false',
    });
    for (let value = 0; value <= max; value += step) {
      const y = base - (value / max) * innerH;
      chart.append(
        svg('line', { class: value === 0 ? 'm-axis' : 'm-grid', x1: pad.left, x2: width - pad.right, y1: y, y2: y }),
      );
      const tick = svg('text', { x: pad.left - 5, y: y + 4, 'text-anchor': 'end' });
      tick.textContent = String(value);
      chart.append(tick);
    }
    const slot = innerW / Math.max(1, points.length);
    const group = Math.min(slot * 0.72, 44);
    const barW = Math.max(1, (group - 2) / 2);
    const words = slot >= 34;
    const every = words ? 1 : Math.max(1, Math.ceil(18 / slot));
    points.forEach((point, i) => {
      const x0 = pad.left + i * slot + (slot - group) / 2;
      const g = svg('g', { 'data-month': point.month });
      const hover = svg('title');
      hover.textContent = `${monthLabel(point.month, lang)}: ${m('ledgerStats.raised')} ${point.raised}, ${m('ledgerStats.closed')} ${point.closed}`;
      g.append(hover);
      for (const [value, kind, x] of [
        [point.raised, 'raised', x0],
        [point.closed, 'closed', x0 + barW + 2],
      ] as const) {
        if (value <= 0) continue;
        const h = Math.max(1.5, (value / max) * innerH);
        g.append(
          svg('rect', {
            class: `m-${kind}`,
            x: x.toFixed(2),
            y: (base - h).toFixed(2),
            width: barW.toFixed(2),
            height: h.toFixed(2),
            rx: 1.5,
          }),
        );
        if (barW >= 9) {
          const label = svg('text', {
            class: 'm-value',
            x: (x + barW / 2).toFixed(2),
            y: (base - h - 3).toFixed(2),
            'text-anchor': 'middle',
          });
          label.textContent = String(value);
          g.append(label);
        }
      }
      chart.append(g);
      const centre = (pad.left + i * slot + slot / 2).toFixed(2);
      if (i % every === 0) {
        const label = svg('text', { x: centre, y: base + 15, 'text-anchor': 'middle' });
        label.textContent = words ? monthShort(point.month, lang) : String(Number(point.month.slice(5)));
        chart.append(label);
      }
    });
    // The year under each run of its months (where it fits), and a thin line where a new year begins.
    const runs: { start: number; end: number; year: string }[] = [];
    points.forEach((point, i) => {
      const year = point.month.slice(0, 4);
      const run = runs.at(-1);
      if (run?.year === year) run.end = i;
      else runs.push({ start: i, end: i, year });
    });
    runs.forEach((run, k) => {
      const x = pad.left + run.start * slot;
      if (k > 0) chart.append(svg('line', { class: 'm-axis', x1: x, x2: x, y1: base, y2: base + 34 }));
      if ((run.end - run.start + 1) * slot < 32 && k < runs.length - 1) return;
      const year = svg('text', { class: 'm-year', x: x + 3, y: base + 31, 'text-anchor': 'start' });
      year.textContent = run.year;
      chart.append(year);
    });
    monthsPlot.replaceChildren(chart);
  };

  let plotWidth = 0;
  new ResizeObserver(() => {
    const width = Math.floor(monthsPlot.clientWidth);
    if (width === plotWidth || shown.length === 0) return;
    plotWidth = width;
    drawMonthsChart();
  }).observe(monthsPlot);

  const drawMonths = (stats: Stats, place: string, range: string) => {
    const byMonth = new Map(stats.months.map((point) => [point.month, point]));
    shown = monthsBetween(stats.from, stats.to).map((month) => byMonth.get(month) ?? { month, raised: 0, closed: 0 });
    monthsCaption.textContent = m('ledgerStats.months.caption', { place, range });
    const raised = shown.reduce((n, p) => n + p.raised, 0);
    const closed = shown.reduce((n, p) => n + p.closed, 0);
    monthsSummary.textContent =
      raised + closed > 0
        ? m('ledgerStats.months.summary', { range, raised, closed })
        : `${m('ledgerStats.months.empty')} (${range})`;
    plotWidth = Math.floor(monthsPlot.clientWidth);
    drawMonthsChart();
    const table = el('table', 'data-table chart-data stats-table months-table');
    table.append(el('caption', undefined, m('ledgerStats.months.caption', { place, range })));
    const thead = el('thead');
    const head = el('tr');
    head.append(
      th(m('ledgerStats.months.month')),
      th(m('ledgerStats.col.raised'), true),
      th(m('ledgerStats.col.closed'), true),
    );
    thead.append(head);
    const tbody = el('tbody');
    for (const point of shown) {
      const tr = el('tr');
      tr.dataset.month = point.month;
      tr.append(
        th(monthLabel(point.month, lang), false, 'row'),
        el('td', 'num', String(point.raised)),
        el('td', 'num', String(point.closed)),
      );
      tbody.append(tr);
    }
    table.append(thead, tbody);
    monthsTable.replaceChildren(table);
  };

  // ---- loading ----

  const statsQuery = (code: string, view: View) => ({ jurisdiction: code, from: view.from, to: view.to });

  let loading = 0;
  let showing: View | undefined;
  const load = async (view: View, focus: boolean) => {
    const ticket = ++loading;
    showing = view;
    ensurePlace(view.code);
    fromSelect.value = view.from;
    toSelect.value = view.to;
    placeSelect.value = view.code;
    setFieldError(fromSelect, undefined);
    setFieldError(placeSelect, undefined);
    for (const button of presets) {
      const range = presetRange(button.dataset.preset ?? '');
      button.setAttribute('aria-pressed', String(range.from === view.from && range.to === view.to));
    }
    problem.replaceChildren();
    result.setAttribute('aria-busy', 'true');
    if (result.hidden) problem.replaceChildren(el('p', 'muted', m('monthly.loading')));
    const codes = childrenOf(view.code);
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
    const place = placeName(view.code, lang, view.code === scope ? c.me.jurisdiction.name : undefined);
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
    result.dataset.jurisdiction = view.code;
    result.dataset.from = stats.from;
    result.dataset.to = stats.to;
    keepQueryOnLangSwitch();
    if (focus) title.focus();
  };

  const go = (view: View) => {
    const target = valid(view.from, view.to, view.code);
    history.pushState(null, '', urlOf(target));
    void load(target, true);
  };

  form.addEventListener('submit', (event) => {
    event.preventDefault();
    if (fromSelect.value > toSelect.value) {
      setFieldError(fromSelect, m('ledgerStats.err.range'));
      fromSelect.focus();
      return;
    }
    go({ from: fromSelect.value, to: toSelect.value, code: placeSelect.value });
  });
  fromSelect.addEventListener('change', () => {
    if (fromSelect.getAttribute('aria-invalid') === 'true' && fromSelect.value <= toSelect.value)
      setFieldError(fromSelect, undefined);
  });
  for (const button of presets) {
    button.addEventListener('click', () => {
      const preset = button.dataset.preset ?? '';
      if (!(PRESETS as readonly string[]).includes(preset)) return;
      go({ ...presetRange(preset), code: placeSelect.value });
    });
  }
  // A unit in the chart, the table or the path above: drill in without reloading the page.
  root.addEventListener('click', (event) => {
    const link = (event.target as HTMLElement).closest<HTMLAnchorElement>('a[data-code]');
    if (!link || event.ctrlKey || event.metaKey || event.shiftKey || event.button !== 0) return;
    event.preventDefault();
    go({ ...(showing ?? fromUrl()), code: link.dataset.code as string });
  });
  window.addEventListener('popstate', () => void load(fromUrl(), true));

  const start = fromUrl();
  history.replaceState(null, '', urlOf(start));
  await load(start, false);
};

if (root) {
  // This page's own words for a role it is not for (the bar's default speaks of consultation days).
  const notice = root.querySelector<HTMLElement>('#console-no-access p');
  const text = messagesOf(root)['monthly.noAccess'];
  if (notice && text) notice.textContent = text;
  void startConsole(root).then((c) => (c ? run(root, c) : undefined));
}
