import { randomUUID } from 'node:crypto';
import { QueryCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { ENV } from '../../../shared/config.ts';
import { levelOf, nameOf, parentOf, prefixOf } from '../../../shared/jurisdictions.ts';
import { keys } from '../../../shared/keys.ts';
import {
  isLeadHeld,
  type LeaderCounts,
  type LeaderVisit,
  type LeaderVisitInput,
  type LeadFacts,
  leaderLevelsFrom,
} from '../../../shared/leader-visits.ts';
import { firstDayOf, lastDayOf, quarterOf } from '../../../shared/monthly.ts';
import { shanghaiDate } from '../../../shared/time.ts';
import { getEnterprise } from '../enterprises/enterprises.ts';
import { ConflictError, ForbiddenError, NotFoundError, ValidationError } from '../http/errors.ts';
import type { Identity } from '../http/identity.ts';
import { inScope } from '../http/scope.ts';
import { withAncestors } from '../pairings/counters.ts';
import { auditPut } from '../store/audit.ts';
import { prepareAttachment } from '../store/evidence.ts';
import { db, fromItem, getRecord, queryAll, tableName } from '../store/table.ts';
import { transact } from '../store/transact.ts';

export type { LeaderCounts, LeaderVisit };

/**
 * The leaders' quarterly field service (issue 19): a lead logs its own field services; its quarter
 * item (`LEADER#<username>/QUARTER#<quarter>`) and the quarter's counters of its jurisdiction and
 * every level above are written in the visit's own transaction, so the compliance view reads
 * counters, never visits; `recountLeaders` rebuilds them from the visits and the nudges.
 */

/** The levels held to the rule in this deployment (`LEADER_VISIT_LEVELS`; default city and province). */
export const heldLevels = () => leaderLevelsFrom(process.env[ENV.leaderVisitLevels]);

/** A staff account as the rule reads it. */
export interface LeadAccount extends LeadFacts {
  readonly username: string;
  readonly displayName: string;
  readonly email: string;
}

const leadOf = (item: Record<string, unknown>): LeadAccount => ({
  username: String(item.username),
  displayName: String(item.displayName ?? item.username),
  email: String(item.email ?? ''),
  role: item.role as LeadAccount['role'],
  jurisdiction: String(item.jurisdiction),
  enabled: item.enabled !== false,
  // Accounts written before the rule: held since they were made (or always, when that is unknown).
  roleSince:
    typeof item.roleSince === 'string'
      ? item.roleSince
      : typeof item.createdAt === 'string'
        ? shanghaiDate(new Date(item.createdAt))
        : undefined,
});

/** Every lead account inside a jurisdiction prefix (the users index, role filtered). */
export const leadsUnder = async (prefix?: string): Promise<LeadAccount[]> =>
  (
    await queryAll({
      IndexName: 'byScope',
      KeyConditionExpression: `scopePk = :p${prefix ? ' AND begins_with(scopeSk, :prefix)' : ''}`,
      FilterExpression: '#role = :lead',
      ExpressionAttributeNames: { '#role': 'role' },
      ExpressionAttributeValues: {
        ':p': keys.usersScopePk(),
        ':lead': 'lead',
        ...(prefix ? { ':prefix': prefix } : {}),
      },
    })
  ).map(leadOf);

/** A field service may be logged up to this long after "now" (a tablet's clock running ahead). */
const CLOCK_SKEW_MS = 10 * 60_000;

/** The counter Updates of one held visit: `visits` always, `visited` with the lead's first of the quarter. */
const countUpdates = (quarter: string, jurisdiction: string, first: boolean) =>
  withAncestors(jurisdiction).map((code) => ({
    Update: {
      TableName: tableName(),
      Key: keys.leaderCounts(quarter, code),
      UpdateExpression: `ADD visits :one${first ? ', visited :one' : ''} SET code = :code, quarter = :q`,
      ExpressionAttributeValues: { ':one': 1, ':code': code, ':q': quarter },
    },
  }));

/**
 * Logs a lead's own field service. The target is a firm (by USCC) or a jurisdiction inside the
 * lead's: a firm outside it, or not on the roster, answers 404 (never revealing it exists); a
 * jurisdiction outside it 403. One transaction writes the visit, its audit event, the lead's
 * quarter item and, when the lead is held to the quarter, the counters: `visited` goes up only with
 * the quarter item's creation (its condition decides which of two concurrent first visits counts).
 */
export const logLeaderVisit = async (me: Identity, input: LeaderVisitInput, now: Date) => {
  const at = new Date(input.at);
  if (at.getTime() > now.getTime() + CLOCK_SKEW_MS)
    throw new ValidationError({ at: 'A field service cannot lie in the future' });
  let target: LeaderVisit['target'];
  if ('uscc' in input.target) {
    const firm = await getEnterprise(input.target.uscc);
    if (!firm || !inScope(me, firm.county)) throw new NotFoundError();
    target = { uscc: firm.uscc, firmName: firm.name, county: firm.county };
  } else {
    if (!inScope(me, input.target.jurisdiction)) throw new ForbiddenError('That jurisdiction is outside your scope');
    target = { jurisdiction: input.target.jurisdiction };
  }
  const account = await getRecord<Record<string, unknown>>(keys.user(me.username), { consistent: true });
  // The token's role and jurisdiction are the request's (account-check.ts); the account says since when.
  const lead = { ...(account ? leadOf(account) : {}), role: me.role, jurisdiction: me.jurisdiction } as LeadAccount;
  const quarter = quarterOf(at);
  const held = isLeadHeld(lead, quarter, heldLevels());
  const visitId = randomUUID();
  const atUtc = at.toISOString();
  const attachment = await prepareAttachment(
    input.evidenceIds ?? [],
    { attachedTo: `leaderVisit:${visitId}`, jurisdiction: me.jurisdiction },
    me,
  );
  const visit: LeaderVisit = {
    visitId,
    username: me.username,
    jurisdiction: me.jurisdiction,
    quarter,
    held,
    at: input.at,
    target,
    participants: input.participants,
    summary: input.summary,
    evidenceIds: input.evidenceIds ?? [],
    loggedAt: now.toISOString(),
  };
  const quarterKey = keys.leaderQuarter(me.username, quarter);
  const write = (first: boolean) => [
    {
      Put: {
        TableName: tableName(),
        Item: {
          ...keys.leaderVisit(me.username, atUtc, visitId),
          ...keys.leaderVisitScope(quarter, me.jurisdiction, atUtc, visitId),
          type: 'leaderVisit',
          ...visit,
          evidence: attachment.refs,
        },
      },
    },
    first
      ? {
          Put: {
            TableName: tableName(),
            Item: {
              ...quarterKey,
              ...keys.leaderQuarterScope(quarter, me.jurisdiction, me.username),
              type: 'leaderQuarter',
              username: me.username,
              jurisdiction: me.jurisdiction,
              quarter,
              held,
              visits: 1,
              firstVisitAt: input.at,
            },
            ConditionExpression: 'attribute_not_exists(pk)',
          },
        }
      : {
          Update: {
            TableName: tableName(),
            Key: quarterKey,
            UpdateExpression: 'ADD visits :one',
            ConditionExpression: 'attribute_exists(pk)',
            ExpressionAttributeValues: { ':one': 1 },
          },
        },
    auditPut(
      me,
      { entity: `leader:${me.username}`, jurisdiction: me.jurisdiction, action: 'leaderVisit.log', after: visit },
      now.toISOString(),
    ),
    ...(held ? countUpdates(quarter, me.jurisdiction, first) : []),
    ...attachment.updates,
  ];
  const existing = await getRecord(quarterKey, { consistent: true });
  let first = existing === undefined;
  // A concurrent visit of the same lead may create (or have created) the quarter item between the
  // read and the write: its condition fails, and the other form is tried once.
  for (let attempt = 0; ; attempt++) {
    const items = write(first);
    const result = await transact(items);
    if (result.ok) break;
    const evidenceFrom = items.length - attachment.updates.length;
    if (result.failed.some((index) => index >= evidenceFrom))
      throw new ConflictError('EVIDENCE_TAKEN', 'A file was attached to another record meanwhile');
    if (attempt > 0) throw new ConflictError('VERSION_CONFLICT', 'The quarter changed meanwhile; try again');
    first = !first;
  }
  return { visit, counted: held };
};

/** A lead's own field services, newest first (its partition). */
export const visitsOfLead = async (username: string, limit = 50) => {
  const { pk, skPrefix } = keys.leaderVisitsOf(username);
  const out = await db().send(
    new QueryCommand({
      TableName: tableName(),
      KeyConditionExpression: 'pk = :pk AND begins_with(sk, :s)',
      ExpressionAttributeValues: { ':pk': pk, ':s': skPrefix },
      ScanIndexForward: false,
      Limit: limit,
    }),
  );
  return (out.Items ?? []).map((i) => fromItem<LeaderVisit & { evidence: unknown[] }>(i));
};

const countsOf = (item: Record<string, unknown> | undefined, heldLive?: number): LeaderCounts => {
  const held = typeof item?.held === 'number' ? item.held : (heldLive ?? 0);
  const visited = Number(item?.visited ?? 0);
  return {
    held,
    visited,
    visits: Number(item?.visits ?? 0),
    missed: Number(item?.missed ?? 0),
    rate: held > 0 ? Math.min(1, visited / held) : null,
  };
};

/** The quarter items of a quarter inside a subtree: who held a field service, how many. */
export const quartersUnder = async (quarter: string, prefix?: string) =>
  (
    await queryAll({
      IndexName: 'byScope',
      KeyConditionExpression: `scopePk = :p${prefix ? ' AND begins_with(scopeSk, :prefix)' : ''}`,
      ExpressionAttributeValues: {
        ':p': keys.leaderQuartersOf(quarter).scopePk,
        ...(prefix ? { ':prefix': prefix } : {}),
      },
    })
  ).map((i) => ({ username: String(i.username), visits: Number(i.visits ?? 0), held: i.held === true }));

/**
 * A quarter's compliance inside a jurisdiction: its counters and those of the units one level down
 * (one Query), and the leads held to it with whether each held a field service (one Query of the
 * accounts, one of the quarter items). `held` comes from the counters once the `leader-missed` job
 * has set it (the quarter opened or closed), and is counted from the accounts before that.
 */
export const leaderCompliance = async (quarter: string, jurisdiction: string, now: Date) => {
  const prefix = prefixOf(jurisdiction);
  const levels = heldLevels();
  const [counters, leads, quarters] = await Promise.all([
    queryAll({
      KeyConditionExpression: 'pk = :pk AND begins_with(sk, :prefix)',
      ExpressionAttributeValues: { ':pk': keys.leaderCountsOf(quarter).pk, ':prefix': prefix },
    }),
    leadsUnder(prefix),
    quartersUnder(quarter, prefix),
  ]);
  const byCode = new Map(counters.map((item) => [String(item.sk), item]));
  const visitsBy = new Map(quarters.map((q) => [q.username, q.visits]));
  const held = leads.filter((l) => isLeadHeld(l, quarter, levels));
  const heldLive = (code: string) => held.filter((l) => withAncestors(l.jurisdiction).includes(code)).length;
  const today = shanghaiDate(now);
  const last = lastDayOf(quarter);
  const open = today >= firstDayOf(quarter) && today <= last;
  const daysLeft = open ? Math.round((Date.parse(last) - Date.parse(today)) / 86_400_000) + 1 : null;
  const units = [...new Set([...byCode.keys(), ...held.map((l) => l.jurisdiction)])]
    .filter((code) => code !== jurisdiction && parentOf(code) === jurisdiction)
    .sort()
    .map((code) => ({
      code,
      name: { zh: nameOf(code), en: nameOf(code, 'en') },
      level: levelOf(code),
      ...countsOf(byCode.get(code), heldLive(code)),
    }));
  return {
    quarter,
    jurisdiction: { code: jurisdiction, name: { zh: nameOf(jurisdiction), en: nameOf(jurisdiction, 'en') } },
    levels,
    open,
    daysLeft,
    totals: countsOf(byCode.get(jurisdiction), heldLive(jurisdiction)),
    children: units,
    leads: held
      .map((l) => ({
        username: l.username,
        displayName: l.displayName,
        jurisdiction: l.jurisdiction,
        visits: visitsBy.get(l.username) ?? 0,
      }))
      .sort((a, b) => a.jurisdiction.localeCompare(b.jurisdiction) || a.username.localeCompare(b.username)),
  };
};

/** Sets counters of a quarter for one jurisdiction to values (absolute: writing them again changes nothing). */
export const setLeaderCounts = async (quarter: string, code: string, values: Record<string, number>) => {
  const names = Object.keys(values);
  await db().send(
    new UpdateCommand({
      TableName: tableName(),
      Key: keys.leaderCounts(quarter, code),
      UpdateExpression: `SET ${names.map((_, i) => `#f${i} = :v${i}`).join(', ')}, code = :code, quarter = :q`,
      ExpressionAttributeNames: Object.fromEntries(names.map((n, i) => [`#f${i}`, n])),
      ExpressionAttributeValues: {
        ...Object.fromEntries(names.map((n, i) => [`:v${i}`, values[n]])),
        ':code': code,
        ':q': quarter,
      },
    }),
  );
};

/**
 * Recounts a quarter's `visited`, `visits` and `missed` from the facts (the held leads' field
 * services, the `missed` nudges) and answers every counter that differs; with `fix`, writes the
 * recounted values. `held` is the job's decision at the quarter's first day and is not recounted
 * (accounts keep only the day their current role began).
 */
export const recountLeaders = async (quarter: string, fix: boolean) => {
  const [visits, nudges, stored] = await Promise.all([
    queryAll({
      IndexName: 'byScope',
      KeyConditionExpression: 'scopePk = :p',
      ExpressionAttributeValues: { ':p': `LEADERVISITS#${quarter}` },
    }),
    queryAll({
      IndexName: 'byScope',
      KeyConditionExpression: 'scopePk = :p',
      FilterExpression: 'kind = :missed',
      ExpressionAttributeValues: { ':p': keys.nudgesOfMonth(quarter).scopePk, ':missed': 'missed' },
    }),
    queryAll({
      KeyConditionExpression: 'pk = :pk',
      ExpressionAttributeValues: { ':pk': keys.leaderCountsOf(quarter).pk },
    }),
  ]);
  const expected = new Map<string, { visited: Set<string>; visits: number; missed: number }>();
  const at = (code: string) => {
    const counts = expected.get(code) ?? { visited: new Set<string>(), visits: 0, missed: 0 };
    expected.set(code, counts);
    return counts;
  };
  for (const v of visits) {
    if (v.held !== true) continue;
    for (const code of withAncestors(String(v.jurisdiction))) {
      at(code).visits++;
      at(code).visited.add(String(v.username));
    }
  }
  for (const n of nudges) for (const code of withAncestors(String(n.county))) at(code).missed++;
  const storedBy = new Map(stored.map((item) => [String(item.sk), item]));
  const differences: { code: string; field: string; stored: number; recounted: number }[] = [];
  const want = (code: string) => {
    const e = expected.get(code);
    return { visited: e?.visited.size ?? 0, visits: e?.visits ?? 0, missed: e?.missed ?? 0 };
  };
  for (const code of [...new Set([...expected.keys(), ...storedBy.keys()])].sort()) {
    const recounted = want(code);
    for (const field of ['visited', 'visits', 'missed'] as const) {
      const have = Number(storedBy.get(code)?.[field] ?? 0);
      if (have !== recounted[field]) differences.push({ code, field, stored: have, recounted: recounted[field] });
    }
  }
  if (fix) for (const code of new Set(differences.map((d) => d.code))) await setLeaderCounts(quarter, code, want(code));
  return { quarter, visitsRead: visits.length, differences, fixed: fix ? differences.length : 0 };
};
