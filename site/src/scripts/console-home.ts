/**
 * Staff console home: the unread count (`GET /api/staff/inbox?limit=1`); for a liaison, its pairings
 * still to contact this month (`GET /api/staff/pairings`, a liaison gets its own: active, started by
 * the month's first day, no qualifying month yet), with the firm, the last visit or video call, the
 * days left, the firm's address (directions), contact person (tap to call) and last contact in short,
 * and a "log a contact" link, and its firms whose check-up is overdue or due within 30 days
 * (console-home/due.ts); for leads and admins, this month's and last month's
 * compliance of their jurisdiction (`GET /api/staff/compliance`) and the count of messages still being
 * sent or given up (`GET /api/staff/deliveries/summary`), linking to the deliveries page; for
 * everyone, what needs them today (console-home/today.ts).
 */

import type { Enterprise } from '../../../shared/enterprise.ts';
import { api } from '../kit/api.ts';
import { dateText } from '../kit/dates.ts';
import { answerFailureBox } from '../kit/failure.ts';
import { firmReach } from '../kit/firm-reach.ts';
import { stillToContact } from '../kit/todo.ts';
import {
  daysBetween,
  firstDayOf,
  instantDay,
  lastDayOf,
  monthBefore,
  monthLabel,
  placeName,
  rateText,
  thisMonth,
  today,
} from './compliance-months.ts';
import { runConsolePage, type TypedConsole } from './console.ts';
import { loadDueCheckups } from './console-home/due.ts';
import { loadToday } from './console-home/today.ts';
import { dateTime, el, fact } from './format.ts';

/** Names of the firms with these codes: the county's roster when many are wanted, then one by one. */
const firmNames = async (token: string, county: string, codes: string[]): Promise<Map<string, Enterprise>> => {
  const out = new Map<string, Enterprise>();
  const wanted = new Set(codes);
  if (wanted.size > 12) {
    let cursor: string | null = null;
    for (let page = 0; page < 10 && wanted.size > 0; page++) {
      const query = new URLSearchParams({ county, limit: '200' });
      if (cursor) query.set('cursor', cursor);
      const result = await api('enterprises.list', { query, token });
      if (!result.ok) break;
      for (const firm of result.body.enterprises) {
        if (wanted.delete(firm.uscc)) out.set(firm.uscc, firm);
      }
      cursor = result.body.nextCursor;
      if (!cursor) break;
    }
  }
  const left = [...wanted];
  // A few at a time: a phone on a slow network should not open dozens of requests at once.
  for (let i = 0; i < left.length; i += 6) {
    await Promise.all(
      left.slice(i, i + 6).map(async (code) => {
        const result = await api('enterprises.get', { params: { uscc: code }, token });
        if (result.ok) out.set(code, result.body.enterprise);
      }),
    );
  }
  return out;
};

