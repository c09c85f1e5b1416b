/**
 * `<eco-compliance-children>` (ComplianceChildren.astro): contacted vs missed per unit one level down,
 * as bars (each row also says its numbers in text) and the same figures in a folded table; a unit's
 * name drills into it (a `drill` event). A county has no units below: the section says so instead.
 */
import { levelOf } from '../../../../shared/jurisdictions.ts';
import type { ComplianceCounts as Counts } from '../../../../shared/monthly.ts';
import { StatsSection } from '../charts/section.ts';
import { monthLabel, placeName, placeWithCode, rateText, stackedBar } from '../compliance-months.ts';
import { el } from '../format.ts';
import { partOf } from '../parts.ts';
import { type ComplianceShown, numberTable, openOf, rowText } from './counts.ts';

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

export class ComplianceChildren extends StatsSection {
  static readonly tag = 'eco-compliance-children';

  /** The hint the component says while there are units to click. */
  #hint: string | undefined;

  show({ report, isRunning, hrefOf }: ComplianceShown) {
    const { lang, m } = this.c;
    const hint = partOf(this, '.hint');
    const figure = partOf(this, 'figure');
    const details = partOf(this, 'details');
    this.#hint ??= hint.textContent ?? '';
    const place = placeName(report.jurisdiction.code, lang, report.jurisdiction.name);
    const monthText = monthLabel(report.month, lang);
    partOf(figure, 'figcaption').textContent = m('compliance.chart.label', { place, month: monthText });
    const none = report.children.length === 0;
    const county = levelOf(report.jurisdiction.code) === 'county';
    hint.textContent = none ? m(county ? 'compliance.children.county' : 'compliance.children.none') : this.#hint;
    details.hidden = none;
    figure.hidden = none;
    partOf(this, '.legend').hidden = none;
    // The open series is drawn only while the month runs.
    partOf(this, '[data-legend=open]').hidden = !isRunning;
    const max = Math.max(1, ...report.children.map((child) => Math.max(child.judged, child.contacted + child.missed)));
    partOf(figure, 'ul').replaceChildren(
      ...report.children.map((child) => {
        const item = el('li', 'bar-row');
        item.dataset.code = child.code;
        const label = el('p', 'bar-label');
        const name = placeName(child.code, lang, child.name);
        const link = el('a', 'bar-name', name);
        link.href = hrefOf(child.code);
        link.dataset.code = child.code;
        link.title = m('compliance.chart.drill', { place: name });
        label.append(link, el('span', 'bar-rate', rateText(m, child.rate)));
        item.append(label, barSvg(child, max), el('p', 'bar-numbers', rowText(m, child, isRunning)));
        return item;
      }),
    );
    partOf(details, '.table-scroll').replaceChildren(
      numberTable(
        m,
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
  }
}
