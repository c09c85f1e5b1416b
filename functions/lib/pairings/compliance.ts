import { QueryCommand } from '@aws-sdk/lib-dynamodb';
import { levelOf, nameOf, parentOf, prefixOf } from '../../../shared/jurisdictions.ts';
import { keys } from '../../../shared/keys.ts';
import {
  type ComplianceCounts as Counts,
  firstDayOf,
  isJudged,
  lastDayOf,
  MISSED_FIELDS,
  type MissedFields,
  monthBefore,
  type NudgeKind,
  type NudgeRecord,
} from '../../../shared/monthly.ts';
import { withNames } from '../accounts/names.ts';
import { nudgeRecord } from '../messaging/nudge-record.ts';
import { batchPut, db, fromItem, queryAll, tableName } from '../store/table.ts';
import { setMonthCounts, withAncestors } from './counters.ts';
import { type Judgeable, pairingsNotEndedBy } from './pairings.ts';

export type { Counts };

/**
 * The compliance view (rule 6's dashboard), served from counters and nudges, never by reading
 * pairings: one Query for the month's counters of a subtree, one for its trend, one (paged) for
 * its missed pairings. `recount` rebuilds the counters from the facts and reports any difference.
 */
const countsOf = (item: Record<string, unknown> | undefined): Counts => {
  const judged = Number(item?.judged ?? 0);
  const contacted = Number(item?.contacted ?? 0);
  return {
    judged,
    contacted,
    missed: Number(item?.missed ?? 0),
    rate: judged > 0 ? Math.min(1, contacted / judged) : null,
  };
};

/** The nudges of a month inside a subtree (one kind, or all), from the byScope index. */
export const nudgesOf = async (month: string, jurisdiction: string, kind?: NudgeKind): Promise<NudgeRecord[]> =>
  (
    await queryAll({
      IndexName: 'byScope',
      KeyConditionExpression: 'scopePk = :p AND begins_with(scopeSk, :prefix)',
      ExpressionAttributeValues: {
        ':p': keys.nudgesOfMonth(month).scopePk,
        ':prefix': prefixOf(jurisdiction),
        ...(kind ? { ':kind': kind } : {}),
      },
      ...(kind ? { FilterExpression: 'kind = :kind' } : {}),
    })
  ).map((item) => fromItem<NudgeRecord>(item));

/** A missed pairing as the compliance views list it (a unit's and a park's): the nudge's public fields. */
export const missedEntry = (nudge: NudgeRecord): MissedFields =>
  // fromEntries cannot know which keys it made: MISSED_FIELDS are exactly MissedFields' keys.
  Object.fromEntries(MISSED_FIELDS.map((field) => [field, nudge[field]])) as MissedFields;

/**
 * The missed list as the compliance view answers it: its entries with the liaisons by name, from one
 * BatchGet for the list (the view stays within its request budget).
 */
export const missedList = (nudges: readonly NudgeRecord[]) => withNames(nudges.map(missedEntry), ['liaison']);

export const compliance = async (month: string, jurisdiction: string) => {
  const [counters, trend, missed] = await Promise.all([
    db().send(
      new QueryCommand({
        TableName: tableName(),
        KeyConditionExpression: 'pk = :pk AND begins_with(sk, :prefix)',
        ExpressionAttributeValues: { ':pk': keys.countsOfMonth(month).pk, ':prefix': prefixOf(jurisdiction) },
      }),
    ),
    db().send(
      new QueryCommand({
        TableName: tableName(),
        IndexName: 'byParent',
        KeyConditionExpression: 'parentPk = :pp AND parentSk BETWEEN :from AND :to',
        ExpressionAttributeValues: {
          ':pp': keys.trendOf(jurisdiction).parentPk,
          ':from': monthBefore(month, 11),
          ':to': month,
        },
      }),
    ),
    nudgesOf(month, jurisdiction),
  ]);
  const byCode = new Map((counters.Items ?? []).map((item) => [String(item.sk), item]));
  // The units one level down (a county shows itself).
  const children = [...byCode.keys()]
    .filter((code) => code !== jurisdiction && parentOf(code) === jurisdiction)
    .sort()
    .map((code) => ({
      code,
      name: { zh: nameOf(code), en: nameOf(code, 'en') },
      level: levelOf(code),
      ...countsOf(byCode.get(code)),
    }));
  const trendByMonth = new Map((trend.Items ?? []).map((item) => [String(item.parentSk), item]));
  return {
    month,
    jurisdiction: { code: jurisdiction, name: { zh: nameOf(jurisdiction), en: nameOf(jurisdiction, 'en') } },
    totals: countsOf(byCode.get(jurisdiction)),
    children,
    missed: await missedList(missed.filter((n) => n.kind !== 'reminder')),
    trend: Array.from({ length: 12 }, (_, i) => {
      const m = monthBefore(month, 11 - i);
      return { month: m, ...countsOf(trendByMonth.get(m)) };
    }),
  };
};

