import { createHash } from 'node:crypto';
import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { keys } from '../../../shared/keys.ts';
import { db, tableName } from '../store/table.ts';
import { RateLimitedError } from './errors.ts';

/**
 * Fixed-window counters in the table (rule 13: one client cannot flood a public route). Each hit is
 * one conditional UpdateItem: ADD 1 while under `max`, so concurrent hits never overshoot; a refused
 * hit counts nothing. A window's counter expires by TTL an hour after the window ends. Windows are
 * aligned to Asia/Shanghai midnight, so a "day" window is the calendar day the bureau means.
 *
 * The subject (a mobile number, a USCC, later a firm's SMS sign-in) is hashed with the limit's name
 * before it becomes a key: a mobile number is personal data and must not sit in a key for an hour
 * beyond its use. (A hash of an 11-digit number can be reversed by trying them all; the counter
 * holds nothing but a count, so that is acceptable here.)
 */
export interface Limit {
  /** Names the counter (part of its key); stable across deployments. */
  readonly name: string;
  readonly max: number;
  readonly windowSeconds: number;
  /** The refusal's message: the same for every limit that must not be told apart. */
  readonly message: string;
}

const SHANGHAI_OFFSET_MS = 8 * 3600_000;

const windowOf = (limit: Limit, now: Date) => {
  const size = limit.windowSeconds * 1000;
  const start = Math.floor((now.getTime() + SHANGHAI_OFFSET_MS) / size) * size - SHANGHAI_OFFSET_MS;
  return { start, end: start + size };
};

/** The refusal a limit answers when spent: 429 RATE_LIMITED, `Retry-After` the window's end. */
export const refusal = (limit: Limit, now: Date): RateLimitedError =>
  new RateLimitedError(limit.message, (windowOf(limit, now).end - now.getTime()) / 1000);

const subjectHash = (limit: Limit, subject: string) =>
  createHash('sha256').update(`${limit.name}\u0000${subject}`).digest('base64url').slice(0, 22);

/** Counts one hit of `subject` against `limit`; throws the limit's refusal once `max` hits are in the window. */
export const hit = async (limit: Limit, subject: string, now: Date): Promise<void> => {
  const { start, end } = windowOf(limit, now);
  try {
    await db().send(
      new UpdateCommand({
        TableName: tableName(),
        Key: keys.rateWindow(limit.name, subjectHash(limit, subject), start / 1000),
        UpdateExpression: 'ADD hits :one SET #type = :type, expiresAt = :expires',
        ConditionExpression: 'attribute_not_exists(hits) OR hits < :max',
        ExpressionAttributeNames: { '#type': 'type' },
        ExpressionAttributeValues: {
          ':one': 1,
          ':max': limit.max,
          ':type': 'rateWindow',
          ':expires': Math.floor(end / 1000) + 3600,
        },
      }),
    );
  } catch (error) {
    if (error instanceof ConditionalCheckFailedException) throw refusal(limit, now);
    throw error;
  }
};
