import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { PutCommand } from '@aws-sdk/lib-dynamodb';
import { ENV } from '../../../shared/config.ts';
import type { Key } from '../../../shared/keys.ts';
import type { WebhookConfig } from '../../../shared/webhooks.ts';
import type { UserProfile } from '../accounts/profiles.ts';
import { eachLimit } from '../store/concurrency.ts';
import { batchGet, batchPut, db, tableName } from '../store/table.ts';
import { transact } from '../store/transact.ts';
import {
  type Content,
  claimRound,
  type Delivery,
  deliver,
  heldRound,
  type Run,
  sendDue,
  tallyOf,
  withOutcomes,
} from './deliveries.ts';
import { inboxItem } from './inbox.ts';
import { nearestWebhook } from './webhooks.ts';

/**
 * Messages of the scheduled jobs (nudges, digests): each claimed once by a conditional Put, a
 * hundred per transaction; its inbox entries written after the claim, its outside channels
 * delivered once each (deliveries.ts), then the message written whole with what was sent.
 */
export const PARALLEL = 16;

export const consoleLink = (path: string) => `${process.env[ENV.siteUrl] ?? ''}${path}`;

export interface Message {
  readonly key: Key;
  readonly item: Record<string, unknown>;
  readonly inboxFor: readonly string[];
  readonly content: Content;
  readonly link: string;
}

/**
 * A message's claim: its key, id and creation time, only if new, with this run holding its first
 * round. Small, since a transaction's items are what cost most; the whole message is written once
 * its round is settled.
 */
const claimPut = (message: Message, run: Run) => ({
  Put: {
    TableName: tableName(),
    Item: { ...message.key, messageId: message.item.messageId, createdAt: message.item.createdAt, ...heldRound(run) },
    ConditionExpression: 'attribute_not_exists(pk)',
  },
});

/** The whole message as stored once its round is settled (the round handed back by leaving it out). */
const whole = (message: Message, createdAt: string, deliveries: readonly Delivery[]) => ({
  ...message.key,
  ...message.item,
  createdAt,
  deliveries,
});

/**
 * A message's inbox entry for one person, keyed by the message's creation time and id, so writing
 * it again writes the same item.
 */
const inboxEntry = (message: Message, username: string, at: string) =>
  inboxItem({
    username,
    at,
    messageId: String(message.item.messageId),
    kind: String(message.item.kind),
    title: message.content.subject,
    text: message.content.text,
    link: message.link,
  });

/**
 * Writes the inbox entries of a message found in a round taken over from a run that stopped before
 * settling it (it may have stopped before its inbox entries too): each only if missing, so one
 * already read stays read.
 */
const restoreInbox = async (message: Message, at: string) => {
  await eachLimit(message.inboxFor, 4, async (username) => {
    await db()
      .send(
        new PutCommand({
          TableName: tableName(),
          Item: inboxEntry(message, username, at),
          ConditionExpression: 'attribute_not_exists(pk)',
        }),
      )
      .catch((error: unknown) => {
        if (!(error instanceof ConditionalCheckFailedException)) throw error;
      });
  });
};

export interface Stored {
  readonly message: Message;
  readonly created: boolean;
  /** The deliveries as stored (or, while only claimed, as this run would make them). */
  readonly deliveries: Delivery[];
  /** When the message was created (its inbox entries' key). */
  readonly createdAt: string;
  /** Its round was held when read: by this run (created), by another still working on it, or by one that stopped. */
  readonly held: boolean;
}

/**
 * Creates messages (nudges, digests): a claim per message, a hundred per transaction, each only if
 * the message does not exist, then the inbox entries of those claimed, 25 per BatchWriteItem. A
 * message that exists (a re-run, a concurrent run) fails its transaction on its own condition: the
 * others go again without it, and the existing ones are read back as stored. A run that stops
 * before settling leaves its claim with the round held; the run that takes the round over, once
 * stale, writes the inbox entries that are missing and the message whole (`deliverAll`).
 */
