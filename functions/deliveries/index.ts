import middy from '@middy/core';
import type { DynamoDBBatchResponse, DynamoDBStreamEvent } from 'aws-lambda';
import { logger } from '../lib/http/log.ts';
import { newRun } from '../lib/messaging/deliveries.ts';
import { deliverMessage } from '../lib/messaging/outgoing.ts';
import { eachLimit } from '../lib/store/concurrency.ts';

/**
 * The `deliveries` function: invoked with the table's stream records of outgoing messages that were
 * just recorded or released (the event source mapping's filter, shared/functions.ts: type `message`
 * with `wake`), it hands each to its channels (outgoing.ts `deliverMessage`: the round claimed
 * first, so a record seen twice sends nothing twice). A channel's failure is recorded on the message
 * and retried by the sweep; only a failure to read or write the table fails the record, reported
 * alone (`batchItemFailures`) so the mapping retries it without the others.
 */
const deliver = async (event: DynamoDBStreamEvent): Promise<DynamoDBBatchResponse> => {
  const run = newRun();
  const failures: DynamoDBBatchResponse['batchItemFailures'] = [];
  await eachLimit(event.Records, 8, async (record) => {
    const pk = record.dynamodb?.Keys?.pk?.S;
    const sk = record.dynamodb?.Keys?.sk?.S;
    if (!pk || sk === undefined) return;
    try {
      const result = await deliverMessage({ pk, sk }, run);
      logger.info('message delivered', { sk, ...result });
    } catch (error) {
      logger.error('message not delivered', { sk, error: error as Error });
      failures.push({ itemIdentifier: record.dynamodb?.SequenceNumber ?? '' });
    }
  });
  return { batchItemFailures: failures };
};

export const handler = middy(deliver);
