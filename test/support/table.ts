import { randomUUID } from 'node:crypto';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { inject, vi } from 'vitest';
import { ensureTable } from '../../infra/local/dynamo.ts';
import { startStreamPump } from '../../infra/local/streams.ts';
import { functions, MESSAGE_STREAM } from '../../shared/functions.ts';

/**
 * Points the handlers at a fresh table of the shared definition in the tier's
 * DynamoDB Local. Call before importing any handler module.
 */
export const useFreshTable = async (): Promise<{ tableName: string; client: DynamoDBClient }> => {
  const endpoint = inject('dynamoEndpoint');
  const tableName = `test-${randomUUID()}`;
  Object.assign(process.env, {
    TABLE_NAME: tableName,
    DYNAMODB_ENDPOINT: endpoint,
    AWS_REGION: 'us-east-1',
    AWS_ACCESS_KEY_ID: 'local',
    AWS_SECRET_ACCESS_KEY: 'local',
    APP_VERSION: '9.9.9-test',
    // Mail and text messages go to the channel stand-ins (channels-setup.ts set their endpoints).
    MAIL_FROM: 'no-reply@example.test',
    // Links in messages and the firm issuer's address (CloudFront's origin in AWS); a test may set its own.
    SITE_URL: process.env.SITE_URL ?? 'https://eco.example.test',
    POWERTOOLS_LOG_LEVEL: process.env.POWERTOOLS_LOG_LEVEL ?? 'WARN',
  });
  const client = new DynamoDBClient({
    endpoint,
    region: 'us-east-1',
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
  });
  await ensureTable(client, tableName);
  return { tableName, client };
};

export type Handler = (event: unknown, context: unknown) => Promise<unknown>;

/**
 * A fresh table, then the function modules loaded against it (as Lambda would load them), with the
 * table's stream waking the deliveries function as its event source mapping does in AWS (`streams`
 * pauses it, e.g. to see what a request alone did).
 */
export const useFunctions = async () => {
  const { tableName, client } = await useFreshTable();
  const load = async (fn: string) => ((await import(`../../functions/${fn}/index.ts`)) as { handler: Handler }).handler;
  const deliveriesFn = await load('deliveries');
  const streams = await startStreamPump({
    client,
    endpoint: inject('dynamoEndpoint'),
    tableName,
    functionName: 'deliveries',
    timeoutSeconds: functions.deliveries.timeoutSeconds,
    trigger: MESSAGE_STREAM,
    handler: async () => deliveriesFn,
    log: (line) => {
      if (line.level === 'error') console.error(JSON.stringify(line));
    },
  });
  return {
    tableName,
    doc: DynamoDBDocumentClient.from(client),
    publicFn: await load('public'),
    staffFn: await load('staff'),
    jobsFn: await load('jobs'),
    deliveriesFn,
    streams,
  };
};

/**
 * Puts `around` between the product and the table: every command the document client sends goes
 * through it, with `send` passing the command on unchanged (to count requests, read their keys, or
 * stop before the nth, as a Lambda killed there). `vi.restoreAllMocks()` takes it away.
 */
export const aroundTableCommands = (around: (command: unknown, send: () => Promise<unknown>) => Promise<unknown>) => {
  const original = DynamoDBDocumentClient.prototype.send;
  vi.spyOn(DynamoDBDocumentClient.prototype, 'send').mockImplementation(function (
    this: DynamoDBDocumentClient,
    command: unknown,
  ) {
    // biome-ignore lint/suspicious/noExplicitAny: passes the command on unchanged
    return around(command, () => (original as any).call(this, command));
  } as typeof original);
};

/** The commands the document client sends from now on, in order (see `aroundTableCommands`). */
export const watchTableCommands = (): unknown[] => {
  const sent: unknown[] = [];
  aroundTableCommands((command, send) => {
    sent.push(command);
    return send();
  });
  return sent;
};
