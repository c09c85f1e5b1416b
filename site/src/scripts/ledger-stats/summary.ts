/**
 * `<eco-stats-summary>` (StatsSummary.astro): what the page shows, as its heading (the unit or park, the
 * range, neither broken across lines), and the headline figures as tiles: completion rate, raised,
 * closed, cancelled, median days to close, and overdue now with a link to them on the ledger board.
 * The page focuses the heading after a drill-down, so that a screen reader hears where it is.
 */
import { levelOf } from '../../../../shared/jurisdictions.ts';
import { StatsSection } from '../charts/section.ts';
import { monthLabel, rateText } from '../compliance-months.ts';
import { el } from '../format.ts';
import { partOf } from '../parts.ts';
import type { StatsShown } from './shapes.ts';
import { tile } from './shapes.ts';

/** A message with its `{slots}` filled by text or nodes (a month that must not break across lines). */
const fillNodes = (template: string, vars: Record<string, string | Node>): (string | Node)[] =>
  template.split(/\{(\w+)\}/).map((part, i) => (i % 2 === 1 ? (vars[part] ?? `{${part}}`) : part));

const nowrap = (text: string) => el('span', 'nowrap', text);

export class StatsSummary extends StatsSection {
  static readonly tag = 'eco-stats-summary';

  show({ stats, view, place }: StatsShown) {
    const { lang, m } = this.c;
    const range = el('span');
    const from = nowrap(monthLabel(stats.from, lang));
    range.append(
      ...(stats.from === stats.to
        ? [from]
        : fillNodes(m('ledgerStats.range'), { from, to: nowrap(monthLabel(stats.to, lang)) })),
    );
    partOf(this, 'h2').replaceChildren(...fillNodes(m('ledgerStats.resultHeading'), { place: nowrap(place), range }));
    const count = (n: number) => m('ledgerStats.count', { n });
    const median = stats.medianDaysToClose;
    partOf(this, '.tiles').replaceChildren(
      tile(
        'rate',
        m('ledgerStats.rate'),
        rateText(m, stats.completionRate),
        m('ledgerStats.rateOf', { closed: stats.closed, raised: stats.raised }),
      ),
      tile('raised', m('ledgerStats.raised'), count(stats.raised)),
      tile('closed', m('ledgerStats.closed'), count(stats.closed)),
      tile('cancelled', m('ledgerStats.cancelled'), count(stats.cancelled)),
      tile(
        'median',
        m('ledgerStats.median'),
        median === null ? m('monthly.rateNone') : m('ledgerStats.days', { n: median }),
        m(median === null ? 'ledgerStats.medianNone' : 'ledgerStats.daysHint'),
      ),
      this.#overdue(stats.overdueNow, view.code),
    );
  }

  /** Takes the focus to the heading: after a drill-down, a screen reader hears the unit shown. */
  focusHeading() {
    partOf(this, 'h2').focus();
  }

  /** Overdue now, marked when any, with a link to them where the ledger board can show just them. */
  #overdue(n: number, code: string) {
    const { m } = this.c;
    const note = el('span');
    note.append(el('span', undefined, m(n > 0 ? 'ledgerStats.overdueYes' : 'ledgerStats.overdueNo')));
    const board = this.c.path('/staff/ledger/');
    const href =
      levelOf(code) === 'county'
        ? `${board}?overdue=true&county=${code}`
        : code === this.c.me.jurisdiction.code
          ? `${board}?overdue=true`
          : undefined;
    if (n > 0 && href) {
      const link = el('a', undefined, m('ledgerStats.overdueLink'));
      link.href = href;
      note.append(el('br'), link);
    }
    return tile(
      n > 0 ? 'overdue tile-overdue-yes' : 'overdue',
      m('ledgerStats.overdue'),
      m('ledgerStats.count', { n }),
      note,
    );
  }
}
