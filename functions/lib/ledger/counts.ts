import { keys } from '../../../shared/keys.ts';
import { OPEN_STATES, SEVERITIES, type Severity } from '../../../shared/ledger.ts';
import { monthBefore, monthOf } from '../../../shared/monthly.ts';
import { isLowRating } from '../../../shared/ratings.ts';
import { shanghaiDate } from '../../../shared/time.ts';
import { withAncestors } from '../pairings/counters.ts';
import { fromItem, queryAll, tableName } from '../store/table.ts';

/**
 * The ledger's counters, written in the same transactions as the facts (an item raised, closed,
 * cancelled) for the firm's county and every level above: per month raised / closed / cancelled by
 * severity and a histogram of days to close; per due date the items still open (so "overdue now" is
 * one Query of the dates before today); per month the firms' ratings (好差评: count, stars, low ones).
 * `ledgerStats` reads them; `recountLedger` rebuilds them.
 */
type Event = 'raised' | 'closed' | 'cancelled';

/** What the counters need of an item (a structural view of ledger.ts's LedgerItem). */
interface Counted {
  severity: Severity;
  createdAt: string;
  dueOn: string;
}

interface Recounted extends Counted {
  county: string;
  state: string;
  closedAt: string | null;
  /** The newest move; items written before moves had records of their own kept a `history`. */
  lastMove?: { at: string };
  history?: { at: string }[];
  /** The firm's rating (好差评), once the item is closed and rated. */
  rating?: { stars: number; at: string };
}

const daysBetween = (from: string, to: string) =>
  Math.max(0, Math.round((new Date(to).getTime() - new Date(from).getTime()) / 86_400_000));

/** The counter Updates for some facts of one firm (several items at once for a check-up's submit). */
export const ledgerCountUpdates = (county: string, facts: { item: Counted; event: Event; at: string }[]) => {
  const monthAdds = new Map<string, Map<string, number>>();
  const dueAdds = new Map<string, number>();
  const add = (map: Map<string, number>, name: string, n: number) => map.set(name, (map.get(name) ?? 0) + n);
  for (const { item, event, at } of facts) {
    const month = monthOf(new Date(at));
    const adds = monthAdds.get(month) ?? new Map<string, number>();
    monthAdds.set(month, adds);
    add(adds, event, 1);
    add(adds, `${event}_${item.severity}`, 1);
    if (event === 'closed') add(adds, `d${Math.min(daysBetween(item.createdAt, at), 999)}`, 1);
    add(dueAdds, item.dueOn, event === 'raised' ? 1 : -1);
  }
  return withAncestors(county).flatMap((code) => [
    ...[...monthAdds].map(([month, adds]) => {
      const { pk, sk, parentPk, parentSk } = keys.ledgerCounts(month, code);
      const names = [...adds.keys()];
      return {
        Update: {
          TableName: tableName(),
          Key: { pk, sk },
          UpdateExpression: `ADD ${names.map((_, i) => `#c${i} :c${i}`).join(', ')} SET parentPk = :pp, parentSk = :ps, code = :code, #month = :month`,
          ExpressionAttributeNames: { ...Object.fromEntries(names.map((n, i) => [`#c${i}`, n])), '#month': 'month' },
          ExpressionAttributeValues: {
            ...Object.fromEntries(names.map((n, i) => [`:c${i}`, adds.get(n)])),
            ':pp': parentPk,
            ':ps': parentSk,
            ':code': code,
            ':month': month,
          },
        },
      };
    }),
    ...[...dueAdds].map(([dueOn, n]) => ({
      Update: {
        TableName: tableName(),
        Key: keys.ledgerDue(code, dueOn),
        UpdateExpression: 'ADD #open :n SET dueOn = :due',
        ExpressionAttributeNames: { '#open': 'open' },
        ExpressionAttributeValues: { ':n': n, ':due': dueOn },
      },
    })),
  ]);
};

/** What the satisfaction counters need of a rating (functions/lib/ledger/ratings.ts). */
interface Rated {
  stars: number;
  at: string;
}

/** The satisfaction counters of a month: how many ratings, their stars summed, how many were low. */
export const SATISFACTION_FIELDS = ['rated', 'stars', 'low'] as const;
type SatisfactionField = (typeof SATISFACTION_FIELDS)[number];

/** The counter adds of one rating. */
const ratingAdds = (rating: Rated): Record<SatisfactionField, number> => ({
  rated: 1,
  stars: rating.stars,
  low: isLowRating(rating.stars) ? 1 : 0,
});

/**
 * The satisfaction counter Updates of one rating, for the firm's county and every level above, to be
 * written in the rating's own transaction: a rating is counted exactly when it is stored.
 */
