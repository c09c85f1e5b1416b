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
 *
 * Messages about the same thing (one booking: confirmed, then cancelled) are handed over one after
 * another in the stream's order, so a booker never hears "cancelled" before "confirmed"; different
 * bookings go side by side.
 */
const deliver = async (event: DynamoDBStreamEvent): Promise<DynamoDBBatchResponse> => {
  const run = newRun();
  const failures: DynamoDBBatchResponse['batchItemFailures'] = [];
  const byAbout = new Map<string, typeof event.Records>();
  for (const record of event.Records) {
    const pk = record.dynamodb?.Keys?.pk?.S;
    if (pk) byAbout.set(pk, [...(byAbout.get(pk) ?? []), record]);
  }
  await eachLimit([...byAbout.values()], 8, async (records) => {
    for (const record of records) {
      const pk = record.dynamodb?.Keys?.pk?.S as string;
      const sk = record.dynamodb?.Keys?.sk?.S;
      if (sk === undefined) continue;
      try {
        const result = await deliverMessage({ pk, sk }, run);
        logger.info('message delivered', { sk, ...result });
      } catch (error) {
        logger.error('message not delivered', { sk, error: error as Error });
        failures.push({ itemIdentifier: record.dynamodb?.SequenceNumber ?? '' });
      }
    }
  });
  return { batchItemFailures: failures };
};

export const handler = middy(deliver);
