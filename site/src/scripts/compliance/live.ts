/**
 * Compliance, during the month (issue 19): the pairings not yet visited or video-called, with the
 * days left, from `GET /api/staff/compliance/open`, so a lead can act before the month ends (the
 * missed list only exists from the 1st of the next month). The same table as the missed list.
 */
import { api } from '../../kit/api.ts';
import { instantDay, placeName } from '../compliance-months.ts';
import type { TypedConsole } from '../console.ts';
import { el } from '../format.ts';
import { pairingTable } from './pairing-table.ts';

export const liveList = (c: TypedConsole, root: HTMLElement) => {
  const { lang, m } = c;
  const section = root.querySelector('#live-section') as HTMLElement;
  const heading = root.querySelector('#live-heading') as HTMLElement;
  const days = root.querySelector('#live-days') as HTMLElement;
  const list = root.querySelector('#live-list') as HTMLElement;

  /** Shows the list for the unit while its month runs; hides it for a month that is over. */
  return async (code: string, isRunning: boolean, stillCurrent: () => boolean) => {
    section.hidden = !isRunning;
    if (!isRunning) return;
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
    const headers = [
      m('compliance.missed.firm'),
      m('compliance.missed.county'),
      m('compliance.missed.liaison'),
      m('compliance.missed.last'),
    ];
    const table = pairingTable(c, 'data-table missed-table live-table', headers, rows, (row) => [
      placeName(row.county, lang),
      row.liaisonName,
      instantDay(row.lastQualifyingContactAt, lang) || m('monthly.never'),
    ]);
    list.replaceChildren(table);
  };
};
