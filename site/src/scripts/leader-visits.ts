/**
 * Staff console, the leaders' quarterly field service (issue 19): a lead logs its own field service
 * (`<eco-leader-visit-form>`, LeaderVisitForm.astro), and the quarter's compliance in the caller's
 * subtree (`GET /api/staff/leader-compliance`): totals, units below, the leads held to it with their
 * field services, and the days left while the quarter runs.
 */

import type { Answers } from '../../../shared/answers.ts';
import { names } from '../../../shared/jurisdictions.ts';
import { periodBefore, quarterOf } from '../../../shared/monthly.ts';
import { api } from '../kit/api.ts';
import { sortable } from '../kit/sortable.ts';
import { runConsolePage, type TypedConsole } from './console.ts';
import { el } from './format.ts';

type Counts = Answers['leaderCompliance.get']['totals'];

const run = async (c: TypedConsole) => {
  const { lang, m, token, $ } = c;
  const place = (code: string) => names[code]?.[lang] ?? code;

  // ---- the compliance of a quarter ----

  const quarterSelect = $<HTMLSelectElement>('#quarter');
  const quarterBody = $<HTMLElement>('#quarter-body');
  const current = quarterOf(new Date());
  for (let back = 0; back < 8; back++) {
    const q = periodBefore(current, back);
    const option = el('option', undefined, q);
    option.value = q;
    quarterSelect.append(option);
  }
  const requested = new URLSearchParams(location.search).get('quarter');
  if (requested && [...quarterSelect.options].some((o) => o.value === requested)) quarterSelect.value = requested;

  const percent = (rate: number | null) => (rate === null ? '—' : `${Math.round(rate * 100)}%`);
  const tiles = (counts: Counts) => {
    const dl = el('dl', 'tiles');
    const tile = (key: string, value: string, kind = '') => {
      const row = el('div', `tile${kind ? ` tile-${kind}` : ''}`);
      row.append(el('dt', undefined, m(key as never)), el('dd', undefined, value));
      dl.append(row);
    };
    tile('leaderVisits.totals.held', String(counts.held));
    tile('leaderVisits.totals.visited', String(counts.visited), 'contacted');
    tile('leaderVisits.totals.visits', String(counts.visits));
    tile('leaderVisits.totals.missed', String(counts.missed), counts.missed > 0 ? 'missed' : '');
    tile('leaderVisits.totals.rate', percent(counts.rate));
    return dl;
  };
  const table = (heads: string[], rows: (string | Node)[][]) => {
    const t = el('table', 'data-table');
    const head = el('tr');
    for (const h of heads) head.append(el('th', undefined, h));
    t.append(el('thead'), el('tbody'));
    t.tHead?.append(head);
    for (const row of rows) {
      const tr = el('tr');
      for (const cell of row) {
        const td = el('td');
        td.append(cell);
        tr.append(td);
      }
      t.tBodies[0]?.append(tr);
    }
    sortable(t, m);
    const wrap = el('div', 'table-wrap');
    wrap.append(t);
    return wrap;
  };

  const showQuarter = async () => {
    const quarter = quarterSelect.value;
    quarterBody.replaceChildren(el('p', 'muted', m('monthly.loading')));
    const answer = await api('leaderCompliance.get', { token, query: { quarter } });
    if (!answer.ok) {
      quarterBody.replaceChildren(el('p', 'alert', m('monthly.failed')));
      return;
    }
    const data = answer.body;
    const parts: Node[] = [
      el(
        'p',
        'notice',
        data.open && data.daysLeft !== null
          ? m('leaderVisits.quarter.daysLeft', { days: data.daysLeft })
          : m('leaderVisits.quarter.closed'),
      ),
      tiles(data.totals),
    ];
    if (data.children.length > 0) {
      parts.push(el('h3', undefined, m('leaderVisits.units.heading')));
      parts.push(
        table(
          [
            m('leaderVisits.units.unit'),
            m('leaderVisits.totals.held'),
            m('leaderVisits.totals.visited'),
            m('leaderVisits.totals.missed'),
            m('leaderVisits.totals.rate'),
          ],
          data.children.map((u) => [
            u.name[lang],
            String(u.held),
            String(u.visited),
            String(u.missed),
            percent(u.rate),
          ]),
        ),
      );
    }
    parts.push(el('h3', undefined, m('leaderVisits.leads.heading')));
    if (data.leads.length === 0) parts.push(el('p', 'muted', m('leaderVisits.leads.none')));
    else
      parts.push(
        table(
          [m('leaderVisits.leads.lead'), m('leaderVisits.leads.unit'), m('leaderVisits.leads.visits')],
          data.leads.map((l) => [
            l.displayName || l.username,
            place(l.jurisdiction),
            l.visits > 0 ? String(l.visits) : el('span', 'badge badge-kind', m('leaderVisits.leads.notYet')),
          ]),
        ),
      );
    quarterBody.replaceChildren(...parts);
    quarterBody.dataset.quarter = quarter;
  };
  $<HTMLFormElement>('#quarter-form').addEventListener('submit', (event) => {
    event.preventDefault();
    void showQuarter();
  });

  // ---- logging one's own field service (leads: LeaderVisitForm.astro) ----

  const visitForm = $<HTMLElement & { init(c: TypedConsole): void }>('eco-leader-visit-form');
  await customElements.whenDefined('eco-leader-visit-form');
  visitForm.init(c);
  visitForm.addEventListener('visit-saved', (event) => {
    if (event instanceof CustomEvent && event.detail === quarterSelect.value) void showQuarter();
  });

  await showQuarter();
};

runConsolePage(run);