export const satisfactionCountUpdates = (county: string, rating: Rated) => {
  const month = monthOf(new Date(rating.at));
  const adds = ratingAdds(rating);
  return withAncestors(county).map((code) => {
    const { pk, sk, parentPk, parentSk } = keys.satisfactionCounts(month, code);
    return {
      Update: {
        TableName: tableName(),
        Key: { pk, sk },
        UpdateExpression:
          'ADD #rated :rated, #stars :stars, #low :low SET parentPk = :pp, parentSk = :ps, code = :code, #month = :month',
        ExpressionAttributeNames: { '#rated': 'rated', '#stars': 'stars', '#low': 'low', '#month': 'month' },
        ExpressionAttributeValues: {
          ':rated': adds.rated,
          ':stars': adds.stars,
          ':low': adds.low,
          ':pp': parentPk,
          ':ps': parentSk,
          ':code': code,
          ':month': month,
        },
      },
    };
  });
};

/** Satisfaction of a jurisdiction over months `from`..`to`, from its counters: one Query. */
const satisfactionOf = async (jurisdiction: string, from: string, to: string) =>
  satisfactionView(
    await queryAll({
      IndexName: 'byParent',
      KeyConditionExpression: 'parentPk = :pp AND parentSk BETWEEN :from AND :to',
      ExpressionAttributeValues: { ':pp': keys.satisfactionTrendOf(jurisdiction).parentPk, ':from': from, ':to': to },
    }),
  );

/** Satisfaction from month items (`parentSk` the month; `rated`, `stars`, `low`), in month order. */
const satisfactionView = (months: readonly Record<string, unknown>[]) => {
  const view = (rated: number, stars: number, low: number) => ({
    rated,
    stars,
    low,
    // Average stars, null with no rating: "no rating yet" is not "0 stars".
    average: rated > 0 ? stars / rated : null,
  });
  const sum = (name: SatisfactionField) => months.reduce((n, item) => n + Number(item[name] ?? 0), 0);
  return {
    ...view(sum('rated'), sum('stars'), sum('low')),
    months: months.map((item) => ({
      month: String(item.parentSk),
      ...view(Number(item.rated ?? 0), Number(item.stars ?? 0), Number(item.low ?? 0)),
    })),
  };
};

interface Totals {
  raised: number;
  closed: number;
  cancelled: number;
  completionRate: number | null;
}

const totalsOf = (sum: (name: string) => number, suffix = ''): Totals => {
  const raised = sum(`raised${suffix}`);
  const closed = sum(`closed${suffix}`);
  return { raised, closed, cancelled: sum(`cancelled${suffix}`), completionRate: raised > 0 ? closed / raised : null };
};

/** How many items of the unit `code` (and below) are open past their due date: one Query of its dates before today. */
export const overdueCount = async (code: string, today: string) => {
  const due = await queryAll({
    KeyConditionExpression: 'pk = :pk AND sk < :today',
    ExpressionAttributeValues: { ':pk': keys.ledgerDue(code, '').pk, ':today': today },
  });
  return due.reduce((n, item) => n + Number(item.open ?? 0), 0);
};

/** Stats of a jurisdiction over months `from`..`to` (YYYY-MM), from its counters: two Queries. */
export const ledgerStats = async (jurisdiction: string, from: string, to: string, now: Date) => {
  const [months, due, satisfaction] = await Promise.all([
    queryAll({
      IndexName: 'byParent',
      KeyConditionExpression: 'parentPk = :pp AND parentSk BETWEEN :from AND :to',
      ExpressionAttributeValues: { ':pp': keys.ledgerTrendOf(jurisdiction).parentPk, ':from': from, ':to': to },
    }),
    overdueCount(jurisdiction, shanghaiDate(now)),
    satisfactionOf(jurisdiction, from, to),
  ]);
  return {
    jurisdiction,
    from,
    to,
    ...statsOfMonths(months),
    overdueNow: due,
    satisfaction,
  };
};

/** Totals, severities, median days to close and the month rows of some month counter items. */
const statsOfMonths = (months: readonly Record<string, unknown>[]) => {
  const sum = (name: string) => months.reduce((n, item) => n + Number(item[name] ?? 0), 0);
  const histogram = new Map<number, number>();
  for (const item of months)
    for (const [name, value] of Object.entries(item))
      if (/^d\d+$/.test(name))
        histogram.set(Number(name.slice(1)), (histogram.get(Number(name.slice(1))) ?? 0) + Number(value));
  const closedCount = [...histogram.values()].reduce((a, b) => a + b, 0);
  let seen = 0;
  let median: number | null = null;
  for (const days of [...histogram.keys()].sort((a, b) => a - b)) {
    seen += histogram.get(days) ?? 0;
    if (seen * 2 >= closedCount) {
      median = days;
      break;
    }
  }
  return {
    ...totalsOf(sum),
    bySeverity: Object.fromEntries(SEVERITIES.map((s) => [s, totalsOf(sum, `_${s}`)])) as Record<Severity, Totals>,
    medianDaysToClose: closedCount > 0 ? median : null,
    months: months.map((item) => ({
      month: String(item.parentSk),
      raised: Number(item.raised ?? 0),
      closed: Number(item.closed ?? 0),
    })),
  };
};

/** A ledger item as the park view counts it (the stored item's own fields). */
export interface ParkCounted extends Recounted {
  uscc: string;
}

