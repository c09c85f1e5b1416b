/**
 * Staff console, deliveries (leads and admins): `GET /api/staff/deliveries?status=&channel=&limit=
 * &cursor=`, oldest first, with "load more" (the API's `nextCursor`); the filters live in the address.
 * A given-up message has a "send again" that asks first, then `POST /api/staff/deliveries/retry`.
 */

import type { UndeliveredMessage as Row } from '../../../shared/answers.ts';
import { api, apiPath, failureText, messagesOf } from '../kit/api.ts';
import { answerFailureBox } from '../kit/failure.ts';
import { type Console, runConsolePage } from './console.ts';
import { exportButtons } from './export-buttons.ts';
import { buttonEl, dateTime, el } from './format.ts';

const PAGE = 20;
const STATUSES = ['failed', 'pending'];
const CHANNELS = ['', 'email', 'sms', 'webhook'];

/** The filters (status, channel), read from the address; `query` adds them to a request's own fields. */
const deliveryFilters = (c: Console) => {
  const { $ } = c;
  const form = $<HTMLFormElement>('#deliveries-filters');
  const status = $<HTMLSelectElement>('#deliveries-status');
  const channel = $<HTMLSelectElement>('#deliveries-channel');
  const params = new URLSearchParams(location.search);
  const asked = { status: params.get('status') ?? '', channel: params.get('channel') ?? '' };
  status.value = STATUSES.includes(asked.status) ? asked.status : 'failed';
  channel.value = CHANNELS.includes(asked.channel) ? asked.channel : '';
  const query = (own: Record<string, string> = {}) => {
    const q = new URLSearchParams(own);
    q.set('status', status.value);
    if (channel.value) q.set('channel', channel.value);
    return q;
  };
  return { form, status, query };
};

/** One message's card: its deliveries by channel, and "send again" (asked first) when it was given up. */
const deliveryCard = (c: Console, root: HTMLElement) => {
  const { lang, m } = c;
  const retry = async (row: Row, card: HTMLElement, button: HTMLButtonElement) => {
    const box = el('div', 'delivery-confirm');
    const question = el('p', undefined, m('deliveries.retry.confirm'));
    const actions = el('p', 'actions');
    const yes = buttonEl('button-small', m('deliveries.retry.yes'));
    const no = buttonEl('button-secondary button-small', m('deliveries.retry.no'));
    actions.append(yes, no);
    box.append(question, actions);
    button.hidden = true;
    card.append(box);
    yes.focus();
    no.addEventListener('click', () => {
      box.remove();
      button.hidden = false;
      button.focus();
    });
    yes.addEventListener('click', async () => {
      yes.disabled = true;
      no.disabled = true;
      yes.textContent = m('deliveries.retry.sending');
      const { status: code, body } = await api('deliveries.retry', {
        json: { about: row.about, kind: row.kind, occasion: row.occasion },
        token: c.token,
      });
      box.replaceChildren();
      const note = el('p', code === 200 ? 'notice' : 'alert', '');
      note.setAttribute('role', code === 200 ? 'status' : 'alert');
      note.textContent =
        code === 200 ? m('deliveries.retry.done') : `${m('deliveries.retry.failed')} ${failureText(m, code, body)}`;
      box.append(note);
      if (code !== 200) button.hidden = false;
    });
  };

  const kindLabel = (kind: string) => {
    const key = `deliveries.kind.${kind}`;
    return messagesOf(root)[key] ? m(key) : kind;
  };

  const card = (row: Row): HTMLElement => {
    const box = el('article', 'card delivery-card');
    box.dataset.about = row.about;
    box.append(el('h3', undefined, row.subject || kindLabel(row.kind)));
    box.append(
      el(
        'p',
        'muted small',
        `${m('deliveries.createdAt')}: ${dateTime(row.createdAt, lang, true)} · ${m('deliveries.kind')}: ${kindLabel(row.kind)}${
          row.nudges !== undefined ? ` · ${m('deliveries.nudges', { count: row.nudges })}` : ''
        }`,
      ),
    );
    const lines = el('ul');
    for (const d of row.deliveries) {
      const li = el('li');
      li.dataset.channel = d.channel;
      li.append(
        `${m(`deliveries.channel.${d.channel}`)} · `,
        el('span', 'mono', d.to),
        ` · ${m(`deliveries.d.${d.status}`)} · ${m('deliveries.attempts', { count: d.attempts })}`,
      );
      if (d.lastError && d.status !== 'sent')
        li.append(el('span', 'delivery-error', `${m('deliveries.error')}${d.lastError}`));
      lines.append(li);
    }
    box.append(lines);
    if (row.status === 'failed') {
      const button = buttonEl('button-small delivery-retry', m('deliveries.retry'));
      button.addEventListener('click', () => void retry(row, box, button));
      box.append(button);
    }
    return box;
  };
  return card;
};

const run = async (c: Console, root: HTMLElement) => {
  const { m, $ } = c;
  const filters = deliveryFilters(c);
  const card = deliveryCard(c, root);
  const list = $<HTMLElement>('#deliveries-list');
  const count = $<HTMLElement>('#deliveries-count');
  const more = $<HTMLButtonElement>('#deliveries-more');
  let cursor: string | null = null;
  let shown = 0;

  // The sheet of what the filters choose: the whole list, not only the part loaded so far.
  exportButtons(c, root, (format) => ({
    path: apiPath('deliveries.export', undefined, filters.query({ format })),
    fallback: `deliveries-${filters.status.value}.${format}`,
  }));

  const load = async (fresh: boolean) => {
    if (fresh) {
      cursor = null;
      shown = 0;
      list.replaceChildren(el('p', 'muted', m('console.loading')));
    }
    more.hidden = true;
    const query = filters.query({ limit: String(PAGE) });
    if (cursor) query.set('cursor', cursor);
    const result = await api('deliveries.list', { query, token: c.token });
    if (fresh) list.replaceChildren();
    if (!result.ok) {
      list.append(answerFailureBox(m, 'deliveries.list.failed', result, () => void load(fresh)));
      return;
    }
    const answer = result.body;
    for (const row of answer.messages) list.append(card(row));
    shown += answer.messages.length;
    cursor = answer.nextCursor;
    more.hidden = !cursor;
    count.textContent = shown === 0 && !cursor ? m('deliveries.list.empty') : m('deliveries.shown', { count: shown });
  };

  filters.form.addEventListener('submit', (event) => {
    event.preventDefault();
    history.replaceState(null, '', `${location.pathname}?${filters.query()}`);
    void load(true);
  });
  more.addEventListener('click', () => void load(false));
  await load(true);
};

runConsolePage(run);
