/**
 * `<eco-stats-months>` (StatsMonths.astro): items raised vs closed per month as an SVG chart drawn to the
 * width it is given (redrawn when that changes), said in a sentence, and the same figures in a table.
 */

import { StatsSection } from '../charts/section.ts';
import { monthLabel, monthShort, svg } from '../compliance-months.ts';
import type { TypedConsole } from '../console.ts';
import { el } from '../format.ts';
import { partOf } from '../parts.ts';
import { monthsBetween, niceStep, type StatsShown, statsTable, th } from './shapes.ts';

type Point = StatsShown['stats']['months'][number];

/** Columns of raised (blue) and closed (green) per month, `width` wide, labelled by the figure's caption. */
const plot = (points: readonly Point[], width: number, { lang, m }: TypedConsole): SVGSVGElement => {
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
  return chart;
};

export class StatsMonths extends StatsSection {
  static readonly tag = 'eco-stats-months';

  #points: Point[] = [];
  #width = 0;
  #observer: ResizeObserver | undefined;

  override connectedCallback() {
    super.connectedCallback();
    const box = partOf(this, '.months-plot');
    this.#observer ??= new ResizeObserver(() => {
      if (Math.floor(box.clientWidth) !== this.#width && this.#points.length > 0) this.#draw();
    });
    this.#observer.observe(box);
  }

  disconnectedCallback() {
    this.#observer?.disconnect();
  }

  show({ stats, place, range }: StatsShown) {
    const { lang, m } = this.c;
    const byMonth = new Map(stats.months.map((point) => [point.month, point]));
    this.#points = monthsBetween(stats.from, stats.to).map(
      (month) => byMonth.get(month) ?? { month, raised: 0, closed: 0 },
    );
    const caption = m('ledgerStats.months.caption', { place, range });
    partOf(this, 'figcaption').textContent = caption;
    const raised = this.#points.reduce((n, p) => n + p.raised, 0);
    const closed = this.#points.reduce((n, p) => n + p.closed, 0);
    partOf(this, '.months-summary').textContent =
      raised + closed > 0
        ? m('ledgerStats.months.summary', { range, raised, closed })
        : `${m('ledgerStats.months.empty')} (${range})`;
    this.#draw();
    const { table, tbody } = statsTable('months-table', caption, m('ledgerStats.months.month'), [
      m('ledgerStats.col.raised'),
      m('ledgerStats.col.closed'),
    ]);
    for (const point of this.#points) {
      const tr = el('tr');
      tr.dataset.month = point.month;
      tr.append(
        th(monthLabel(point.month, lang), false, 'row'),
        el('td', 'num', String(point.raised)),
        el('td', 'num', String(point.closed)),
      );
      tbody.append(tr);
    }
    partOf(this, '.table-scroll').replaceChildren(table);
  }

  #draw() {
    const box = partOf(this, '.months-plot');
    this.#width = Math.floor(box.clientWidth);
    box.replaceChildren(plot(this.#points, Math.max(240, this.#width), this.c));
  }
}