export const createMany = async (messages: readonly Message[], run: Run): Promise<Stored[]> => {
  const chunks: Message[][] = [];
  for (let start = 0; start < messages.length; start += 100) chunks.push(messages.slice(start, start + 100));
  const stored: Stored[] = [];
  const existing: Message[] = [];
  await eachLimit(chunks, 4, async (chunk) => {
    let pending = chunk;
    while (pending.length > 0) {
      const result = await transact(pending.map((m) => claimPut(m, run)));
      if (result.ok) {
        for (const message of pending)
          stored.push({
            message,
            created: true,
            deliveries: deliveriesOf(message),
            createdAt: createdAtOf(message),
            held: true,
          });
        return;
      }
      const failed = new Set(result.failed);
      existing.push(...pending.filter((_, i) => failed.has(i)));
      pending = pending.filter((_, i) => !failed.has(i));
    }
  });
  await batchPut(
    stored.flatMap(({ message, createdAt }) =>
      message.inboxFor.map((username) => inboxEntry(message, username, createdAt)),
    ),
  );
  const found = new Map(
    (
      await batchGet(
        existing.map((m) => m.key),
        { consistent: true },
      )
    ).map((item) => [`${item.pk}|${item.sk}`, item]),
  );
  for (const message of existing) {
    const item = found.get(`${message.key.pk}|${message.key.sk}`);
    stored.push({
      message,
      created: false,
      deliveries: (item?.deliveries as Delivery[] | undefined) ?? deliveriesOf(message),
      createdAt: String(item?.createdAt ?? createdAtOf(message)),
      held: item?.round !== undefined,
    });
  }
  return stored;
};

/**
 * Takes over the round of a message another run holds, if stale (its run stopped before settling;
 * a run still working on it keeps it): writes the inbox entries that are missing, each only if
 * absent so a read one stays read, sends what is due, and writes the message whole while this run
 * still holds the round.
 */
const takeOver = async ({ message, createdAt }: Stored, run: Run) => {
  const claimed = await claimRound(message.key, run);
  if (!claimed) return { sent: 0, failed: 0 };
  await restoreInbox(message, createdAt);
  const deliveries = claimed.deliveries ?? deliveriesOf(message);
  const outcomes = await sendDue(deliveries, message.content, run);
  await db().send(
    new PutCommand({
      TableName: tableName(),
      Item: whole(message, createdAt, withOutcomes(deliveries, outcomes)),
      ConditionExpression: '#round = :run',
      ExpressionAttributeNames: { '#round': 'round' },
      ExpressionAttributeValues: { ':run': run.id },
    }),
  );
  return tallyOf(outcomes);
};

const deliveriesOf = (message: Message) => message.item.deliveries as Delivery[];
const createdAtOf = (message: Message) => String(message.item.createdAt);

/**
 * Delivers the outside channels of stored messages. Those this run created it holds the round of
 * already: it sends, then writes each message whole, 25 per BatchWriteItem and without a condition,
 * since a round is taken over only once older than the jobs function may run (deliveries.ts), so
 * no other run can have written it meanwhile. Those held by another run are taken over if stale;
 * the others go through `deliver`, which claims each round before sending what is still due.
 */
export const deliverAll = async (stored: readonly Stored[], run: Run, tally: { sent: number; failed: number }) => {
  const settled: Record<string, unknown>[] = [];
  await eachLimit(stored, PARALLEL, async (s) => {
    let result: { sent: number; failed: number };
    if (s.created) {
      const outcomes = await sendDue(s.deliveries, s.message.content, run);
      settled.push(whole(s.message, s.createdAt, withOutcomes(s.deliveries, outcomes)));
      result = tallyOf(outcomes);
    } else if (s.held) {
      result = await takeOver(s, run);
    } else {
      result = await deliver(s.message.key, s.deliveries, s.message.content, run);
    }
    tally.sent += result.sent;
    tally.failed += result.failed;
  });
  await batchPut(settled);
};

/** Each person's inbox (sent with the message), then the e-mail of each who has one (pending). */
export const deliveriesOfPeople = (people: readonly UserProfile[]): Delivery[] => [
  ...people.map((person): Delivery => ({ channel: 'inbox', to: person.username, status: 'sent' })),
  ...people.flatMap((person): Delivery[] =>
    person.email ? [{ channel: 'email', to: person.email, status: 'pending', attempts: 0 }] : [],
  ),
];

/** A message's deliveries to `people`, and the robot of `webhookAt` (or the nearest above) if one is set. */
export const deliveriesFor = async (
  people: readonly UserProfile[],
  webhookAt: string | undefined,
  webhooks: Map<string, Promise<WebhookConfig | undefined>>,
): Promise<Delivery[]> => {
  const list = deliveriesOfPeople(people);
  const robot = webhookAt ? await nearestWebhook(webhookAt, webhooks) : undefined;
  if (robot) {
    const { jurisdiction, ...webhook } = robot;
    list.push({ channel: 'webhook', to: jurisdiction, webhook, status: 'pending', attempts: 0 });
  }
  return list;
};

/**
 * A weekly digest run's messages (one per lead): each recorded once by its claim, then delivered by
 * this run when it made it (a rerun or a concurrent run finds it claimed and sends nothing).
 */
export const sendWeeklyDigests = async (messages: readonly Message[], run: Run) => {
  const stored = await createMany(messages, run);
  const tally = { sent: 0, failed: 0 };
  await deliverAll(stored, run, tally);
  return { digestsCreated: stored.filter((s) => s.created).length, ...tally };
};
