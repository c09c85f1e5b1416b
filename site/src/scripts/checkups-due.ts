/**
 * Staff console, check-ups due (issue 19): `GET /api/staff/checkups/due?within=` → the paired firms
 * of the caller's scope whose check-up is overdue (longest first) or due within the days chosen, each
 * a card linking to its firm page (where a lead starts the check-up), with its liaison, its last
 * check-up and the day it is due. The counts line is a live region, read out when the choice changes.
 */

import type { DueCheckupView as DueCheckup } from '../../../shared/checkups.ts';
import { api } from '../kit/api.ts';
import { dateText } from '../kit/dates.ts';
import { failureText } from '../kit/messages.ts';
import { runConsolePage, type TypedConsole } from './console.ts';
import { el } from './format.ts';

const run = async (c: TypedConsole) => {
  const { lang, m, token, $ } = c;
  const within = $<HTMLSelectElement>('#due-within');
  const list = $<HTMLElement>('#due-list');
  const counts = $<HTMLElement>('#due-counts');
  const problem = $<HTMLElement>('#due-problem');

  const stateText = (f: DueCheckup) =>
    f.days < 0
      ? m('checkup.due.overdue', { n: -f.days })
      : f.days === 0
        ? m('checkup.due.today')
        : m('checkup.due.soon', { n: f.days });

  const card = (f: DueCheckup) => {
    const li = el('li', 'due-card card');
    li.dataset.uscc = f.uscc;
    li.dataset.state = f.state;
    const head = el('p', 'due-firm');
    const link = el('a', undefined, f.firmName || f.uscc);
    link.href = `${c.path('/staff/enterprises/firm/')}?uscc=${encodeURIComponent(f.uscc)}`;
    const badge = el('span', 'due-badge', stateText(f));
    badge.dataset.state = f.state;
    head.append(link, ' ', badge);
    const facts = el('dl', 'due-facts');
    const fact = (label: string, value: string) => facts.append(el('dt', undefined, label), el('dd', undefined, value));
    fact(m('checkup.due.col.due'), dateText(f.dueOn, lang));
    fact(m('checkup.due.col.last'), f.lastCheckupOn ? dateText(f.lastCheckupOn, lang) : m('checkup.due.never'));
    fact(m('checkup.due.col.liaison'), f.liaisonName);
    fact(m('pairings.col.cadence'), m('pairings.cadence.months', { n: f.intervalMonths }));
    li.append(head, facts);
    return li;
  };

  const load = async () => {
    problem.hidden = true;
    counts.textContent = m('checkup.due.loading');
    const result = await api('checkups.due', { query: { within: within.value }, token });
    if (result.status === 401) return;
    if (!result.ok) {
      counts.textContent = '';
      problem.textContent = m('checkup.due.failed', { error: failureText(m, result.status, result.body) });
      problem.hidden = false;
      return;
    }
    const answer = result.body;
    $('#due-intro').textContent = m('checkup.due.intro', { months: answer.intervalMonths });
    const overdue = answer.firms.filter((f) => f.state === 'overdue').length;
    counts.textContent = m('checkup.due.counts', { overdue, soon: answer.firms.length - overdue });
    if (answer.firms.length === 0) {
      list.replaceChildren(el('p', 'muted', m('checkup.due.none')));
      return;
    }
    const ul = el('ul', 'due-list');
    ul.append(...answer.firms.map(card));
    list.replaceChildren(ul);
  };

  within.addEventListener('change', () => void load());
  await load();
};

runConsolePage(run, ['liaison', 'lead', 'admin']);
