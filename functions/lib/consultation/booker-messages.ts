import { randomUUID } from 'node:crypto';
import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { GetCommand, QueryCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { ENV } from '../../../shared/config.ts';
import { keys } from '../../../shared/keys.ts';
import { type Content, type Delivery, deliver, type Run } from '../messaging/deliveries.ts';
import { eachLimit } from '../store/concurrency.ts';
import { db, tableName } from '../store/table.ts';

/**
 * Messages to bookers (rule 11): recorded in the transaction of the fact that causes them (e.g. a
 * booking cancelled with its day), keyed by booking and kind so a retry of the fact cannot record
 * a second one, and delivered by the `bookings` job's rounds through deliveries.ts (each channel
 * claimed before it is sent, so sent at most once; a failure retried by the next run). While a
 * delivery is due the message sits in a queue on `byParent`; it leaves once every channel went out,
 * or after MAX_ATTEMPTS (recorded as failed, for a person to see).
 */
const SUBJECTS = {
  confirmed: '预约成功 Booking confirmed',
  waitlisted: '已加入候补 On the waitlist',
  promoted: '候补转为预约成功 A seat is yours',
  cancelled: '预约已取消 Booking cancelled',
  dayCancelled: '咨询日取消 Consultation day cancelled',
  reminder: '明日咨询提醒 Your consultation is tomorrow',
} as const;

/** What a message to a booker is about. `dayCancelled` and `promoted` are recorded here; the others still go out from the request (booking-views.ts `mailBooker`). */
export type BookerMessageKind = keyof typeof SUBJECTS;

const siteUrl = () => process.env[ENV.siteUrl] ?? '';
export const bookingPageUrl = (code: string) => `${siteUrl()}/consultation-days/booking/?code=${code}`;

/** The subject and text of a message to a booker (only the fields it shows, so any module may build one). */
export const bookerContent = (
  kind: BookerMessageKind,
  booking: { readonly code: string; readonly companyName: string },
  day: { readonly date: string; readonly venue: string | null; readonly onlineUrl: string | null },
  slot: { readonly startsAt: string; readonly endsAt: string },
  reason?: string,
): Content => ({
  subject: `${SUBJECTS[kind]} · ${day.date}`,
  text: [
    `${booking.companyName}:`,
    `${SUBJECTS[kind]}`,
    ...(reason ? [`原因 Reason: ${reason}`] : []),
    `${slot.startsAt.slice(0, 16).replace('T', ' ')} – ${slot.endsAt.slice(11, 16)} (北京时间 Asia/Shanghai)`,
    `${[day.venue, day.onlineUrl].filter(Boolean).join(' / ')}`,
    `预约码 Booking code: ${booking.code}`,
    `查看或取消 View or cancel: ${bookingPageUrl(booking.code)}`,
  ].join('\n'),
});

export const MAX_ATTEMPTS = 9;

export interface BookerMessageInput {
  readonly code: string;
  readonly kind: BookerMessageKind;
  readonly email: string | null;
  readonly content: Content;
  /** When its personal data (the address) expires: the booking's own TTL. */
  readonly expiresAt: number;
}

/** The Put that records a booker's message, only once per booking and kind; for the fact's transaction. */
export const bookerMessagePut = (message: BookerMessageInput, now: Date) => {
  const createdAt = now.toISOString();
  const deliveries: Delivery[] = message.email
    ? [{ channel: 'email', to: message.email, status: 'pending', attempts: 0 }]
    : [];
  return {
    Put: {
      TableName: tableName(),
      Item: {
        ...keys.bookerMessage(message.code, message.kind),
        ...(deliveries.length > 0 ? keys.bookerMessageDue(createdAt, message.code, message.kind) : {}),
        type: 'bookerMessage',
        messageId: randomUUID(),
        code: message.code,
        kind: message.kind,
        createdAt,
        subject: message.content.subject,
        text: message.content.text,
        deliveries,
        expiresAt: message.expiresAt,
      },
      ConditionExpression: 'attribute_not_exists(pk)',
    },
  };
};

const settled = (deliveries: readonly Delivery[]) =>
  deliveries.every((d) => d.channel === 'inbox' || d.status === 'sent' || d.attempts >= MAX_ATTEMPTS);

/** Takes a message out of the queue once nothing is due, only while no run holds its round. */
const dequeue = async (key: { pk: string; sk: string }) => {
  const now = await db().send(new GetCommand({ TableName: tableName(), Key: key, ConsistentRead: true }));
  const deliveries = (now.Item?.deliveries as Delivery[] | undefined) ?? [];
  if (!now.Item || !settled(deliveries)) return;
  await db()
    .send(
      new UpdateCommand({
        TableName: tableName(),
        Key: key,
        UpdateExpression: 'REMOVE parentPk, parentSk',
        ConditionExpression: 'attribute_not_exists(#round)',
        ExpressionAttributeNames: { '#round': 'round' },
      }),
    )
    .catch((error: unknown) => {
      if (!(error instanceof ConditionalCheckFailedException)) throw error;
    });
};

/**
 * One delivery round over the queued booker messages, oldest first, until the queue is empty or
 * `deadline` (epoch ms) passes. Answers how many deliveries went out and how many failed.
 */
export const deliverBookerMessages = async (run: Run, deadline: number) => {
  const tally = { sent: 0, failed: 0, messages: 0 };
  let cursor: Record<string, unknown> | undefined;
  do {
    const page = await db().send(
      new QueryCommand({
        TableName: tableName(),
        IndexName: 'byParent',
        KeyConditionExpression: 'parentPk = :p',
        ExpressionAttributeValues: { ':p': keys.bookerMessagesDue().parentPk },
        Limit: 100,
        ExclusiveStartKey: cursor,
      }),
    );
    await eachLimit(page.Items ?? [], 8, async (item) => {
      const key = { pk: String(item.pk), sk: String(item.sk) };
      const result = await deliver(
        key,
        (item.deliveries as Delivery[] | undefined) ?? [],
        { subject: String(item.subject), text: String(item.text) },
        run,
      );
      tally.sent += result.sent;
      tally.failed += result.failed;
      tally.messages += 1;
      await dequeue(key);
    });
    cursor = page.LastEvaluatedKey;
  } while (cursor && Date.now() < deadline);
  return tally;
};
