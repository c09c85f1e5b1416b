/**
 * The liaison's early warning on the console home (issue 19): its own pairings whose check-up is
 * overdue or due within 30 days (`GET /api/staff/checkups/due?within=30`: a liaison gets its own
 * pairings only), overdue first, each with the day it is due, its last check-up, and a link to the
 * firm's health card, where the check-up is started and its draft opened. None due hides the section;
 * a failure says so with a retry.
 */
import { api } from '../../kit/api.ts';
import { dateText } from '../../kit/dates.ts';
import { answerFailureBox } from '../../kit/failure.ts';
import type { TypedConsole } from '../console.ts';
import { el, fact } from '../format.ts';

/** How many days ahead a check-up is warned of. */
export const DUE_WARNING_DAYS = 30;

export const loadDueCheckups = async (c: TypedConsole, root: HTMLElement): Promise<void> => {
  const { lang, m } = c;
  const section = root.querySelector('#home-due') as HTMLElement;
  const list = root.querySelector('#home-due-list') as HTMLElement;
  const result = await api('checkups.due', { query: { within: String(DUE_WARNING_DAYS) }, token: c.token });
  if (result.status === 401) return;
  if (!result.ok) {
    section.hidden = false;
    list.replaceChildren(
      answerFailureBox(m, 'consoleHome.due.failed', result, () => void loadDueCheckups(c, root), 'monthly.retry'),
    );
    return;
  }
  const { firms } = result.body;
  section.hidden = firms.length === 0;
  const ul = el('ul', 'todo-list due-list');
  for (const f of firms) {
    const li = el('li', 'card todo due-card');
    li.dataset.uscc = f.uscc;
    li.dataset.state = f.state;
    const title = el('h3', 'todo-firm', f.firmName || f.uscc);
    const state =
      f.days < 0
        ? m('checkup.due.overdue', { n: -f.days })
        : f.days === 0
          ? m('checkup.due.today')
          : m('checkup.due.soon', { n: f.days });
    const badge = el('span', 'due-badge', state);
    badge.dataset.state = f.state;
    const facts = el('dl', 'todo-facts');
    facts.append(
      fact(m('checkup.due.col.due'), dateText(f.dueOn, lang)),
      fact(m('checkup.due.col.last'), f.lastCheckupOn ? dateText(f.lastCheckupOn, lang) : m('checkup.due.never')),
    );
    const go = el('a', 'button button-secondary todo-log', m('consoleHome.due.open'));
    go.href = `${c.path('/staff/enterprises/firm/')}?uscc=${encodeURIComponent(f.uscc)}#firm-health`;
    go.setAttribute('aria-label', m('consoleHome.due.openLabel', { firm: f.firmName || f.uscc }));
    li.append(title, badge, facts, go);
    ul.append(li);
  }
  const overdue = firms.filter((f) => f.state === 'overdue').length;
  list.replaceChildren(el('p', 'todo-count', m('checkup.due.counts', { overdue, soon: firms.length - overdue })), ul);
};
