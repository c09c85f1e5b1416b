import { UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { parentOf } from '../../../shared/jurisdictions.ts';
import { keys } from '../../../shared/keys.ts';
import { db, tableName } from '../store/table.ts';

export type Counter = 'contacted' | 'missed';

/** A county and the jurisdictions above it: each keeps its own counters, so any level reads one item. */
export const withAncestors = (county: string): string[] => {
  const codes = [county];
  for (let up = parentOf(county); up; up = parentOf(up)) codes.push(up);
  return codes;
};

/**
 * Counts by jurisdiction summed into every level above each (a county's counts also count for its
 * city and province): what a job writes, absolutely, as the counters of a period.
 */
export const rollUp = (byCode: ReadonlyMap<string, Readonly<Record<string, number>>>) => {
  const totals = new Map<string, Record<string, number>>();
  for (const [code, counts] of byCode)
    for (const at of withAncestors(code)) {
      const total = totals.get(at) ?? {};
      for (const [field, n] of Object.entries(counts)) total[field] = (total[field] ?? 0) + n;
      totals.set(at, total);
    }
  return totals;
};

/**
 * The Updates that count one fact of a month for a county and every level above it, to be written
 * in the same transaction as the fact (a contact, a nudge). Creating the item sets its trend keys.
 */
export const countUpdates = (month: string, county: string, counter: Counter) =>
  withAncestors(county).map((code) => {
    const { pk, sk, parentPk, parentSk } = keys.monthCounts(month, code);
    return {
      Update: {
        TableName: tableName(),
        Key: { pk, sk },
        UpdateExpression: 'ADD #counter :one SET parentPk = :pp, parentSk = :ps, code = :code, #month = :month',
        ExpressionAttributeNames: { '#counter': counter, '#month': 'month' },
        ExpressionAttributeValues: { ':one': 1, ':pp': parentPk, ':ps': parentSk, ':code': code, ':month': month },
      },
    };
  });

/** Sets a month's counters of one jurisdiction to values (absolute: writing them again changes nothing). */
export const setMonthCounts = async (month: string, code: string, values: Record<string, number>) => {
  const { pk, sk, parentPk, parentSk } = keys.monthCounts(month, code);
  const names = Object.keys(values);
  await db().send(
    new UpdateCommand({
      TableName: tableName(),
      Key: { pk, sk },
      UpdateExpression: `SET ${names.map((_, i) => `#f${i} = :v${i}`).join(', ')}, parentPk = :pp, parentSk = :ps, code = :code, #month = :month`,
      ExpressionAttributeNames: { ...Object.fromEntries(names.map((n, i) => [`#f${i}`, n])), '#month': 'month' },
      ExpressionAttributeValues: {
        ...Object.fromEntries(names.map((n, i) => [`:v${i}`, values[n]])),
        ':pp': parentPk,
        ':ps': parentSk,
        ':code': code,
        ':month': month,
      },
    }),
  );
};
