/**
 * `<eco-day-notice>` (DayNotice.astro): a message to all the day's bookers. The element keeps the
 * text's counter; the two steps behind "next" (notice.ts: the confirmation naming how many, and the
 * send) load on the first "next", warmed when the user turns to the text, as most visits send none.
 * The page hands it its context with `init` and shows it only for an open day (`open`).
 */
import { lazy, warmOn } from '../../kit/lazy.ts';
import { partOf } from '../parts.ts';
import type { NoticeContext } from './notice.ts';

const steps = lazy(() => import('./notice.ts'));

export class DayNotice extends HTMLElement {
  #context: NoticeContext | undefined;
  #wired = false;

  /** Only an open day's bookers are messaged. */
  set open(open: boolean) {
    this.hidden = !open;
  }

  /** The page's context: the console, the day and its bookings as the table last read them. */
  init(context: NoticeContext) {
    this.#context = context;
    const { m } = context.c;
    const text = partOf<HTMLTextAreaElement>(this, 'textarea');
    const count = partOf<HTMLElement>(this, '.notice-count');
    const confirm = partOf<HTMLFormElement>(this, '.notice-confirm');
    const counter = () => {
      count.textContent = m('console.notice.count', { count: text.value.length, max: text.maxLength });
    };
    counter();
    text.addEventListener('input', () => {
      counter();
      // A changed text needs its own confirmation.
      confirm.hidden = true;
    });
  }

  connectedCallback() {
    const form = partOf<HTMLFormElement>(this, '.notice-form');
    const problem = partOf<HTMLElement>(this, '.notice-problem');
    warmOn(form, steps);
    const first = async (event: SubmitEvent) => {
      event.preventDefault();
      const context = this.#context;
      if (!context) return;
      const loaded = await steps().catch(() => undefined);
      if (!loaded) {
        // Offline, or a new deployment's file names: nothing was sent, "next" may be pressed again.
        problem.textContent = context.c.m('error.NETWORK');
        problem.hidden = false;
        return;
      }
      if (this.#wired) return; // a second press while loading
      this.#wired = true;
      form.removeEventListener('submit', first);
      problem.hidden = true;
      // Called, not re-submitted: a submit requested while this one is still being dispatched is ignored.
      loaded.dayNotice(context, this).next();
    };
    form.addEventListener('submit', first);
  }
}

if (!customElements.get('eco-day-notice')) customElements.define('eco-day-notice', DayNotice);

declare global {
  interface HTMLElementTagNameMap {
    'eco-day-notice': DayNotice;
  }
}
