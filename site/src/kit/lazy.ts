/**
 * Code a page needs only on some visits (a form's validation with zod, 9 KB gzip; a section most users
 * never open), loaded on first use so the page's own JavaScript stays within its budget (design.md:
 * any page ≤ 20 KB gzip). `import()` makes the bundler put the module in a chunk of its own.
 *
 * A form's live checks run on every keystroke and cannot wait: they read `now` (nothing yet means
 * nothing to say), while the submit awaits the load. `warmOn` starts the load as soon as the user
 * turns to the form, so by the time they submit it is there.
 */

export interface Lazy<T> {
  /** The module, loading it the first time (a failed load is tried again on the next call). */
  (): Promise<T>;
  /** The module if it has loaded, else undefined. */
  readonly now: T | undefined;
}

export const lazy = <T>(load: () => Promise<T>): Lazy<T> => {
  let pending: Promise<T> | undefined;
  let loaded: T | undefined;
  const get = () => {
    pending ??= load().then(
      (value) => {
        loaded = value;
        return value;
      },
      (error: unknown) => {
        // Offline or a new deployment's file names: the next use tries again.
        pending = undefined;
        throw error;
      },
    );
    return pending;
  };
  return Object.defineProperty(get, 'now', { get: () => loaded }) as Lazy<T>;
};

/** What counts as the user turning to an area: focus, pointer or touch inside it. */
const TURNS = ['focusin', 'pointerover', 'touchstart'] as const;

/**
 * Runs `load` when the user turns to `area`, and again on each later turn until one load has
 * succeeded: a load that failed (offline at a firm's gate, or a new deployment's file names) is tried
 * on the next turn rather than only when the user finally acts. One policy for a form's schema
 * (`warmOn`) and a section's behaviour (`loadOnFirstTurn`).
 */
export const loadOnTurn = (area: EventTarget, load: () => Promise<unknown>): void => {
  let done = false;
  const turn = () => {
    if (done) return;
    load().then(
      () => {
        done = true;
        for (const type of TURNS) area.removeEventListener(type, turn);
      },
      () => undefined,
    );
  };
  for (const type of TURNS) area.addEventListener(type, turn, { passive: true });
};

/** Starts loading `modules` when the user turns to `area` (a form), so they are there by the submit. */
export const warmOn = (area: EventTarget, ...modules: Lazy<unknown>[]): void =>
  loadOnTurn(area, () => Promise.all(modules.map((module) => module())));
