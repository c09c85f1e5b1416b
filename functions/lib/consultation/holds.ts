import { GetCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import type { BookingInput } from '../../../shared/consultation.ts';
import { keys } from '../../../shared/keys.ts';
import { bookingCodeSms } from '../../../shared/messages/outgoing.ts';
import { AppError, ConflictError, NotFoundError } from '../http/errors.ts';
import { hit, type Limit, refusal } from '../http/rate-limit.ts';
import { codeTextPut, newSmsCode, putChallenge, spendChallenge } from '../messaging/sms-code.ts';
import { db, fromItem, tableName } from '../store/table.ts';
import { transact } from '../store/transact.ts';
import { bookerContent, bookerMessagePut } from './booker-messages.ts';
import {
  type Booking,
  bookedBySameMobile,
  bookingLimits,
  bookingWrites,
  getBooking,
  newBookingCode,
  type Personal,
  personalExpiresAt,
  releaseExpiredHolds,
  releaseHold,
  slotToBook,
} from './bookings.ts';
import { type Day, getDay, type Slot } from './days.ts';

/**
 * An anonymous booking is a hold first (issue 16): `POST …/bookings` takes a seat (or notes a
 * waitlist wish) for HOLD_SECONDS and sends a six-digit code by SMS to the mobile the booker gave;
 * `verify` with that code turns it into a confirmed (or waitlisted) booking, takes the USCC's
 * one-per-day guard and records the booker's confirmation (e-mail and SMS) in the same transaction.
 * So nothing reaches an e-mail address before its booker proved the mobile, a stranger's hold on
 * another firm's USCC never becomes that firm's booking, and ALREADY_BOOKED is only told after the
 * code proved the mobile of the booking it names. A hold that ends unverified gives its seat back:
 * on the next booking that finds the slot full, on its own verify, and by the `bookings` job's sweep.
 */

/** The hold's answer: the booking as it now is and the slot it holds. */
export interface Held {
  booking: Booking;
  personal: Personal;
  day: Day;
  slot: Slot;
}

export class HoldEndedError extends AppError {
  constructor() {
    super(409, 'HOLD_EXPIRED', 'The seat was held for 10 minutes and has been released; please book again');
  }
}

/** Codes asked again for one booking's mobile: on top of the booking's own limits. */
const RESEND_LIMIT: Limit = {
  name: 'booking-code-mobile',
  max: 5,
  windowSeconds: 3600,
  message: 'Too many codes asked for this mobile number; please try again later',
};

const personalOf = (input: BookingInput): Personal => ({
  contactName: input.contactName,
  mobile: input.mobile,
  email: input.email ?? null,
  question: input.question,
});

/** Holds a seat (or a waitlist place, on request, when the slot is full) for an anonymous booker. */
export const holdSeat = async (dayId: string, input: BookingInput, now: Date, reads = 0): Promise<Held> => {
  const again = () => holdSeat(dayId, input, now, reads + 1);
  const open = await slotToBook(dayId, input, now, reads);
  if (!open) return again();
  const { day, slot } = open;
  const code = newBookingCode();
  const sms = newSmsCode();
  const attempt = async (seat: boolean) => {
    const { booking, items } = bookingWrites({ code, day, slot, input, status: 'pending', seat, sms, now });
    return { result: await transact(items), booking };
  };
  let { result, booking } = await attempt(true);
  if (!result.ok && result.failed.length === 1 && result.failed[0] === 1) {
    if (reads < 3 && (await releaseExpiredHolds(dayId, { ...slot, held: Math.max(1, slot.held ?? 0) }, now)) > 0) {
      return again();
    }
    if (input.waitlist) ({ result, booking } = await attempt(false));
  }
  if (!result.ok) {
    if (result.failed.includes(0)) {
      if (reads < 2) return again();
      throw new ConflictError('BOOKING_CLOSED', 'Booking for this day is closed');
    }
    if (result.failed.includes(1)) throw new ConflictError('SLOT_FULL', 'This slot is full');
    throw new Error('Booking code collision');
  }
  const taken = booking.seat ? { confirmed: slot.confirmed + 1, held: (slot.held ?? 0) + 1 } : {};
  return { booking, personal: personalOf(input), day, slot: { ...slot, ...taken } };
};

const dayAndSlot = async (booking: Booking) => {
  const found = await getDay(booking.dayId);
  const slot = found?.slots.find((s) => s.slotId === booking.slotId);
  if (!found || !slot) throw new NotFoundError('No such booking');
  return { day: found.day, slot };
};

/** A pending booking as a reader should see it: a hold whose time is up is over, released or not. */
export const holdEnded = (booking: Booking, now: Date): boolean =>
  booking.status === 'pending' && (booking.holdUntil ?? '') <= now.toISOString();

/**
 * Verifies a hold with the SMS code: confirmed (its seat), or waitlisted (its wish), with the guard
 * and the booker's message in one transaction. A verified booking verified again answers as it is.
 */
export const verifyHold = async (code: string, smsCode: string, now: Date): Promise<Held> => {
  const found = await getBooking(code);
  if (!found?.personal) throw new NotFoundError('No such booking');
  const { booking, personal } = found;
  if (booking.status !== 'pending') {
    if (booking.status === 'expired') throw new HoldEndedError();
    return { booking, personal, ...(await dayAndSlot(booking)) };
  }
  if (holdEnded(booking, now)) {
    await releaseHold(booking, now);
    throw new HoldEndedError();
  }
  await spendChallenge(keys.bookingSmsCode(code), smsCode, now);
  const { day, slot } = await dayAndSlot(booking);
  const status = booking.seat ? 'confirmed' : 'waitlisted';
  const after: Booking = { ...booking, status, version: booking.version + 1 };
  delete after.holdUntil;
  delete after.seat;
  const TableName = tableName();
  const result = await transact([
    {
      ConditionCheck: {
        TableName,
        Key: keys.day(booking.dayId),
        ConditionExpression: '#status = :open',
        ExpressionAttributeNames: { '#status': 'status' },
        ExpressionAttributeValues: { ':open': 'open' },
      },
    },
    {
      Update: {
        TableName,
        Key: keys.booking(code),
        UpdateExpression:
          'SET #status = :status, verifiedAt = :now, version = version + :one, scopePk = :scopePk, scopeSk = :scopeSk REMOVE holdUntil, seat',
        ConditionExpression: '#status = :pending AND holdUntil > :now',
        ExpressionAttributeNames: { '#status': 'status' },
        ExpressionAttributeValues: {
          ':status': status,
          ':pending': 'pending',
          ':now': now.toISOString(),
          ':one': 1,
          ...Object.fromEntries(
            Object.entries(keys.bookingOfFirm(booking.uscc, booking.startsAt, code)).map(([k, v]) => [`:${k}`, v]),
          ),
        },
      },
    },
    {
      Update: {
        TableName,
        Key: keys.slot(booking.dayId, booking.slotId),
        UpdateExpression: booking.seat ? 'SET held = held - :one' : 'SET waitlisted = waitlisted + :one',
        ExpressionAttributeValues: { ':one': 1 },
      },
    },
    {
      Put: {
        TableName,
        Item: { ...keys.usccGuard(booking.dayId, booking.uscc), type: 'usccGuard', code },
        ConditionExpression: 'attribute_not_exists(pk)',
      },
    },
    bookerMessagePut(
      {
        code,
        kind: status,
        email: personal.email,
        mobile: personal.mobile,
        jurisdiction: day.jurisdiction,
        content: bookerContent(status, after, day, slot),
        expiresAt: personalExpiresAt(day.date),
      },
      now,
    ),
  ]);
  if (result.ok) {
    const seats = booking.seat ? { held: (slot.held ?? 1) - 1 } : { waitlisted: slot.waitlisted + 1 };
    return { booking: after, personal, day, slot: { ...slot, ...seats } };
  }
  if (result.failed.includes(1)) {
    // Verified by another request a moment ago, or its time ran out meanwhile.
    const now2 = await getBooking(code);
    if (now2 && now2.booking.status !== 'pending' && now2.booking.status !== 'expired') {
      return { booking: now2.booking, personal, day, slot };
    }
    await releaseHold(booking, now);
    throw new HoldEndedError();
  }
  // The day closed, or the firm already holds a booking that day: the hold gives its seat back.
  await releaseHold(booking, now, true);
  if (result.failed.includes(0)) throw new ConflictError('BOOKING_CLOSED', 'Booking for this day is closed');
  // The code proved this mobile: its own booking of that day may be named; anyone else's may not.
  if (await bookedBySameMobile(booking.dayId, { uscc: booking.uscc, mobile: personal.mobile })) {
    throw new ConflictError('ALREADY_BOOKED', 'This enterprise already holds a booking for this day');
  }
  throw refusal(bookingLimits.perUscc, now);
};

/** A new code for a pending booking's hold (not within 60 s of the last), by SMS to its mobile. */
export const resendHoldCode = async (code: string, now: Date): Promise<void> => {
  const found = await getBooking(code);
  if (!found?.personal) throw new NotFoundError('No such booking');
  const { booking, personal } = found;
  if (booking.status !== 'pending' || holdEnded(booking, now)) {
    if (booking.status === 'pending' || booking.status === 'expired') throw new HoldEndedError();
    throw new ConflictError('INVALID_TRANSITION', 'This booking is verified already');
  }
  await hit(RESEND_LIMIT, personal.mobile, now);
  const { day } = await dayAndSlot(booking);
  const sms = newSmsCode();
  const text = bookingCodeSms(sms.code);
  await putChallenge({
    key: keys.bookingSmsCode(code),
    type: 'bookingSmsCode',
    challengeId: sms.challengeId,
    code: sms.code,
    now,
    with: [
      codeTextPut(
        { about: `booking:${code}`, kind: 'hold-code', challengeId: sms.challengeId, jurisdiction: day.jurisdiction },
        text,
        personal.mobile,
        now,
      ),
    ],
  });
};

/**
 * The `bookings` job's sweep: every hold that ended gives its seat back (Query on byScope `HOLDS`
 * up to now; never a Scan). Idempotent: a hold released by a booking meanwhile is skipped.
 */
export const sweepEndedHolds = async (now: Date, deadline: number): Promise<number> => {
  let released = 0;
  let cursor: Record<string, unknown> | undefined;
  do {
    const out = await db().send(
      new QueryCommand({
        TableName: tableName(),
        IndexName: 'byScope',
        KeyConditionExpression: 'scopePk = :p AND scopeSk < :now',
        ExpressionAttributeValues: { ':p': keys.holdsPk(), ':now': now.toISOString() },
        ExclusiveStartKey: cursor,
        Limit: 100,
      }),
    );
    for (const item of out.Items ?? []) {
      if (Date.now() >= deadline) return released;
      // The index may lag the table: the booking itself is read before it is released.
      const fresh = await db().send(
        new GetCommand({ TableName: tableName(), Key: keys.booking(String(item.code)), ConsistentRead: true }),
      );
      if (!fresh.Item) continue;
      if (await releaseHold(fromItem<Booking>(fresh.Item), now)) released++;
    }
    cursor = out.LastEvaluatedKey;
  } while (cursor && Date.now() < deadline);
  return released;
};
