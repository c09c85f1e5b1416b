import { nextFire } from '../../shared/cron.ts';
import { schedules as defaults, type ScheduleDef } from '../../shared/schedules.ts';

/** setTimeout cannot wait longer than this; longer waits re-arm. */
const MAX_DELAY = 2 ** 31 - 1;

/**
 * Fires the shared schedules (shared/schedules.ts) at their Asia/Shanghai times,
 * as EventBridge Scheduler does in AWS. Returns a function that stops it.
 */
export const startScheduler = (
  runJob: (name: string, at: Date) => Promise<unknown>,
  log: (line: Record<string, unknown>) => void,
  schedules: readonly ScheduleDef[] = defaults,
): (() => void) => {
  const timers = new Map<string, NodeJS.Timeout>();
  const arm = (name: string, cron: string, after: Date) => {
    const at = nextFire(cron, after);
    if (!at) return;
    const delay = at.getTime() - Date.now();
    const timer =
      delay > MAX_DELAY
        ? setTimeout(() => arm(name, cron, after), MAX_DELAY)
        : setTimeout(
            () => {
              runJob(name, at)
                .then((result) => log({ level: 'INFO', message: 'schedule fired', name, at: at.toISOString(), result }))
                .catch((error) => log({ level: 'ERROR', message: 'schedule failed', name, error: String(error) }))
                .finally(() => arm(name, cron, at));
            },
            Math.max(0, delay),
          );
    timer.unref();
    timers.set(name, timer);
  };
  for (const s of schedules) arm(s.name, s.cron, new Date());
  return () => {
    for (const timer of timers.values()) clearTimeout(timer);
    timers.clear();
  };
};
