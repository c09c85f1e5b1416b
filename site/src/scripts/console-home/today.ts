/**
 * The console home's "today" cards (issue 18), from `GET /api/staff/today` (kit/today.ts, read fresh
 * on this page and shared with the nav's counts): overdue ledger items, consultation days of the
 * next two weeks, red-band firms and, for leads and admins, messages that could not be delivered.
 * Each card gives its count and its first few entries, each a link to where it is dealt with.
 */
import type { TodayDay, TodayFirm, TodayMessage, TodayOverdueItem, TodayPart } from '../../../../shared/today.ts';
import { messagesOf } from '../../kit/api.ts';
import { dateText } from '../../kit/dates.ts';
import { failureBox } from '../../kit/failure.ts';
import type { MessageKey } from '../../kit/messages.ts';
import { forgetToday, todayView } from '../../kit/today.ts';
import { placeName } from '../compliance-months.ts';
import type { TypedConsole } from '../console.ts';
import { dateTime, el } from '../format.ts';

type Entry = { href: string; title: string; detail: string; key: string };

const link = (href: string, text: string) => {
  const a = el('a', undefined, text);
  a.href = href;
  return a;
};

/** Fills one card: its count beside the heading, its first entries or its "none" line. */
const fillCard = <T>(root: HTMLElement, id: string, part: TodayPart<T>, none: string, entry: (item: T) => Entry) => {
  const card = root.querySelector<HTMLElement>(`#today-${id}`);
  if (!card) return;
  card.hidden = false;
  const count = card.querySelector<HTMLElement>('.today-count');
  if (count) {
    count.textContent = `${part.count}${part.capped ? '+' : ''}`;
    count.dataset.count = String(part.count);
  }
  const list = card.querySelector<HTMLElement>('.today-list') as HTMLElement;
  if (part.count === 0) {
    list.replaceChildren(el('p', 'muted today-none', none));
    return;
  }
  const ul = el('ul', 'today-items');
  for (const item of part.first) {
    const { href, title, detail, key } = entry(item);
    const li = el('li', 'today-item');
    li.dataset.key = key;
    li.append(link(href, title), el('span', 'today-detail', detail));
    ul.append(li);
  }
  list.replaceChildren(ul);
};

export const loadToday = async (c: TypedConsole, root: HTMLElement): Promise<void> => {
  const { lang, m } = c;
  const section = root.querySelector<HTMLElement>('#home-today') as HTMLElement;
  const problem = section.querySelector<HTMLElement>('#home-today-failed') as HTMLElement;
  const view = await todayView(c.token, { fresh: true });
  if (!view) {
    problem.hidden = false;
    problem.replaceChildren(
      failureBox(
        m,
        m('today.failed'),
        '',
        () => {
          forgetToday();
          void loadToday(c, root);
        },
        'monthly.retry',
      ),
    );
    return;
  }
  problem.hidden = true;
  const words = messagesOf(root);
  /** A word of the page's dictionary when it has one (message kinds, channels), else the code. */
  const word = (key: string, fallback: string) => (words[key] ? m(key as MessageKey) : fallback);
  const manager = c.me.role !== 'liaison';

  fillCard(root, 'overdue', view.overdue, m('today.overdue.none'), (item: TodayOverdueItem) => ({
    href: `${c.path('/staff/ledger/item/')}?id=${encodeURIComponent(item.itemId)}`,
    title: item.title,
    detail: `${item.firmName} · ${m('today.overdue.due', { date: dateText(item.dueOn, lang) })}`,
    key: item.itemId,
  }));
  fillCard(root, 'days', view.days, m('today.days.none'), (day: TodayDay) => ({
    // A liaison has no console page of days: the public page opens at the day.
    href: manager
      ? `${c.path('/staff/consultation-days/day/')}?id=${encodeURIComponent(day.dayId)}`
      : `${lang === 'zh' ? '' : '/en'}/consultation-days/?day=${encodeURIComponent(day.dayId)}`,
    title: dateText(day.date, lang),
    detail: [placeName(day.jurisdiction, lang), day.venue ?? m('today.days.online')].join(' · '),
    key: day.dayId,
  }));
  fillCard(root, 'red', view.redBand, m('today.red.none'), (firm: TodayFirm) => ({
    href: `${c.path('/staff/enterprises/firm/')}?uscc=${encodeURIComponent(firm.uscc)}#firm-health`,
    title: firm.name,
    detail: m('today.red.score', { score: firm.score, date: dateTime(firm.at, lang, true) }),
    key: firm.uscc,
  }));
  if (view.undelivered)
    fillCard(root, 'undelivered', view.undelivered, m('today.undelivered.none'), (message: TodayMessage) => ({
      href: `${c.path('/staff/deliveries/')}`,
      title: word(`deliveries.kind.${message.kind}`, message.kind),
      detail: [
        placeName(message.jurisdiction, lang),
        message.channels.map((channel) => word(`deliveries.channel.${channel}`, channel)).join('、'),
        dateTime(message.createdAt, lang),
      ].join(' · '),
      key: `${message.about}/${message.kind}/${message.occasion}`,
    }));
  // The days card's "see all" goes to the public list for a liaison, whose console has no days page.
  const allDays = root.querySelector<HTMLAnchorElement>('#today-days .today-more a');
  if (allDays && !manager) allDays.href = `${lang === 'zh' ? '' : '/en'}/consultation-days/`;
};
