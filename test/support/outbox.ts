import { readOutbox } from '../../infra/local/outbox.ts';
import type { OutboxEntry } from '../../shared/outbox.ts';

/**
 * Waits until the outbox (the local stand-in for what went out) satisfies `predicate`, and answers
 * its entries then. Messages are sent after the request that records them (rule 11), by the
 * deliveries function the table's stream wakes; 5 s is the promise. Fails naming what it saw.
 */
export const waitForOutbox = async (
  predicate: (entries: OutboxEntry[]) => boolean,
  { dir = process.env.OUTBOX_DIR as string, timeoutMs = 5000 }: { dir?: string; timeoutMs?: number } = {},
): Promise<OutboxEntry[]> => {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const entries = readOutbox(dir);
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
