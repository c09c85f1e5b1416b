/**
 * `<checkup-bar>` (CheckupFormPage.astro), the line kept at the top of the check-up form: which item is
 * shown and how many are answered, and whether the answers are saved (with "try again" after a
 * failure: the bar tells the form with `retry`).
 */
import type { TypedConsole } from '../console.ts';
import { clock } from '../format.ts';

export type SaveState = 'idle' | 'pending' | 'saving' | 'saved' | 'error' | 'kept';

export class CheckupBar extends HTMLElement {
  #m: TypedConsole['m'] | undefined;

  init(c: TypedConsole): void {
    this.#m = c.m;
    this.querySelector('button')?.addEventListener('click', () => this.dispatchEvent(new CustomEvent('retry')));
  }

  /** Item `current + 1` of `total` shown, `answered` answered. */
  progress(current: number, answered: number, total: number): void {
    const m = this.#m;
    if (!m) return;
    const [where, count] = this.querySelectorAll<HTMLElement>('.checkup-bar-progress p');
    const bar = this.querySelector('progress') as HTMLProgressElement;
    if (where) where.textContent = m('checkup.progress', { n: current + 1, total });
    if (count) count.textContent = m('checkup.answered', { n: answered, total });
    bar.max = total;
    bar.value = answered;
  }

  /** Says where the saving stands: the time of the last save, or the failure's words. */
  saveState(
    state: SaveState,
    { savedAt, error }: { savedAt?: Date | undefined; error?: string | undefined } = {},
  ): void {
    const m = this.#m;
    if (!m) return;
    const status = this.querySelector('.save-status') as HTMLElement;
    status.dataset.state = state;
    status.textContent =
      state === 'error'
        ? m('checkup.save.failed', { error: error ?? m('error.INTERNAL') })
        : state === 'saved'
          ? m('checkup.save.saved', { time: savedAt ? clock(savedAt.toISOString()) : '' }).trim()
          : m(`checkup.save.${state}`);
    (this.querySelector('button') as HTMLButtonElement).hidden = state !== 'error';
  }
}

if (!customElements.get('checkup-bar')) customElements.define('checkup-bar', CheckupBar);
