import { ENV } from '../../shared/config.ts';
import { type Key, keys } from '../../shared/keys.ts';
import type { WebhookConfig } from '../../shared/webhooks.ts';
import { batchGet, tableName } from './aws.ts';
import {
  type Content,
  type Delivery,
  deliver,
  heldRound,
  type Run,
  sendDue,
  settleRounds,
  tallyOf,
} from './deliveries.ts';
import { transact } from './transact.ts';
import type { UserProfile } from './users.ts';
import { nearestWebhook } from './webhooks.ts';

/**
 * Messages of the scheduled jobs (nudges, digests): each created once with its inbox entries, many
 * per transaction, then its outside channels delivered once each (deliveries.ts).
 */
export const PARALLEL = 16;

/** Runs `fn` over `items`, `limit` at a time. */
export const eachLimit = async <T>(items: readonly T[], limit: number, fn: (item: T) => Promise<void>) => {
  let next = 0;
  const worker = async () => {
    while (next < items.length) await fn(items[next++] as T);
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
};

export const consoleLink = (path: string) => `${process.env[ENV.siteUrl] ?? ''}${path}`;

export interface Message {
  readonly key: Key;
  readonly item: Record<string, unknown>;
  readonly inboxFor: readonly string[];
  readonly content: Content;
  readonly link: string;
}

/** A message's transaction items: the message, only if new (its creator holds the first round), and its inbox entries. */
const messageWrites = (message: Message, at: string, run: Run) => {
  const id = String(message.item.messageId);
  return [
    {
      Put: {
        TableName: tableName(),
        Item: { ...message.key, ...message.item, ...heldRound(run) },
        ConditionExpression: 'attribute_not_exists(pk)',
      },
    },
    ...message.inboxFor.map((username) => ({
      Put: {
        TableName: tableName(),
        Item: {
          ...keys.inbox(username, at, id),
          type: 'inbox',
          messageId: id,
          username,
          at,
          kind: message.item.kind,
          title: message.content.subject,
          text: message.content.text,
          link: message.link,
          read: false,
        },
      },
    })),
  ];
};

export interface Stored {
  readonly message: Message;
  readonly created: boolean;
  readonly deliveries: Delivery[];
}

/**
 * Creates messages (nudges, digests) with their inbox entries, as many per transaction as fit in a
 * hundred items, each only if it does not exist. A message that exists (a re-run, a concurrent run)
 * fails its transaction on its own condition: the others go again without it, and the existing ones
 * are read back with their deliveries as stored.
 */
export const createMany = async (messages: readonly Message[], now: Date, run: Run): Promise<Stored[]> => {
  const at = now.toISOString();
  const chunks: Message[][] = [];
  let size = 0;
  for (const message of messages) {
    const items = 1 + message.inboxFor.length;
    const last = chunks.at(-1);
    if (!last || size + items > 100) {
      chunks.push([message]);
      size = items;
    } else {
      last.push(message);
      size += items;
    }
  }
  const stored: Stored[] = [];
  const existing: Message[] = [];
  await eachLimit(chunks, 4, async (chunk) => {
    let pending = chunk;
    while (pending.length > 0) {
      const writes = pending.map((m) => messageWrites(m, at, run));
      const result = await transact(writes.flat());
      if (result.ok) {
        for (const message of pending) stored.push({ message, created: true, deliveries: deliveriesOf(message) });
        return;
      }
      // Each message's first item is its own conditional Put: map the failed indexes back to messages.
      const starts: number[] = [];
      let offset = 0;
      for (const w of writes) {
        starts.push(offset);
        offset += w.length;
      }
      const failed = new Set(result.failed);
      const refused = pending.filter((_, i) => failed.has(starts[i] ?? -1));
      if (refused.length === 0) throw new Error('A message transaction failed on an inbox entry');
      existing.push(...refused);
      pending = pending.filter((m) => !refused.includes(m));
    }
  });
  const found = new Map(
    (
      await batchGet(
        existing.map((m) => m.key),
        { consistent: true },
      )
    ).map((item) => [`${item.pk}|${item.sk}`, (item.deliveries ?? []) as Delivery[]]),
  );
  for (const message of existing)
    stored.push({ message, created: false, deliveries: found.get(`${message.key.pk}|${message.key.sk}`) ?? [] });
  return stored;
};

const deliveriesOf = (message: Message) => message.item.deliveries as Delivery[];

/**
 * Delivers the outside channels of stored messages: those this run created it holds already, sends
 * and settles together (a hundred per transaction); the others go one by one through `deliver`,
 * which claims each round first.
 */
export const deliverAll = async (stored: readonly Stored[], run: Run, tally: { sent: number; failed: number }) => {
  const settled: { key: Key; outcomes: Awaited<ReturnType<typeof sendDue>> }[] = [];
  await eachLimit(stored, PARALLEL, async ({ message, created, deliveries }) => {
    let result: { sent: number; failed: number };
    if (created) {
      const outcomes = await sendDue(deliveries, message.content, run);
      settled.push({ key: message.key, outcomes });
      result = tallyOf(outcomes);
    } else {
      result = await deliver(message.key, deliveries, message.content, run);
    }
    tally.sent += result.sent;
    tally.failed += result.failed;
  });
  await settleRounds(settled, run);
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
