/**
 * `<roster-import>` (RosterImport.astro): the import section of the roster. Its behaviour (the upload
 * with progress, the row report, the import's column rules: roster-import.ts) is a chunk of its own,
 * loaded when a manager first turns to the section (focus, pointer or touch inside it). Most visits
 * never import, and the page then opens without it.
 *
 * The page hands over its console context with `init` (it signs in once, for every section).
 */
import { lazy } from '../../kit/lazy.ts';
import type { TypedConsole } from '../console.ts';

const behaviour = lazy(() => import('../roster-import.ts'));

type PairThese = (firms: { uscc: string; name: string }[]) => void;

export class RosterImport extends HTMLElement {
  #ready = false;
  /** What was asked before the behaviour was there (a quick click on a template, Enter in the form). */
  #asked: (() => void)[] = [];

  /** `onImported` reloads the list; `pairThese` hands a committed import's firms to the bulk pairing. */
  init(c: TypedConsole, onImported: () => void, pairThese?: PairThese): void {
    const start = () => {
      behaviour().then(
        ({ setupImport }) => {
          if (this.#ready) return;
          setupImport(this, c, onImported, pairThese);
          this.#ready = true;
          for (const action of this.#asked.splice(0)) action();
        },
        // Offline, or a new deployment's file names: the next turn to the section tries again.
        () => this.#asked.splice(0),
      );
    };
    for (const type of ['focusin', 'pointerover', 'touchstart'] as const) {
      this.addEventListener(type, start, { passive: true });
    }
    // Caught on the way down, before the form's own handlers exist: held, then done once they do.
    this.addEventListener(
      'submit',
      (event) => {
        if (this.#ready || !(event.target instanceof HTMLFormElement)) return;
        const form = event.target;
        event.preventDefault();
        event.stopImmediatePropagation();
        this.#asked.push(() => form.requestSubmit());
        start();
      },
      { capture: true },
    );
    this.addEventListener(
      'click',
      (event) => {
        const button = event.target instanceof Element ? event.target.closest('button[type=button]') : null;
        if (this.#ready || !(button instanceof HTMLButtonElement)) return;
        event.stopImmediatePropagation();
        this.#asked.push(() => button.click());
        start();
      },
      { capture: true },
    );
  }
}
