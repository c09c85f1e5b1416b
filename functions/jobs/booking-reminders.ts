import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { PutCommand } from '@aws-sdk/lib-dynamodb';
import { keys } from '../../shared/keys.ts';
import type { JobEvent } from '../../shared/schedules.ts';
import { shanghaiDate } from '../../shared/time.ts';
import { bookerContent, bookerMessagePut } from '../lib/consultation/booker-messages.ts';
import { type Booking, type Personal, personalExpiresAt } from '../lib/consultation/bookings.ts';
import { type Day, getDay, type Slot } from '../lib/consultation/days.ts';
import { logger } from '../lib/http/log.ts';
import { eachLimit } from '../lib/store/concurrency.ts';
import { batchGet, db, fromItem, queryAll } from '../lib/store/table.ts';

/**
 * The day-before reminder: daily at 18:00 Beijing, each confirmed booking of the next Beijing day
 * gets one message (where, when, its code, how to cancel) by e-mail when the booker gave an
 * address and by SMS to its mobile (the form requires one), both when both.
 *
 * Exactly once: the message is one outgoing-message record per booking and day
 * (`MSG#booking:<code>/reminder#<date>`), created by a conditional Put, so a repeated or concurrent
 * run finds it there and creates nothing. The table's stream wakes the deliveries function for it
 * (outgoing.ts: a round is claimed before sending, so each channel goes once, retried when it
 * fails), and the `bookings` job sweeps up whatever a crash left.
 *
 * Only confirmed bookings: a waitlisted one holds no seat, and "your consultation is tomorrow at
 * 09:00" would send a firm to a room with no place for it. If a seat frees up, the promotion
 * message tells it. Cancelled bookings, and the bookings of a day that is being or was cancelled,
 * get nothing.
 */
const DAY_MS = 86_400_000;
const PARALLEL = 16;

/** The Beijing date after the one `now` falls on (Beijing keeps no daylight saving time). */
export const nextShanghaiDay = (now: Date): string => shanghaiDate(new Date(now.getTime() + DAY_MS));

/**
 * The reminder's message, recorded only if none exists for this booking and day (the occasion is
 * the date): e-mail when the booker gave one, SMS to its mobile, both when both; the table's stream
 * hands it to the deliveries function within seconds.
 */
const recordReminder = async (booking: Booking, personal: Personal, day: Day, slot: Slot, now: Date) => {
  const { Put } = bookerMessagePut(
    {
      code: booking.code,
      kind: 'reminder',
      occasion: day.date,
      email: personal.email ?? null,
      mobile: personal.mobile,
      jurisdiction: day.jurisdiction,
      content: bookerContent('reminder', booking, day, slot),
      // The addresses leave with the booking's personal data.
      expiresAt: personalExpiresAt(day.date),
    },
    now,
  );
  try {
    await db().send(new PutCommand(Put));
    return true;
  } catch (error) {
    if (error instanceof ConditionalCheckFailedException) return false;
    throw error;
  }
};

/** The dayIds of a date (byParent, in date order; never a Scan). */
const daysOn = async (date: string) =>
  (
    await queryAll({
      IndexName: 'byParent',
      KeyConditionExpression: 'parentPk = :p AND parentSk BETWEEN :from AND :to',
      ExpressionAttributeValues: { ':p': keys.daysParent().parentPk, ':from': `${date}#`, ':to': `${date}#~` },
      ProjectionExpression: 'dayId',
    })
  ).map((item) => String(item.dayId));

/**
 * The confirmed bookings of a day with their personal data. The index only finds the codes; each
 * booking is read again consistently, so one cancelled a moment ago is not reminded.
 */
const confirmedOf = async (dayId: string) => {
  const codes = (
    await queryAll({
      IndexName: 'byParent',
      KeyConditionExpression: 'parentPk = :p',
      ExpressionAttributeValues: { ':p': keys.bookingsOfDay(dayId).parentPk },
      ProjectionExpression: 'code',
    })
  ).map((item) => String(item.code));
  const items = await batchGet(
    codes.flatMap((code) => [keys.booking(code), keys.bookingPersonal(code)]),
    { consistent: true },
  );
  const bookings = new Map<string, Booking>();
  const personal = new Map<string, Personal>();
  for (const item of items) {
    const code = String(item.pk).slice('BOOKING#'.length);
    if (item.sk === 'BOOKING') bookings.set(code, fromItem<Booking>(item));
    else if (item.sk === 'PII') personal.set(code, fromItem<Personal>(item));
  }
  return [...bookings.values()]
    .filter((b) => b.status === 'confirmed' && b.dayId === dayId)
    .map((booking) => ({ booking, personal: personal.get(booking.code) }));
};

/** 18:00 Beijing: the next day's confirmed bookings are reminded, each once. */
export const bookingReminders = async (_event: JobEvent, now: Date) => {
  const date = nextShanghaiDay(now);
  const tally = { days: 0, bookings: 0, remindersCreated: 0, noContact: 0 };
  for (const dayId of await daysOn(date)) {
    const found = await getDay(dayId);
    // A day being cancelled tells its bookers itself (rule 12); a cancelled one has no bookings left.
    if (found?.day.status !== 'open' || found.day.date !== date) continue;
    tally.days++;
    const slots = new Map(found.slots.map((s) => [s.slotId, s]));
    await eachLimit(await confirmedOf(dayId), PARALLEL, async ({ booking, personal }) => {
      tally.bookings++;
      const slot = slots.get(booking.slotId);
      // Personal data past its TTL (never the case the evening before, but not assumed).
      if (!slot || !personal) {
        tally.noContact++;
        return;
      }
      if (await recordReminder(booking, personal, found.day, slot, now)) tally.remindersCreated++;
    });
  }
  logger.info('booking reminders', { date, ...tally });
  return { date, ...tally };
};
