import { GetCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { keys, type MessageId, type MessageState } from '../../../shared/keys.ts';
import type { Identity } from '../http/identity.ts';
import { auditPut } from '../store/audit.ts';
import { db, tableName } from '../store/table.ts';
import { transact } from '../store/transact.ts';
import type { Delivery } from './deliveries.ts';
import { WAKE } from './outgoing.ts';

/**
 * The deliveries page's reads and its one write (the store side of functions/staff/deliveries.ts):
 * the messages of a jurisdiction subtree with a delivery still due or given up, read from byScope
 * (`MSGS#pending` / `MSGS#failed`, kept by outgoing.ts), and the retry of a given-up message.
 */

/** One page of messages of one state under a jurisdiction prefix, oldest first. */
export const messagesUnder = async (
  where: { status: MessageState; prefix: string; kind?: string | undefined },
  page: { limit: number; start: Record<string, unknown> | undefined },
) => {
  const out = await db().send(
    new QueryCommand({
      TableName: tableName(),
      IndexName: 'byScope',
      KeyConditionExpression: 'scopePk = :p AND begins_with(scopeSk, :prefix)',
      ...(where.kind ? { FilterExpression: '#kind = :kind', ExpressionAttributeNames: { '#kind': 'kind' } } : {}),
      ExpressionAttributeValues: {
        ':p': keys.messagesOf(where.status).scopePk,
        ':prefix': where.prefix,
        ...(where.kind ? { ':kind': where.kind } : {}),
      },
      Limit: page.limit,
      ExclusiveStartKey: page.start,
    }),
  );
  return { items: out.Items ?? [], lastKey: out.LastEvaluatedKey };
};

/** The most a count reads per state: the console home shows "1000+" beyond it. */
export const COUNT_CAP = 1000;

/** How many messages of one state lie under a prefix, counting at most `COUNT_CAP` (a few bounded Query pages). */
export const countUnder = async (status: MessageState, prefix: string) => {
  let count = 0;
  let start: Record<string, unknown> | undefined;
  do {
    const out = await db().send(
      new QueryCommand({
        TableName: tableName(),
        IndexName: 'byScope',
        KeyConditionExpression: 'scopePk = :p AND begins_with(scopeSk, :prefix)',
        ExpressionAttributeValues: { ':p': keys.messagesOf(status).scopePk, ':prefix': prefix },
        Select: 'COUNT',
        Limit: COUNT_CAP - count,
        ExclusiveStartKey: start,
      }),
    );
    count += out.Count ?? 0;
    start = out.LastEvaluatedKey;
  } while (start && count < COUNT_CAP);
  return { count, capped: start !== undefined };
};

/** A message as stored (consistent), or undefined. */
export const readMessage = async (id: MessageId) => {
  const out = await db().send(new GetCommand({ TableName: tableName(), Key: keys.message(id), ConsistentRead: true }));
  return out.Item;
};

/**
 * Puts a given-up message (or job digest) back in its queue: each failed delivery pending again with its attempts
 * reset (its last error kept), a sent one untouched (so never resent), `wake` set so the table's
 * stream hands it to the deliveries function now, and its place on the page back to pending; with
 * its audit event, in one transaction. Only if it is still given up and its failed deliveries are
 * those read (a concurrent retry, or a round in between, answers false: nothing written twice).
 */
export const requeueMessage = async (
  identity: Pick<Identity, 'username' | 'role'>,
  item: Record<string, unknown>,
  now: Date,
): Promise<boolean> => {
  const id = { about: String(item.about), kind: String(item.kind), occasion: String(item.occasion) };
  const jurisdiction = String(item.jurisdiction);
  const deliveries = (item.deliveries ?? []) as Delivery[];
  const failed = deliveries.flatMap((d, index) => (d.channel !== 'inbox' && d.status === 'failed' ? [index] : []));
  if (failed.length === 0) return false;
  const at = now.toISOString();
  // A job's digest goes back into the queue of the digests' later rounds (the `bookings` job's,
  // every 5 minutes), which send it paced; any other message into the deliveries function's, now.
  const digest = item.type === 'nudgeDigest';
  const key = keys.message(id);
  const due = digest ? keys.nudgeDigestDue(at, `${key.pk}#${key.sk}`) : keys.messageDue({ ...id, dueAt: at });
  const scope = keys.messageScope({ ...id, jurisdiction, status: 'pending', createdAt: String(item.createdAt) });
  const sets = [
    'parentPk = :pp',
    'parentSk = :ps',
    'scopePk = :sp',
    'scopeSk = :ss',
    ...(digest ? [] : ['wake = :wake']),
    ...failed.flatMap((i) => [`deliveries[${i}].#status = :pending`, `deliveries[${i}].attempts = :zero`]),
  ];
  const result = await transact([
    {
      Update: {
        TableName: tableName(),
        Key: key,
        UpdateExpression: `SET ${sets.join(', ')}`,
        ConditionExpression: [
          'scopePk = :was',
          'attribute_not_exists(parentPk)',
          'attribute_not_exists(#round)',
          ...failed.map((i) => `deliveries[${i}].#status = :failed`),
        ].join(' AND '),
        ExpressionAttributeNames: { '#status': 'status', '#round': 'round' },
        ExpressionAttributeValues: {
          ':pp': due.parentPk,
          ':ps': due.parentSk,
          ':sp': scope.scopePk,
          ':ss': scope.scopeSk,
          ...(digest ? {} : { ':wake': WAKE }),
          ':pending': 'pending',
          ':failed': 'failed',
          ':zero': 0,
          ':was': keys.messagesOf('failed').scopePk,
        },
      },
    },
    auditPut(
      identity,
      {
        entity: id.about,
        jurisdiction,
        action: 'message.retry',
        before: { kind: id.kind, occasion: id.occasion, failed: failed.map((i) => deliveries[i]?.channel) },
      },
      at,
    ),
  ]);
  return result.ok;
};
