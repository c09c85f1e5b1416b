import { keys } from '../../../shared/keys.ts';
import { toShanghaiIso } from '../../../shared/time.ts';
import { ConflictError, NotFoundError, ValidationError } from '../http/errors.ts';
import { tableName } from '../store/table.ts';
import { type Items, transact } from '../store/transact.ts';
import { bookerContent, bookerMessagePut } from './booker-messages.ts';
import { type Booking, getBooking, type Personal, personalExpiresAt, promoteWaitlisted } from './bookings.ts';
import { type Day, getDay, isClosed, type Slot } from './days.ts';

/**
 * Moves one booking may make. Each move texts and mails the booker and takes a seat from others
 * for a moment; whoever holds the code could otherwise move it back and forth without end.
 */
export const MAX_MOVES = 3;

/**
 * Moves a booking to another slot of the same or another day, keeping its code (issue 16). One
 * transaction takes the new seat (while one is free), moves the booking, gives the old seat or
 * waitlist place back and moves the USCC's one-per-day guard when the day changes, and records the
 * booker's message: so the booker never stands without a seat, two moves racing for the last seat
 * end with exactly one winner, and a crash leaves the booking where it was. A waitlisted booking
 * moved to a free seat is confirmed there. The seat it left goes to that slot's waitlist.
 */
export const rescheduleBooking = async (
  code: string,
  target: { dayId: string; slot?: string | undefined },
  now: Date,
): Promise<{ booking: Booking; personal: Personal | undefined; day: Day; slot: Slot }> => {
  const found = await getBooking(code);
  if (!found) throw new NotFoundError('No such booking');
  const { booking, personal } = found;
  if (booking.status !== 'confirmed' && booking.status !== 'waitlisted') {
    throw new ConflictError('INVALID_TRANSITION', `A ${booking.status} booking cannot be moved`);
  }
  const moves = booking.moves ?? 0;
  if (moves >= MAX_MOVES) {
    throw new ConflictError('MOVE_LIMIT', `A booking can be moved ${MAX_MOVES} times; cancel it and book again`);
  }
  const to = await getDay(target.dayId);
  if (!to) throw new NotFoundError('No such consultation day');
  if (isClosed(to.day, now)) throw new ConflictError('BOOKING_CLOSED', 'Booking for this day is closed');
  const slot = target.slot
    ? to.slots.find((s) => s.slotId === target.slot)
    : to.slots.find(
        (s) => s.confirmed < s.capacity && !(s.slotId === booking.slotId && to.day.dayId === booking.dayId),
      );
  if (!slot) {
    if (target.slot) throw new ValidationError({ slot: 'No such slot on this day' });
    throw new ConflictError('SLOT_FULL', 'No slot of this day has a free seat');
  }
  const sameDay = to.day.dayId === booking.dayId;
  if (sameDay && slot.slotId === booking.slotId)
    throw new ValidationError({ slot: 'The booking is in this slot already' });
  if (slot.confirmed >= slot.capacity) throw new ConflictError('SLOT_FULL', 'This slot is full');

  const TableName = tableName();
  const startsAt = new Date(slot.startsAt).toISOString();
  const after: Booking = {
    ...booking,
    dayId: to.day.dayId,
    slotId: slot.slotId,
    startsAt,
    status: 'confirmed',
    version: booking.version + 1,
    moves: moves + 1,
  };
  const moved = {
    ...keys.bookingOfDay(to.day.dayId, slot.slotId, booking.createdAt, code),
    ...keys.bookingOfFirm(booking.uscc, startsAt, code),
  };
  const counter = booking.status === 'confirmed' ? 'confirmed' : 'waitlisted';
  const items: Items = [
    {
      ConditionCheck: {
        TableName,
        Key: keys.day(to.day.dayId),
        ConditionExpression: '#status = :open AND bookingClosesAt > :now',
        ExpressionAttributeNames: { '#status': 'status' },
        ExpressionAttributeValues: { ':open': 'open', ':now': toShanghaiIso(now) },
      },
    },
    {
      Update: {
        TableName,
        Key: keys.slot(to.day.dayId, slot.slotId),
        UpdateExpression: 'SET confirmed = confirmed + :one',
        ConditionExpression: 'confirmed < #capacity',
        ExpressionAttributeNames: { '#capacity': 'capacity' },
        ExpressionAttributeValues: { ':one': 1 },
      },
    },
    {
      Update: {
        TableName,
        Key: keys.booking(code),
        UpdateExpression:
          'SET dayId = :dayId, slotId = :slotId, startsAt = :startsAt, #status = :confirmed, version = :next, ' +
          'rescheduledAt = :nowUtc, moves = :moves, parentPk = :parentPk, parentSk = :parentSk, scopePk = :scopePk, scopeSk = :scopeSk',
        ConditionExpression: '#status = :was AND version = :version',
        ExpressionAttributeNames: { '#status': 'status' },
        ExpressionAttributeValues: {
          ':dayId': after.dayId,
          ':slotId': after.slotId,
          ':startsAt': startsAt,
          ':confirmed': 'confirmed',
          ':next': after.version,
          ':nowUtc': now.toISOString(),
          // At the version read, so two moves at once count as two (the second one conflicts).
          ':moves': moves + 1,
          ':parentPk': moved.parentPk,
          ':parentSk': moved.parentSk,
          ':scopePk': moved.scopePk,
          ':scopeSk': moved.scopeSk,
          ':was': booking.status,
          ':version': booking.version,
        },
      },
    },
    {
      Update: {
        TableName,
        Key: keys.slot(booking.dayId, booking.slotId),
        UpdateExpression: `SET ${counter} = ${counter} - :one`,
        ExpressionAttributeValues: { ':one': 1 },
      },
    },
    ...(sameDay
      ? []
      : [
          {
            Put: {
              TableName,
              Item: { ...keys.usccGuard(to.day.dayId, booking.uscc), type: 'usccGuard', code },
              ConditionExpression: 'attribute_not_exists(pk)',
            },
          },
          { Delete: { TableName, Key: keys.usccGuard(booking.dayId, booking.uscc) } },
        ]),
    bookerMessagePut(
      {
        code,
        kind: 'rescheduled',
        // Each move is its own message: the version it made.
        occasion: String(after.version),
        email: personal?.email ?? null,
        mobile: personal?.mobile ?? null,
        jurisdiction: to.day.jurisdiction,
        content: bookerContent('rescheduled', after, to.day, slot),
        expiresAt: personalExpiresAt(to.day.date),
      },
      now,
    ),
  ];
  const result = await transact(items);
  if (!result.ok) {
    if (result.failed.includes(0)) throw new ConflictError('BOOKING_CLOSED', 'Booking for this day is closed');
    if (result.failed.includes(2)) {
      throw new ConflictError('VERSION_CONFLICT', 'The booking changed meanwhile; reload and try again');
    }
    if (result.failed.includes(1)) throw new ConflictError('SLOT_FULL', 'This slot is full');
    // Only the holder of this booking's code gets here, and the booking is that firm's own.
    if (result.failed.includes(4)) {
      throw new ConflictError('ALREADY_BOOKED', 'This enterprise already holds a booking for this day');
    }
    throw new ConflictError('VERSION_CONFLICT', 'The booking changed meanwhile; reload and try again');
  }
  if (booking.status === 'confirmed') await promoteWaitlisted(booking.dayId, booking.slotId);
  return { booking: after, personal, day: to.day, slot: { ...slot, confirmed: slot.confirmed + 1 } };
};
