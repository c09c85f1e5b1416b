import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import {
  BatchGetCommand,
  BatchWriteCommand,
  DynamoDBDocumentClient,
  GetCommand,
  QueryCommand,
  type QueryCommandInput,
} from '@aws-sdk/lib-dynamodb';
import { ENV } from '../../../shared/config.ts';
import type { Key } from '../../../shared/keys.ts';
import { table } from '../../../shared/table.ts';
import { eachLimit } from './concurrency.ts';

/** Reads a required environment variable, failing loudly at first use. */
export const env = (name: string): string => {
  const value = process.env[name];
  if (value === undefined || value === '') throw new Error(`Missing environment variable ${name}`);
  return value;
};

let cached: { endpoint: string | undefined; client: DynamoDBDocumentClient } | undefined;

/**
 * The table client, created on first use so the local runtime can set its endpoint
 * first (and anew if a restarted local runtime moved DynamoDB Local to another port).
 */
export const db = (): DynamoDBDocumentClient => {
  const endpoint = process.env[ENV.dynamoEndpoint] || undefined;
  if (!cached || cached.endpoint !== endpoint) {
    const base = new DynamoDBClient({ endpoint });
    // The SDK's logger middleware builds a redacted copy of every request and answer for its
    // logger, a no-op one here (we log ourselves): measurable CPU on a job of thousands of requests.
    base.middlewareStack.remove('loggerMiddleware');
    const client = DynamoDBDocumentClient.from(base, { marshallOptions: { removeUndefinedValues: true } });
    cached = { endpoint, client };
  }
  return cached.client;
};

export const tableName = (): string => env(ENV.tableName);

/** Attributes that are storage, not record: the keys, every index key, the kind and the TTL. */
const STORAGE_ATTRIBUTES = new Set<string>([
  table.partitionKey,
  table.sortKey,
  ...table.indexes.flatMap((i) => [i.partitionKey, i.sortKey]),
  table.ttlAttribute,
  'type',
]);

/** A stored item as the record it holds, without its storage attributes. */
export const fromItem = <T>(item: Record<string, unknown>): T =>
  Object.fromEntries(Object.entries(item).filter(([name]) => !STORAGE_ATTRIBUTES.has(name))) as T;

/** One record by its key (storage attributes left out), or undefined. */
export const getRecord = async <T>(key: Key, options: { consistent?: boolean } = {}): Promise<T | undefined> => {
  // No item has an empty key attribute (DynamoDB refuses to even look one up): a key built from a
  // request that decodes to nothing names no record.
  if (Object.values(key).some((part) => part === '')) return undefined;
  const out = await db().send(new GetCommand({ TableName: tableName(), Key: key, ConsistentRead: options.consistent }));
  return out.Item ? fromItem<T>(out.Item) : undefined;
};

/** The items of one partition (optionally those whose sort key starts with a prefix), in key order. */
export const queryPartition = async (
  pk: string,
  options: { skPrefix?: string; newestFirst?: boolean; limit?: number } = {},
): Promise<Record<string, unknown>[]> => {
  const out = await db().send(
    new QueryCommand({
      TableName: tableName(),
      KeyConditionExpression: options.skPrefix ? 'pk = :pk AND begins_with(sk, :sk)' : 'pk = :pk',
      ExpressionAttributeValues: options.skPrefix ? { ':pk': pk, ':sk': options.skPrefix } : { ':pk': pk },
      ScanIndexForward: !options.newestFirst,
      ...(options.limit ? { Limit: options.limit } : {}),
    }),
  );
  return out.Items ?? [];
};

/**
 * Reads many items by key: BatchGetItem in chunks of 100, four chunks at a time (an import's 5,000
 * firms were 50 reads one after another, about a second), retrying what DynamoDB left unprocessed
 * (with backoff). Answers the items found, each once, in no particular order. A key asked for twice
 * is read once: DynamoDB refuses a request that names one key twice, and callers may (two overdue
 * items of one firm look up the same pairing).
 */
