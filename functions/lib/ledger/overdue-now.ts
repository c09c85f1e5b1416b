import { QueryCommand } from '@aws-sdk/lib-dynamodb';
import { keys } from '../../../shared/keys.ts';
import { batchGet, db, fromItem, tableName } from '../store/table.ts';
import { isOverdue, type LedgerItem, listLedgerItems } from './ledger.ts';

/**
 * Overdue items for the console home (issue 18), read in bounded steps (a unit's count comes from
 * the due-date counters, counts.ts `overdueCount`): a unit's first items from the open
 * items by due date (byJudging `LEDGEROPEN`, most overdue first, a few pages at most); a liaison's
 * from the items of the firms it serves (one Query per firm, about ten).
 */

/** Index pages read to find a unit's first overdue items among the province's (each `PAGE` entries). */
const PAGES = 3;
const PAGE = 200;

/**
 * The first `n` overdue items whose firm's county passes `reach`, most overdue first. The index
 * holds every open item of the province by due date; a unit whose items lie deep in it may get
 * fewer than `n` (its count still comes from the counters), never a long read.
 */
export const firstOverdueInUnit = async (reach: (county: string) => boolean, today: string, n: number) => {
  const ids: { pk: string; sk: string }[] = [];
  let start: Record<string, unknown> | undefined;
  for (let page = 0; page < PAGES && ids.length < n; page++) {
    const out = await db().send(
      new QueryCommand({
        TableName: tableName(),
        IndexName: 'byJudging',
        KeyConditionExpression: 'judgePk = :p AND judgeSk < :today',
        ExpressionAttributeValues: { ':p': keys.openLedgerPartition().judgePk, ':today': today },
        Limit: PAGE,
        ExclusiveStartKey: start,
      }),
    );
    for (const hit of out.Items ?? [])
      if (ids.length < n && reach(String(hit.county))) ids.push({ pk: String(hit.pk), sk: String(hit.sk) });
    start = out.LastEvaluatedKey;
    if (!start) break;
  }
  return sortByDue((await batchGet(ids)).map((i) => fromItem<LedgerItem>(i)));
};

/** The overdue items of some firms (a liaison's), most overdue first. */
export const overdueOfFirms = async (usccs: readonly string[], now: Date) => {
  const lists = await Promise.all(usccs.map((uscc) => listLedgerItems({ uscc, prefix: '' })));
  return sortByDue(lists.flat().filter((item) => isOverdue(item, now)));
};

const sortByDue = (items: LedgerItem[]) =>
  items.sort((a, b) => a.dueOn.localeCompare(b.dueOn) || a.itemId.localeCompare(b.itemId));
