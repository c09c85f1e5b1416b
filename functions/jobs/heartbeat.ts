import { METRIC } from '../../shared/metrics.ts';
import type { JobEvent } from '../../shared/schedules.ts';
import { countMetric } from '../lib/http/metrics.ts';
import { recordJobRun } from '../lib/messaging/job-runs.ts';

/**
 * Records that the scheduler fired, once per scheduled time; /api/health shows the latest. Every
 * run also counts a heartbeat metric: an alarm fires when none arrives for two hours (scheduler,
 * jobs function or its table access broken), since a failure that sends nothing is otherwise silent.
 */
export const heartbeat = async (event: JobEvent, now: Date) => {
  const created = await recordJobRun({
    job: event.job,
    scheduledTime: event.scheduledTime,
    startedAt: now.toISOString(),
  });
  await countMetric(METRIC.heartbeat);
  return { created };
};
