/**
 * The year roll-over (issue 19): a lead carries the pairings of service year Y into Y+1, each kept
 * (a new pairing in Y+1 with the same firm, liaison, mentor and contact leader) or ended with a
 * reason. New firms are added afterwards through the ordinary pairing forms.
 *
 * Resumable and idempotent (rule 12) without a request log: each decision is one transaction that
 * marks the old pairing (`rolledOver`, at the version read) and, for a kept one, creates the next
 * year's pairing under an id derived from the old pairing and the year, with the firm's guard of
 * that year. So a crash part-way leaves every pairing either fully rolled over or untouched; the
 * same decisions sent again (whatever their request id) find the mark and answer what was done,
 * and no path can make a second Y+1 pairing of a kept firm: its id and its guard both exist.
 *
 * The old pairing ends on the roll-over day (1 January of Y+1, or today once that has passed). A
 * roll-over made in December leaves it active until then: the liaison still serves and logs
 * December, and the monthly rule judges it for December and the new one from January.
 */
import { createHash } from 'node:crypto';
import { keys } from '../../../shared/keys.ts';
import type { Pairing } from '../../../shared/pairing-views.ts';
import type { RollOverDecision, RollOverInput } from '../../../shared/roll-over.ts';
import { type RollOverMark, type RollOverResult, rollOverDay } from '../../../shared/roll-over-views.ts';
import { shanghaiDate } from '../../../shared/time.ts';
import { AppError } from '../http/errors.ts';
import type { Identity } from '../http/identity.ts';
import { inScope } from '../http/scope.ts';
import { auditPut } from '../store/audit.ts';
import { eachLimit } from '../store/concurrency.ts';
import { batchGet, fromItem, getRecord, tableName } from '../store/table.ts';
import { transact } from '../store/transact.ts';
import { pairingItem, successorPairing } from './pairings.ts';
import { requireContactLeaderOf, requireLiaisonOf } from './rules.ts';

/** Decisions carried out at once: each is one small transaction; more would only queue at DynamoDB. */
const AT_ONCE = 4;

