/**
 * Pairings, the year roll-over (leads, admins; issue 19): this year's pairings in the caller's scope
 * not yet decided, each with a choice (keep, the default, or end with a reason), sent as
 * `POST /api/staff/pairings/roll-over` in turns of ROLL_OVER_MAX. One press of the button keeps its
 * request ids until it succeeds, so a retry after a lost answer is the same request; the server does
 * nothing twice in any case (functions/lib/pairings/roll-over.ts).
 */
import { prefixOf } from '../../../../shared/jurisdictions.ts';
import { END_REASONS, ROLL_OVER_MAX, type RollOverResult } from '../../../../shared/roll-over-views.ts';
import { api } from '../../kit/api.ts';
import { dateText } from '../../kit/dates.ts';
import { failureText } from '../../kit/messages.ts';
import type { TypedConsole } from '../console.ts';
import { buttonEl, el } from '../format.ts';
import { firmNames, type Pairing, thisYear } from '../pairings-common.ts';
import { partOf } from '../parts.ts';
import type { People } from './people.ts';

type Choice = 'keep' | (typeof END_REASONS)[number];

/** Wires the section inside `host` (`<pairing-roll-over>`, which loads this on the first turn to it). */
export const rollOverSection = (host: HTMLElement, c: TypedConsole, { personOf }: People) => {
  const { m, lang } = c;
  const form = partOf<HTMLFormElement>(host, 'form');
  const fromSelect = partOf<HTMLSelectElement>(form, 'select');
  const list = partOf<HTMLElement>(host, '#roll-over-list');
  const status = partOf<HTMLElement>(host, '#roll-over-status');
  const year = thisYear();

  let shown: Pairing[] = [];
  let from = year;
  /** The request id of each turn of the current press (kept until the roll-over is done). */
  let requestIds: string[] = [];

  const say = (kind: 'success' | 'error' | 'info', text: string) => {
    status.dataset.kind = kind;
    status.textContent = text;
    status.hidden = false;
  };

  const choiceOf = (row: HTMLElement): Choice => (row.querySelector('select') as HTMLSelectElement).value as Choice;

  const rowFor = (p: Pairing, name: string) => {
    const tr = el('tr');
    tr.dataset.pairingId = p.pairingId;
    tr.dataset.version = String(p.version);
    const firm = el('td');
    firm.append(el('span', 'roll-firm', name), el('span', 'hint mono', p.uscc));
    const decision = el('td', 'roll-decision');
    const select = el('select');
    const label = m('rollOver.col.decision');
    select.setAttribute('aria-label', `${label}: ${name}`);
    select.add(new Option(m('rollOver.keep'), 'keep'));
    for (const reason of END_REASONS) select.add(new Option(m(`rollOver.end.${reason}`), reason));
    const note = el('input');
    note.type = 'text';
    note.maxLength = 200;
    note.placeholder = m('rollOver.note');
    note.setAttribute('aria-label', `${m('rollOver.note')}: ${name}`);
    note.hidden = true;
    select.addEventListener('change', () => {
      note.hidden = select.value !== 'other';
      tr.dataset.choice = select.value;
    });
    const outcome = el('p', 'roll-outcome hint');
    outcome.setAttribute('aria-live', 'polite');
    decision.append(select, note, outcome);
    tr.append(firm, el('td', undefined, personOf(p.liaison)), decision);
    return tr;
  };

  const render = async () => {
    list.replaceChildren();
    if (shown.length === 0) {
      list.append(el('p', 'muted', m('rollOver.empty')));
      return;
    }
    const firms = await firmNames(
      c.token,
      c.me.jurisdiction.code,
      shown.map((p) => p.uscc),
    );
    const table = el('table', 'roll-table');
    const head = el('tr');
    for (const key of ['rollOver.col.firm', 'rollOver.col.liaison', 'rollOver.col.decision'] as const)
      head.append(Object.assign(el('th', undefined, m(key)), { scope: 'col' }));
    table.append(el('thead'), el('tbody'));
    table.tHead?.append(head);
    for (const p of shown) table.tBodies[0]?.append(rowFor(p, firms.get(p.uscc)?.name ?? p.uscc));
    const submit = buttonEl(undefined, m('rollOver.submit', { to: from + 1, n: shown.length }));
    submit.id = 'roll-over-submit';
    submit.addEventListener('click', () => void send(submit));
    const scroll = el('div', 'table-scroll');
    scroll.append(table);
    list.append(scroll, submit);
  };

  const load = async () => {
    from = Number(fromSelect.value);
    requestIds = [];
    status.hidden = true;
    list.replaceChildren(el('p', 'muted', m('rollOver.loading')));
    const query = new URLSearchParams({ serviceYear: String(from), county: c.me.jurisdiction.code });
    const answer = await api('pairings.list', { token: c.token, query });
    if (!answer.ok || !Array.isArray(answer.body.pairings)) {
      list.replaceChildren();
      return say('error', failureText(m, answer.status, answer.body));
    }
    // Still to decide: not ended and not yet rolled over (the scope's own pairings only).
    shown = answer.body.pairings
      .filter((p) => p.status !== 'ended' && !p.rolledOver && p.county.startsWith(prefixOf(c.me.jurisdiction.code)))
      .sort((a, b) => a.liaison.localeCompare(b.liaison) || a.uscc.localeCompare(b.uscc));
    await render();
  };

  const send = async (button: HTMLButtonElement) => {
    const rows = [...list.querySelectorAll<HTMLTableRowElement>('tbody tr')].filter((r) => !r.dataset.done);
    const decisions = [];
    for (const row of rows) {
      const choice = choiceOf(row);
      const note = (row.querySelector('input') as HTMLInputElement).value.trim();
      if (choice === 'other' && !note) {
        say('error', m('rollOver.noteMissing'));
        (row.querySelector('input') as HTMLInputElement).focus();
        return;
      }
      const pairingId = row.dataset.pairingId as string;
      const version = Number(row.dataset.version);
      decisions.push(
        choice === 'keep'
          ? { pairingId, action: 'keep' as const, version }
          : { pairingId, action: 'end' as const, reason: choice, ...(note ? { note } : {}), version },
      );
    }
    if (decisions.length === 0) return;
    button.disabled = true;
    let counts = { kept: 0, ended: 0, refused: 0 };
    let failed: { code: number; body: unknown } | undefined;
    try {
      for (let turn = 0, start = 0; start < decisions.length; turn++, start += ROLL_OVER_MAX) {
        say('info', m('rollOver.working', { done: start, n: decisions.length }));
        requestIds[turn] ??= crypto.randomUUID();
        const answer = await api('pairings.rollOver', {
          token: c.token,
          json: {
            requestId: requestIds[turn],
            from,
            to: from + 1,
            decisions: decisions.slice(start, start + ROLL_OVER_MAX),
          },
        });
        if (!answer.ok || !Array.isArray(answer.body.results)) {
          failed = { code: answer.status, body: answer.body };
          break;
        }
        counts = show(answer.body.results, counts);
      }
    } finally {
      button.disabled = false;
    }
    if (failed) return say('error', `${failureText(m, failed.code, failed.body)} ${m('rollOver.retry')}`);
    requestIds = [];
    say(counts.refused > 0 ? 'error' : 'success', m('rollOver.done', counts));
    host.dispatchEvent(new Event('rolled-over'));
  };

  /** Marks each row with its outcome; a row done is not sent again by the next press. */
  const show = (results: RollOverResult[], counts: { kept: number; ended: number; refused: number }) => {
    for (const r of results) {
      const row = list.querySelector<HTMLTableRowElement>(`tr[data-pairing-id="${CSS.escape(r.pairingId)}"]`);
      const outcome = row?.querySelector<HTMLElement>('.roll-outcome');
      if (!row || !outcome) continue;
      if (r.outcome === 'refused') {
        counts.refused += 1;
        row.dataset.outcome = 'refused';
        outcome.textContent = m(`rollOver.refused.${r.code}`);
        continue;
      }
      row.dataset.done = '1';
      row.dataset.outcome = r.outcome;
      for (const input of row.querySelectorAll<HTMLInputElement | HTMLSelectElement>('select, input'))
        input.disabled = true;
      if (r.outcome === 'kept') counts.kept += 1;
      else counts.ended += 1;
      const said = [
        m(r.outcome === 'kept' ? 'rollOver.decidedKeep' : 'rollOver.decidedEnd'),
        m('rollOver.endsOn', { date: dateText(r.endsOn, lang) }),
      ];
      if (r.outcome === 'kept' && r.contactLeaderDropped) said.push(m('rollOver.leaderDropped'));
      outcome.textContent = said.join(' ');
    }
    return counts;
  };

  form.addEventListener('submit', (event) => {
    event.preventDefault();
    void load();
  });
};
