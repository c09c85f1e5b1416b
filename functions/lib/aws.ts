import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { ENV } from '../../shared/config.ts';
import { table } from '../../shared/table.ts';

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
    const client = DynamoDBDocumentClient.from(new DynamoDBClient({ endpoint }), {
      marshallOptions: { removeUndefinedValues: true },
    });
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
