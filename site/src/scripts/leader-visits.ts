/**
 * Staff console, the leaders' quarterly field service (issue 19): a lead logs its own field service
 * (`POST /api/staff/leader-visits`, checked with the API's own schema first, loaded when the lead turns to
 * the form: zod is half the page's weight and most visitors only read; a 400's fields land on the inputs,
 * a firm outside the lead's subtree is a 404), and the quarter's compliance in the
 * caller's subtree (`GET /api/staff/leader-compliance`): totals, units below, the leads held to it
 * with their field services, and the days left while the quarter runs.
 */

import type { Answers } from '../../../shared/answers.ts';
import { contains, names } from '../../../shared/jurisdictions.ts';
import { periodBefore, quarterOf } from '../../../shared/monthly.ts';
import { api, fieldsOf } from '../kit/api.ts';
import { lazy, warmOn } from '../kit/lazy.ts';
import { sortable } from '../kit/sortable.ts';
import { formProblems, localToIso, onSubmit, type Problem, runConsolePage, type TypedConsole } from './console.ts';
import { el } from './format.ts';

type Counts = Answers['leaderCompliance.get']['totals'];

const visitSchema = lazy(() => import('../../../shared/leader-visits.ts').then((module) => module.leaderVisitInput));

const run = async (c: TypedConsole, root: HTMLElement) => {
  const { lang, m, token, me, $ } = c;
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

  // ---- logging one's own field service (leads) ----

  if (me.role === 'lead') {
    $('#visit-section').hidden = false;
    const form = $<HTMLFormElement>('#visit-form');
    const at = $<HTMLInputElement>('#visit-at');
    const uscc = $<HTMLInputElement>('#visit-uscc');
    const unit = $<HTMLSelectElement>('#visit-unit');
    const unitField = $<HTMLElement>('#unit-field');
    const usccField = uscc.closest('.field') as HTMLElement;
    const participants = $<HTMLTextAreaElement>('#visit-participants');
    const summaryText = $<HTMLTextAreaElement>('#visit-summary');
    const status = $<HTMLElement>('#visit-status');
    const summary = $<HTMLElement>('#visit-errors');
    const submit = $<HTMLButtonElement>('#visit-form button[type=submit]');
    for (const [code, name] of Object.entries(names).sort(([a], [b]) => a.localeCompare(b))) {
      if (!contains(me.jurisdiction.code, code)) continue;
      const option = el('option', undefined, name[lang]);
      option.value = code;
      unit.append(option);
    }
    const targetKind = () => root.querySelector<HTMLInputElement>('input[name=target]:checked')?.value ?? 'uscc';
    const showTarget = () => {
      const firm = targetKind() === 'uscc';
      usccField.hidden = !firm;
      unitField.hidden = firm;
    };
    for (const radio of root.querySelectorAll<HTMLInputElement>('input[name=target]'))
      radio.addEventListener('change', showTarget);
    showTarget();

    const problemOf = (key: string): Problem => {
      const head = key.split('.')[0] ?? '';
      if (head === 'at') return { control: at, text: m('leaderVisits.err.at') };
      if (head === 'participants') return { control: participants, text: m('leaderVisits.err.participants') };
      if (head === 'summary') return { control: summaryText, text: m('leaderVisits.err.summary') };
      if (head === 'target') return { control: uscc, text: m('leaderVisits.err.uscc') };
      return { text: m('error.VALIDATION_FAILED' as never) };
    };
    const { show, clear } = formProblems(form, summary, m);
    warmOn(form, visitSchema);

    onSubmit(form, submit, m('monthly.loading'), async (busy) => {
      clear();
      status.hidden = true;
      const request = {
        at: localToIso(at.value),
        target: targetKind() === 'uscc' ? { uscc: uscc.value.trim().toUpperCase() } : { jurisdiction: unit.value },
        participants: participants.value
          .split(/\n|[,，、]/)
          .map((p) => p.trim())
          .filter(Boolean),
        summary: summaryText.value.trim(),
      };
      // Not loaded (offline, a new deployment): the API checks the same rules and answers 400.
      const schema = await busy(() => visitSchema().catch(() => undefined));
      const checked = schema?.safeParse(request);
      const future = request.at !== '' && Date.parse(request.at) > Date.now() + 10 * 60_000;
      if (checked?.success === false || future) {
        const keys = new Set(
          checked?.success === false ? checked.error.issues.map((i) => String(i.path[0] ?? '')) : [],
        );
        if (future) keys.add('at');
        show([...keys].map(problemOf));
        return;
      }
      const sent = await busy(() => api('leaderVisits.create', { token, json: checked?.data ?? request }));
      const { status: code, body } = sent;
      if (sent.ok && code === 201) {
        const result = sent.body;
        status.dataset.kind = 'success';
        status.textContent = result.counted
          ? m('leaderVisits.form.saved', { quarter: result.visit.quarter })
          : m('leaderVisits.form.savedNotCounted');
        status.hidden = false;
        status.focus();
        form.reset();
        showTarget();
        if (quarterSelect.value === result.visit.quarter) await showQuarter();
        return;
      }
      if (code === 404) return show([{ control: uscc, text: m('leaderVisits.err.notFound') }]);
      if (code === 400) return show(Object.keys(fieldsOf(body)).map(problemOf));
      status.dataset.kind = 'error';
      status.textContent = m('monthly.failed');
      status.hidden = false;
      status.focus();
    });
  }

  await showQuarter();
};

runConsolePage(run);
