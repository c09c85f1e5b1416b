import { sentLocally } from '../../infra/local/channels.ts';
import type { OutboxEntry } from '../../shared/outbox.ts';

/**
 * The one reader of what was sent, for every test: the entries the channel stand-ins of this test
 * process received (the integration tier starts them per file in channels-setup.ts; a runtime
 * started by a test adds its own), the same list `GET /api/local/outbox` answers. Oldest first.
 */
export const readOutbox = (): OutboxEntry[] => sentLocally();

export type SentEmail = Extract<OutboxEntry, { channel: 'email' }>;
export type SentText = Extract<OutboxEntry, { channel: 'sms' }>;
export type RobotPost = Extract<OutboxEntry, { channel: 'robot' }>;

export const sentEmails = (): SentEmail[] => readOutbox().filter((e): e is SentEmail => e.channel === 'email');
export const sentTexts = (): SentText[] => readOutbox().filter((e): e is SentText => e.channel === 'sms');
export const robotPosts = (): RobotPost[] => readOutbox().filter((e): e is RobotPost => e.channel === 'robot');

/** The same list from a running instance, through `GET /api/local/outbox` (e2e: the product may run in another process). */
export const fetchOutbox = async (url: string): Promise<OutboxEntry[]> =>
  ((await (await fetch(`${url}/api/local/outbox`)).json()) as { entries: OutboxEntry[] }).entries;

export const fetchEmails = async (url: string): Promise<SentEmail[]> =>
  (await fetchOutbox(url)).filter((e): e is SentEmail => e.channel === 'email');

/**
 * Waits until the outbox satisfies `predicate`, and answers its entries then: this process's
 * stand-ins, or a running instance's (`url`). Messages are sent after the request that records
 * them (rule 11), by the deliveries function the table's stream wakes; 5 s is the promise. Fails
 * naming what it saw.
 */
export const waitForOutbox = async (
  predicate: (entries: OutboxEntry[]) => boolean,
  { url, timeoutMs = 5000 }: { url?: string; timeoutMs?: number } = {},
): Promise<OutboxEntry[]> => {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const entries = url ? await fetchOutbox(url) : readOutbox();
    if (predicate(entries)) return entries;
    if (Date.now() > deadline) {
      throw new Error(
        `The outbox did not get what was awaited within ${timeoutMs} ms; it holds ${entries.length} entries`,
      );
    }
    await new Promise((r) => setTimeout(r, 50));
  }
};

/** The outgoing messages recorded about something (`booking:<code>`, `ledger:<id>`, `user:<name>`), as stored. */
export const messagesAbout = async (about: string): Promise<Record<string, unknown>[]> => {
  // Loaded on use: the store reads its table's name from the environment a test sets first.
  const { db, tableName } = await import('../../functions/lib/store/table.ts');
  const { QueryCommand } = await import('@aws-sdk/lib-dynamodb');
  const { keys } = await import('../../shared/keys.ts');
  const out = await db().send(
    new QueryCommand({
      TableName: tableName(),
      KeyConditionExpression: 'pk = :pk',
      ExpressionAttributeValues: { ':pk': keys.message({ about, kind: '', occasion: '' }).pk },
      ConsistentRead: true,
    }),
  );
  return out.Items ?? [];
};
