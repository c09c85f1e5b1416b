import { DescribeTableCommand, type DynamoDBClient } from '@aws-sdk/client-dynamodb';
import {
  DescribeStreamCommand,
  DynamoDBStreamsClient,
  ExpiredIteratorException,
  GetRecordsCommand,
  type GetRecordsCommandOutput,
  GetShardIteratorCommand,
  type _Record as StreamRecord,
} from '@aws-sdk/client-dynamodb-streams';
import type { StreamTrigger } from '../../shared/functions.ts';
import { lambdaContext } from './event.ts';

/**
 * The local stand-in for a Lambda event source mapping on the table's stream: reads DynamoDB
 * Local's stream (the DynamoDB Streams API, as Lambda's poller does), keeps the records the
 * trigger's filter pattern matches, and invokes the function's handler with batches shaped as
 * Lambda sends them. A failed batch is retried from its first failed record (`batchItemFailures`,
 * or the whole batch when the handler throws) up to `retryAttempts`, then logged and skipped, as the
 * mapping would send it to its on-failure destination.
 */
export interface StreamPump {
  /**
   * Stops reading (records wait in the stream), e.g. for a test that looks at what a request alone
   * did; resolves once a read under way has finished.
   */
  pause(): Promise<void>;
  resume(): void;
  stop(): Promise<void>;
}

// biome-ignore lint/suspicious/noExplicitAny: any Lambda handler; the pump hands it a stream event
type Handler = (event: any, context: any) => Promise<unknown>;

export interface StreamPumpOptions {
  readonly client: DynamoDBClient;
  readonly endpoint: string;
  readonly tableName: string;
  readonly functionName: string;
  readonly timeoutSeconds: number;
  readonly trigger: StreamTrigger;
  readonly handler: () => Promise<Handler>;
  readonly log: (line: Record<string, unknown>) => void;
  /** How long to wait between reads when the stream had nothing new. */
  readonly idleMs?: number;
}

/**
 * Whether `value` matches a Lambda event filter `pattern` (the subset the product uses: nested
 * objects, lists of allowed values, `{ exists: boolean }`).
 */
export const matchesFilter = (pattern: unknown, value: unknown): boolean => {
  if (Array.isArray(pattern)) {
    return pattern.some((allowed) =>
      allowed !== null && typeof allowed === 'object' && 'exists' in allowed
        ? (value !== undefined) === Boolean((allowed as { exists: unknown }).exists)
        : allowed === value,
    );
  }
  if (pattern !== null && typeof pattern === 'object') {
    return Object.entries(pattern).every(([key, inner]) =>
      matchesFilter(
        inner,
        value !== null && typeof value === 'object' ? (value as Record<string, unknown>)[key] : undefined,
      ),
    );
  }
  return pattern === value;
};

/** A stream record as Lambda hands it over (dates as epoch seconds). */
const asLambdaRecord = (record: StreamRecord, streamArn: string) => ({
  eventID: record.eventID,
  eventName: record.eventName,
  eventVersion: record.eventVersion,
  eventSource: 'aws:dynamodb',
  awsRegion: record.awsRegion ?? 'us-east-1',
  dynamodb: {
    ...record.dynamodb,
    ApproximateCreationDateTime: record.dynamodb?.ApproximateCreationDateTime
      ? Math.floor(record.dynamodb.ApproximateCreationDateTime.getTime() / 1000)
      : undefined,
  },
  eventSourceARN: streamArn,
});

