import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { PutCommand } from '@aws-sdk/lib-dynamodb';
import { ENV } from '../../shared/config.ts';
import { type Key, keys } from '../../shared/keys.ts';
import type { WebhookConfig } from '../../shared/webhooks.ts';
import { batchGet, batchPut, db, tableName } from './aws.ts';
import { eachLimit } from './concurrency.ts';
import {
  type Content,
  type Delivery,
  deliver,
  heldRound,
  type Run,
  sendDue,
  tallyOf,
  withOutcomes,
} from './deliveries.ts';
import { transact } from './transact.ts';
import type { UserProfile } from './users.ts';
import { nearestWebhook } from './webhooks.ts';

/**
 * Messages of the scheduled jobs (nudges, digests): each created once, many per transaction, with its
 * inbox entries, then its outside channels delivered once each (deliveries.ts).
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

/** A message's conditional Put: only if new, and its creator holds the first round. */
const messagePut = (message: Message, run: Run) => ({
  Put: {
    TableName: tableName(),
    Item: { ...message.key, ...message.item, ...heldRound(run) },
    ConditionExpression: 'attribute_not_exists(pk)',
  },
});

/**
 * A message's inbox entry for one person, keyed by the message's creation time and id, so writing
 * it again writes the same item.
 */
const inboxEntry = (message: Message, username: string, at: string) => ({
  ...keys.inbox(username, at, String(message.item.messageId)),
  type: 'inbox',
  messageId: message.item.messageId,
  username,
  at,
  kind: message.item.kind,
  title: message.content.subject,
  text: message.content.text,
  link: message.link,
  read: false,
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
  readonly deliveries: Delivery[];
  /** An existing message's creation time (its inbox entries' key). */
  readonly createdAt?: string;
  /** An existing message whose round was not handed back when read (a run working on it, or one that stopped). */
  readonly held?: boolean;
}

/**
 * Creates messages (nudges, digests), a hundred per transaction, each only if it does not exist,
 * then the inbox entries of those created, 25 per BatchWriteItem. A message that exists (a re-run,
 * a concurrent run) fails its transaction on its own condition: the others go again without it,
 * and the existing ones are read back with their deliveries as stored. A run that stops between
 * the two writes leaves its round held; the run that takes the round over writes the inbox entries
 * that are missing (`deliverAll`), so settling a round always comes after its inbox entries.
 */
export const createMany = async (messages: readonly Message[], run: Run): Promise<Stored[]> => {
  const chunks: Message[][] = [];
  for (let start = 0; start < messages.length; start += 100) chunks.push(messages.slice(start, start + 100));
  const stored: Stored[] = [];
  const existing: Message[] = [];
  await eachLimit(chunks, 4, async (chunk) => {
    let pending = chunk;
    while (pending.length > 0) {
      const result = await transact(pending.map((m) => messagePut(m, run)));
      if (result.ok) {
        for (const message of pending) stored.push({ message, created: true, deliveries: deliveriesOf(message) });
        return;
      }
      const failed = new Set(result.failed);
      existing.push(...pending.filter((_, i) => failed.has(i)));
      pending = pending.filter((_, i) => !failed.has(i));
    }
  });
  await batchPut(
    stored.flatMap(({ message }) =>
      message.inboxFor.map((username) => inboxEntry(message, username, String(message.item.createdAt))),
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
      deliveries: (item?.deliveries ?? []) as Delivery[],
      createdAt: String(item?.createdAt ?? message.item.createdAt),
      held: item?.round !== undefined,
    });
  }
  return stored;
};

const deliveriesOf = (message: Message) => message.item.deliveries as Delivery[];

/**
 * Delivers the outside channels of stored messages. Those this run created it holds the round of
 * already: it sends, then writes each settled message whole, 25 per BatchWriteItem and without a
 * condition, since a round is taken over only once stale, longer after its creation than the jobs
 * function may run (deliveries.ts), so no other run can have written it meanwhile. The others go
 * one by one through `deliver`, which claims each round first.
 */
export const deliverAll = async (stored: readonly Stored[], run: Run, tally: { sent: number; failed: number }) => {
  const settled: Record<string, unknown>[] = [];
  await eachLimit(stored, PARALLEL, async ({ message, created, deliveries, held, createdAt }) => {
    let result: { sent: number; failed: number };
    if (created) {
      const outcomes = await sendDue(deliveries, message.content, run);
      settled.push({ ...message.key, ...message.item, deliveries: withOutcomes(deliveries, outcomes) });
      result = tallyOf(outcomes);
    } else {
      result = await deliver(message.key, deliveries, message.content, run, {
        held,
        onClaim: () => restoreInbox(message, createdAt ?? String(message.item.createdAt)),
      });
    }
    tally.sent += result.sent;
    tally.failed += result.failed;
  });
  await batchPut(settled);
};

export const deliveriesFor = async (
  people: readonly UserProfile[],
  webhookAt: string | undefined,
  webhooks: Map<string, Promise<WebhookConfig | undefined>>,
): Promise<Delivery[]> => {
  const list: Delivery[] = [];
  for (const person of people) list.push({ channel: 'inbox', to: person.username, status: 'sent' });
  for (const person of people) {
    if (person.email) list.push({ channel: 'email', to: person.email, status: 'pending', attempts: 0 });
  }
  const robot = webhookAt ? await nearestWebhook(webhookAt, webhooks) : undefined;
  if (robot) {
    const { jurisdiction, ...webhook } = robot;
    list.push({ channel: 'webhook', to: jurisdiction, webhook, status: 'pending', attempts: 0 });
  }
  return list;
};
