/**
 * The rounds that send what an offline outbox keeps, in a module of their own: the check-up form
 * needs them as it opens, and the uploading of kept photos (outbox.ts) only when something waits.
 */

/**
 * Sends what waits, one round at a time (two tabs: one at a time across them, where the browser can):
 * on "send now", on the browser's `online` event, and every 30 s while `waiting()`. Answers `flush`,
 * which starts a round (or joins the one under way).
 */
export const sendingRounds = (
  lockName: string,
  round: () => Promise<void>,
  sendNow: HTMLElement,
  waiting: () => boolean,
): (() => Promise<void>) => {
  let running: Promise<void> | undefined;
  const flush = (): Promise<void> => {
    running ??= (async () => {
      try {
        if (navigator.locks) await navigator.locks.request(lockName, () => round());
        else await round();
      } finally {
        running = undefined;
      }
    })();
    return running;
  };
  sendNow.addEventListener('click', () => void flush());
  window.addEventListener('online', () => void flush());
  window.setInterval(() => {
    if (navigator.onLine && waiting()) void flush();
  }, 30_000);
  return flush;
};
