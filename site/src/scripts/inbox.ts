/**
 * Staff console, the inbox: `GET /api/staff/inbox` (newest first, `?cursor=` for more) with the
 * unread count shown in the heading; opening an unread message or pressing "mark as read" calls
 * `POST /api/staff/inbox/{id}/read` and the count drops. The messages are written by the nudge job
 * in Chinese; on the English page they keep `lang="zh-CN"`.
 */

import type { InboxMessage as Message } from '../../../shared/answers.ts';
import { api, failureText } from '../kit/api.ts';
import { answerFailureBox } from '../kit/failure.ts';
import { forgetToday } from '../kit/today.ts';
import { consolePath } from './compliance-months.ts';
import { type Console, runConsolePage } from './console.ts';
import { buttonEl, dateTime, el } from './format.ts';

/**
 * The text without the address it ends with (the e-mail needs it; here the title is the link):
 * `…请尽快联系企业并登记：http://…` → `…请尽快联系企业并登记。`
 */
export const withoutLink = (text: string): string => {
  const stripped = text.replace(/[：:]?\s*https?:\/\/\S+\s*$/u, '');
  if (stripped === text) return text;
  return /[\p{Script=Han}]$/u.test(stripped) ? `${stripped}。` : stripped;
};

const KINDS = ['missed', 'escalation', 'reminder'];

const run = async (c: Console) => {
  const { lang, m, $ } = c;
  const list = $<HTMLElement>('#inbox-list');
  const count = $<HTMLElement>('#inbox-unread');
  const status = $<HTMLElement>('#inbox-status');
  const more = $<HTMLButtonElement>('#inbox-more');
  const end = $<HTMLElement>('#inbox-end');
  const baseTitle = document.title;

  let unread = 0;
  let cursor: string | null = null;
  let ul: HTMLUListElement | undefined;

  const showCount = () => {
    count.dataset.unread = String(unread);
    count.textContent = unread > 0 ? m('inbox.unread', { n: unread }) : m('inbox.allRead');
    count.dataset.state = unread > 0 ? 'unread' : 'clear';
    count.hidden = false;
    document.title = unread > 0 ? `(${unread}) ${baseTitle}` : baseTitle;
  };

  const markRead = async (message: Message, item: HTMLElement): Promise<boolean> => {
    if (message.read) return true;
    const button = item.querySelector<HTMLButtonElement>('[data-action=read]');
    if (button) {
      button.disabled = true;
      button.textContent = m('inbox.marking');
    }
    const { status: code, body: answer } = await api('inbox.read', {
      params: { id: message.id },
      method: 'POST',
      token: c.token,
      timeoutMs: 8000,
    });
    if (code !== 200) {
      if (code === 401) return false;
      if (button) {
        button.disabled = false;
        button.textContent = m('inbox.markRead');
      }
      status.textContent = m('inbox.markFailed', { reason: failureText(m, code, answer) });
      return false;
    }
    message.read = true;
    // The nav's unread count on the next page is read again, not the minute-old one.
    forgetToday();
    unread = Math.max(0, unread - 1);
    showCount();
    item.dataset.read = 'true';
    item.querySelector('.badge-new')?.replaceWith(el('span', 'badge badge-read', m('inbox.read')));
    button?.remove();
    status.textContent = m('inbox.marked', { n: unread });
    return true;
  };

  const messageItem = (message: Message): HTMLElement => {
    const item = el('li', 'card inbox-message');
    item.dataset.id = message.id;
    item.dataset.read = String(message.read);
    item.tabIndex = -1;
    const head = el('p', 'inbox-head');
    const kind = KINDS.includes(message.kind) ? message.kind : 'other';
    const kindBadge = el('span', 'badge badge-kind', m(`monthly.kind.${kind}`));
    kindBadge.dataset.kind = kind;
    const state = message.read
      ? el('span', 'badge badge-read', m('inbox.read'))
      : el('span', 'badge badge-new', m('inbox.new'));
    const when = el('time', 'inbox-time', m('inbox.at', { time: dateTime(message.at, lang, true) }));
    when.dateTime = message.at;
    head.append(kindBadge, state);
    if (message.contactedOn) {
      head.append(el('span', 'badge badge-contacted', m('inbox.contactedOn', { date: message.contactedOn })));
    }
    head.append(when);

    const title = el('h3', 'inbox-title');
    const text = message.title;
    const target = consolePath(message.link, lang);
    if (target) {
      const link = el('a', undefined, text);
      link.href = target;
      link.addEventListener('click', (event) => {
        if (message.read) return;
        // A new tab or window: mark it read and stay. Otherwise: mark it, then follow the link.
        if (event.ctrlKey || event.metaKey || event.shiftKey || event.button !== 0) {
          void markRead(message, item);
          return;
        }
        event.preventDefault();
        void markRead(message, item).finally(() => location.assign(target));
      });
      title.append(link);
    } else {
      title.textContent = text;
    }
    const textBox = el('p', 'inbox-text', target ? withoutLink(message.text) : message.text);
    if (lang !== 'zh') {
      title.lang = 'zh-CN';
      textBox.lang = 'zh-CN';
    }
    item.append(head, title, textBox);
    if (lang !== 'zh') item.append(el('p', 'hint inbox-note', m('monthly.zhOnly')));
    if (!message.read) {
      const actions = el('p', 'inbox-actions');
      const button = buttonEl('button-secondary button-small', m('inbox.markRead'));
      button.dataset.action = 'read';
      button.setAttribute('aria-label', m('inbox.markReadLabel', { title: text }));
      button.addEventListener('click', async () => {
        if (await markRead(message, item)) {
          (item.querySelector<HTMLElement>('.inbox-title a') ?? item).focus();
        }
      });
      actions.append(button);
      item.append(actions);
    }
    return item;
  };

  const load = async (next: boolean): Promise<void> => {
    const query = new URLSearchParams({ limit: '20' });
    if (next && cursor) query.set('cursor', cursor);
    if (next) {
      more.disabled = true;
      more.textContent = m('inbox.moreLoading');
    } else {
      list.setAttribute('aria-busy', 'true');
      list.replaceChildren(el('p', 'muted', m('monthly.loading')));
    }
    const answer = await api('inbox.list', { query, token: c.token });
    list.removeAttribute('aria-busy');
    more.disabled = false;
    more.textContent = m('inbox.more');
    if (!answer.ok) {
      if (answer.status === 401) return;
      const box = answerFailureBox(
        m,
        'inbox.failed',
        answer,
        () => {
          box.remove();
          void load(next);
        },
        'monthly.retry',
      );
      if (next) more.closest('p')?.before(box);
      else list.replaceChildren(box);
      return;
    }
    const page = answer.body;
    unread = page.unread;
    showCount();
    cursor = page.nextCursor;
    if (!next) {
      if (page.messages.length === 0) {
        list.replaceChildren(el('p', 'empty', m('inbox.empty')));
        more.hidden = true;
        end.hidden = true;
        return;
      }
      ul = el('ul', 'inbox-items');
      list.replaceChildren(ul);
    }
    const added = page.messages.map(messageItem);
    ul?.append(...added);
    more.hidden = !cursor;
    // The end note only after "load more" (a single page needs none).
    end.hidden = Boolean(cursor) || !next;
    // "Load more": focus goes to the first message that came in, so a keyboard user reads on.
    if (next) (added[0] ?? end).focus();
  };

  more.addEventListener('click', () => void load(true));
  await load(false);
};

runConsolePage(run, ['liaison', 'lead', 'admin']);
