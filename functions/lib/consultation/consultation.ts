import { randomInt, randomUUID } from 'node:crypto';
import { GetCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { CODE_ALPHABET, CODE_LENGTH } from '../../../shared/booking-code.ts';
import {
  ACTIVE_STATUSES,
  type BookingInput,
  type BookingStatus,
  type DayInput,
  type DayPatch,
  type Mode,
  slotProblems,
} from '../../../shared/consultation.ts';
import { keys } from '../../../shared/keys.ts';
import { fromShanghai, toShanghaiIso } from '../../../shared/time.ts';
import { ConflictError, NotFoundError, ValidationError } from '../http/errors.ts';
import type { Identity } from '../http/identity.ts';
import { type Limit, refusal } from '../http/rate-limit.ts';
import { auditPut } from '../store/audit.ts';
import { batchGet, db, fromItem, queryPartition, tableName } from '../store/table.ts';
import { transact } from '../store/transact.ts';
import { bookerContent, bookerMessagePut } from './booker-messages.ts';

/** Consultation days, slots and bookings in the single table (see shared/table.md). */
export interface Slot {
  slotId: string;
  startsAt: string;
  endsAt: string;
  capacity: number;
  confirmed: number;
  waitlisted: number;
}

export interface Day {
  dayId: string;
  date: string;
  jurisdiction: string;
  venue: string | null;
  onlineUrl: string | null;
  mode: Mode;
  topics: string[];
  bookingClosesAt: string;
  /** `cancelling` while a cancellation is under way (day-cancellation.ts): closed to bookings already. */
  status: 'open' | 'cancelling' | 'cancelled';
  /** Why the day was cancelled, recorded when its cancellation began. */
  cancelReason?: string;
  version: number;
  createdAt: string;
  createdBy: string;
}

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

/** Default cut-off: 17:00 Asia/Shanghai the day before. */
export const defaultCutoff = (date: string): string => {
  const [y, m, d] = date.split('-').map(Number) as [number, number, number];
  return toShanghaiIso(fromShanghai(y, m, d - 1, 17, 0));
};

// ── Days ────────────────────────────────────────────────────────────────────────

/** Creates a day and its slots, with its audit event, in one transaction. */
export const createDay = async (
  input: DayInput,
  identity: Identity,
  now: Date,
): Promise<{ day: Day; slots: Slot[] }> => {
  const dayId = randomUUID();
  const createdAt = now.toISOString();
  const day: Day = {
    dayId,
    date: input.date,
    jurisdiction: input.jurisdiction,
    venue: input.venue ?? null,
    onlineUrl: input.onlineUrl ?? null,
    mode: input.mode,
    topics: input.topics,
    bookingClosesAt: input.bookingClosesAt ? toShanghaiIso(new Date(input.bookingClosesAt)) : defaultCutoff(input.date),
    status: 'open',
    version: 1,
    createdAt,
    createdBy: identity.username,
  };
  const slots: Slot[] = [...input.slots]
    .sort((a, b) => new Date(a.startsAt).getTime() - new Date(b.startsAt).getTime())
    .map((s, i) => ({
      slotId: `s${i + 1}`,
      startsAt: toShanghaiIso(new Date(s.startsAt)),
      endsAt: toShanghaiIso(new Date(s.endsAt)),
      capacity: s.capacity,
      confirmed: 0,
      waitlisted: 0,
    }));
  const TableName = tableName();
  await transact([
    {
      Put: {
        TableName,
        Item: { ...keys.day(dayId), ...keys.dayByDate(day.date, dayId), type: 'day', ...day },
        ConditionExpression: 'attribute_not_exists(pk)',
      },
    },
    ...slots.map((slot) => ({ Put: { TableName, Item: { ...keys.slot(dayId, slot.slotId), type: 'slot', ...slot } } })),
    auditPut(
      identity,
      { entity: `day:${dayId}`, jurisdiction: day.jurisdiction, action: 'day.create', after: { day, slots } },
      createdAt,
    ),
  ]);
  return { day, slots };
};

/** A day and its slots (one Query), or undefined. */
export const getDay = async (dayId: string): Promise<{ day: Day; slots: Slot[] } | undefined> => {
  const items = await queryPartition(keys.dayPartition(dayId).pk);
  const day = items.find((i) => i.sk === 'DAY');
  if (!day) return undefined;
  const slots = items.filter((i) => String(i.sk).startsWith('SLOT#')).map((i) => fromItem<Slot>(i));
  slots.sort((a, b) => a.startsAt.localeCompare(b.startsAt));
  return { day: fromItem<Day>(day), slots };
};

/** Days with a date in [from, to], in date order (Query on byParent; never a Scan). */
export const listDays = async (from: string, to: string, limit = 200): Promise<{ day: Day; slots: Slot[] }[]> => {
  const out = await db().send(
    new QueryCommand({
      TableName: tableName(),
      IndexName: 'byParent',
      KeyConditionExpression: 'parentPk = :p AND parentSk BETWEEN :from AND :to',
      ExpressionAttributeValues: { ':p': keys.daysParent().parentPk, ':from': `${from}#`, ':to': `${to}#~` },
      Limit: limit,
    }),
  );
  const days = await Promise.all((out.Items ?? []).map((i) => getDay(String(i.dayId))));
  return days.filter((d): d is { day: Day; slots: Slot[] } => d !== undefined);
};

// ── Bookings ────────────────────────────────────────────────────────────────────

export const isClosed = (day: Day, now: Date): boolean =>
  day.status !== 'open' || now.getTime() >= new Date(day.bookingClosesAt).getTime();

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
const bookedBySameMobile = async (dayId: string, input: BookingInput): Promise<boolean> => {
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

/** How long a process books from a day it read, before reading it again. */
const DAY_READ_MS = 5_000;
const recentDays = new Map<string, { at: number; found: { day: Day; slots: Slot[] } }>();

/**
 * A day and its slots as read for booking. Bookings come in bursts, and each read of the day costs
 * as much as a third of the booking; so a process books from a read a few seconds old (`cached`).
 * That is safe because the booking's transaction checks the day's version (every edit and the
 * cancellation change it) and the seats themselves; a read's seat counts only answer "full" at
 * once, and only from a fresh read.
 */
const readDay = async (dayId: string, fresh: boolean) => {
  const hit = recentDays.get(dayId);
  if (!fresh && hit && Date.now() - hit.at < DAY_READ_MS) return { found: hit.found, cached: true };
  const found = await getDay(dayId);
  if (recentDays.size >= 500) recentDays.clear();
  if (found) recentDays.set(dayId, { at: Date.now(), found });
  else recentDays.delete(dayId);
  return { found, cached: false };
};

/**
 * Books a seat. The seat count, the booking and the one-per-USCC-per-day guard are
 * written in one transaction with conditions (rule 1, rule 2): never check-then-write.
 * What a recent read of the day answered is read again before it is believed (`readDay`).
 */
export const book = async (
  dayId: string,
  input: BookingInput,
  now: Date,
  reads = 0,
): Promise<{ booking: Booking; day: Day; slot: Slot }> => {
  const { found, cached } = await readDay(dayId, reads > 0);
  if (!found) throw new NotFoundError('No such consultation day');
  // Once more from a fresh read of the day.
  const again = () => book(dayId, input, now, reads + 1);
  const { day } = found;
  const slot = found.slots.find((s) => s.slotId === input.slotId);
  if (!slot) {
    if (cached) return again();
    throw new ValidationError({ slotId: 'No such slot on this day' });
  }
  if (isClosed(day, now)) {
    if (cached) return again();
    throw new ConflictError('BOOKING_CLOSED', 'Booking for this day is closed');
  }
  // A full slot answers at once; the transaction's condition is what guarantees it.
  const full = slot.confirmed >= slot.capacity;
  if (full && !input.waitlist) {
    if (cached) return again();
    // The booker's own booking outranks "full"; anyone else sees the full slot everyone sees.
    if (await bookedBySameMobile(dayId, input)) {
      throw new ConflictError('ALREADY_BOOKED', 'This enterprise already holds a booking for this day');
    }
    throw new ConflictError('SLOT_FULL', 'This slot is full');
  }

  const code = newBookingCode();
  const createdAt = now.toISOString();
  const TableName = tableName();
  const attempt = async (status: 'confirmed' | 'waitlisted') => {
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
    };
    const expiresAt = personalExpiresAt(day.date);
    const result = await transact([
      {
        ConditionCheck: {
          TableName,
          Key: keys.day(dayId),
          ConditionExpression: '#status = :open AND bookingClosesAt > :now AND version = :version',
          ExpressionAttributeNames: { '#status': 'status' },
          ExpressionAttributeValues: { ':open': 'open', ':now': toShanghaiIso(now), ':version': day.version },
        },
      },
      status === 'confirmed'
        ? {
            Update: {
              TableName,
              Key: keys.slot(dayId, slot.slotId),
              UpdateExpression: 'SET confirmed = confirmed + :one',
              ConditionExpression: 'confirmed < #capacity',
              ExpressionAttributeNames: { '#capacity': 'capacity' },
              ExpressionAttributeValues: { ':one': 1 },
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
      {
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
            ...keys.bookingOfFirm(input.uscc, booking.startsAt, code),
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
    ]);
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
      // The USCC holds a booking that day. Its booker is told so; to anyone else the slot is full
      // if it is (as for everyone), else the answer is the per-USCC limit's refusal, word for word.
      if (await bookedBySameMobile(dayId, input)) {
        throw new ConflictError('ALREADY_BOOKED', 'This enterprise already holds a booking for this day');
      }
      if (result.failed.includes(1)) throw new ConflictError('SLOT_FULL', 'This slot is full');
      throw refusal(bookingLimits.perUscc, now);
    }
    if (result.failed.includes(1)) throw new ConflictError('SLOT_FULL', 'This slot is full');
    throw new Error('Booking code collision');
  }
  const seats =
    booking.status === 'confirmed' ? { confirmed: slot.confirmed + 1 } : { waitlisted: slot.waitlisted + 1 };
  return { booking, day, slot: { ...slot, ...seats } };
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
  options: { promote?: boolean; known?: Booking } = {},
): Promise<{ booking: Booking; promoted?: Booking }> => {
  for (let tries = 0; tries < 5; tries++) {
    // The caller's copy serves the first try; the transaction's condition catches it if stale.
    const booking = tries === 0 && options.known ? options.known : (await getBooking(code))?.booking;
    if (!booking) throw new NotFoundError('No such booking');
    if (booking.status === 'cancelled') return { booking };
    if (!ACTIVE_STATUSES.includes(booking.status)) {
      throw new ConflictError('INVALID_TRANSITION', `A booking marked ${booking.status} cannot be cancelled`);
    }
    const result = await transact(bookingCancelWrites(booking, now));
    if (!result.ok) continue; // changed meanwhile: read again
    const cancelled: Booking = { ...booking, status: 'cancelled', version: booking.version + 1 };
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
        content: bookerContent('promoted', candidate, found.day, slot),
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

/** Records attendance and outcome of a confirmed booking, with its audit event. */
export const setAttendance = async (
  code: string,
  change: { status: 'attended' | 'no_show'; outcome?: string | undefined },
  identity: Identity,
  jurisdiction: string,
  now: Date,
): Promise<Booking> => {
  const found = await getBooking(code);
  if (!found) throw new NotFoundError();
  const { booking } = found;
  if (!['confirmed', 'attended', 'no_show'].includes(booking.status)) {
    throw new ConflictError('INVALID_TRANSITION', `A ${booking.status} booking cannot be marked ${change.status}`);
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
        ConditionExpression: 'version = :version',
        ExpressionAttributeNames: { '#status': 'status' },
        ExpressionAttributeValues: {
          ':status': after.status,
          ':outcome': after.outcome,
          ':next': after.version,
          ':version': booking.version,
        },
      },
    },
    auditPut(
      identity,
      { entity: `booking:${code}`, jurisdiction, action: 'booking.attendance', before: booking, after },
      now.toISOString(),
    ),
  ]);
  if (!result.ok) throw new ConflictError('VERSION_CONFLICT', 'The booking changed meanwhile; reload and try again');
  return after;
};

/**
 * Edits a day: venue, link, topics, cut-off, new slots, capacities. Stale versions get 409
 * VERSION_CONFLICT (rule 9); a capacity below the seats already confirmed gets 409
 * CAPACITY_BELOW_BOOKED. Raised capacity goes to the waitlist first.
 */
export const updateDay = async (dayId: string, patch: DayPatch, identity: Identity, now: Date) => {
  const found = await getDay(dayId);
  if (!found) throw new NotFoundError();
  const { day, slots } = found;
  if (day.status !== 'open') throw new ConflictError('INVALID_TRANSITION', `A ${day.status} day cannot be edited`);
  if (patch.version !== day.version)
    throw new ConflictError('VERSION_CONFLICT', 'The day changed meanwhile; reload it');
  const capacities = Object.entries(patch.capacities ?? {});
  for (const [slotId] of capacities) {
    if (!slots.some((s) => s.slotId === slotId))
      throw new ValidationError({ [`capacities.${slotId}`]: 'No such slot' });
  }
  const added: Slot[] = (patch.addSlots ?? []).map((s, i) => ({
    slotId: `s${slots.length + i + 1}`,
    startsAt: toShanghaiIso(new Date(s.startsAt)),
    endsAt: toShanghaiIso(new Date(s.endsAt)),
    capacity: s.capacity,
    confirmed: 0,
    waitlisted: 0,
  }));
  const problems = slotProblems(day.date, [...slots, ...added]);
  if (Object.keys(problems).length > 0) {
    throw new ValidationError(
      Object.fromEntries(
        Object.entries(problems).map(([k, v]) => [
          k.replace(/^slots\.(\d+)/, (_, n) => `addSlots.${Number(n) - slots.length}`),
          v,
        ]),
      ),
    );
  }
  const after: Day = {
    ...day,
    venue: patch.venue ?? day.venue,
    onlineUrl: patch.onlineUrl ?? day.onlineUrl,
    topics: patch.topics ?? day.topics,
    bookingClosesAt: patch.bookingClosesAt ? toShanghaiIso(new Date(patch.bookingClosesAt)) : day.bookingClosesAt,
    version: day.version + 1,
  };
  const TableName = tableName();
  const result = await transact([
    {
      Update: {
        TableName,
        Key: keys.day(dayId),
        UpdateExpression:
          'SET venue = :venue, onlineUrl = :url, topics = :topics, bookingClosesAt = :cutoff, version = :next',
        ConditionExpression: 'version = :version',
        ExpressionAttributeValues: {
          ':venue': after.venue,
          ':url': after.onlineUrl,
          ':topics': after.topics,
          ':cutoff': after.bookingClosesAt,
          ':next': after.version,
          ':version': day.version,
        },
      },
    },
    ...capacities.map(([slotId, capacity]) => ({
      Update: {
        TableName,
        Key: keys.slot(dayId, slotId),
        UpdateExpression: 'SET #capacity = :capacity',
        ConditionExpression: 'confirmed <= :capacity',
        ExpressionAttributeNames: { '#capacity': 'capacity' },
        ExpressionAttributeValues: { ':capacity': capacity },
      },
    })),
    ...added.map((slot) => ({
      Put: {
        TableName,
        Item: { ...keys.slot(dayId, slot.slotId), type: 'slot', ...slot },
        ConditionExpression: 'attribute_not_exists(pk)',
      },
    })),
    auditPut(
      identity,
      {
        entity: `day:${dayId}`,
        jurisdiction: day.jurisdiction,
        action: 'day.update',
        before: { day, slots },
        after: { day: after, patch },
      },
      now.toISOString(),
    ),
  ]);
  if (!result.ok) {
    if (result.failed.includes(0)) throw new ConflictError('VERSION_CONFLICT', 'The day changed meanwhile; reload it');
    throw new ConflictError('CAPACITY_BELOW_BOOKED', 'A capacity cannot go below the seats already booked');
  }
  for (const [slotId, capacity] of capacities) {
    const before = slots.find((s) => s.slotId === slotId);
    for (let free = capacity - (before?.confirmed ?? capacity); free > 0; free--) {
      if (!(await promoteWaitlisted(dayId, slotId))) break;
    }
  }
  return (await getDay(dayId)) as { day: Day; slots: Slot[] };
};
