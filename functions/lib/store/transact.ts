import { TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import { TransactWriteCommand, type TransactWriteCommandInput } from '@aws-sdk/lib-dynamodb';
import { db } from './table.ts';

export type Items = NonNullable<TransactWriteCommandInput['TransactItems']>;

/**
 * Runs one TransactWriteItems. Conflicts with a concurrent transaction on the same items
 * are retried with jittered backoff; failed conditions answer the indexes of the items
 * whose conditions failed, so the caller can map them to the right domain error.
 */
export const transact = async (
  items: Items,
  maxAttempts = 25,
): Promise<{ ok: true } | { ok: false; failed: number[] }> => {
  for (let attempt = 1; ; attempt++) {
    try {
      await db().send(new TransactWriteCommand({ TransactItems: items }));
      return { ok: true };
    } catch (error) {
      if (!(error instanceof TransactionCanceledException)) throw error;
      const reasons = error.CancellationReasons ?? [];
      const failed = reasons.flatMap((r, i) => (r.Code === 'ConditionalCheckFailed' ? [i] : []));
      if (failed.length > 0) return { ok: false, failed };
      const conflict = reasons.some((r) => r.Code === 'TransactionConflict' || r.Code === 'ThrottlingError');
      if (!conflict || attempt >= maxAttempts) throw error;
      const ceiling = Math.min(1000, 20 * 2 ** Math.min(attempt, 6));
      await new Promise((r) => setTimeout(r, Math.random() * ceiling));
    }
  }
};
