/**
 * `<eco-stats-units>` (StatsUnits.astro): the units one level down, a completion-rate bar and an
 * overdue bar each (each row also says its numbers in text), and the same figures as a table with the
 * unit's own totals at its foot; a unit's name drills into it (a `drill` event, see charts/section.ts).
 */
import { levelOf } from '../../../../shared/jurisdictions.ts';
import type { Say } from '../../kit/messages.ts';
import { sortable } from '../../kit/sortable.ts';
import { StatsSection } from '../charts/section.ts';
import { placeName, placeWithCode, rateText } from '../compliance-months.ts';
import { el } from '../format.ts';
import { partOf } from '../parts.ts';
import { barSvg, figureCells, figureHeads, type Stats, type StatsShown, statsTable, type Unit } from './shapes.ts';

type Figures = Pick<Stats, 'raised' | 'closed' | 'cancelled' | 'completionRate' | 'overdueNow' | 'medianDaysToClose'>;

const overdueText = (m: Say, n: number) => m(n > 0 ? 'ledgerStats.bar.overdue' : 'ledgerStats.bar.noOverdue', { n });

/** What the named units do not account for (units without a name here): one more row, when any. */
const otherOf = (stats: Stats, units: readonly Unit[]): Figures | undefined => {
  const loaded = units.flatMap((u) => (u.stats ? [u.stats] : []));
  if (loaded.length < units.length) return undefined;
  const restOf = (key: 'raised' | 'closed' | 'cancelled' | 'overdueNow') =>
    stats[key] - loaded.reduce((n, s) => n + s[key], 0);
  const rest = {
    raised: restOf('raised'),
    closed: restOf('closed'),
    cancelled: restOf('cancelled'),
    overdueNow: restOf('overdueNow'),
  };
  if (!Object.values(rest).some((n) => n > 0)) return undefined;
  return { ...rest, completionRate: rest.raised > 0 ? rest.closed / rest.raised : null, medianDaysToClose: null };
};

/** A link to a unit's own statistics. */
const unitLink = (code: string, text: string, hrefOf: (code: string) => string) => {
  const link = el('a', undefined, text);
  link.href = hrefOf(code);
  link.dataset.code = code;
  return link;
};

export class StatsUnits extends StatsSection {
  static readonly tag = 'eco-stats-units';

  override connectedCallback() {
    super.connectedCallback();
    // The unit table is open on a desk, where there is room for it next to the bars.
    partOf<HTMLDetailsElement>(this, 'details').open = matchMedia('(min-width: 48rem)').matches;
  }

