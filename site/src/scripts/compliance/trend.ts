/**
 * `<eco-compliance-trend>` (ComplianceTrend.astro): the unit's last 12 months as columns of contacted,
 * missed and (while a month runs) open pairings, each month also said in words for a screen reader,
 * the chosen month marked, and the same figures in a folded table.
 */

import { StatsSection } from '../charts/section.ts';
import { monthLabel, monthShort, placeName, rateText, svg } from '../compliance-months.ts';
import { el } from '../format.ts';
import { partOf } from '../parts.ts';
import { type ComplianceShown, numberTable, openOf, rowText } from './counts.ts';

type Point = ComplianceShown['report']['trend'][number];

/** A month's column, 0..100 high: its judged pairings stacked as contacted, missed, open. */
const column = (point: Point) => {
  const chart = svg('svg', {
    class: 'trend-column',
    viewBox: '0 0 10 100',
    preserveAspectRatio: 'none',
    'aria-hidden': 'true',
    focusable: 'false',
  });
  if (point.judged <= 0) return chart;
  let top = 100;
  for (const [value, kind] of [
    [point.contacted, 'contacted'],
    [point.missed, 'missed'],
    [openOf(point), 'open'],
  ] as const) {
    if (value <= 0) continue;
    const height = Math.min(top, (value / point.judged) * 100);
    top -= height;
    chart.append(svg('rect', { class: `seg-${kind}`, x: 0, y: top.toFixed(3), width: 10, height: height.toFixed(3) }));
  }
  return chart;
};

export class ComplianceTrend extends StatsSection {
  static readonly tag = 'eco-compliance-trend';

  show({ report, current }: ComplianceShown) {
    const { lang, m } = this.c;
    const figure = partOf(this, 'figure');
    const place = placeName(report.jurisdiction.code, lang, report.jurisdiction.name);
    partOf(figure, 'figcaption').textContent = m('compliance.trend.label', { place });
    partOf(figure, 'ol').replaceChildren(
      ...report.trend.map((point, i) => {
        const isRunning = point.month >= current;
        const item = el('li', 'trend-bar');
        item.dataset.month = point.month;
        if (point.month === report.month) item.classList.add('trend-chosen');
        const rate = el('span', 'trend-rate', point.judged > 0 ? String(Math.round((point.rate ?? 0) * 100)) : '–');
        rate.setAttribute('aria-hidden', 'true');
        // The month as a word on a desk, as a number on a phone; the year under the first and under January.
        const label = el('span', 'trend-month');
        label.append(
          el('span', 'trend-month-long', monthShort(point.month, lang)),
          el('span', 'trend-month-num', String(Number(point.month.slice(5)))),
        );
        label.setAttribute('aria-hidden', 'true');
        const year = el('span', 'trend-year', i === 0 || point.month.endsWith('-01') ? point.month.slice(0, 4) : '');
        year.setAttribute('aria-hidden', 'true');
        const said =
          point.judged > 0
            ? `${m('compliance.rate')} ${rateText(m, point.rate)}, ${rowText(m, point, isRunning)}`
            : m('compliance.trend.noData');
        const spoken = el('span', 'visually-hidden', `${monthLabel(point.month, lang)}: ${said}`);
        item.append(rate, column(point), label, year, spoken);
        return item;
      }),
    );
    partOf(this, '.table-scroll').replaceChildren(
      numberTable(
        m,
        m('compliance.trend.caption', { place }),
        m('compliance.trend.month'),
        report.trend.map((point) => ({ label: monthLabel(point.month, lang), counts: point, key: point.month })),
        false,
      ),
    );
    partOf(this, '[data-legend=open]').hidden = !report.trend.some((point) => point.month >= current);
  }
}
