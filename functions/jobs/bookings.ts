import { functions } from '../../shared/functions.ts';
import type { JobEvent } from '../../shared/schedules.ts';
import { continueCancellation, daysBeingCancelled } from '../lib/consultation/day-cancellation.ts';
import { daysWithChangeNotice, tellBookersOfChange } from '../lib/consultation/day-edit.ts';
import { resumeDayMessages } from '../lib/consultation/day-messages.ts';
import { sweepEndedHolds } from '../lib/consultation/holds.ts';
import { logger } from '../lib/http/log.ts';
import { newRun } from '../lib/messaging/deliveries.ts';
import { deliverDueDigests } from '../lib/messaging/nudge-digests.ts';
import { sweepMessages } from '../lib/messaging/outgoing.ts';

/**
 * Every few minutes: goes on with every day cancellation still under way (a request that stopped
 * part-way, rule 12), then sweeps the outgoing messages still due (outgoing.ts): a failed delivery
 * whose retry time came, or a message whose triggered delivery stopped part-way. Fresh messages are
 * the deliveries function's, woken by the table's stream. Both are idempotent, so a run repeated,
 * or two at once, cancels nothing twice and sends nothing twice (deliveries.ts claims each
 * message's round before sending). The wall clock bounds the run, well inside the function's
 * timeout; what is left is the next run's.
 */
export const bookings = async (_event: JobEvent, now: Date) => {
  const deadline = Date.now() + (functions.jobs.timeoutSeconds - 60) * 1000;
  const days = await daysBeingCancelled();
  let cancelled = 0;
  for (const dayId of days) {
    if (Date.now() >= deadline) break;
    try {
      cancelled += (await continueCancellation(dayId, now, deadline)).cancelledNow;
    } catch (error) {
      // One day's trouble (e.g. a booking that keeps changing) must not hold up the others.
      logger.error('day cancellation failed', { dayId, error: error as Error });
    }
  }
  // Edits of a venue or link whose bookers' messages a request did not finish recording.
  let changed = 0;
  for (const dayId of await daysWithChangeNotice()) {
    if (Date.now() >= deadline) break;
    changed += await tellBookersOfChange(dayId).catch((error: unknown) => {
      logger.error('change notice failed', { dayId, error: error as Error });
      return 0;
    });
  }
  // A lead's messages to a day's bookers whose request stopped part-way (day-messages.ts).
  const noticed = await resumeDayMessages(deadline).catch((error: unknown) => {
    logger.error('day message failed', { error: error as Error });
    return 0;
  });
  // Holds whose 10 minutes ended unverified give their seats back (and the waitlist moves up).
  const holdsReleased = await sweepEndedHolds(now, deadline).catch((error: unknown) => {
    logger.error('hold sweep failed', { error: error as Error });
    return 0;
  });
  const run = newRun();
  const delivered = await sweepMessages(run, deadline);
  // The later rounds of the `missed` run's digests (a robot that refused, a post left for want of a
  // pacing slot): this job runs every few minutes, so they need no schedule of their own.
  const digests = await deliverDueDigests(run, deadline);
  return {
    days: days.length,
    cancelled,
    changed,
    noticed,
    holdsReleased,
    ...delivered,
    digests: digests.digests,
    digestsSent: digests.emailsSent + digests.robotPostsSent,
    digestsFailed: digests.failed,
  };
};
