import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { ENV } from '../../shared/config.ts';

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
