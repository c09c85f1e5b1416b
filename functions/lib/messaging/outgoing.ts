import { randomUUID } from 'node:crypto';
import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { QueryCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { type Key, keys, type MessageId, type MessageState } from '../../../shared/keys.ts';
import { eachLimit } from '../store/concurrency.ts';
import { db, tableName } from '../store/table.ts';
import {
  type Content,
  claimRound,
  type Delivery,
  jittered,
  type Run,
  type SettleExtra,
  sendDue,
  settleRound,
  tallyOf,
  withOutcomes,
} from './deliveries.ts';

/**
 * Outgoing messages (rule 11: nothing is sent inside a request). A booking, a cancel, a promotion,
 * a day's cancellation, a resolved ledger item, a new staff account: each records its message in
 * its own transaction (`messagePut`), keyed by what it is about, its kind and occasion, so a retry
 * of the fact cannot record a second one. The message carries its deliveries (e-mail, SMS) and,
 * while one is due, sits in the `MSGDUE` queue with `wake` set.
 *
 * Delivery is triggered, not swept: in AWS the table's stream, filtered to records of type
 * `message` with `wake` (shared/functions.ts), invokes the `deliveries` function; locally the
 * runtime reads DynamoDB Local's stream and invokes the same handler. `deliverMessage` claims the
 * message's round (deliveries.ts; the claim removes `wake`, so its own writes wake nobody), sends
 * what is due, each retried with jittered backoff, and records every outcome. A message with a
 * failed delivery goes back into the queue at a jittered, growing retry time; the `bookings` job
 * sweeps the queue (`sweepMessages`) for those, and for any whose handler stopped after its claim
 * (the round is taken over once stale). Once every delivery went out its text is removed (it may
 * hold a booking code, a confirmation link, a temporary password); the subject and the outcomes stay.
 */
export const MAX_ATTEMPTS = 24;
/** A message is left to its trigger this long before the sweep takes it too. */
const SWEEP_GRACE_MS = 60_000;
const RETRY_BASE_MS = 2 * 60_000;
const RETRY_CAP_MS = 6 * 3600_000;
/** The value of `wake` (the stream's filter matches it). */
export const WAKE = '1';

export interface OutgoingMessage extends MessageId {
  /** Whose it is to look after (a day's, an item's, an account's jurisdiction). */
  readonly jurisdiction: string;
  readonly content: Content;
  readonly deliveries: readonly Delivery[];
  /** When its personal data (the addresses) expires: epoch seconds. */
  readonly expiresAt: number;
  /** Recorded but handed to no channel until `releaseMessage` (an invitation waits for its login). */
  readonly held?: boolean;
}

/** A firm's channels: e-mail when it gave one, and a text message when it gave a mobile (both when both). */
export const firmDeliveries = (contact: {
  readonly email?: string | null | undefined;
  readonly mobile?: string | null | undefined;
}): Delivery[] => [
  ...(contact.email ? [{ channel: 'email' as const, to: contact.email, status: 'pending' as const, attempts: 0 }] : []),
  ...(contact.mobile ? [{ channel: 'sms' as const, to: contact.mobile, status: 'pending' as const, attempts: 0 }] : []),
];

const queued = (id: MessageId, dueAt: string) => ({ ...keys.messageDue({ ...id, dueAt }), wake: WAKE });

/** The Put that records a message, only once per (about, kind, occasion); for the fact's transaction. */
export const messagePut = (message: OutgoingMessage, now: Date) => {
  const createdAt = now.toISOString();
  const { about, kind, occasion, jurisdiction, content, deliveries, expiresAt, held } = message;
  const id = { about, kind, occasion };
  return {
    Put: {
      TableName: tableName(),
      Item: {
        ...keys.message(id),
        ...(held
          ? { held: true }
          : deliveries.length > 0
            ? { ...queued(id, createdAt), ...keys.messageScope({ ...id, jurisdiction, status: 'pending', createdAt }) }
            : {}),
        type: 'message',
        messageId: randomUUID(),
        ...id,
        jurisdiction,
        createdAt,
        subject: content.subject,
        text: content.text,
        ...(content.attachments ? { attachments: content.attachments } : {}),
        ...(content.sms ? { sms: content.sms } : {}),
        deliveries,
        expiresAt,
      },
      ConditionExpression: 'attribute_not_exists(pk)',
    },
  };
};

/** Hands a held message to its channels (and wakes its trigger); false when it is not held (released already). */
export const releaseMessage = async (id: MessageId, now: Date): Promise<boolean> => {
  const due = queued(id, now.toISOString());
  try {
    await db().send(
      new UpdateCommand({
        TableName: tableName(),
        Key: keys.message(id),
        UpdateExpression: 'SET parentPk = :p, parentSk = :s, wake = :wake REMOVE held',
        ConditionExpression: 'held = :yes',
        ExpressionAttributeValues: { ':p': due.parentPk, ':s': due.parentSk, ':wake': WAKE, ':yes': true },
      }),
    );
    return true;
  } catch (error) {
    if (error instanceof ConditionalCheckFailedException) return false;
    throw error;
  }
};

/** The Delete of a message, for the transaction that undoes its fact (e.g. an account that could not be made). */
export const messageDelete = (id: MessageId) => ({ Delete: { TableName: tableName(), Key: keys.message(id) } });

const settledDelivery = (d: Delivery) => d.channel === 'inbox' || d.status === 'sent' || d.attempts >= MAX_ATTEMPTS;

/** When a message whose delivery failed is next due: 2, 4, 8 … minutes after, at most 6 h, jittered. */
const retryAt = (deliveries: readonly Delivery[], now: number) => {
  const runs = Math.max(1, ...deliveries.map((d) => (d.channel === 'inbox' ? 0 : Math.ceil(d.attempts / 3))));
  return new Date(now + jittered(Math.min(RETRY_CAP_MS, RETRY_BASE_MS * 2 ** (runs - 1)))).toISOString();
};

const contentOf = (item: Record<string, unknown>): Content => ({
  subject: String(item.subject ?? ''),
  text: String(item.text ?? ''),
  ...(item.attachments ? { attachments: item.attachments as Content['attachments'] } : {}),
  ...(item.sms ? { sms: item.sms as Content['sms'] } : {}),
});

/**
 * Delivers one recorded message: claims its round (nothing, if another run holds it), sends the
 * deliveries that are due and records each outcome in the write that hands the round back, with the
 * message's next place in the queue (or out of it, its text removed once all went out).
 */
export const deliverMessage = async (key: Key, run: Run): Promise<{ sent: number; failed: number }> => {
  const claimed = await claimRound(key, run);
  if (!claimed) return { sent: 0, failed: 0 };
  const { item } = claimed;
  if (item.type !== 'message' || item.held) {
    await settleRound(key, run, new Map());
    return { sent: 0, failed: 0 };
  }
  const deliveries = claimed.deliveries ?? [];
  const outcomes = await sendDue(deliveries, contentOf(item), run);
  const after = withOutcomes(deliveries, outcomes);
  const id = { about: String(item.about), kind: String(item.kind), occasion: String(item.occasion) };
  // Its place on the deliveries page (byScope) moves with its place in the queue: pending while a
  // delivery is due, failed once given up, gone once all went out. Set here too for a message
  // recorded held (an invitation), which enters the queue on release.
  const scope = (status: MessageState) =>
    keys.messageScope({
      ...id,
      jurisdiction: String(item.jurisdiction),
      status,
      createdAt: String(item.createdAt),
    });
  let extra: SettleExtra;
  if (!after.every(settledDelivery))
    extra = { set: { ...keys.messageDue({ ...id, dueAt: retryAt(after, Date.now()) }), ...scope('pending') } };
  else if (after.every((d) => d.channel === 'inbox' || d.status === 'sent'))
    extra = { remove: ['parentPk', 'parentSk', 'text', 'attachments', 'sms', 'scopePk', 'scopeSk'] };
  else extra = { remove: ['parentPk', 'parentSk'], set: scope('failed') };
  await settleRound(key, run, outcomes, extra);
  return tallyOf(outcomes);
};

/**
 * The sweep: delivers the queued messages whose time has come (a retry, or one its trigger did not
 * finish), oldest first, until the queue holds no more or `deadline` (epoch ms) passes.
 */
export const sweepMessages = async (run: Run, deadline: number) => {
  const tally = { messages: 0, sent: 0, failed: 0 };
  const upTo = `${new Date(Date.now() - SWEEP_GRACE_MS).toISOString()}#~`;
  let cursor: Record<string, unknown> | undefined;
  do {
    const page = await db().send(
      new QueryCommand({
        TableName: tableName(),
        IndexName: 'byParent',
        KeyConditionExpression: 'parentPk = :p AND parentSk <= :upTo',
        ExpressionAttributeValues: { ':p': keys.messagesDue().parentPk, ':upTo': upTo },
        Limit: 100,
        ExclusiveStartKey: cursor,
      }),
    );
    await eachLimit(page.Items ?? [], 8, async (item) => {
      const result = await deliverMessage({ pk: String(item.pk), sk: String(item.sk) }, run);
      tally.messages += 1;
      tally.sent += result.sent;
      tally.failed += result.failed;
    });
    cursor = page.LastEvaluatedKey;
  } while (cursor && Date.now() < deadline);
  return tally;
};