export const startStreamPump = async (options: StreamPumpOptions): Promise<StreamPump> => {
  const { trigger, log } = options;
  const idleMs = options.idleMs ?? 200;
  const table = await options.client.send(new DescribeTableCommand({ TableName: options.tableName }));
  const streamArn = table.Table?.LatestStreamArn;
  if (!streamArn) throw new Error(`Table ${options.tableName} has no stream`);
  const streams = new DynamoDBStreamsClient({
    endpoint: options.endpoint,
    region: 'us-east-1',
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
  });
  /** Open shards and where this pump stands in each. */
  const iterators = new Map<string, string>();
  const finished = new Set<string>();
  let paused = false;
  let stopped = false;
  let lastDiscovery = 0;

  const discover = async () => {
    const out = await streams.send(new DescribeStreamCommand({ StreamArn: streamArn }));
    for (const shard of out.StreamDescription?.Shards ?? []) {
      const id = shard.ShardId;
      if (!id || iterators.has(id) || finished.has(id)) continue;
      // From the oldest record kept: nothing written before the pump started is missed (a record
      // seen again is harmless; delivery claims each message's round first).
      const it = await streams.send(
        new GetShardIteratorCommand({ StreamArn: streamArn, ShardId: id, ShardIteratorType: 'TRIM_HORIZON' }),
      );
      if (it.ShardIterator) iterators.set(id, it.ShardIterator);
    }
    lastDiscovery = Date.now();
  };

  const invoke = async (records: StreamRecord[]) => {
    let pending = records;
    for (let attempt = 0; attempt <= trigger.retryAttempts && pending.length > 0; attempt++) {
      const handler = await options.handler();
      let failedFrom = -1;
      try {
        const result = (await handler(
          { Records: pending.map((r) => asLambdaRecord(r, streamArn)) },
          lambdaContext(options.functionName, options.timeoutSeconds),
        )) as { batchItemFailures?: { itemIdentifier: string }[] } | undefined;
        const failed = new Set((result?.batchItemFailures ?? []).map((f) => f.itemIdentifier));
        failedFrom = pending.findIndex((r) => failed.has(r.dynamodb?.SequenceNumber ?? ''));
      } catch (error) {
        log({ level: 'error', msg: 'stream batch failed', fn: options.functionName, error: String(error) });
        failedFrom = 0;
      }
      if (failedFrom < 0) return;
      pending = pending.slice(failedFrom);
      await new Promise((r) => setTimeout(r, 100 * 2 ** attempt));
    }
    log({ level: 'error', msg: 'stream records given up', fn: options.functionName, records: pending.length });
  };

  const pollOnce = async (): Promise<boolean> => {
    if (Date.now() - lastDiscovery > 2000 || iterators.size === 0) await discover();
    let any = false;
    for (const [shardId, iterator] of [...iterators]) {
      let out: GetRecordsCommandOutput;
      try {
        out = await streams.send(new GetRecordsCommand({ ShardIterator: iterator, Limit: 1000 }));
      } catch (error) {
        if (!(error instanceof ExpiredIteratorException)) throw error;
        iterators.delete(shardId); // found again (from its oldest record) by the next discovery
        lastDiscovery = 0;
        continue;
      }
      if (out.NextShardIterator) iterators.set(shardId, out.NextShardIterator);
      else {
        iterators.delete(shardId);
        finished.add(shardId);
      }
      const matching = (out.Records ?? []).filter((r) => matchesFilter(trigger.filter, r));
      for (let start = 0; start < matching.length; start += trigger.batchSize) {
        any = true;
        await invoke(matching.slice(start, start + trigger.batchSize));
      }
    }
    return any;
  };

  let current: Promise<unknown> = Promise.resolve();
  const loop = (async () => {
    while (!stopped) {
      let busy = false;
      if (!paused) {
        const poll = pollOnce();
        current = poll.catch(() => undefined);
        try {
          busy = await poll;
        } catch (error) {
          if (!stopped)
            log({ level: 'error', msg: 'stream read failed', fn: options.functionName, error: String(error) });
        }
      }
      // Unref'd: an idle trigger never keeps a process (a test worker) alive.
      if (!busy) await new Promise((r) => setTimeout(r, idleMs).unref());
    }
  })();

  return {
    pause: async () => {
      paused = true;
      await current;
    },
    resume: () => {
      paused = false;
    },
    stop: async () => {
      stopped = true;
      await loop;
      streams.destroy();
    },
  };
};
