import { nameOf } from '../../../shared/jurisdictions.ts';
import { keys } from '../../../shared/keys.ts';
import { firstDayOf, isJudged, monthBefore } from '../../../shared/monthly.ts';
import { NotFoundError, ValidationError } from '../http/errors.ts';
import type { Identity } from '../http/identity.ts';
import { inScope } from '../http/scope.ts';
import { ledgerStatsOfItems, type ParkCounted } from '../ledger/counts.ts';
import { missedEntry, nudgesOf } from '../pairings/compliance.ts';
import { listPairings } from '../pairings/pairings.ts';
import { eachLimit } from '../store/concurrency.ts';
import { fromItem, queryAll } from '../store/table.ts';
import { enterpriseViews, listEnterprises } from './enterprises.ts';
import { readParks } from './parks.ts';

/**
 * The compliance view and the ledger statistics of one industrial park (issue 19). A park lies in
 * one county, so rather than keep counters per park in every contact's, nudge's and item's
 * transaction, they are counted from the facts of that county, a bounded recount. Compliance: one
 * Query of the county's pairings, their firms in BatchGets of a hundred, one Query of nudges per month
 * shown (12). Ledger: the county's roster (Query pages of 1,000), then one Query per firm of the park
 * for its items. A county holds tens to a few hundred paired firms, so this stays a handful of reads. It counts by the park the firm has now (a firm that moved park counts
 * for its new one), and `judged` of the month still running counts the pairings judged now.
 */

/** A park the caller may read: out of scope (or no park of its county at all) 404, as every record. */
export const parkInScope = async (me: Identity, park: string) => {
  const county = park.slice(0, 6);
  if (!inScope(me, county)) throw new NotFoundError();
  const found = (await readParks(county)).parks.find((p) => p.id === park);
  if (!found) throw new ValidationError({ park: 'No such park in its county' });
  return { county, park: found };
};

/** The firms among `usccs` whose park is `park` (as readers see them). */
const firmsOfPark = async (usccs: readonly string[], park: string): Promise<Set<string>> =>
  new Set([...(await enterpriseViews(usccs)).values()].filter((e) => e.park === park).map((e) => e.uscc));

const countsOf = (judged: number, contacted: number, missed: number) => ({
  judged,
  contacted,
  missed,
  rate: judged > 0 ? Math.min(1, contacted / judged) : null,
});

/** GET /api/staff/compliance?park=: the month's counts, missed pairings and 12-month trend of a park's firms. */
export const parkCompliance = async (me: Identity, month: string, parkId: string) => {
  const { county, park } = await parkInScope(me, parkId);
  const all = await listPairings({ jurisdiction: county, prefix: county });
  const inPark = await firmsOfPark(
    all.map((p) => p.uscc),
    parkId,
  );
  const pairings = all.filter((p) => inPark.has(p.uscc));
  const ids = new Set(pairings.map((p) => p.pairingId));
  const months = Array.from({ length: 12 }, (_, i) => monthBefore(month, 11 - i));
  const nudges = await Promise.all(months.map((m) => (pairings.length > 0 ? nudgesOf(m, county, 'missed') : [])));
  const missedOf = (i: number) => (nudges[i] ?? []).filter((n) => ids.has(n.pairingId));
  const countsIn = (m: string, i: number) =>
    countsOf(
      pairings.filter((p) => isJudged(p, m)).length,
      pairings.filter((p) => p.startsOn <= firstDayOf(m) && (p.qualifyingMonths ?? []).includes(m)).length,
      missedOf(i).length,
    );
  return {
    month,
    jurisdiction: { code: county, name: { zh: nameOf(county), en: nameOf(county, 'en') } },
    park: { id: park.id, name: park.name },
    totals: countsIn(month, 11),
    children: [],
    missed: missedOf(11).map(missedEntry),
    trend: months.map((m, i) => ({ month: m, ...countsIn(m, i) })),
  };
};

/** GET /api/staff/ledger-stats?park=: the ledger statistics of a park's firms, counted from their items. */
export const parkLedgerStats = async (me: Identity, parkId: string, from: string, to: string, now: Date) => {
  const { county, park } = await parkInScope(me, parkId);
  // The park's firms from the county's roster, then each firm's items (an item handed over to the
  // city is held there, so the queue of the county would miss it; the firm's own list does not).
  const firms: string[] = [];
  let cursor: Record<string, unknown> | undefined;
  do {
    const page = await listEnterprises({ jurisdiction: county, limit: 1000, cursor });
    firms.push(...page.items.filter((e) => e.park === parkId).map((e) => e.uscc));
    cursor = page.next;
  } while (cursor);
  const items: ParkCounted[] = [];
  await eachLimit(firms, 8, async (uscc) => {
    const found = await queryAll({
      IndexName: 'byParent',
      KeyConditionExpression: 'parentPk = :pp',
      ExpressionAttributeValues: { ':pp': keys.ledgersOfFirm(uscc).parentPk },
    });
    items.push(...found.filter((i) => i.type === 'ledgerItem').map((i) => fromItem<ParkCounted>(i)));
  });
  return {
    jurisdiction: county,
    park: { id: park.id, name: park.name },
    ...ledgerStatsOfItems(items, from, to, now),
  };
};
