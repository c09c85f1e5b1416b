/**
 * Staff console, the list page: loads the days in scope (`GET /api/staff/consultation-days`) and
 * publishes a new one (`POST`, the form in console-days/new-day.ts). The days show as a list or as
 * a month calendar (console-days/calendar.ts); `?view=calendar&month=YYYY-MM` keeps the choice.
 */

import { shanghaiDate } from '../../../shared/time.ts';
import { runConsolePage, type TypedConsole } from './console.ts';
import { dayCalendar, monthOf } from './console-days/calendar.ts';
import { dayList } from './console-days/list.ts';
import { newDayForm } from './console-days/new-day.ts';

/** The days as a list or as a month calendar, the choice kept in the URL. */
const daysView = (c: TypedConsole, root: HTMLElement, dayPath: string) => {
  const { $ } = c;
  const list = $<HTMLElement>('#staff-days');
  const { loadDays } = dayList({ c, list, dayPath, checkInPath: c.path('/staff/consultation-days/check-in/') });
  const calendarBox = $<HTMLElement>('#staff-calendar');
  const range = $<HTMLElement>('#staff-days-range');
  const switches = [...root.querySelectorAll<HTMLButtonElement>('.view-switch [data-view]')];
  const asked = new URLSearchParams(location.search);
  let view: 'list' | 'calendar' = asked.get('view') === 'calendar' ? 'calendar' : 'list';
  let month = monthOf(asked.get('month')) ?? shanghaiDate(new Date()).slice(0, 7);
  const remember = () => {
    const query = new URLSearchParams(location.search);
    query.delete('view');
    query.delete('month');
    if (view === 'calendar') {
      query.set('view', 'calendar');
      query.set('month', month);
    }
    const search = query.toString();
    history.replaceState(history.state, '', `${location.pathname}${search ? `?${search}` : ''}${location.hash}`);
  };
  const calendar = dayCalendar({
    c,
    box: calendarBox,
    dayPath,
    moved: (to) => {
      month = to;
      remember();
    },
  });
  /** Shows the chosen view, reading its days (the list's are read once at the start and after a new day). */
  const showView = async () => {
    for (const button of switches) button.setAttribute('aria-pressed', String(button.dataset.view === view));
    list.hidden = view !== 'list';
    range.hidden = view !== 'list';
    calendarBox.hidden = view !== 'calendar';
    if (view === 'calendar') await calendar.show(month);
  };
  for (const button of switches) {
    button.addEventListener('click', () => {
      const chosen = button.dataset.view === 'calendar' ? 'calendar' : 'list';
      if (chosen === view) return;
      view = chosen;
      remember();
      void showView();
    });
  }
  /** Reads the days again after a new one: the list's, and the calendar's when it shows. */
  const refresh = () => Promise.all([loadDays(), view === 'calendar' ? calendar.show(month) : undefined]);
  return { refresh, show: () => Promise.all([loadDays(), showView()]) };
};

const run = async (c: TypedConsole, root: HTMLElement) => {
  const dayPath = c.path('/staff/consultation-days/day/');
  const days = daysView(c, root, dayPath);
  newDayForm(c, root, dayPath, days.refresh);
  await days.show();
};

runConsolePage(run);
