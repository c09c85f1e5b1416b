import { randomUUID } from 'node:crypto';
import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { PutCommand } from '@aws-sdk/lib-dynamodb';
import { functions } from '../../shared/functions.ts';
import { keys } from '../../shared/keys.ts';
import type { JobEvent } from '../../shared/schedules.ts';
import { shanghaiDate } from '../../shared/time.ts';
import { bookerContent, bookingPageUrl, deliverBookerMessages } from '../lib/consultation/booker-messages.ts';
import { type Booking, type Personal, personalExpiresAt } from '../lib/consultation/bookings.ts';
import { type Day, getDay, type Slot } from '../lib/consultation/days.ts';
import { logger } from '../lib/http/log.ts';
import { type Delivery, newRun } from '../lib/messaging/deliveries.ts';
import { eachLimit } from '../lib/store/concurrency.ts';
import { batchGet, db, fromItem, queryAll, tableName } from '../lib/store/table.ts';

/**
 * The day-before reminder: daily at 18:00 Beijing, each confirmed booking of the next Beijing day
 * gets one message (where, when, its code, how to cancel) by e-mail when the booker gave an
 * address and by SMS to its mobile (the form requires one), both when both.
 *
 * Exactly once: the message is one record per booking and day (`MSG#reminder#<date>` beside the
 * booking), created by a conditional Put, so a repeated or concurrent run finds it there and
 * creates nothing. Each record is delivered by the booker-message rounds (booker-messages.ts,
 * deliveries.ts: a channel is claimed before it is sent, so sent at most once, retried when it
 * fails); this run starts a round at once, and the `bookings` job picks up whatever a crash or the
 * deadline left.
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

/** The message key of a booking's reminder for the day it is on: once per booking and day. */
const reminderKind = (date: string) => `reminder#${date}`;

/** `2026-12-15T09:00:00+08:00` → `09:00` (slot times are stored at +08:00). */
const clock = (iso: string) => iso.slice(11, 16);
/** A template variable; providers cap each at about 20–35 characters. */
const param = (value: string, max = 20) => (value.length > max ? `${value.slice(0, max - 1)}…` : value);

/** The SMS: the registered `booking-reminder` template's variables, and the same text in full. */
export const reminderSms = (booking: Booking, day: Day, slot: Slot): Extract<Delivery, { channel: 'sms' }>['sms'] => {
  const place = day.venue ?? '线上';
  const date = `${Number(day.date.slice(5, 7))}月${Number(day.date.slice(8, 10))}日`;
  const time = `${clock(slot.startsAt)}-${clock(slot.endsAt)}`;
  const online = day.onlineUrl ? `，线上链接：${day.onlineUrl}` : '';
  return {
    kind: 'booking-reminder',
    params: { date, time, place: param(place), code: booking.code },
    text: `【企业环保咨询日】提醒：您预约的咨询在明天（${date}）${time}，地点：${place}${online}。预约码 ${booking.code}。如需取消请打开 ${bookingPageUrl(booking.code)}`,
  };
};

/** The reminder's record, channels pending and queued for delivery; only if none exists for this booking and day. */
const recordReminder = async (booking: Booking, personal: Personal, day: Day, slot: Slot, now: Date) => {
  const kind = reminderKind(day.date);
  const content = bookerContent('reminder', booking, day, slot);
  const createdAt = now.toISOString();
  const deliveries: Delivery[] = [
    ...(personal.email
      ? [{ channel: 'email', to: personal.email, status: 'pending', attempts: 0 } satisfies Delivery]
      : []),
    {
      channel: 'sms',
      to: personal.mobile,
      sms: reminderSms(booking, day, slot),
      status: 'pending',
      attempts: 0,
    } satisfies Delivery,
  ];
  try {
    await db().send(
      new PutCommand({
        TableName: tableName(),
        Item: {
          ...keys.bookerMessage(booking.code, kind),
          ...keys.bookerMessageDue(createdAt, booking.code, kind),
          type: 'bookerMessage',
          messageId: randomUUID(),
          code: booking.code,
          kind: 'reminder',
          date: day.date,
          createdAt,
          subject: content.subject,
          text: content.text,
          deliveries,
          // The addresses leave with the booking's personal data.
          expiresAt: personalExpiresAt(day.date),
        },
        ConditionExpression: 'attribute_not_exists(pk)',
      }),
    );
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
  const deadline = Date.now() + (functions.jobs.timeoutSeconds - 60) * 1000;
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
  // Delivered now, not at the next `bookings` run; that run finishes what the deadline leaves.
  const delivered = Date.now() < deadline ? await deliverBookerMessages(newRun(), deadline) : undefined;
  logger.info('booking reminders', { date, ...tally });
  return { date, ...tally, sent: delivered?.sent ?? 0, failed: delivered?.failed ?? 0 };
};
