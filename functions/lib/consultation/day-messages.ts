import { createHash, randomUUID } from 'node:crypto';
import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { PutCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { type DayMessageInput, NOTICE_STATUSES } from '../../../shared/consultation.ts';
import type { DayMessageProgress } from '../../../shared/consultation-views.ts';
import { keys } from '../../../shared/keys.ts';
import { dayNotice } from '../../../shared/messages/outgoing.ts';
import { ConflictError, NotFoundError } from '../http/errors.ts';
import type { Identity } from '../http/identity.ts';
import { firmDeliveries, messagePut } from '../messaging/outgoing.ts';
import { auditPut } from '../store/audit.ts';
import { eachLimit } from '../store/concurrency.ts';
import { db, getRecord, queryAll, tableName } from '../store/table.ts';
import { transact } from '../store/transact.ts';
import { bookerFacts } from './booker-messages.ts';
import { listBookings, personalExpiresAt } from './bookings.ts';
import { type Day, getDay } from './days.ts';

/**
 * A lead's message to every booker of a day (issue 20; rule 11: recorded, never sent, in the request;
 * rule 12: resumable).
 *
 * 1. The request's record `DAYMSG#<dayId>/REQ#<requestId>` (the text, its hash, a fresh message id)
 *    is written with its audit event in one transaction, only if it does not exist, and listed
 *    (byScope `DAYMSGSOPEN`) while its bookers' messages are being recorded.
 * 2. Each booker of a seat (NOTICE_STATUSES) gets one outgoing message `MSG#booking:<code>/
 *    dayNotice#<messageId>`, a Put of its own only if it does not exist: a day may have thousands of
 *    bookings, more than one transaction may hold (100 items, 4 MB), and the messages need no
 *    all-or-nothing among themselves, only "once each", which the key and the condition give.
 * 3. The record becomes `recorded` with how many bookers hold the message, and leaves the list.
 *
 * The same request again (a retry after a lost answer, a double click, the `bookings` job after a
 * crash) finds the record and goes on from step 2: a message already recorded fails its condition
 * and counts as recorded, so nobody is told twice, however often or concurrently it resumes. The
 * same request id with another text is refused (409 ALREADY_EXISTS). Delivery is the deliveries
 * function's, woken by each message's record.
 */
export interface DayMessage {
  readonly dayId: string;
  readonly requestId: string;
  readonly messageId: string;
  readonly jurisdiction: string;
  readonly text: string;
  readonly textHash: string;
  readonly createdAt: string;
  readonly createdBy: string;
  readonly status: 'recording' | 'recorded';
  readonly recipients?: number;
}

export type { DayMessageProgress };

/** The kind of each booker's message (its `sk` is `dayNotice#<messageId>`). */
export const DAY_NOTICE_KIND = 'dayNotice';

const hashOf = (text: string) => createHash('sha256').update(text).digest('hex');

const readRecord = (dayId: string, requestId: string) =>
  getRecord<DayMessage>(keys.dayMessage(dayId, requestId), { consistent: true });

/** Writes the request's record with its audit event; false when it exists already (a retry, a race). */
const begin = async (day: Day, input: DayMessageInput, identity: Identity, now: Date): Promise<boolean> => {
  const createdAt = now.toISOString();
  const record: DayMessage = {
    dayId: day.dayId,
    requestId: input.requestId,
    messageId: randomUUID(),
    jurisdiction: day.jurisdiction,
    text: input.text,
    textHash: hashOf(input.text),
    createdAt,
    createdBy: identity.username,
    status: 'recording',
  };
  const result = await transact([
    {
      Put: {
        TableName: tableName(),
        Item: {
          ...keys.dayMessage(day.dayId, input.requestId),
          ...keys.dayMessageOpen(createdAt, day.dayId, input.requestId),
          type: 'dayMessage',
          ...record,
        },
        ConditionExpression: 'attribute_not_exists(pk)',
      },
    },
    auditPut(
      identity,
      {
        entity: `day:${day.dayId}`,
        jurisdiction: day.jurisdiction,
        action: 'day.message',
        after: { messageId: record.messageId, requestId: input.requestId, text: input.text },
      },
      createdAt,
    ),
  ]);
  return result.ok;
};

/** Records one booker's message, unless an earlier attempt of the same request did. */
const recordOne = async (put: ReturnType<typeof messagePut>['Put']): Promise<void> => {
  try {
    await db().send(new PutCommand(put));
  } catch (error) {
    // Recorded by an earlier attempt of the same request: that one counts, nothing is written twice.
    if (!(error instanceof ConditionalCheckFailedException)) throw error;
  }
};

/**
 * Goes on recording the bookers' messages of a day message until all are recorded or `deadline`
 * (epoch ms) passes; then marks the record `recorded` with the count.
 */
export const continueDayMessage = async (record: DayMessage, deadline: number): Promise<DayMessageProgress> => {
  const { messageId } = record;
  if (record.status === 'recorded') return { messageId, recipients: record.recipients ?? 0, complete: true };
  const found = await getDay(record.dayId);
  if (!found) throw new NotFoundError();
  const { day, slots } = found;
  const now = new Date();
  let recipients = 0;
  let cursor: Record<string, unknown> | undefined;
  do {
    if (Date.now() >= deadline) return { messageId, recipients, complete: false };
    const page = await listBookings(day.dayId, 100, cursor);
    const puts = page.items.flatMap(({ personal, ...booking }) => {
      const slot = slots.find((s) => s.slotId === booking.slotId);
      // Personal data gone (its TTL, months after the day): no address to write to.
      if (!NOTICE_STATUSES.includes(booking.status) || !slot || !personal) return [];
      const content = dayNotice({ ...bookerFacts(booking, day, slot), text: record.text });
      const deliveries = firmDeliveries(personal);
      if (deliveries.length === 0) return [];
      return [
        messagePut(
          {
            about: `booking:${booking.code}`,
            kind: DAY_NOTICE_KIND,
            occasion: messageId,
            jurisdiction: day.jurisdiction,
            content,
            deliveries,
            expiresAt: personalExpiresAt(day.date),
          },
          now,
        ).Put,
      ];
    });
    await eachLimit(puts, 8, recordOne);
    recipients += puts.length;
    cursor = page.next;
  } while (cursor);
  try {
    await db().send(
      new UpdateCommand({
        TableName: tableName(),
        Key: keys.dayMessage(record.dayId, record.requestId),
        UpdateExpression: 'SET #status = :recorded, recipients = :n REMOVE scopePk, scopeSk',
        ConditionExpression: '#status = :recording',
        ExpressionAttributeNames: { '#status': 'status' },
        ExpressionAttributeValues: { ':recorded': 'recorded', ':recording': 'recording', ':n': recipients },
      }),
    );
  } catch (error) {
    if (!(error instanceof ConditionalCheckFailedException)) throw error;
    // A concurrent attempt of the same request finished first: its count is the answer.
    const done = await readRecord(record.dayId, record.requestId);
    return { messageId, recipients: done?.recipients ?? recipients, complete: true };
  }
  return { messageId, recipients, complete: true };
};

/**
 * POST …/messages: begins (or goes on with, or answers) the request `requestId` of a day. A new
 * message needs an open day (409 INVALID_TRANSITION for one cancelled: its bookers were told that).
 */
export const sendDayMessage = async (
  day: Day,
  input: DayMessageInput,
  identity: Identity,
  now: Date,
  deadline: number,
): Promise<DayMessageProgress> => {
  let record = await readRecord(day.dayId, input.requestId);
  if (!record) {
    if (day.status !== 'open') {
      throw new ConflictError('INVALID_TRANSITION', `A ${day.status} day's bookers cannot be messaged`);
    }
    await begin(day, input, identity, now);
    // Ours, or that of a concurrent attempt of the same request (then compared below).
    record = await readRecord(day.dayId, input.requestId);
    if (!record) throw new Error(`day message ${day.dayId}/${input.requestId} not found after its write`);
  }
  if (record.textHash !== hashOf(input.text)) {
    throw new ConflictError('ALREADY_EXISTS', 'This request id was used for another message');
  }
  return continueDayMessage(record, deadline);
};

/**
 * The `bookings` job: goes on with every day message a request left part-way (oldest first), until
 * none is left or `deadline` passes; answers how many bookers' messages it got to.
 */
export const resumeDayMessages = async (deadline: number): Promise<number> => {
  const open = await queryAll({
    IndexName: 'byScope',
    KeyConditionExpression: 'scopePk = :p',
    ExpressionAttributeValues: { ':p': keys.dayMessagesOpenPk() },
  });
  let recipients = 0;
  for (const item of open) {
    if (Date.now() >= deadline) break;
    const record = await readRecord(String(item.dayId), String(item.requestId));
    if (record) recipients += (await continueDayMessage(record, deadline)).recipients;
  }
  return recipients;
};
