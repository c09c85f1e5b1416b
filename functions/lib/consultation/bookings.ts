import { randomInt } from 'node:crypto';
import { GetCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { CODE_ALPHABET, CODE_LENGTH } from '../../../shared/booking-code.ts';
import { ACTIVE_STATUSES, type BookingInput, type BookingStatus } from '../../../shared/consultation.ts';
import { keys } from '../../../shared/keys.ts';
import { bookingCodeSms } from '../../../shared/messages/outgoing.ts';
import { fromShanghai, shanghaiDate, toShanghaiIso } from '../../../shared/time.ts';
import { ConflictError, NotFoundError, ValidationError } from '../http/errors.ts';
import type { Identity } from '../http/identity.ts';
import type { Limit } from '../http/rate-limit.ts';
import { challengePut, codeTextPut } from '../messaging/sms-code.ts';
import { auditPut } from '../store/audit.ts';
import { batchGet, db, fromItem, queryPartition, tableName } from '../store/table.ts';
import { transact } from '../store/transact.ts';
import { bookerContent, bookerMessagePut } from './booker-messages.ts';
import { readDayForBooking } from './day-cache.ts';
import { type Day, getDay, isClosed, type Slot } from './days.ts';

/** Bookings of a consultation day's slots and their personal data, in the single table (see shared/table.md). */
export interface Booking {
  code: string;
  dayId: string;
  slotId: string;
  /** The slot's start (UTC ISO): the booking's place on the firm's timeline. */
  startsAt: string;
  uscc: string;
  companyName: string;
  topic: string;
  status: BookingStatus;
  createdAt: string;
  outcome: string | null;
  version: number;
  /** A pending booking's hold: until when (UTC ISO) its seat waits for the SMS code. */
  holdUntil?: string;
  /** A pending booking holds a seat (true) or a waitlist place to take at verification (false). */
  seat?: boolean;
  /** How often it was moved to another slot (reschedule.ts caps it at MAX_MOVES). */
  moves?: number;
}

export interface Personal {
  contactName: string;
  mobile: string;
  email: string | null;
  question: string;
}

/** Days after the consultation day when a booking's personal data expires (TTL). */
export const personalDataDays = (): number => Number(process.env.BOOKING_PII_DAYS ?? 180);

export const newBookingCode = (): string =>
  Array.from({ length: CODE_LENGTH }, () => CODE_ALPHABET[randomInt(CODE_ALPHABET.length)]).join('');

/** When a booking's personal data (and a message holding its address) expires: epoch seconds. */
export const personalExpiresAt = (date: string): number => {
  const dayEnd = fromShanghai(...(date.split('-').map(Number) as [number, number, number]), 24).getTime();
  return Math.floor(dayEnd / 1000) + personalDataDays() * 86_400;
};

/**
 * The public booking's limits (rule 13), counted per attempt before anything else is read.
 * - per mobile, 5 an hour: a person books for a firm or two, and a typo or two gets through; a
 *   script cycling one number (each booking mails whatever address it gives) stops at the sixth.
 * - per USCC, 10 a calendar day: one seat per firm per day, with room for a cancel and rebook or a
 *   change of slot; a stranger probing one firm stops at the eleventh.
 * Both refuse with the same 429 RATE_LIMITED and message, which is also what a stranger gets for a
 * firm someone else has booked (`book`): "refused for now" never says which it was.
 * Flooding from many numbers and firms is for the edge: the WAF's per-address rule (infra/stacks/waf.ts).
 */
const BOOKING_REFUSED = 'Too many booking requests for this enterprise or mobile number; please try again later';
export const bookingLimits = {
  perMobile: { name: 'booking-mobile', max: 5, windowSeconds: 3600, message: BOOKING_REFUSED },
  perUscc: { name: 'booking-uscc', max: 10, windowSeconds: 86_400, message: BOOKING_REFUSED },
} as const satisfies Record<string, Limit>;

/**
 * Whether this request's mobile is the contact mobile of the USCC's active booking that day: only
 * then may the answer say ALREADY_BOOKED (the booker knows its own booking; a stranger must not
 * learn that a firm booked). Read consistently: the guard may have been written a moment ago.
 */
export const bookedBySameMobile = async (dayId: string, input: { uscc: string; mobile: string }): Promise<boolean> => {
  const guard = await db().send(
    new GetCommand({ TableName: tableName(), Key: keys.usccGuard(dayId, input.uscc), ConsistentRead: true }),
  );
  if (!guard.Item) return false;
  const personal = await db().send(
    new GetCommand({
      TableName: tableName(),
      Key: keys.bookingPersonal(String(guard.Item.code)),
      ConsistentRead: true,
    }),
  );
  return personal.Item?.mobile === input.mobile;
};

/** How long an anonymous booking holds its seat for the booker to type the SMS code. */
export const HOLD_SECONDS = 10 * 60;

/**
 * The one transaction that makes a booking, in this order (`book` maps failed conditions by index):
 * 0 the day still open and unchanged since read, 1 the slot's counter (a seat while one is free, or a
 * waitlist place), 2 the USCC's hold on the day, 3 the booking, 4 its personal data, 5 the booker's
 * message (rule 11: recorded with the booking, never sent from the request). Exported for the bench,
 * whose storage floor sends these same writes straight to the table.
 *
 * A `pending` booking (an anonymous booker's hold, holds.ts) takes its seat the same way (counted in
 * `confirmed`, and in `held` until verified or released, so capacity counts holds), but not the
 * USCC's guard: its place 2 is the SMS code's challenge, and its message 5 is the code, by SMS to
 * the mobile it gave and nowhere else (no e-mail before the mobile is proved). `sms` is that code.
 */
export const bookingWrites = (args: {
  code: string;
  day: Day;
  slot: Slot;
  input: BookingInput;
  status: 'confirmed' | 'waitlisted' | 'pending';
  /** For `pending`: whether it holds a seat (else a waitlist place, taken at verification). */
  seat?: boolean;
  sms?: { code: string; challengeId: string };
  now: Date;
}) => {
  const { code, day, slot, input, status, now } = args;
  const pending = status === 'pending';
  const seat = pending ? args.seat !== false : status === 'confirmed';
  const holdUntil = new Date(now.getTime() + HOLD_SECONDS * 1000).toISOString();
  const { dayId } = day;
  const TableName = tableName();
  const createdAt = now.toISOString();
  const booking: Booking = {
    code,
    dayId,
    slotId: slot.slotId,
    startsAt: new Date(slot.startsAt).toISOString(),
    uscc: input.uscc,
    companyName: input.companyName,
    topic: input.topic,
    status,
    createdAt,
    outcome: null,
    version: 1,
    ...(pending ? { holdUntil, seat } : {}),
  };
  const expiresAt = personalExpiresAt(day.date);
  const sms = args.sms ?? { code: '', challengeId: '' };
  const codeText = bookingCodeSms(sms.code);
  const message = pending
    ? codeTextPut(
        { about: `booking:${code}`, kind: 'hold-code', challengeId: sms.challengeId, jurisdiction: day.jurisdiction },
        codeText,
        input.mobile,
        now,
      )
    : bookerMessagePut(
        {
          code,
          kind: status,
          email: input.email ?? null,
          mobile: input.mobile,
          jurisdiction: day.jurisdiction,
          content: bookerContent(status, booking, day, slot),
          expiresAt,
        },
        now,
      );
  const items = [
    {
      ConditionCheck: {
        TableName,
        Key: keys.day(dayId),
        ConditionExpression: '#status = :open AND bookingClosesAt > :now AND version = :version',
        ExpressionAttributeNames: { '#status': 'status' },
        ExpressionAttributeValues: { ':open': 'open', ':now': toShanghaiIso(now), ':version': day.version },
      },
    },
    seat
      ? {
          Update: {
            TableName,
            Key: keys.slot(dayId, slot.slotId),
            UpdateExpression: pending
              ? 'SET confirmed = confirmed + :one, held = if_not_exists(held, :zero) + :one'
              : 'SET confirmed = confirmed + :one',
            ConditionExpression: 'confirmed < #capacity',
            ExpressionAttributeNames: { '#capacity': 'capacity' },
            ExpressionAttributeValues: pending ? { ':one': 1, ':zero': 0 } : { ':one': 1 },
          },
        }
      : pending
        ? {
            // A waitlist place is taken at verification; the slot need only exist.
            ConditionCheck: {
              TableName,
              Key: keys.slot(dayId, slot.slotId),
              ConditionExpression: 'attribute_exists(pk)',
            },
          }
        : {
            Update: {
              TableName,
              Key: keys.slot(dayId, slot.slotId),
              UpdateExpression: 'SET waitlisted = waitlisted + :one',
              ExpressionAttributeValues: { ':one': 1 },
            },
          },
    pending
      ? challengePut({
          key: keys.bookingSmsCode(code),
          type: 'bookingSmsCode',
          challengeId: sms.challengeId,
          code: sms.code,
          now,
        })
      : {
          Put: {
            TableName,
            Item: { ...keys.usccGuard(dayId, input.uscc), type: 'usccGuard', code },
            ConditionExpression: 'attribute_not_exists(pk)',
          },
        },
    {
      Put: {
        TableName,
        Item: {
          ...keys.booking(code),
          ...keys.bookingOfDay(dayId, slot.slotId, createdAt, code),
          // A hold is found by the sweep; it becomes the firm's booking only once its mobile is proved.
          ...(pending ? keys.bookingHold(holdUntil, code) : keys.bookingOfFirm(input.uscc, booking.startsAt, code)),
          type: 'booking',
          ...booking,
        },
        ConditionExpression: 'attribute_not_exists(pk)',
      },
    },
    {
      Put: {
        TableName,
        Item: {
          ...keys.bookingPersonal(code),
          type: 'bookingPersonal',
          contactName: input.contactName,
          mobile: input.mobile,
          email: input.email ?? null,
          question: input.question,
          expiresAt,
        },
      },
    },
    message,
  ];
  return { booking, items };
};

/**
 * The day and slot a booking asks for, as far as a read can tell; undefined when the day must be read
 * again first (a cached read refused it, or ended holds were just given back in a full slot). A full
 * slot answers at once unless the booker waits for a seat; the transaction's condition is what
 * guarantees capacity, this only spares it. Shared by the firm's booking and the anonymous hold.
 */
export const slotToBook = async (
  dayId: string,
  input: { readonly slotId: string; readonly waitlist?: boolean | undefined },
  now: Date,
  reads: number,
): Promise<{ day: Day; slot: Slot } | undefined> => {
  const { found, cached } = await readDayForBooking(dayId, reads > 0);
  if (!found) throw new NotFoundError('No such consultation day');
  const { day } = found;
  const slot = found.slots.find((s) => s.slotId === input.slotId);
  if (!slot) {
    if (cached) return undefined;
    throw new ValidationError({ slotId: 'No such slot on this day' });
  }
  if (isClosed(day, now)) {
    if (cached) return undefined;
    throw new ConflictError('BOOKING_CLOSED', 'Booking for this day is closed');
  }
  if (slot.confirmed >= slot.capacity && !input.waitlist) {
    if (cached) return undefined;
    // Ended holds give their seats back first; a few rounds at most, then the slot is full.
    if (reads < 3 && (await releaseExpiredHolds(dayId, slot, now)) > 0) return undefined;
    throw new ConflictError('SLOT_FULL', 'This slot is full');
  }
  return { day, slot };
};

/**
 * Books a seat for a booker who has proved who it is (a signed-in firm: functions/firm/bookings.ts):
 * confirmed, or waitlisted on request. Anonymous bookers hold a seat first (holds.ts). The seat
 * count, the booking and the one-per-USCC-per-day guard are written in one transaction with
 * conditions (rule 1, rule 2): never check-then-write. What a recent read of the day answered is
 * read again before it is believed (`readDayForBooking`). Being the firm, it is told ALREADY_BOOKED.
 */
export const book = async (
  dayId: string,
  input: BookingInput,
  now: Date,
  reads = 0,
): Promise<{ booking: Booking; day: Day; slot: Slot }> => {
  // Once more from a fresh read of the day.
  const again = () => book(dayId, input, now, reads + 1);
  const open = await slotToBook(dayId, input, now, reads);
  if (!open) return again();
  const { day, slot } = open;

  const code = newBookingCode();
  const attempt = async (status: 'confirmed' | 'waitlisted') => {
    const { booking, items } = bookingWrites({ code, day, slot, input, status, now });
    const result = await transact(items);
    return { result, booking };
  };

  let { result, booking } = await attempt('confirmed');
  const only = (r: typeof result, index: number) => !r.ok && r.failed.length === 1 && r.failed[0] === index;
  if (only(result, 1) && input.waitlist) ({ result, booking } = await attempt('waitlisted'));
  if (!result.ok) {
    // The most telling reason first: closed (or changed since read: a fresh read tells which), then
    // already booked, then full.
    if (result.failed.includes(0)) {
      if (reads < 2) return again();
      throw new ConflictError('BOOKING_CLOSED', 'Booking for this day is closed');
    }
    if (result.failed.includes(2)) {
      throw new ConflictError('ALREADY_BOOKED', 'This enterprise already holds a booking for this day');
    }
    if (result.failed.includes(1)) throw new ConflictError('SLOT_FULL', 'This slot is full');
    throw new Error('Booking code collision');
  }
  const seats =
    booking.status === 'confirmed' ? { confirmed: slot.confirmed + 1 } : { waitlisted: slot.waitlisted + 1 };
  return { booking, day, slot: { ...slot, ...seats } };
};

/**
 * The writes that give back a pending booking's hold: the booking marked `expired` (while still
 * pending, and, unless `force`, only once its hold has ended), taken off the sweep's index and the
 * day's list, and its seat returned to the slot. Any caller may run them: the condition lets only one release count.
 */
export const holdReleaseWrites = (booking: Booking, now: Date, force = false) => {
  const TableName = tableName();
  return [
    {
      Update: {
        TableName,
        Key: keys.booking(booking.code),
        // Off the sweep's index, and off the day's list: a hold that never became a booking is not
        // one of the day's bookings (staff lists, exports, reminders), only a record its code can read.
        UpdateExpression:
          'SET #status = :expired, releasedAt = :now, version = version + :one REMOVE scopePk, scopeSk, parentPk, parentSk',
        ConditionExpression: force ? '#status = :pending' : '#status = :pending AND holdUntil <= :now',
        ExpressionAttributeNames: { '#status': 'status' },
        ExpressionAttributeValues: {
          ':expired': 'expired',
          ':pending': 'pending',
          ':now': now.toISOString(),
          ':one': 1,
        },
      },
    },
    ...(booking.seat
      ? [
          {
            Update: {
              TableName,
              Key: keys.slot(booking.dayId, booking.slotId),
              UpdateExpression: 'SET confirmed = confirmed - :one, held = held - :one',
              ExpressionAttributeValues: { ':one': 1 },
            },
          },
        ]
      : []),
  ];
};

/**
 * Releases one hold (see holdReleaseWrites); a freed seat goes to the slot's first waitlisted
 * booking. Answers whether this call released it.
 */
export const releaseHold = async (booking: Booking, now: Date, force = false): Promise<boolean> => {
  const result = await transact(holdReleaseWrites(booking, now, force));
  if (!result.ok) return false;
  if (booking.seat) await promoteWaitlisted(booking.dayId, booking.slotId);
  return true;
};

/**
 * Per slot (this container), a time before which none of its holds can have ended: the earliest end
 * of the holds a read found still running, or that read's time plus HOLD_SECONDS (a hold taken after
 * the read ends later). A crowd that finds a slot full (200 bookers for 10 seats) so reads the slot's
 * bookings once, not once each; the sweep is there for whatever a container never looks at again.
 */
const noHoldEndsBefore = new Map<string, { until: string; reading?: Promise<Booking[]> }>();

/** Gives back the ended holds of one slot (a booking finding it full); answers how many. */
export const releaseExpiredHolds = async (dayId: string, slot: Slot, now: Date): Promise<number> => {
  if (!slot.held) return 0;
  const key = `${dayId}#${slot.slotId}`;
  const known = noHoldEndsBefore.get(key);
  if (known && now.toISOString() < known.until) return 0;
  let reading = known?.reading;
  if (!reading) {
    reading = bookingsOfSlot(dayId, slot.slotId);
    noHoldEndsBefore.set(key, { until: known?.until ?? '', reading });
  }
  const bookings = await reading.finally(() => {
    if (noHoldEndsBefore.get(key)?.reading === reading) noHoldEndsBefore.delete(key);
  });
  const pending = bookings.filter((b) => b.status === 'pending' && b.holdUntil !== undefined);
  const ended = pending.filter((b) => (b.holdUntil as string) <= now.toISOString());
  const running = pending.map((b) => b.holdUntil as string).filter((t) => t > now.toISOString());
  const until = [new Date(now.getTime() + HOLD_SECONDS * 1000).toISOString(), ...running].sort()[0] as string;
  if (!noHoldEndsBefore.get(key)?.reading) noHoldEndsBefore.set(key, { until });
  let released = 0;
  for (const hold of ended) if (await releaseHold(hold, now)) released++;
  return released;
};

/** A booking and its personal data (undefined once expired). */
export const getBooking = async (
  code: string,
): Promise<{ booking: Booking; personal: Personal | undefined } | undefined> => {
  const items = await queryPartition(keys.booking(code).pk);
  const booking = items.find((i) => i.sk === 'BOOKING');
  if (!booking) return undefined;
  const personal = items.find((i) => i.sk === 'PII');
  return {
    booking: fromItem<Booking>(booking),
    personal: personal ? fromItem<Personal>(personal) : undefined,
  };
};

/**
 * The writes that cancel one active booking, conditional on the status it was read in: the booking
 * marked cancelled, its USCC's hold on the day released, its slot's counter decreased. A booker's
 * own cancel and a day's cancellation both use them, so both free a seat the same way.
 */
export const bookingCancelWrites = (booking: Booking, now: Date) => {
  const TableName = tableName();
  const counter = booking.status === 'confirmed' ? 'confirmed' : 'waitlisted';
  return [
    {
      Update: {
        TableName,
        Key: keys.booking(booking.code),
        UpdateExpression: 'SET #status = :cancelled, cancelledAt = :now, version = version + :one',
        ConditionExpression: '#status = :was',
        ExpressionAttributeNames: { '#status': 'status' },
        ExpressionAttributeValues: {
          ':cancelled': 'cancelled',
          ':was': booking.status,
          ':now': now.toISOString(),
          ':one': 1,
        },
      },
    },
    { Delete: { TableName, Key: keys.usccGuard(booking.dayId, booking.uscc) } },
    {
      Update: {
        TableName,
        Key: keys.slot(booking.dayId, booking.slotId),
        UpdateExpression: `SET ${counter} = ${counter} - :one`,
        ExpressionAttributeValues: { ':one': 1 },
      },
    },
  ];
};

/**
 * Cancels a booking (idempotent): the seat or waitlist place returns and the USCC guard goes,
 * in one transaction. Answers the booking as it now is, and whom the freed seat went to.
 */
export const cancelBooking = async (
  code: string,
  now: Date,
  options: {
    promote?: boolean;
    known?: Booking;
    /** The Put of the booker's message, recorded in the cancel's own transaction (rule 11). */
    message?: (cancelled: Booking) => ReturnType<typeof bookerMessagePut>;
  } = {},
): Promise<{ booking: Booking; promoted?: Booking }> => {
  for (let tries = 0; tries < 5; tries++) {
    // The caller's copy serves the first try; the transaction's condition catches it if stale.
    const booking = tries === 0 && options.known ? options.known : (await getBooking(code))?.booking;
    if (!booking) throw new NotFoundError('No such booking');
    if (booking.status === 'cancelled') return { booking };
    if (!ACTIVE_STATUSES.includes(booking.status)) {
      throw new ConflictError('INVALID_TRANSITION', `A booking marked ${booking.status} cannot be cancelled`);
    }
    const cancelled: Booking = { ...booking, status: 'cancelled', version: booking.version + 1 };
    const result = await transact([
      ...bookingCancelWrites(booking, now),
      ...(options.message ? [options.message(cancelled)] : []),
    ]);
    if (!result.ok) continue; // changed meanwhile: read again
    const promoted =
      booking.status === 'confirmed' && options.promote !== false
        ? await promoteWaitlisted(booking.dayId, booking.slotId)
        : undefined;
    return promoted ? { booking: cancelled, promoted } : { booking: cancelled };
  }
  throw new ConflictError('VERSION_CONFLICT', 'The booking changed while cancelling; try again');
};

/** Gives a free seat to the slot's earliest waitlisted booking, if any. */
export const promoteWaitlisted = async (dayId: string, slotId: string): Promise<Booking | undefined> => {
  const waiting = (await bookingsOfSlot(dayId, slotId)).filter((b) => b.status === 'waitlisted');
  if (waiting.length === 0) return undefined;
  const found = await getDay(dayId);
  const slot = found?.slots.find((s) => s.slotId === slotId);
  if (!found || !slot) return undefined;
  const TableName = tableName();
  const now = new Date();
  for (const candidate of waiting) {
    const personal = await db().send(
      new GetCommand({ TableName, Key: keys.bookingPersonal(candidate.code), ConsistentRead: true }),
    );
    // The booker hears of the seat by a message recorded with it (rule 11), whoever freed it: its
    // booker's cancel or a raised capacity.
    const message = bookerMessagePut(
      {
        code: candidate.code,
        kind: 'promoted',
        email: (personal.Item?.email as string | null | undefined) ?? null,
        mobile: (personal.Item?.mobile as string | undefined) ?? null,
        jurisdiction: found.day.jurisdiction,
        content: bookerContent('promoted', { ...candidate, status: 'confirmed' }, found.day, slot),
        expiresAt: personalExpiresAt(found.day.date),
      },
      now,
    );
    const result = await transact([
      {
        Update: {
          TableName,
          Key: keys.booking(candidate.code),
          UpdateExpression: 'SET #status = :confirmed, promotedAt = :now, version = version + :one',
          ConditionExpression: '#status = :waitlisted',
          ExpressionAttributeNames: { '#status': 'status' },
          ExpressionAttributeValues: {
            ':confirmed': 'confirmed',
            ':waitlisted': 'waitlisted',
            ':now': new Date().toISOString(),
            ':one': 1,
          },
        },
      },
      {
        Update: {
          TableName,
          Key: keys.slot(dayId, slotId),
          UpdateExpression: 'SET confirmed = confirmed + :one, waitlisted = waitlisted - :one',
          ConditionExpression: 'confirmed < #capacity',
          ExpressionAttributeNames: { '#capacity': 'capacity' },
          ExpressionAttributeValues: { ':one': 1 },
        },
      },
      {
        // A day being cancelled promotes no one: its cancellation would have to find them again.
        ConditionCheck: {
          TableName,
          Key: keys.day(dayId),
          ConditionExpression: '#status = :open',
          ExpressionAttributeNames: { '#status': 'status' },
          ExpressionAttributeValues: { ':open': 'open' },
        },
      },
      message,
    ]);
    if (result.ok) return { ...candidate, status: 'confirmed', version: candidate.version + 1 };
    if (result.failed.includes(1) || result.failed.includes(2)) return undefined; // the seat is taken again, or the day closed
  }
  return undefined;
};

const bookingsOfSlot = async (dayId: string, slotId: string): Promise<Booking[]> => {
  const out = await db().send(
    new QueryCommand({
      TableName: tableName(),
      IndexName: 'byParent',
      KeyConditionExpression: 'parentPk = :p AND begins_with(parentSk, :slot)',
      ExpressionAttributeValues: { ':p': keys.bookingsOfDay(dayId).parentPk, ':slot': `${slotId}#` },
    }),
  );
  return (out.Items ?? []).map((i) => fromItem<Booking>(i));
};

/** One page of a day's bookings with their personal data, in slot and time order. */
export const listBookings = async (
  dayId: string,
  limit: number,
  cursor?: Record<string, unknown>,
): Promise<{ items: (Booking & { personal: Personal | null })[]; next?: Record<string, unknown> }> => {
  const out = await db().send(
    new QueryCommand({
      TableName: tableName(),
      IndexName: 'byParent',
      KeyConditionExpression: 'parentPk = :p',
      ExpressionAttributeValues: { ':p': keys.bookingsOfDay(dayId).parentPk },
      Limit: limit,
      ExclusiveStartKey: cursor,
    }),
  );
  const bookings = (out.Items ?? []).map((i) => fromItem<Booking>(i));
  const personal = new Map<string, Personal>();
  if (bookings.length > 0) {
    for (const item of await batchGet(bookings.map((b) => keys.bookingPersonal(b.code)))) {
      personal.set(String(item.pk).slice('BOOKING#'.length), fromItem<Personal>(item));
    }
  }
  return {
    items: bookings.map((b) => ({ ...b, personal: personal.get(b.code) ?? null })),
    ...(out.LastEvaluatedKey ? { next: out.LastEvaluatedKey } : {}),
  };
};

/** Statuses a booking has once its attendance was recorded: a second write changes it, and needs a reason. */
const MARKED: readonly BookingStatus[] = ['attended', 'no_show'];

export interface AttendanceChange {
  status: 'attended' | 'no_show';
  outcome?: string | undefined;
  /** Why a recorded attendance is changed: required then (1–500 characters), kept in the audit event. */
  reason?: string | undefined;
  /** The booking's version as the caller read it: a stale one gets 409 VERSION_CONFLICT (rule 9). */
  version?: number | undefined;
}

/**
 * Records attendance and outcome of a confirmed booking, with its audit event; or changes a recorded
 * one, with a reason (issue 20). Only from the consultation day itself (Asia/Shanghai): before it,
 * nobody can have attended, so a mark would be a slip of the finger that the day's own marking then
 * has to notice (409 TOO_EARLY). The write is conditional on the version read (and on the version the
 * caller saw, when it says), so two people at the desk never overwrite each other silently.
 */
export const setAttendance = async (
  code: string,
  change: AttendanceChange,
  identity: Identity,
  day: { readonly jurisdiction: string; readonly date: string },
  now: Date,
): Promise<Booking> => {
  const found = await getBooking(code);
  if (!found) throw new NotFoundError();
  const { booking } = found;
  if (booking.status !== 'confirmed' && !MARKED.includes(booking.status)) {
    throw new ConflictError('INVALID_TRANSITION', `A ${booking.status} booking cannot be marked ${change.status}`);
  }
  if (shanghaiDate(now) < day.date) {
    throw new ConflictError('TOO_EARLY', `Attendance can be recorded from ${day.date} (Asia/Shanghai)`);
  }
  if (change.version !== undefined && change.version !== booking.version) {
    throw new ConflictError('VERSION_CONFLICT', 'The booking changed meanwhile; reload and try again');
  }
  const changing = MARKED.includes(booking.status);
  if (changing && !change.reason) {
    throw new ValidationError({ reason: 'A change of recorded attendance needs a reason (1–500 characters)' });
  }
  const after: Booking = {
    ...booking,
    status: change.status,
    outcome: change.outcome ?? booking.outcome,
    version: booking.version + 1,
  };
  const result = await transact([
    {
      Update: {
        TableName: tableName(),
        Key: keys.booking(code),
        UpdateExpression: 'SET #status = :status, outcome = :outcome, version = :next',
        // The status read is part of the condition: a booking cancelled meanwhile is not marked.
        ConditionExpression: 'version = :version AND #status = :was',
        ExpressionAttributeNames: { '#status': 'status' },
        ExpressionAttributeValues: {
          ':status': after.status,
          ':outcome': after.outcome,
          ':next': after.version,
          ':version': booking.version,
          ':was': booking.status,
        },
      },
    },
    auditPut(
      identity,
      {
        entity: `booking:${code}`,
        jurisdiction: day.jurisdiction,
        action: 'booking.attendance',
        before: booking,
        after: change.reason ? { ...after, reason: change.reason } : after,
      },
      now.toISOString(),
    ),
  ]);
  if (!result.ok) throw new ConflictError('VERSION_CONFLICT', 'The booking changed meanwhile; reload and try again');
  return after;
};
