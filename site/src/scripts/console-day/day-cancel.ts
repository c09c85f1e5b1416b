/**
 * `<eco-day-cancel>` (DayCancel.astro): the day page's danger zone. Its button opens the confirmation
 * with a reason; the request itself (cancel.ts) loads when the confirmation first opens, as most visits
 * to a day never cancel it. The page hands it its context with `init` and says whether the day is
 * cancelled already with `cancelled`.
 */
import { lazy } from '../../kit/lazy.ts';
import { setFieldError } from '../console.ts';
import { partOf } from '../parts.ts';
import type { CancelContext } from './cancel.ts';

const request = lazy(() => import('./cancel.ts'));

export class DayCancel extends HTMLElement {
  #context: CancelContext | undefined;

  /** The page's context: the console, the day and what to do once it is cancelled. */
  init(context: CancelContext) {
    this.#context = context;
  }

  /** A cancelled day offers no cancelling. */
  set cancelled(cancelled: boolean) {
    this.#part<HTMLButtonElement>('.day-cancel-open').hidden = cancelled;
    if (cancelled) this.#part<HTMLFormElement>('form').hidden = true;
  }

  #part<T extends HTMLElement>(selector: string): T {
    return partOf<T>(this, selector);
  }

  connectedCallback() {
    const open = this.#part<HTMLButtonElement>('.day-cancel-open');
    const form = this.#part<HTMLFormElement>('form');
    const reason = this.#part<HTMLTextAreaElement>('textarea');
    const problem = this.#part<HTMLElement>('.day-cancel-problem');
    const yes = this.#part<HTMLButtonElement>('button[type=submit]');
    open.addEventListener('click', () => {
      const opening = form.hidden;
      form.hidden = !opening;
      open.setAttribute('aria-expanded', String(opening));
      if (!opening) return;
      reason.focus();
      request().catch(() => undefined);
    });
    this.#part<HTMLButtonElement>('.day-cancel-no').addEventListener('click', () => {
      form.hidden = true;
      open.setAttribute('aria-expanded', 'false');
      setFieldError(reason, undefined);
      problem.textContent = '';
      open.focus();
    });
    let sending = false;
    form.addEventListener('submit', async (event) => {
      event.preventDefault();
      const context = this.#context;
      if (!context || sending) return;
      sending = true;
      try {
        const loaded = await request().catch(() => undefined);
        if (!loaded) {
          // Offline, or a new deployment's file names: nothing was sent, the press may be repeated.
          problem.textContent = context.c.m('error.NETWORK');
          problem.focus();
          return;
        }
        await loaded.sendCancel(context, { form, reason, problem, yes });
      } finally {
        sending = false;
      }
    });
  }
}

if (!customElements.get('eco-day-cancel')) customElements.define('eco-day-cancel', DayCancel);

declare global {
  interface HTMLElementTagNameMap {
    'eco-day-cancel': DayCancel;
  }
}
