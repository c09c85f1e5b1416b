import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { ENV } from '../../shared/config.ts';

/** Reads a required environment variable, failing loudly at first use. */
export const env = (name: string): string => {
  const value = process.env[name];
  if (value === undefined || value === '') throw new Error(`Missing environment variable ${name}`);
  return value;
};

let documentClient: DynamoDBDocumentClient | undefined;

/** The table client, created on first use so the local runtime can set its endpoint first. */
export const db = (): DynamoDBDocumentClient => {
  documentClient ??= DynamoDBDocumentClient.from(
    new DynamoDBClient({ endpoint: process.env[ENV.dynamoEndpoint] || undefined }),
    { marshallOptions: { removeUndefinedValues: true } },
  );
  return documentClient;
};

export const tableName = (): string => env(ENV.tableName);
