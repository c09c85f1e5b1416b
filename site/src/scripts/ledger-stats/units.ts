/**
 * Ledger statistics, the units one level down: completion rate and overdue per unit as bars (each row
 * also says its numbers in text), and the same figures as a table; a unit's name drills into it.
 */
import { levelOf } from '../../../../shared/jurisdictions.ts';
import { sortable } from '../../kit/sortable.ts';
import { placeName, placeWithCode, rateText } from '../compliance-months.ts';
import type { TypedConsole } from '../console.ts';
import { el } from '../format.ts';
import { barSvg, figureHeads, rateCell, type Stats, statsTable, type Unit } from './shapes.ts';

/** The month range and unit the page shows. */
export interface View {
  from: string;
  to: string;
  code: string;
  /** A park of the county `code` (issue 19): its firms' figures; absent or '' for the whole unit. */
  park?: string;
}

export const unitsChart = (c: TypedConsole, urlOf: (view: View) => string) => {
  const { lang, m, $ } = c;
  const childrenHeading = $<HTMLElement>('#children-heading');
  const childrenHint = $<HTMLElement>('#children-hint');
  const childrenLegend = $<HTMLElement>('#children-legend');
  const childrenChart = $<HTMLElement>('#children-chart');
  const childrenCaption = $<HTMLElement>('#children-caption');
  const childrenBars = $<HTMLElement>('#children-bars');
  const childrenProblem = $<HTMLElement>('#children-problem');
  const childrenDetails = $<HTMLDetailsElement>('#children-details');
  const childrenTable = $<HTMLElement>('#children-table');
  // The unit table is open on a desk, where there is room for it next to the bars.
  childrenDetails.open = matchMedia('(min-width: 48rem)').matches;
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
    const { table, tbody } = statsTable(
      'children-table',
      m('ledgerStats.children.caption', { place, range }),
      m('ledgerStats.col.unit'),
      figureHeads(m, ['median', 'overdue']),
    );
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
        rateCell(m, figures.completionRate),
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
    table.append(tfoot);
    sortable(table, m);
    childrenTable.replaceChildren(table);
  };

  return drawChildren;
};
