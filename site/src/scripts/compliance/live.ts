/**
 * `<eco-compliance-live>` (ComplianceLive.astro): compliance during the month (issue 19), the pairings
 * not yet visited or video-called, with the days left, from `GET /api/staff/compliance/open`, so a
 * lead can act before the month ends (the missed list only exists from the 1st of the next month). The
 * same table as the missed list. The page hands it the console (`init`) and the unit shown (`show`).
 */
import { api } from '../../kit/api.ts';
import { StatsSection } from '../charts/section.ts';
import { el } from '../format.ts';
import { partOf } from '../parts.ts';
import { pairingTable } from './pairing-table.ts';

export class ComplianceLive extends StatsSection {
  static readonly tag = 'eco-compliance-live';

  /** Shows the list for the unit while its month runs; hides it for a month that is over. */
  async show(code: string, isRunning: boolean, stillCurrent: () => boolean) {
    this.hidden = !isRunning;
    if (!isRunning) return;
    const c = this.c;
    const { m } = c;
    const heading = partOf(this, 'h3');
    const days = partOf(this, '.live-days');
    const list = partOf(this, '.live-list');
    list.setAttribute('aria-busy', 'true');
    const result = await api('compliance.open', { query: { jurisdiction: code }, token: c.token });
    if (!stillCurrent()) return;
    list.removeAttribute('aria-busy');
    if (!result.ok) {
      days.hidden = true;
      list.replaceChildren(el('p', 'empty', m('compliance.live.failed')));
      return;
    }
    const answer = result.body;
    const rows = answer.pairings;
    heading.textContent = m('compliance.live.heading', { n: rows.length });
    days.hidden = rows.length === 0;
    days.textContent = m('compliance.live.daysLeft', { days: answer.daysLeft });
    if (rows.length === 0) {
      list.replaceChildren(el('p', 'empty', m('compliance.live.empty')));
      return;
    }
    list.replaceChildren(pairingTable(c, 'data-table missed-table live-table', rows));
  }
}