export const batchGet = async (
  itemKeys: readonly Key[],
  /** `attributes`: only these (a projection, so a lookup of names does not carry whole records). */
  options: { consistent?: boolean; attributes?: readonly string[] } = {},
): Promise<Record<string, unknown>[]> => {
  const projection = options.attributes?.length
    ? {
        ProjectionExpression: options.attributes.map((_, i) => `#a${i}`).join(', '),
        ExpressionAttributeNames: Object.fromEntries(options.attributes.map((name, i) => [`#a${i}`, name])),
      }
    : {};
  const unique = [...new Map(itemKeys.map((k) => [`${k.pk}\u0000${k.sk}`, { pk: k.pk, sk: k.sk }])).values()];
  const found: Record<string, unknown>[] = [];
  const chunks: Record<string, unknown>[][] = [];
  for (let start = 0; start < unique.length; start += 100) chunks.push(unique.slice(start, start + 100));
  await eachLimit(chunks, 4, async (chunk) => {
    let pending = chunk;
    for (let attempt = 0; pending.length > 0; attempt++) {
      if (attempt > 0) await new Promise((r) => setTimeout(r, Math.min(1000, 25 * 2 ** attempt)));
      const out = await db().send(
        new BatchGetCommand({
          RequestItems: { [tableName()]: { Keys: pending, ConsistentRead: options.consistent, ...projection } },
        }),
      );
      found.push(...(out.Responses?.[tableName()] ?? []));
      pending = out.UnprocessedKeys?.[tableName()]?.Keys ?? [];
      if (attempt > 8 && pending.length > 0) throw new Error('BatchGetItem kept leaving keys unprocessed');
    }
  });
  return found;
};

/**
 * Writes many items without conditions: BatchWriteItem in chunks of 25, a few at once, retrying what
 * DynamoDB left unprocessed (with backoff). For items whose keys make a second write harmless.
 */
export const batchPut = async (items: readonly Record<string, unknown>[]) => {
  const chunks: Record<string, unknown>[][] = [];
  for (let start = 0; start < items.length; start += 25) chunks.push(items.slice(start, start + 25));
  await eachLimit(chunks, 4, async (chunk) => {
    let pending = chunk.map((Item) => ({ PutRequest: { Item } }));
    for (let attempt = 0; pending.length > 0; attempt++) {
      if (attempt > 8) throw new Error('BatchWriteItem kept leaving items unprocessed');
      if (attempt > 0) await new Promise((r) => setTimeout(r, Math.min(1000, 25 * 2 ** attempt)));
      const out = await db().send(new BatchWriteCommand({ RequestItems: { [tableName()]: pending } }));
      pending = (out.UnprocessedItems?.[tableName()] ?? []) as typeof pending;
    }
  });
};

/** Hands each page of a Query to `onPage`, following `LastEvaluatedKey`, so a caller need not hold them all. */
export const queryEach = async (
  input: Omit<QueryCommandInput, 'TableName' | 'ExclusiveStartKey'>,
  onPage: (items: Record<string, unknown>[]) => void,
) => {
  let start: Record<string, unknown> | undefined;
  do {
    const out = await db().send(new QueryCommand({ ...input, TableName: tableName(), ExclusiveStartKey: start }));
    onPage(out.Items ?? []);
    start = out.LastEvaluatedKey;
  } while (start);
};

/** Every item a Query selects, following `LastEvaluatedKey` page by page (for bounded collections). */
export const queryAll = async (input: Omit<QueryCommandInput, 'TableName' | 'ExclusiveStartKey'>) => {
  const items: Record<string, unknown>[] = [];
  await queryEach(input, (page) => items.push(...page));
  return items;
};

/**
 * The items a Query selects, at most `maxPages` pages (each up to DynamoDB's 1 MB): for views that
 * read a subtree within a budget; `complete` is false when more pages were left. With `enough`, it
 * stops after the page that brings that many items (a filtered count that needs only so many).
 */
export const queryPages = async (
  input: Omit<QueryCommandInput, 'TableName' | 'ExclusiveStartKey'>,
  maxPages: number,
  enough = Number.POSITIVE_INFINITY,
) => {
  const items: Record<string, unknown>[] = [];
  let start: Record<string, unknown> | undefined;
  let pages = 0;
  do {
    const out = await db().send(new QueryCommand({ ...input, TableName: tableName(), ExclusiveStartKey: start }));
    items.push(...(out.Items ?? []));
    start = out.LastEvaluatedKey;
    pages += 1;
  } while (start && pages < maxPages && items.length < enough);
  return { items, complete: start === undefined };
};