  show(shown: StatsShown) {
    const { m } = this.c;
    const { view, units, place, range } = shown;
    const level = levelOf(view.code);
    const heading = { province: 'city', city: 'county', county: 'below' } as const;
    partOf(this, 'h3').textContent = m(`ledgerStats.children.${heading[level]}`);
    const hint = partOf(this, '.hint');
    const figure = partOf(this, 'figure');
    const details = partOf(this, 'details');
    const problem = partOf(this, '.units-problem');
    const none = units.length === 0;
    for (const part of [partOf(this, '.legend'), figure, details]) part.hidden = none;
    if (none) {
      hint.replaceChildren(m('ledgerStats.children.none', { place }));
      if (level === 'county') {
        const link = el('a', undefined, m('ledgerStats.children.board', { place }));
        link.href = `${this.c.path('/staff/ledger/')}?county=${view.code}`;
        hint.append(' ', link);
      }
      problem.hidden = true;
      partOf(figure, 'ul').replaceChildren();
      partOf(details, '.table-scroll').replaceChildren();
      return;
    }
    hint.textContent = m('ledgerStats.children.hint');
    partOf(figure, 'figcaption').textContent = m('ledgerStats.children.caption', { place, range });
    const other = otherOf(shown.stats, units);
    this.#drawBars(shown, other);
    const failed = units.some((unit) => !unit.stats);
    problem.hidden = !failed;
    problem.textContent = failed ? m('ledgerStats.children.someFailed') : '';
    partOf(details, '.table-scroll').replaceChildren(this.#table(shown, other));
  }

  #drawBars({ units, hrefOf }: StatsShown, other: Figures | undefined) {
    const { lang, m } = this.c;
    const maxOverdue = Math.max(1, ...units.map((u) => u.stats?.overdueNow ?? 0), other?.overdueNow ?? 0);
    const barRow = (key: string, name: string | HTMLAnchorElement, figures: Figures | undefined) => {
      const item = el('li', 'bar-row');
      item.dataset.code = key;
      const label = el('p', 'bar-label');
      label.append(typeof name === 'string' ? el('span', 'bar-name', name) : name);
      item.append(label);
      if (!figures) {
        item.dataset.failed = 'true';
        item.append(el('p', 'bar-numbers', m('ledgerStats.children.failed')));
        return item;
      }
      item.dataset.overdue = String(figures.overdueNow);
      const pairs = el('div', 'unit-bars');
      const overdueValue = el('span', 'bar-value', overdueText(m, figures.overdueNow));
      if (figures.overdueNow > 0) overdueValue.classList.add('bar-overdue-yes');
      pairs.append(
        el('span', 'bar-key', m('ledgerStats.col.rate')),
        barSvg(figures.completionRate ?? 0, 1, 'rate'),
        el('span', 'bar-value bar-rate', rateText(m, figures.completionRate)),
        el('span', 'bar-key', m('ledgerStats.col.overdue')),
        barSvg(figures.overdueNow, maxOverdue, 'overdue'),
        overdueValue,
      );
      const any = figures.raised > 0 || figures.closed > 0 || figures.cancelled > 0;
      const { raised, closed, cancelled } = figures;
      const numbers = any ? m('ledgerStats.bar.numbers', { raised, closed, cancelled }) : m('ledgerStats.bar.empty');
      item.append(pairs, el('p', 'bar-numbers', numbers));
      return item;
    };
    const drill = (code: string) => {
      const name = placeName(code, lang);
      const link = unitLink(code, name, hrefOf);
      link.className = 'bar-name';
      link.title = m('ledgerStats.drill', { place: name });
      return link;
    };
    partOf(this, '.bar-rows').replaceChildren(
      ...units.map((unit) => barRow(unit.code, drill(unit.code), unit.stats)),
      ...(other ? [barRow('other', m('ledgerStats.children.other'), other)] : []),
    );
  }

  /** The same figures as a table, with the unit's own totals at the foot. */
  #table({ stats, units, place, range, hrefOf }: StatsShown, other: Figures | undefined) {
    const { lang, m } = this.c;
    const { table, tbody } = statsTable(
      'children-table',
      m('ledgerStats.children.caption', { place, range }),
      m('ledgerStats.col.unit'),
      figureHeads(m, ['median', 'overdue']),
    );
    const row = (key: string, label: string | Node, figures: Figures | undefined) => {
      const tr = el('tr');
      tr.dataset.key = key;
      const name = el('th');
      name.scope = 'row';
      name.append(label);
      tr.append(name);
      if (!figures) {
        const failed = el('td', undefined, m('ledgerStats.children.failed'));
        failed.colSpan = 6;
        tr.append(failed);
        return tr;
      }
      const median = figures.medianDaysToClose;
      const overdue = el('td', 'num', overdueText(m, figures.overdueNow));
      if (figures.overdueNow > 0) overdue.classList.add('overdue-yes');
      tr.append(
        ...figureCells(m, figures),
        el('td', 'num', median === null ? m('monthly.rateNone') : m('ledgerStats.days', { n: median })),
        overdue,
      );
      return tr;
    };
    for (const unit of units) {
      tbody.append(row(unit.code, unitLink(unit.code, placeWithCode(unit.code, lang), hrefOf), unit.stats));
    }
    if (other) {
      const tr = row('other', m('ledgerStats.children.other'), other);
      tr.dataset.other = 'true';
      tbody.append(tr);
    }
    const tfoot = el('tfoot');
    tfoot.append(row('total', m('ledgerStats.total'), stats));
    table.append(tfoot);
    sortable(table, m);
    return table;
  }
}
