/**
 * Compliance, drawing a report: the totals, bars of contacted vs missed per unit one level down (each
 * row also says its numbers in text, and a table repeats them), the 12-month rate trend, and the
 * missed pairings with escalations marked; the path of units above the one shown.
 */
import type { MissedEntry as Missed, ComplianceView as Report } from '../../../../shared/answers.ts';
import { levelOf } from '../../../../shared/jurisdictions.ts';
import type { ComplianceCounts as Counts } from '../../../../shared/monthly.ts';
import { sortable } from '../../kit/sortable.ts';
import {
  instantDay,
  monthLabel,
  monthShort,
  placeName,
  placeWithCode,
  rateText,
  stackedBar,
  svg,
} from '../compliance-months.ts';
import type { TypedConsole } from '../console.ts';
import { el } from '../format.ts';
import { pathDownTo } from '../place-picker.ts';
import { pairingTable } from './pairing-table.ts';

/** Not yet judged either way: judged pairings neither contacted nor (yet) missed. */
export const openOf = (counts: Counts) => Math.max(0, counts.judged - counts.contacted - counts.missed);

/** What this part of the page needs from the rest of it. */
export interface DrawingContext {
  c: TypedConsole;
  root: HTMLElement;
  scope: string;
  current: string;
  monthSelect: HTMLSelectElement;
  urlOf: (month: string, code: string) => string;
}