/** The id of the pairing that continues `pairingId` in `year`: the same on every retry, by anyone. */
export const rolledPairingId = (pairingId: string, year: number) => {
  const h = createHash('sha256').update(`roll-over\u0000${pairingId}\u0000${year}`).digest('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20, 32)}`;
};

/** What an earlier run already did with this pairing, when it made the same decision. */
const doneBefore = (pairing: Pairing, decision: RollOverDecision): RollOverResult | undefined => {
  const mark = pairing.rolledOver;
  if (!mark) return undefined;
  const same =
    mark.action === decision.action &&
    (decision.action === 'keep' || (mark.reason === decision.reason && mark.note === (decision.note ?? null)));
  if (!same) return { pairingId: pairing.pairingId, outcome: 'refused', code: 'DECIDED' };
  const endsOn = pairing.endedOn ?? '';
  return mark.action === 'keep' && mark.next
    ? { pairingId: pairing.pairingId, outcome: 'kept', next: mark.next, endsOn }
    : { pairingId: pairing.pairingId, outcome: 'ended', endsOn };
};

/** Throws the domain's ValidationError as false: a check of a person still fit for the role. */
const passes = async (check: Promise<void>) => {
  try {
    await check;
    return true;
  } catch (error) {
    if (error instanceof AppError && error.status === 400) return false;
    throw error;
  }
};

/**
 * Carries out each decision; one result per decision, in the order asked. A pairing outside the
 * caller's scope reads exactly as one that does not exist.
 */
export const rollOver = async (input: RollOverInput, me: Identity, now: Date): Promise<RollOverResult[]> => {
  const today = shanghaiDate(now);
  const day = rollOverDay(input.from, today);
  const at = now.toISOString();
  // Consistent: a retry right after a crash must see the marks the first run wrote.
  const stored = await batchGet(
    input.decisions.map((d) => keys.pairing(d.pairingId)),
    { consistent: true },
  );
  const byId = new Map(stored.map((item) => [String(item.pairingId), fromItem<Pairing>(item)]));
  // Each liaison and contact leader is checked once, however many of its pairings are kept.
  const checks = new Map<string, Promise<boolean>>();
  const once = (key: string, check: () => Promise<void>) => {
    const known = checks.get(key);
    if (known) return known;
    const result = passes(check());
    checks.set(key, result);
    return result;
  };

  const decide = async (decision: RollOverDecision, pairing: Pairing): Promise<RollOverResult> => {
    const refused = (code: Extract<RollOverResult, { outcome: 'refused' }>['code']): RollOverResult => ({
      pairingId: pairing.pairingId,
      outcome: 'refused',
      code,
    });
    if (pairing.serviceYear !== input.from) return refused('OTHER_YEAR');
    const earlier = doneBefore(pairing, decision);
    if (earlier) return earlier;
    if (pairing.status === 'ended') return refused('ENDED');
    if (decision.version !== undefined && decision.version !== pairing.version) return refused('VERSION_CONFLICT');

    const endsNow = day <= today;
    const mark: RollOverMark = {
      to: input.to,
      action: decision.action,
      reason: decision.action === 'end' ? decision.reason : null,
      note: decision.action === 'end' ? (decision.note ?? null) : null,
      next: decision.action === 'keep' ? rolledPairingId(pairing.pairingId, input.to) : null,
      requestId: input.requestId,
      by: me.username,
      at,
    };
    const ended: Pairing = {
      ...pairing,
      // Ended now when the day has come; else it stays as it is (served, judged) until the day.
      status: endsNow ? 'ended' : pairing.status,
      endedOn: day,
      pauses: endsNow ? (pairing.pauses ?? []).map((p) => (p.to === null ? { ...p, to: day } : p)) : pairing.pauses,
      replacedBy: mark.next,
      rolledOver: mark,
      version: pairing.version + 1,
    };
    // The old pairing at the version read: a twin request or any other change meanwhile fails it.
    const markOld = {
      Put: {
        TableName: tableName(),
        Item: pairingItem(ended),
        ConditionExpression: 'version = :v',
        ExpressionAttributeValues: { ':v': pairing.version },
      },
    };
    const auditOld = auditPut(
      me,
      {
        entity: `pairing:${pairing.pairingId}`,
        jurisdiction: pairing.county,
        action: `pairing.rollOver.${decision.action}`,
        before: pairing,
        after: ended,
      },
      at,
    );

    let next: Pairing | undefined;
    let contactLeaderDropped = false;
    if (decision.action === 'keep') {
      const liaison = pairing.liaison;
      if (!(await once(`liaison:${liaison}:${pairing.county}`, () => requireLiaisonOf(liaison, pairing.county))))
        return refused('LIAISON_GONE');
      const leader = pairing.contactLeader ?? null;
      // A contact leader who no longer leads over the county is not carried (the lead names another).
      const leaderStays =
        leader !== null &&
        (await once(`leader:${leader}:${pairing.county}`, () => requireContactLeaderOf(leader, pairing.county)));
      contactLeaderDropped = leader !== null && !leaderStays;
      next = successorPairing(
        pairing,
        { liaison, serviceYear: input.to, startsOn: day, contactLeader: leaderStays ? leader : null },
        now,
        rolledPairingId(pairing.pairingId, input.to),
      );
    }
    // No message to the firm: it keeps the liaison it knows (a new liaison is the reassign's message).
    const items = next
      ? [
          markOld,
          { Put: { TableName: tableName(), Item: pairingItem(next), ConditionExpression: 'attribute_not_exists(pk)' } },
          {
            Put: {
              TableName: tableName(),
              Item: { ...keys.pairingGuard(pairing.uscc, input.to), type: 'pairingGuard', pairingId: next.pairingId },
              ConditionExpression: 'attribute_not_exists(pk)',
            },
          },
          auditOld,
          auditPut(
            me,
            {
              entity: `pairing:${next.pairingId}`,
              jurisdiction: pairing.county,
              action: 'pairing.create',
              after: next,
            },
            at,
          ),
        ]
      : [markOld, auditOld];
    const result = await transact(items);
    if (result.ok) {
      return next
        ? {
            pairingId: pairing.pairingId,
            outcome: 'kept',
            next: next.pairingId,
            endsOn: day,
            ...(contactLeaderDropped ? { contactLeaderDropped: true as const } : {}),
          }
        : { pairingId: pairing.pairingId, outcome: 'ended', endsOn: day };
    }
    if (result.failed.includes(0)) {
      // Changed meanwhile: a twin of this request (then it is done) or another edit (then stale).
      const now = await getRecord<Pairing>(keys.pairing(pairing.pairingId), { consistent: true });
      return (now && doneBefore(now, decision)) ?? refused('VERSION_CONFLICT');
    }
    // The firm already has a pairing in the next year, made through the pairing forms.
    return refused('ALREADY_PAIRED');
  };

  const results = new Map<string, RollOverResult>();
  await eachLimit(input.decisions, AT_ONCE, async (decision) => {
    const pairing = byId.get(decision.pairingId);
    results.set(
      decision.pairingId,
      pairing && inScope(me, pairing.county)
        ? await decide(decision, pairing)
        : { pairingId: decision.pairingId, outcome: 'refused', code: 'NOT_FOUND' },
    );
  });
  return input.decisions.map((d) => results.get(d.pairingId) as RollOverResult);
};