/**
 * The same stats counted from some items themselves (a park's: its firms' items), as the counters
 * would have them: each item's facts land in the months of `from`..`to` they happened in, by the
 * rules the counters and `recountLedger` follow.
 */
export const ledgerStatsOfItems = (items: readonly ParkCounted[], from: string, to: string, now: Date) => {
  const byMonth = new Map<string, Record<string, number>>();
  const add = (at: string, adds: Record<string, number>) => {
    const month = monthOf(new Date(at));
    if (month < from || month > to) return;
    const counts = byMonth.get(month) ?? {};
    for (const [name, n] of Object.entries(adds)) counts[name] = (counts[name] ?? 0) + n;
    byMonth.set(month, counts);
  };
  const today = shanghaiDate(now);
  let overdueNow = 0;
  for (const item of items) {
    add(item.createdAt, { raised: 1, [`raised_${item.severity}`]: 1 });
    const end = item.lastMove ?? item.history?.at(-1);
    if (item.state === 'closed' && item.closedAt)
      add(item.closedAt, {
        closed: 1,
        [`closed_${item.severity}`]: 1,
        [`d${Math.min(daysBetween(item.createdAt, item.closedAt), 999)}`]: 1,
      });
    if (item.state === 'cancelled' && end) add(end.at, { cancelled: 1, [`cancelled_${item.severity}`]: 1 });
    if (item.rating) add(item.rating.at, { ...ratingAdds(item.rating) });
    if ((OPEN_STATES as readonly string[]).includes(item.state) && item.dueOn < today) overdueNow++;
  }
  const months = [...byMonth.entries()]
    .sort(([a], [b]) => (a < b ? -1 : 1))
    .map(([month, counts]) => ({ parentSk: month, ...counts }));
  return {
    from,
    to,
    ...statsOfMonths(months.filter((m) => Object.keys(m).some((k) => /^(raised|closed|cancelled)/.test(k)))),
    overdueNow,
    satisfaction: satisfactionView(months.filter((m) => 'rated' in m)),
  };
};

/** Months back a recount covers by default. */
export const RECOUNT_MONTHS = 24;

/**
 * Recounts the ledger's counters from the items themselves (every item of the queue index, a Query,
 * never a Scan) and answers each counter that differs from what is stored, for `from`..`to`.
 */
export const recountLedger = async (now: Date) => {
  const to = monthOf(now);
  const from = monthBefore(to, RECOUNT_MONTHS - 1);
  const items = (
    await queryAll({
      IndexName: 'byScope',
      KeyConditionExpression: 'scopePk = :p',
      ExpressionAttributeValues: { ':p': keys.ledgerQueuePk() },
    })
  ).map((i) => fromItem<Recounted>(i));
  const expected = new Map<string, number>();
  const add = (key: string, n = 1) => expected.set(key, (expected.get(key) ?? 0) + n);
  for (const item of items) {
    for (const code of withAncestors(item.county)) {
      const created = monthOf(new Date(item.createdAt));
      if (created >= from) add(`${created}|${code}|raised`);
      const end = item.lastMove ?? item.history?.at(-1);
      if (item.state === 'closed' && item.closedAt && monthOf(new Date(item.closedAt)) >= from)
        add(`${monthOf(new Date(item.closedAt))}|${code}|closed`);
      if (item.state === 'cancelled' && end && monthOf(new Date(end.at)) >= from)
        add(`${monthOf(new Date(end.at))}|${code}|cancelled`);
      const rating = item.rating;
      if (rating && monthOf(new Date(rating.at)) >= from) {
        const adds = ratingAdds(rating);
        for (const field of SATISFACTION_FIELDS) add(`${monthOf(new Date(rating.at))}|${code}|${field}`, adds[field]);
      }
    }
  }
  const stored = new Map<string, number>();
  for (let m = from; m <= to; m = monthBefore(m, -1)) {
    for (const item of await queryAll({
      KeyConditionExpression: 'pk = :pk',
      ExpressionAttributeValues: { ':pk': keys.ledgerCounts(m, '').pk },
    })) {
      for (const field of ['raised', 'closed', 'cancelled'])
        if (item[field] !== undefined) stored.set(`${m}|${item.sk}|${field}`, Number(item[field]));
    }
    for (const item of await queryAll({
      KeyConditionExpression: 'pk = :pk',
      ExpressionAttributeValues: { ':pk': keys.satisfactionCounts(m, '').pk },
    })) {
      for (const field of SATISFACTION_FIELDS)
        if (item[field] !== undefined) stored.set(`${m}|${item.sk}|${field}`, Number(item[field]));
    }
  }
  const differences = [...new Set([...expected.keys(), ...stored.keys()])]
    .filter((key) => (expected.get(key) ?? 0) !== (stored.get(key) ?? 0))
    .map((key) => {
      const [month, code, field] = key.split('|');
      return { month, code, field, stored: stored.get(key) ?? 0, recounted: expected.get(key) ?? 0 };
    });
  return { from, to, itemsRead: items.length, differences };
};