/**
 * Recounts a month from the facts: pairings (judged, and contacted: a qualifying contact that month
 * by a pairing started by its first day) and missed nudges. Answers every counter that differs;
 * with `fix`, writes the recounted values. `judged` is only recounted for a month that is over.
 */
export const recount = async (month: string, closed: boolean, fix: boolean) => {
  const dayBefore = lastDayOf(monthBefore(month));
  const pairings = await pairingsNotEndedBy(dayBefore);
  const expected = new Map<string, { judged: number; contacted: number; missed: number }>();
  const add = (county: string, field: 'judged' | 'contacted' | 'missed') => {
    for (const code of withAncestors(county)) {
      const counts = expected.get(code) ?? { judged: 0, contacted: 0, missed: 0 };
      counts[field]++;
      expected.set(code, counts);
    }
  };
  for (const p of pairings) {
    if (closed && isJudged(p, month)) add(p.county, 'judged');
    if (p.startsOn <= firstDayOf(month) && (p.qualifyingMonths ?? []).includes(month)) add(p.county, 'contacted');
  }
  const missedNudges = await Promise.all(
    [...new Set(pairings.map((p) => p.county.slice(0, 2)))].map((province) =>
      nudgesOf(month, `${province}0000`, 'missed'),
    ),
  );
  for (const n of missedNudges.flat()) add(n.county, 'missed');

  const stored = new Map<string, Record<string, unknown>>();
  for (const province of new Set([...expected.keys()].map((code) => code.slice(0, 2)))) {
    const out = await queryAll({
      KeyConditionExpression: 'pk = :pk AND begins_with(sk, :prefix)',
      ExpressionAttributeValues: { ':pk': keys.countsOfMonth(month).pk, ':prefix': province },
    });
    for (const item of out) stored.set(String(item.sk), item);
  }
  const differences: { code: string; field: string; stored: number; recounted: number }[] = [];
  for (const code of new Set([...expected.keys(), ...stored.keys()])) {
    const want = expected.get(code) ?? { judged: 0, contacted: 0, missed: 0 };
    const have = stored.get(code);
    for (const field of (closed
      ? ['judged', 'contacted', 'missed']
      : ['contacted', 'missed']) as (keyof typeof want)[]) {
      const storedValue = Number(have?.[field] ?? 0);
      if (storedValue !== want[field]) differences.push({ code, field, stored: storedValue, recounted: want[field] });
    }
  }
  if (fix) {
    for (const code of new Set(differences.map((d) => d.code))) {
      const want = expected.get(code) ?? { judged: 0, contacted: 0, missed: 0 };
      await setMonthCounts(month, code, closed ? want : { contacted: want.contacted, missed: want.missed });
    }
  }
  return { month, closed, pairingsRead: pairings.length, differences, fixed: fix ? differences.length : 0 };
};

/**
 * The (pairing, month, reminder) records of a liaison's reminder digest, each pointing at the digest
 * that carries it, written before the digest (no conditions): their keys and content are the same for
 * the same scheduled time, so a run that stops in between leaves nothing the next run would not write
 * again. `names`: the firms' names by USCC (the code stands in for a name not found).
 */
export const putReminders = async (
  pairings: readonly Judgeable[],
  run: { month: string; digest: string; names: ReadonlyMap<string, string>; at: string },
) =>
  batchPut(
    pairings.map((p) => {
      const { key, item } = nudgeRecord({
        subject: p.pairingId,
        period: run.month,
        kind: 'reminder',
        county: p.county,
        uscc: p.uscc,
        firmName: run.names.get(p.uscc) ?? p.uscc,
        liaison: p.liaison,
        lastQualifyingContactAt: p.lastQualifyingContactAt,
        createdAt: run.at,
      });
      return { ...key, ...item, digest: run.digest, deliveries: [] };
    }),
  );
