import middy from '@middy/core';
import * as z from 'zod/mini';
import { schedules } from '../../shared/schedules.ts';
import { logger } from '../lib/http/log.ts';
import { bookingReminders } from './booking-reminders.ts';
import { bookings } from './bookings.ts';
import { heartbeat } from './heartbeat.ts';
import { leaderMissed, leaderReminder } from './leader-missed.ts';
import { ledgerDigest, overdue } from './ledger-overdue.ts';
import { missed, reminder } from './nudges.ts';
import { warningDigest } from './warning-digest.ts';

/** Scheduler's payload (shared/schedules.ts `jobPayload`); attemptNumber arrives as a string. */
const jobEvent = z.object({
  job: z.string(),
  scheduledTime: z.iso.datetime({ offset: true }),
  executionId: z.string().check(z.minLength(1)),
  attemptNumber: z.coerce.number().check(z.int(), z.minimum(0)),
});

const jobs = {
  heartbeat,
  reminder,
  missed,
  'leader-reminder': leaderReminder,
  'leader-missed': leaderMissed,
  overdue,
  'ledger-digest': ledgerDigest,
  'warning-digest': warningDigest,
  bookings,
  'booking-reminders': bookingReminders,
} satisfies Record<string, (event: z.output<typeof jobEvent>, now: Date) => Promise<unknown>>;

const missing = schedules.filter((s) => s.fn === 'jobs' && !(s.name in jobs));
if (missing.length > 0) throw new Error(`No job handler for ${missing.map((s) => s.name)}`);

/**
 * The job's "now" is the scheduled time from its event, never the wall clock,
 * so a re-run for a past slot gives the same result.
 */
const run = async (raw: unknown) => {
  const event = jobEvent.parse(raw);
  const job = jobs[event.job as keyof typeof jobs];
  if (!job) throw new Error(`Unknown job ${event.job}`);
  logger.resetKeys();
  logger.appendKeys({ job: event.job, scheduledTime: event.scheduledTime, executionId: event.executionId });
  const result = await job(event, new Date(event.scheduledTime));
  logger.info('job done', { result });
  return { job: event.job, scheduledTime: event.scheduledTime, result };
};

export const handler = middy(run);
