/**
 * Staff console, one ledger item: `GET /api/staff/ledger-items/{id}` → its fields, its history (oldest
 * first) and the moves the signed-in role may make (`movesFrom`, the API's own state machine). Each
 * move is a form with a note, sent as `POST …/transitions` with the version shown; closing adds the
 * override reason, handing over the department (and optionally the unit). Any move may carry photos and
 * files, uploaded as soon as they are chosen (`uploads.ts`) and sent as `evidenceIds`; each history entry
 * shows its own as thumbnails or links. A stale version shows the conflict box with a reload button;
 * problems go on their fields and the first one takes focus.
 */

import { names } from '../../../shared/jurisdictions.ts';
import type { LedgerState } from '../../../shared/ledger-rules.ts';
import { api } from '../kit/api.ts';
import { failureText } from '../kit/messages.ts';
import { runConsolePage, type TypedConsole } from './console.ts';
import { dateTime, dayLabel, el, fact } from './format.ts';
import { type Item, ledgerMoves } from './ledger-item/moves.ts';
import { evidenceLinks } from './uploads.ts';

const stateName = (m: TypedConsole['m'], state: LedgerState) => m(`ledger.state.${state}`);

/** The history, oldest first: each move with who, when, its note and its photos and files. */
const itemHistory = (c: TypedConsole, types: Record<string, string>) => {
  const { lang, m, $ } = c;
  const historyList = $<HTMLElement>('#item-history');
  const evidenceItem = evidenceLinks(c, types);
  return (item: Item) => {
    historyList.replaceChildren();
    for (const entry of item.history) {
      const li = el('li', 'ledger-history-entry');
      li.dataset.to = entry.to;
      const head = el('p', 'ledger-history-head');
      const when = el('time', undefined, dateTime(entry.at, lang, true));
      when.dateTime = entry.at;
      const who = entry.by.startsWith('firm:') ? m('ledger.history.firm') : entry.byName || entry.by;
      head.append(when, ` · ${who}`);
      const move = el(
        'p',
        'ledger-history-move',
        entry.from
          ? `${stateName(m, entry.from)} → ${stateName(m, entry.to)}`
          : m('ledger.history.new', { to: stateName(m, entry.to) }),
      );
      li.append(head, move, el('p', 'ledger-history-note', entry.note));
      if (entry.evidence?.length) {
        const box = el('div', 'ledger-history-evidence');
        box.append(el('p', 'evidence-label muted', m('ledgerEvidence.label', { n: entry.evidence.length })));
        const ul = el('ul', 'evidence-thumbs');
        for (const ref of entry.evidence) ul.append(evidenceItem(ref.evidenceId, ref));
        box.append(ul);
        li.append(box);
      }
      historyList.append(li);
    }
  };
};

/** The heading, the state badge, the overdue mark and the item's facts. */
const itemFacts = (c: TypedConsole) => {
  const { lang, m, $ } = c;
  const heading = $<HTMLElement>('#item-heading');
  const stateBadge = $<HTMLElement>('#item-state');
  const overdue = $<HTMLElement>('#item-overdue');
  const facts = $<HTMLElement>('#item-facts');
  const place = (code: string) => {
    const name = names[code]?.[lang];
    return name ? `${name} (${code})` : code;
  };
  return (item: Item) => {
    document.title = `${item.title} · ${document.title.split(' · ').at(-1) ?? ''}`;
    heading.textContent = item.title;
    stateBadge.textContent = stateName(m, item.state);
    stateBadge.dataset.state = item.state;
    overdue.hidden = !item.overdue;
    overdue.textContent = item.overdue ? m('ledger.card.overdue', { date: dayLabel(item.dueOn, lang) }) : '';
    const severity = el('span', 'ledger-severity', m(`ledger.severity.${item.severity}`));
    severity.dataset.severity = item.severity;
    const rows = [
      fact(m('ledger.field.firm'), item.firmName),
      fact(m('ledger.field.uscc'), item.uscc),
      fact(m('ledger.field.county'), place(item.county)),
      fact(m('ledger.field.detail'), item.detail),
      fact(m('ledger.field.source'), m(`ledger.source.${item.source}`)),
      fact(m('ledger.field.severity'), severity),
      fact(
        m('ledger.field.dueOn'),
        item.overdue ? `${dayLabel(item.dueOn, lang)} · ${m('ledger.overdue')}` : dayLabel(item.dueOn, lang),
      ),
      fact(m('ledger.field.owner'), item.ownerDepartment),
      fact(m('ledger.field.holder'), place(item.holder)),
      fact(m('ledger.field.followers'), item.followers.map(place).join(lang === 'zh' ? '、' : ', ')),
      fact(m('ledger.field.createdAt'), dateTime(item.createdAt, lang, true)),
    ];
    if (item.closedAt) rows.push(fact(m('ledger.field.closedAt'), dateTime(item.closedAt, lang, true)));
    if (item.recurringOf) {
      const link = el('a', undefined, m('ledger.recurring.link'));
      link.href = `?id=${encodeURIComponent(item.recurringOf)}`;
      rows.push(fact(m('ledger.field.recurring'), link));
    }
    rows[0]?.querySelector('dd')?.classList.add('ledger-firm');
    rows[1]?.querySelector('dd')?.classList.add('mono');
    if (item.overdue) rows[6]?.querySelector('dd')?.classList.add('ledger-due-overdue');
    facts.replaceChildren(...rows);
  };
};

const run = async (c: TypedConsole, root: HTMLElement) => {
  const { m, $ } = c;
  const problem = $<HTMLElement>('#item-problem');
  const view = $<HTMLElement>('#item-view');
  const id = new URLSearchParams(location.search).get('id') ?? '';
  const types = JSON.parse(root.dataset.types ?? '{}') as Record<string, string>;
  const maxBytes = Number(root.dataset.maxBytes ?? 20 * 1024 * 1024);
  const showFacts = itemFacts(c);
  const showHistory = itemHistory(c, types);

  const fail = (text: string) => {
    view.hidden = true;
    problem.textContent = text;
    problem.hidden = false;
    problem.focus();
  };

  const show = (item: Item) => {
    showFacts(item);
    showHistory(item);
    showMoves(item);
    view.hidden = false;
  };

  const { showMoves, conflict } = ledgerMoves({ c, maxBytes, types, show });

  // ---- loading ----

  const load = async (): Promise<boolean> => {
    if (!/^[a-f0-9-]{36}$/.test(id)) {
      fail(m('ledger.item.missing'));
      return false;
    }
    const { status: code, body: answer } = await api('ledger.get', {
      params: { id },
      token: c.token,
    });
    const item = (answer as { item?: Item } | null)?.item;
    if (code === 401) return false;
    if (code !== 200 || !item) {
      fail(code === 404 ? m('ledger.item.notFound') : `${m('ledger.item.failed')} ${failureText(m, code, answer)}`);
      return false;
    }
    problem.hidden = true;
    show(item);
    return true;
  };

  // A stale version's box (moves.ts shows it): reading the item again clears it.
  $<HTMLButtonElement>('#conflict-reload').addEventListener('click', async () => {
    if (await load()) {
      conflict.hide();
      $<HTMLElement>('#item-status').hidden = true;
      $<HTMLElement>('#item-heading').focus();
    }
  });

  await load();
};

runConsolePage(run, ['liaison', 'lead', 'admin']);
