import { keys } from '../../../shared/keys.ts';
import type { LedgerItemInput } from '../../../shared/ledger.ts';
import { isLowRating, type Rating, type RatingInput, type StoredRating } from '../../../shared/ratings.ts';
import { workingDaysAfter } from '../../../shared/working-days.ts';
import { ConflictError } from '../http/errors.ts';
import { inboxItem } from '../messaging/inbox.ts';
import { consoleLink } from '../messaging/job-messages.ts';
import { staffDirectory } from '../messaging/recipients.ts';
import { auditPut } from '../store/audit.ts';
import { tableName } from '../store/table.ts';
import { transact } from '../store/transact.ts';
import { ledgerCountUpdates, satisfactionCountUpdates } from './counts.ts';
import { getLedgerItem, type LedgerItem, newLedgerItemWrites } from './ledger.ts';

/**
 * 好差评: a firm rates how one of its closed ledger items was handled, once. The rating is kept on
 * the item (`rating`), so the firm's record, the recount and the item read it alone; it is written by
 * one conditional Update (closed, not rated yet) in the same transaction as the satisfaction counters
 * of the firm's county and every level above, its audit event, and, for a low rating, the call-back
 * the unit's leads owe the firm: an inbox entry for each lead and a ledger follow-up item. So a rating
 * is counted exactly once, and a low one never goes without its call-back (rule 12).
 */

/** Who rates: the signed-in firm, or whoever holds the firm's confirmation link for the item. */
export type RatedVia = StoredRating['via'];

/** Working days the leads have to call the firm back after a low rating. */
export const CALLBACK_WORKING_DAYS = 2;
/**
 * Leads told at most (one inbox entry each, in the rating's transaction of at most 100 writes; the
 * rest of the transaction is at most 14): a unit has a handful of leads, never this many.
 */
const MAX_CALLBACK_LEADS = 60;

/** The item with its rating, as the firm's record and the confirmation page read it. */
export const ratingOf = (item: Pick<LedgerItem, 'rating'>): Rating | null =>
  item.rating ? { stars: item.rating.stars, comment: item.rating.comment ?? null, at: item.rating.at } : null;

/** The follow-up item a low rating raises on the unit's board: call the firm back, by working days. */
const callbackInput = (item: LedgerItem, rating: Rating, now: Date): LedgerItemInput => {
  const said = rating.comment ? `企业留言：“${rating.comment}”。` : '企业未留言。';
  return {
    uscc: item.uscc,
    title: `差评回访：${item.title}`.slice(0, 100),
    detail:
      `企业对已销号事项“${item.title}”的办理评价为 ${rating.stars} 星（满分 5 星）。${said}请联系领导回访企业，了解不满意的原因并记录回访情况。`.slice(
        0,
        2000,
      ),
    source: 'rating',
    severity: rating.stars <= 1 ? 'high' : 'medium',
    dueOn: workingDaysAfter(now, CALLBACK_WORKING_DAYS).lastDay,
    ownerDepartment: '工作专班',
    sourceRef: `rating:${item.itemId}`,
  };
};

/**
 * Rates `item` (already checked to be the caller's): 409 NOT_CLOSED unless closed, 409 ALREADY_RATED
 * on a second rating, however many arrive at once (the Update's condition decides, in the transaction
 * with the counters). Answers the rating and, for a low one, the follow-up item's id.
 */
export const rateLedgerItem = async (
  item: LedgerItem,
  input: RatingInput,
  via: RatedVia,
  now: Date,
): Promise<{ rating: Rating; callbackItemId: string | null }> => {
  if (item.rating) throw new ConflictError('ALREADY_RATED', 'This item has been rated already');
  if (item.state !== 'closed') throw new ConflictError('NOT_CLOSED', 'Only a closed item can be rated');
  const at = now.toISOString();
  const rating: StoredRating = { stars: input.stars, comment: input.comment ?? null, at, via };
  const firm = { username: `firm:${item.uscc}`, role: 'firm' };
  const low = isLowRating(rating.stars);
  const leads = low
    ? ((await staffDirectory().nearestLeads(item.holder))?.leads ?? [])
        .filter((lead) => (lead as { enabled?: boolean }).enabled !== false)
        .slice(0, MAX_CALLBACK_LEADS)
    : [];
  const callback = low
    ? newLedgerItemWrites(callbackInput(item, rating, now), { county: item.county, name: item.firmName }, firm, at)
    : undefined;
  const link = callback ? consoleLink(`/staff/ledger/item/?id=${callback.item.itemId}`) : '';
  const result = await transact([
    {
      Update: {
        TableName: tableName(),
        Key: keys.ledgerItem(item.itemId),
        UpdateExpression: 'SET rating = :rating',
        // The item's own firm, closed, and not rated: the one place a second rating is refused.
        ConditionExpression:
          'attribute_exists(pk) AND uscc = :uscc AND #state = :closed AND attribute_not_exists(rating)',
        ExpressionAttributeNames: { '#state': 'state' },
        ExpressionAttributeValues: { ':rating': rating, ':uscc': item.uscc, ':closed': 'closed' },
      },
    },
    auditPut(
      firm,
      {
        entity: `ledger:${item.itemId}`,
        jurisdiction: item.county,
        action: 'ledger.rated',
        after: { ...rating, callbackItemId: callback?.item.itemId ?? null },
      },
      at,
    ),
    ...satisfactionCountUpdates(item.county, rating),
    ...(callback
      ? [
          ...callback.writes,
          ...ledgerCountUpdates(item.county, [{ item: callback.item, event: 'raised', at }]),
          ...leads.map((lead) => ({
            Put: {
              TableName: tableName(),
              Item: inboxItem({
                username: lead.username,
                at,
                messageId: `callback:${item.itemId}`,
                kind: 'callback',
                title: `差评回访：${item.firmName}`,
                text: `${item.firmName}（${item.uscc}）对已销号事项“${item.title}”评价 ${rating.stars} 星${rating.comment ? `：“${rating.comment}”` : ''}。请于${callback.item.dueOn}前回访企业：${link}`,
                link,
              }),
            },
          })),
        ]
      : []),
  ]);
  if (!result.ok) {
    // Another rating won, or the item changed since it was read: say which, from the item as it is.
    const now = await getLedgerItem(item.itemId);
    if (now?.rating) throw new ConflictError('ALREADY_RATED', 'This item has been rated already');
    throw new ConflictError('NOT_CLOSED', 'Only a closed item can be rated');
  }
  return { rating: ratingOf({ rating }) as Rating, callbackItemId: callback?.item.itemId ?? null };
};
