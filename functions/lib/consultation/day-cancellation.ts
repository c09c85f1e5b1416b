import { QueryCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { ACTIVE_STATUSES } from '../../../shared/consultation.ts';
import { keys } from '../../../shared/keys.ts';
import { ConflictError, NotFoundError } from '../http/errors.ts';
import type { Identity } from '../http/identity.ts';
import { auditPut } from '../store/audit.ts';
import { db, fromItem, queryAll, tableName } from '../store/table.ts';
import { transact } from '../store/transact.ts';
import { bookerContent, bookerMessagePut } from './booker-messages.ts';
import {
  type Booking,
  bookingCancelWrites,
  getBooking,
  listBookings,
  type Personal,
  personalExpiresAt,
} from './bookings.ts';
import type { Day, Slot } from './days.ts';

/**
 * A day's cancellation (rule 12: resumable; rule 11: nothing sent inside the request).
 *
 * 1. The first request records the day `cancelling` with its reason, at the version the caller saw,
 *    with its audit event, in one transaction. From then on the day takes no booking and promotes
 *    no one, and it is listed (byScope `DAYSCANCELLING`) for the `bookings` job to resume.
 * 2. Each active booking is then cancelled in a transaction of its own: status, the USCC guard, the
 *    slot's counter, and the booker's message, recorded once per booking (its key is the booking's
 *    and the kind), to be delivered by the `bookings` job's rounds.
 * 3. The day becomes `cancelled` once its slots, read consistently, hold no confirmed or waitlisted
 *    booking: the counters move in the bookings' own transactions, so they are the truth, where
 *    the list of a day's bookings (an index) may lag.
 *
 * A crash between any two steps leaves a `cancelling` day; a repeated request, or the job, goes on
 * from the bookings still active. A booking is cancelled and its message recorded together or not
 * at all, so each booker is told exactly once, however often the work is resumed.
 */
export interface Progress {
  readonly day: Day;
  readonly slots: Slot[];
  /** Bookings cancelled by this call. */
  readonly cancelledNow: number;
  /** Whether the day is `cancelled` (else still `cancelling`: call again, or leave it to the job). */
  readonly done: boolean;
}

/** Records the day `cancelling` at `version`; false when the day changed (or another request began first). */
const begin = async (day: Day, reason: string, version: number, identity: Identity, now: Date) => {
  const result = await transact([
    {
      Update: {
        TableName: tableName(),
        Key: keys.day(day.dayId),
        UpdateExpression:
          'SET #status = :cancelling, cancelReason = :reason, version = version + :one, scopePk = :scopePk, scopeSk = :scopeSk',
        ConditionExpression: 'version = :version AND #status = :open',
        ExpressionAttributeNames: { '#status': 'status' },
        ExpressionAttributeValues: {
          ':cancelling': 'cancelling',
          ':open': 'open',
          ':reason': reason,
          ':version': version,
          ':one': 1,
          ':scopePk': keys.dayCancelling(day.jurisdiction, day.dayId).scopePk,
          ':scopeSk': keys.dayCancelling(day.jurisdiction, day.dayId).scopeSk,
        },
      },
    },
    auditPut(
      identity,
      {
        entity: `day:${day.dayId}`,
        jurisdiction: day.jurisdiction,
        action: 'day.cancel',
        before: day,
        after: { status: 'cancelling', reason },
      },
      now.toISOString(),
    ),
  ]);
  return result.ok;
};

/**
 * Cancels one booking of a cancelling day with its booker's message, in one transaction; answers
 * whether this call cancelled it (false: cancelled meanwhile, by its booker or another resume).
 */
const cancelOne = async (known: Booking, personal: Personal | null, day: Day, slots: Slot[], now: Date) => {
  let booking: Booking | undefined = known;
  for (let tries = 0; tries < 5 && booking; tries++) {
    if (!ACTIVE_STATUSES.includes(booking.status)) return false;
    const slot = slots.find((s) => s.slotId === booking?.slotId);
    if (!slot) throw new Error(`Booking ${booking.code} names no slot of its day`);
    const cancelled: Booking = { ...booking, status: 'cancelled', version: booking.version + 1 };
    const result = await transact([
      ...bookingCancelWrites(booking, now),
      bookerMessagePut(
        {
          code: booking.code,
          kind: 'dayCancelled',
          email: personal?.email ?? null,
          mobile: personal?.mobile ?? null,
          jurisdiction: day.jurisdiction,
          content: bookerContent('dayCancelled', cancelled, day, slot, day.cancelReason),
          expiresAt: personalExpiresAt(day.date),
        },
        now,
      ),
    ]);
    if (result.ok) return true;
    // Changed meanwhile (its booker cancelled it, a resume got there first): read it again.
    booking = (await getBooking(booking.code))?.booking;
  }
  if (booking && ACTIVE_STATUSES.includes(booking.status)) {
    throw new ConflictError('VERSION_CONFLICT', 'A booking kept changing while the day was cancelled; try again');
  }
  return false;
};

/** The day and its slots read consistently (a request reads what it, or the request before it, just wrote). */
const readDay = async (dayId: string): Promise<{ day: Day; slots: Slot[] } | undefined> => {
  const out = await db().send(
    new QueryCommand({
      TableName: tableName(),
      KeyConditionExpression: 'pk = :pk',
      ExpressionAttributeValues: { ':pk': keys.dayPartition(dayId).pk },
      ConsistentRead: true,
    }),
  );
  const items = out.Items ?? [];
  const day = items.find((i) => i.sk === 'DAY');
  if (!day) return undefined;
  const slots = items.filter((i) => String(i.sk).startsWith('SLOT#')).map((i) => fromItem<Slot>(i));
  slots.sort((a, b) => a.startsAt.localeCompare(b.startsAt));
  return { day: fromItem<Day>(day), slots };
};

/**
 * No seat or waitlist place left in any slot but those of bookings already marked attended or
 * no-show (they keep their seat): every active booking of the day is cancelled. `kept` counts
 * those marked bookings per slot, as the list of the day's bookings showed them; a booking that
 * list does not show yet is one just made, active, and holds a seat this check still sees.
 */
const slotsEmpty = async (dayId: string, kept: ReadonlyMap<string, number>) =>
  ((await readDay(dayId))?.slots ?? []).every((s) => s.confirmed - (kept.get(s.slotId) ?? 0) <= 0 && s.waitlisted <= 0);

const finish = async (dayId: string) => {
  await db().send(
    new UpdateCommand({
      TableName: tableName(),
      Key: keys.day(dayId),
      UpdateExpression: 'SET #status = :cancelled REMOVE scopePk, scopeSk',
      ConditionExpression: '#status IN (:cancelling, :cancelled)',
      ExpressionAttributeNames: { '#status': 'status' },
      ExpressionAttributeValues: { ':cancelled': 'cancelled', ':cancelling': 'cancelling' },
    }),
  );
};

/**
 * Goes on with the cancellation of a `cancelling` day until it is `cancelled` or `deadline` (epoch
 * ms) passes. A day already `cancelled` answers as it is.
 */
export const continueCancellation = async (dayId: string, now: Date, deadline: number): Promise<Progress> => {
  const found = await readDay(dayId);
  if (!found) throw new NotFoundError();
  const { day, slots } = found;
  if (day.status === 'cancelled') return { day, slots, cancelledNow: 0, done: true };
  if (day.status !== 'cancelling') throw new ConflictError('INVALID_TRANSITION', 'The day is not being cancelled');
  let cancelledNow = 0;
  // The answer shows the slots as they now are.
  const progress = async (done: boolean): Promise<Progress> => ({
    day: { ...day, status: done ? 'cancelled' : 'cancelling' },
    slots: (await readDay(dayId))?.slots ?? slots,
    cancelledNow,
    done,
  });
  // A few passes: the list of a day's bookings is an index and may lag a booking just made.
  for (let pass = 0; pass < 3; pass++) {
    let cursor: Record<string, unknown> | undefined;
    const kept = new Map<string, number>();
    do {
      if (Date.now() >= deadline) return await progress(false);
      const page = await listBookings(dayId, 100, cursor);
      for (const { personal, ...booking } of page.items) {
        if (booking.status === 'attended' || booking.status === 'no_show') {
          kept.set(booking.slotId, (kept.get(booking.slotId) ?? 0) + 1);
        }
        if (!ACTIVE_STATUSES.includes(booking.status)) continue;
        if (await cancelOne(booking, personal, day, slots, now)) cancelledNow++;
        if (Date.now() >= deadline) return await progress(false);
      }
      cursor = page.next;
    } while (cursor);
    if (await slotsEmpty(dayId, kept)) {
      await finish(dayId);
      return await progress(true);
    }
    await new Promise((r) => setTimeout(r, 200 * (pass + 1)));
  }
  return await progress(false);
};

/**
 * POST …/cancel: begins the cancellation at `version` (a stale one gets 409 VERSION_CONFLICT), or,
 * when the day is `cancelling` already, goes on with it whatever version is sent (a retry of the
 * same request carries the version it read before the first attempt bumped it); a `cancelled` day
 * answers as it is. The reason recorded first is the one every booker is told.
 */
export const cancelDay = async (
  dayId: string,
  reason: string,
  version: number,
  identity: Identity,
  now: Date,
  deadline: number,
): Promise<Progress> => {
  const found = await readDay(dayId);
  if (!found) throw new NotFoundError();
  if (found.day.status === 'open' && !(await begin(found.day, reason, version, identity, now))) {
    const again = await readDay(dayId);
    if (again?.day.status === 'open') {
      throw new ConflictError('VERSION_CONFLICT', 'The day changed meanwhile; reload it');
    }
  }
  return continueCancellation(dayId, now, deadline);
};

/** The days whose cancellation is under way (for the `bookings` job), oldest first within a jurisdiction. */
export const daysBeingCancelled = async (): Promise<string[]> =>
  (
    await queryAll({
      IndexName: 'byScope',
      KeyConditionExpression: 'scopePk = :p',
      ExpressionAttributeValues: { ':p': keys.daysCancellingPk() },
    })
  ).map((i) => String(i.dayId));