export const complianceDrawing = ({ c, root, scope, current, monthSelect, urlOf }: DrawingContext) => {
  const { lang, m, $ } = c;
  const crumbs = $<HTMLElement>('#compliance-path');
  const totals = $<HTMLElement>('#compliance-totals');
  const bars = $<HTMLElement>('#children-bars');
  const childrenCaption = $<HTMLElement>('#children-caption');
  const childrenHint = $<HTMLElement>('#children-hint');
  const childrenTable = $<HTMLElement>('#children-table');
  const childrenDetails = $<HTMLElement>('#children-details');
  const trendBars = $<HTMLElement>('#trend-bars');
  const trendCaption = $<HTMLElement>('#trend-caption');
  const trendTable = $<HTMLElement>('#trend-table');
  const missedHeading = $<HTMLElement>('#missed-heading');
  const missedList = $<HTMLElement>('#missed-list');
  const childrenHintText = childrenHint.textContent ?? '';
  const showCrumbs = (code: string, name?: { zh?: string; en?: string }) => {
    const chain = pathDownTo(scope, code);
    const list = crumbs.querySelector('ol') as HTMLOListElement;
    list.replaceChildren(
      ...chain.map((at) => {
        const item = el('li');
        const label = placeName(at, lang, at === code ? name : undefined);
        if (at === code) {
          const here = el('span', undefined, label);
          here.setAttribute('aria-current', 'page');
          item.append(here);
        } else {
          const link = el('a', undefined, label);
          link.href = urlOf(monthSelect.value, at);
          link.dataset.code = at;
          item.append(link);
        }
        return item;
      }),
    );
    crumbs.hidden = chain.length < 2;
  };

  const tile = (label: string, value: string, kind: string) => {
    const row = el('div', `tile tile-${kind}`);
    row.append(el('dt', undefined, label), el('dd', undefined, value));
    return row;
  };

  const drawTotals = (report: Report, isRunning: boolean) => {
    const t = report.totals;
    totals.replaceChildren(
      tile(m('compliance.judged'), String(t.judged), 'judged'),
      tile(m('compliance.contacted'), String(t.contacted), 'contacted'),
      isRunning
        ? tile(m('compliance.open'), String(openOf(t)), 'open')
        : tile(m('compliance.missed'), String(t.missed), 'missed'),
      tile(m('compliance.rate'), rateText(m, t.rate), 'rate'),
    );
  };

  /** A horizontal bar: contacted (green), missed (red), still open (grey), on a track of `max`. */
  const barSvg = (counts: Counts, max: number) =>
    stackedBar(
      [
        [counts.contacted, 'contacted'],
        [counts.missed, 'missed'],
        [openOf(counts), 'open'],
      ],
      max,
    );

  const rowText = (counts: Counts, isRunning: boolean) =>
    isRunning
      ? m('compliance.chart.rowOpen', { contacted: counts.contacted, open: openOf(counts) })
      : m('compliance.chart.row', { contacted: counts.contacted, missed: counts.missed });

  const numberTable = (
    caption: string,
    head: string,
    rows: { label: string | Node; counts: Counts; key: string }[],
    isRunning: boolean,
  ) => {
    const table = el('table', 'data-table chart-data');
    table.append(el('caption', undefined, caption));
    const thead = el('thead');
    const headRow = el('tr');
    const columns = [
      m('compliance.judged'),
      m('compliance.contacted'),
      isRunning ? m('compliance.open') : m('compliance.missed'),
      m('compliance.rate'),
    ];
    const th = (text: string, numeric = false) => {
      const cell = el('th', numeric ? 'num' : undefined, text);
      cell.scope = 'col';
      return cell;
    };
    headRow.append(th(head), ...columns.map((text) => th(text, true)));
    thead.append(headRow);
    const tbody = el('tbody');
    for (const row of rows) {
      const tr = el('tr');
      tr.dataset.key = row.key;
      const name = el('th');
      name.scope = 'row';
      name.append(row.label);
      const values = [row.counts.judged, row.counts.contacted, isRunning ? openOf(row.counts) : row.counts.missed].map(
        String,
      );
      tr.append(name, ...values.map((v) => el('td', 'num', v)), el('td', 'num', rateText(m, row.counts.rate)));
      tbody.append(tr);
    }
    table.append(thead, tbody);
    sortable(table, m);
    return table;
  };

  const drawChildren = (report: Report, isRunning: boolean) => {
    const place = placeName(report.jurisdiction.code, lang, report.jurisdiction.name);
    const monthText = monthLabel(report.month, lang);
    childrenCaption.textContent = m('compliance.chart.label', { place, month: monthText });
    const county = levelOf(report.jurisdiction.code) === 'county';
    if (report.children.length === 0) {
      bars.replaceChildren();
      childrenHint.textContent = m(county ? 'compliance.children.county' : 'compliance.children.none');
      childrenDetails.hidden = true;
      $<HTMLElement>('#children-chart').hidden = true;
      for (const legend of root.querySelectorAll<HTMLElement>('#children-section .legend')) legend.hidden = true;
      return;
    }
    childrenHint.textContent = childrenHintText;
    childrenDetails.hidden = false;
    $<HTMLElement>('#children-chart').hidden = false;
    for (const legend of root.querySelectorAll<HTMLElement>('#children-section .legend')) legend.hidden = false;
    for (const item of root.querySelectorAll<HTMLElement>('#children-section [data-legend=open]'))
      item.hidden = !isRunning;
    const max = Math.max(1, ...report.children.map((child) => Math.max(child.judged, child.contacted + child.missed)));
    bars.replaceChildren(
      ...report.children.map((child) => {
        const item = el('li', 'bar-row');
        item.dataset.code = child.code;
        const label = el('p', 'bar-label');
        const link = el('a', 'bar-name', placeName(child.code, lang, child.name));
        link.href = urlOf(report.month, child.code);
        link.dataset.code = child.code;
        link.title = m('compliance.chart.drill', { place: placeName(child.code, lang, child.name) });
        const rate = el('span', 'bar-rate', rateText(m, child.rate));
        label.append(link, rate);
        const numbers = el('p', 'bar-numbers', rowText(child, isRunning));
        item.append(label, barSvg(child, max), numbers);
        return item;
      }),
    );
    childrenTable.replaceChildren(
      numberTable(
        m('compliance.table.caption', { month: monthText }),
        m('compliance.table.unit'),
        report.children.map((child) => ({
          label: placeWithCode(child.code, lang, child.name),
          counts: child,
          key: child.code,
        })),
        isRunning,
      ),
    );
  };

  const drawTrend = (report: Report) => {
    const place = placeName(report.jurisdiction.code, lang, report.jurisdiction.name);
    trendCaption.textContent = m('compliance.trend.label', { place });
    trendBars.replaceChildren(
      ...report.trend.map((point, i) => {
        const isRunning = point.month >= current;
        const item = el('li', 'trend-bar');
        item.dataset.month = point.month;
        if (point.month === report.month) item.classList.add('trend-chosen');
        const rate = el('span', 'trend-rate', point.judged > 0 ? String(Math.round((point.rate ?? 0) * 100)) : '–');
        rate.setAttribute('aria-hidden', 'true');
        const chart = svg('svg', {
          class: 'trend-column',
          viewBox: '0 0 10 100',
          preserveAspectRatio: 'none',
          'aria-hidden': 'true',
          focusable: 'false',
        });
        if (point.judged > 0) {
          let top = 100;
          for (const [value, kind] of [
            [point.contacted, 'contacted'],
            [point.missed, 'missed'],
            [openOf(point), 'open'],
          ] as const) {
            if (value <= 0) continue;
            const height = Math.min(top, (value / point.judged) * 100);
            top -= height;
            chart.append(
              svg('rect', { class: `seg-${kind}`, x: 0, y: top.toFixed(3), width: 10, height: height.toFixed(3) }),
            );
          }
        }
        // The month as a word on a desk, as a number on a phone; the year under the first and under January.
        const label = el('span', 'trend-month');
        label.append(
          el('span', 'trend-month-long', monthShort(point.month, lang)),
          el('span', 'trend-month-num', String(Number(point.month.slice(5)))),
        );
        label.setAttribute('aria-hidden', 'true');
        const year = el('span', 'trend-year', i === 0 || point.month.endsWith('-01') ? point.month.slice(0, 4) : '');
        year.setAttribute('aria-hidden', 'true');
        const spoken = el(
          'span',
          'visually-hidden',
          `${monthLabel(point.month, lang)}: ${
            point.judged > 0
              ? `${m('compliance.rate')} ${rateText(m, point.rate)}, ${rowText(point, isRunning)}`
              : m('compliance.trend.noData')
          }`,
        );
        item.append(rate, chart, label, year, spoken);
        return item;
      }),
    );
    const anyRunning = report.trend.some((point) => point.month >= current);
    trendTable.replaceChildren(
      numberTable(
        m('compliance.trend.caption', { place }),
        m('compliance.trend.month'),
        report.trend.map((point) => ({ label: monthLabel(point.month, lang), counts: point, key: point.month })),
        false,
      ),
    );
    for (const item of root.querySelectorAll<HTMLElement>('#trend-section [data-legend=open]'))
      item.hidden = !anyRunning;
  };

  const drawMissed = (report: Report, isRunning: boolean) => {
    // One row per pairing: an escalation marks the row of its missed nudge.
    const byPairing = new Map<string, Missed & { escalated: boolean }>();
    for (const item of report.missed) {
      const seen = byPairing.get(item.pairingId);
      if (seen) seen.escalated ||= item.kind === 'escalation';
      else byPairing.set(item.pairingId, { ...item, escalated: item.kind === 'escalation' });
    }
    const rows = [...byPairing.values()].sort(
      (a, b) =>
        Number(b.escalated) - Number(a.escalated) ||
        a.county.localeCompare(b.county) ||
        (a.firmName ?? a.uscc).localeCompare(b.firmName ?? b.uscc, lang === 'zh' ? 'zh-CN' : 'en'),
    );
    missedHeading.textContent = m('compliance.missed.heading', { n: rows.length });
    const monthText = monthLabel(report.month, lang);
    if (rows.length === 0) {
      missedList.replaceChildren(
        el(
          'p',
          'empty',
          m(isRunning ? 'compliance.missed.runningEmpty' : 'compliance.missed.empty', { month: monthText }),
        ),
      );
      return;
    }
    const headers = [
      m('compliance.missed.firm'),
      m('compliance.missed.county'),
      m('compliance.missed.liaison'),
      m('compliance.missed.kind'),
      m('compliance.missed.last'),
    ];
    const table = pairingTable(c, 'data-table missed-table', headers, rows, (row, tr) => {
      tr.dataset.kind = row.escalated ? 'escalation' : 'missed';
      const kind = el('span', `badge badge-kind`, m(row.escalated ? 'monthly.kind.escalation' : 'monthly.kind.missed'));
      kind.dataset.kind = row.escalated ? 'escalation' : 'missed';
      return [
        placeName(row.county, lang),
        [row.liaisonName, 'missed-liaison'],
        kind,
        instantDay(row.lastQualifyingContactAt, lang) || m('monthly.never'),
      ];
    });
    missedList.replaceChildren(table);
  };

  return { drawChildren, drawMissed, drawTotals, drawTrend, showCrumbs };
};
