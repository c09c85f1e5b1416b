/**
 * The counts beside the console nav's sections (issue 18): unread inbox entries, overdue ledger
 * items, red-band firms, consultation days within two weeks and given-up messages, from the one
 * `today` answer (kit/today.ts, cached between pages). A zero shows nothing; the figure is shown and
 * its words ("3 条未读") are read with the link's label.
 */
import type { NavCount, TodayView } from '../../../shared/today.ts';
import type { Say } from '../kit/messages.ts';
import { todayView } from '../kit/today.ts';

const countsOf = (view: TodayView): Record<NavCount, { n: number; capped: boolean }> => ({
  unread: { n: view.unread, capped: false },
  overdue: { n: view.overdue.count, capped: view.overdue.capped },
  redBand: { n: view.redBand.count, capped: view.redBand.capped },
  days: { n: view.days.count, capped: view.days.capped },
  undelivered: { n: view.undelivered?.count ?? 0, capped: view.undelivered?.capped ?? false },
});

/** Fills the bar's count badges; a failed read leaves them hidden (the nav works without them). */
export const showNavCounts = async (bar: HTMLElement, token: string, m: Say, fresh: boolean): Promise<void> => {
  const view = await todayView(token, { fresh });
  if (!view) return;
  const counts = countsOf(view);
  for (const badge of bar.querySelectorAll<HTMLElement>('.nav-count[data-count]')) {
    const name = badge.dataset.count as NavCount;
    const count = counts[name];
    badge.hidden = !count || count.n === 0;
    if (badge.hidden || !count) continue;
    const figure = count.n > 99 ? '99+' : `${count.n}${count.capped ? '+' : ''}`;
    const [shown, words] = badge.children as unknown as [HTMLElement, HTMLElement];
    shown.textContent = figure;
    words.textContent = ` ${m(`nav.count.${name}`, { n: figure })}`;
  }
};
