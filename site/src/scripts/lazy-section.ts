import { lazy, loadOnTurn } from '../kit/lazy.ts';

/**
 * A section most visits never use (an import, a form to add a record) whose behaviour is a chunk of
 * its own, loaded when the user first turns to it: focus, pointer or touch inside it. The page opens
 * without it (design.md: a page's JavaScript within 20 KB gzip).
 *
 * An action taken before the behaviour is there (a quick click on a button, Enter in a form) is
 * caught on its way down, before the section's own handlers exist, held, and done once they do.
 * `setup` wires the section; it runs once. Following the page's link to the section (`#anchor`, on
 * arrival or later) is turning to it too.
 */
export const loadOnFirstTurn = (host: HTMLElement, setup: () => Promise<void>, anchor?: string): void => {
  // Once; a failed load (offline, or a new deployment's file names) is tried again on the next turn.
  const wired = lazy(setup);
  let ready = false;
  const asked: (() => void)[] = [];
  const start = () =>
    wired().then(
      () => {
        ready = true;
        for (const action of asked.splice(0)) action();
      },
      (error: unknown) => {
        asked.splice(0);
        throw error;
      },
    );
  loadOnTurn(host, start);
  if (anchor) {
    const followed = () => location.hash === `#${anchor}` && start().catch(() => undefined);
    addEventListener('hashchange', followed);
    followed();
  }
  const hold = (event: Event, action: () => void) => {
    event.preventDefault();
    event.stopImmediatePropagation();
    asked.push(action);
    start().catch(() => undefined);
  };
  host.addEventListener(
    'submit',
    (event) => {
      const form = event.target;
      if (!ready && form instanceof HTMLFormElement) hold(event, () => form.requestSubmit());
    },
    { capture: true },
  );
  host.addEventListener(
    'click',
    (event) => {
      const button = event.target instanceof Element ? event.target.closest('button[type=button]') : null;
      if (!ready && button instanceof HTMLButtonElement) hold(event, () => button.click());
    },
    { capture: true },
  );
};

/**
 * The custom element of such a section (`<roster-import>`, `<roster-new-firm>`): the page hands it
 * what its behaviour needs with `init`, once it has signed in, and the behaviour is wired (`wire`,
 * which imports its chunk) on the first turn to the section or to its `#anchor`.
 */
export abstract class LazySection<Needs extends unknown[]> extends HTMLElement {
  /** The section's `#anchor` (its id in the page): following a link to it loads it too. */
  protected abstract readonly anchor: string;

  /** Imports the section's behaviour and wires it to this element with what the page handed over. */
  protected abstract wire(...needs: Needs): Promise<void>;

  init(...needs: Needs): void {
    loadOnFirstTurn(this, () => this.wire(...needs), this.anchor);
  }
}
