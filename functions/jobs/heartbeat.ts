import type { JobEvent } from '../../shared/schedules.ts';
import { recordJobRun } from '../lib/messaging/job-runs.ts';

/** Records that the scheduler fired, once per scheduled time; /api/health shows the latest. */
export const heartbeat = async (event: JobEvent, now: Date) => {
  const created = await recordJobRun({
    job: event.job,
    scheduledTime: event.scheduledTime,
    startedAt: now.toISOString(),
  });
  return { created };
};