const run = async (c: TypedConsole, root: HTMLElement) => {
  const { lang, m, $ } = c;
  const unread = $<HTMLElement>('#home-unread');
  const inboxLink = $<HTMLAnchorElement>('#home-inbox-link');
  const month = thisMonth();

  // ---- the unread count ----

  const loadUnread = async () => {
    const answer = await api('inbox.list', { query: { limit: 1 }, token: c.token });
    if (!answer.ok) {
      unread.replaceChildren(
        answerFailureBox(m, 'consoleHome.inbox.failed', answer, () => void loadUnread(), 'monthly.retry'),
      );
      return;
    }
    const count = answer.body.unread;
    unread.dataset.unread = String(count);
    unread.replaceChildren();
    if (count > 0) {
      const [before = '', after = ''] = m('consoleHome.inbox.unread', { n: '\u0000' }).split('\u0000');
      unread.append(before, el('strong', 'unread-count', String(count)), after);
      inboxLink.setAttribute('aria-describedby', 'home-unread');
    } else {
      unread.textContent = m('consoleHome.inbox.none');
    }
  };

  // ---- a liaison's list ----

  const loadTodo = async () => {
    const section = $<HTMLElement>('#home-todo');
    const list = $<HTMLElement>('#home-todo-list');
    section.hidden = false;
    const day = today();
    const last = lastDayOf(month);
    const daysLeft = daysBetween(day, last) + 1;
    $<HTMLElement>('#home-todo-heading').textContent = m('consoleHome.todo.heading', {
      month: monthLabel(month, lang),
    });
    $<HTMLElement>('#home-todo-hint').textContent = m('consoleHome.todo.hint', {
      days: daysLeft,
      last: dateText(last, lang),
    });
    list.setAttribute('aria-busy', 'true');
    list.replaceChildren(el('p', 'muted', m('monthly.loading')));
    const result = await api('pairings.list', { token: c.token });
    if (!result.ok) {
      list.removeAttribute('aria-busy');
      list.replaceChildren(
        answerFailureBox(m, 'consoleHome.todo.failed', result, () => void loadTodo(), 'monthly.retry'),
      );
      return;
    }
    const { pairings } = result.body;
    const open = stillToContact(pairings, month);
    if (open.length === 0) {
      list.removeAttribute('aria-busy');
      const judged = pairings.some((p) => p.status === 'active' && p.startsOn <= firstDayOf(month));
      const done = el(
        'p',
        judged ? 'empty empty-done' : 'empty',
        m(judged ? 'consoleHome.todo.empty' : 'consoleHome.todo.none'),
      );
      done.id = 'home-todo-empty';
      list.replaceChildren(done);
      return;
    }
    const names = await firmNames(c.token, c.me.jurisdiction.code, [...new Set(open.map((p) => p.uscc))]);
    list.removeAttribute('aria-busy');
    const count = el('p', 'todo-count', m('consoleHome.todo.count', { n: open.length }));
    const ul = el('ul', 'todo-list');
    for (const pairing of open) {
      const firm = names.get(pairing.uscc);
      const item = el('li', 'card todo');
      item.dataset.pairingId = pairing.pairingId;
      item.dataset.uscc = pairing.uscc;
      const title = el('h3', 'todo-firm');
      const link = el('a', undefined, firm?.name ?? pairing.uscc);
      link.href = `${c.path('/staff/enterprises/firm/')}?uscc=${encodeURIComponent(pairing.uscc)}`;
      title.append(link);
      const code = el('p', 'uscc', pairing.uscc);
      const facts = el('dl', 'todo-facts');
      facts.append(
        fact(
          m('consoleHome.todo.lastContact'),
          instantDay(pairing.lastQualifyingContactAt, lang) || m('monthly.never'),
        ),
        fact(m('consoleHome.todo.daysLeft'), m('consoleHome.todo.days', { n: daysLeft })),
      );
      // Address with directions, the contact person to call, and what the last contact was about.
      const reach = firmReach(
        m,
        firm ?? { name: pairing.uscc },
        pairing.lastContact,
        (iso) => dateTime(iso, lang, true),
        (mode) => m(`contactLog.mode.${mode}`),
      );
      const log = el('a', 'button todo-log', m('consoleHome.todo.log'));
      log.href = `${c.path('/staff/pairings/contact/')}?id=${encodeURIComponent(pairing.pairingId)}`;
      log.setAttribute('aria-label', m('consoleHome.todo.logLabel', { firm: firm?.name ?? pairing.uscc }));
      item.append(title, code, facts, reach, log);
      ul.append(item);
    }
    list.replaceChildren(count, ul);
  };

  // ---- a lead's summary ----

  const loadSummary = async () => {
    const section = $<HTMLElement>('#home-summary');
    const box = $<HTMLElement>('#home-summary-body');
    section.hidden = false;
    $<HTMLElement>('#home-summary-heading').textContent = m('consoleHome.summary.heading', {
      place: placeName(c.me.jurisdiction.code, lang, c.me.jurisdiction.name),
    });
    box.setAttribute('aria-busy', 'true');
    box.replaceChildren(el('p', 'muted', m('monthly.loading')));
    const code = encodeURIComponent(c.me.jurisdiction.code);
    const lastMonth = monthBefore(month);
    const [now, before] = await Promise.all([
      api('compliance.get', { query: { month, jurisdiction: code }, token: c.token }),
      api('compliance.get', { query: { month: lastMonth, jurisdiction: code }, token: c.token }),
    ]);
    box.removeAttribute('aria-busy');
    if (!now.ok) {
      box.replaceChildren(
        answerFailureBox(m, 'consoleHome.summary.failed', now, () => void loadSummary(), 'monthly.retry'),
      );
      return;
    }
    const current = now.body;
    const { judged, contacted } = current.totals;
    const tiles = el('dl', 'tiles');
    const tile = (label: string, value: string, kind: string) => {
      const row = el('div', `tile tile-${kind}`);
      row.append(el('dt', undefined, label), el('dd', undefined, value));
      return row;
    };
    tiles.append(
      tile(m('consoleHome.summary.judged'), String(judged), 'judged'),
      tile(m('consoleHome.summary.contacted'), String(contacted), 'contacted'),
      tile(m('consoleHome.summary.open'), String(Math.max(0, judged - contacted)), 'open'),
      tile(m('consoleHome.summary.rate'), rateText(m, current.totals.rate), 'rate'),
    );
    const parts: HTMLElement[] = [tiles, el('p', 'hint', m('consoleHome.summary.running'))];
    if (before.ok) {
      const previous = before.body;
      parts.push(
        el(
          'p',
          'home-last',
          m('consoleHome.summary.last', {
            month: monthLabel(lastMonth, lang),
            judged: previous.totals.judged,
            missed: previous.totals.missed,
            rate: rateText(m, previous.totals.rate),
          }),
        ),
      );
    }
    box.replaceChildren(...parts);
  };

  // ---- a lead's deliveries count (issue 15): a failure here only leaves the card hidden ----

  const loadDeliveries = async () => {
    const result = await api('deliveries.summary', { token: c.token });
    if (!result.ok) return;
    const counts = result.body;
    const plus = counts.capped ? '+' : '';
    const line = $<HTMLElement>('#home-deliveries-count');
    line.textContent = m('deliveries.home.counts', {
      failed: `${counts.failed}${plus}`,
      pending: `${counts.pending}${plus}`,
    });
    line.dataset.failed = String(counts.failed);
    $<HTMLElement>('#home-deliveries').hidden = false;
  };

  const jobs: Promise<void>[] = [loadUnread(), loadToday(c, root)];
  if (c.me.role === 'liaison') jobs.push(loadTodo(), loadDueCheckups(c, root));
  else jobs.push(loadSummary(), loadDeliveries());
  await Promise.all(jobs);
};

runConsolePage(run, ['liaison', 'lead', 'admin']);
