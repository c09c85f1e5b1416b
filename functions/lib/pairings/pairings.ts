import { randomUUID } from 'node:crypto';
import { QueryCommand } from '@aws-sdk/lib-dynamodb';
import { ENV } from '../../../shared/config.ts';
import { JUDGING_SHARDS, keys } from '../../../shared/keys.ts';
import { firstDayOf, monthOf } from '../../../shared/monthly.ts';
import {
  type ContactInput,
  LAST_SUMMARY_MAX,
  type PairingInput,
  type PairingStatus,
  qualifyingModesFrom,
  REPEAT_VISIT_DAYS,
} from '../../../shared/pairing.ts';
import type { Contact, Judgeable, Pairing } from '../../../shared/pairing-views.ts';
import { shanghaiDate } from '../../../shared/time.ts';
import { checkTags, serviceCountUpdates } from '../catalogue/service-items.ts';
import { ConflictError, ValidationError } from '../http/errors.ts';
import type { Identity } from '../http/identity.ts';
import { auditPut } from '../store/audit.ts';
import { eachLimit } from '../store/concurrency.ts';
import { prepareAttachment } from '../store/evidence.ts';
import { batchGet, db, fromItem, getRecord, queryAll, queryEach, queryPartition, tableName } from '../store/table.ts';
import { transact } from '../store/transact.ts';
import { contactRequestPut, earlierContact } from './contact-requests.ts';
import { countUpdates } from './counters.ts';
import { type FirmToTell, pairedMessagePuts } from './firm-told.ts';

/** Pairings and their contacts in the single table (see shared/table.md); shapes in shared/pairing-views.ts. */
export type { Contact, Pairing } from '../../../shared/pairing-views.ts';

/** What the monthly rule reads of a pairing (the byJudging index projects exactly these). */
export type { Judgeable };

/** Shards read at once: each page in flight is up to 1 MB of JSON, parsed into many objects. */
const SHARDS_AT_ONCE = 4;

/**
 * Every pairing not ended by `day` (YYYY-MM-DD), from the judging index: one Query per shard, a few
 * shards at a time, each page handed to `visit` as it arrives (the monthly job keeps only what it
 * nudges), so memory holds a few pages, not the index.
 */
export const eachPairingNotEndedBy = async (day: string, visit: (pairing: Judgeable) => void) => {
  const shards = Array.from({ length: JUDGING_SHARDS }, (_, shard) => shard);
  await eachLimit(shards, SHARDS_AT_ONCE, (shard) =>
    queryEach(
      {
        IndexName: 'byJudging',
        KeyConditionExpression: 'judgePk = :p AND judgeSk > :after',
        ExpressionAttributeValues: { ':p': keys.judgingPartition(shard).judgePk, ':after': `${day}#~` },
      },
      (items) => {
        for (const item of items) visit(fromItem<Judgeable>(item));
      },
    ),
  );
};

/** The same pairings as a list (the reminder and the recount need them all). */
export const pairingsNotEndedBy = async (day: string): Promise<Judgeable[]> => {
  const list: Judgeable[] = [];
  await eachPairingNotEndedBy(day, (p) => list.push(p));
  return list;
};

/**
 * The liaison of each firm's pairing in a service year, read through the firms' guards and then the
 * pairings (two BatchGets). Firms without a pairing that year are absent.
 */
export const liaisonsOfFirms = async (usccs: readonly string[], serviceYear: number): Promise<Map<string, string>> => {
  const guards = await batchGet(usccs.map((uscc) => keys.pairingGuard(uscc, serviceYear)));
  const pairingOf = new Map(guards.map((g) => [String(g.pk), String(g.pairingId)]));
  const pairings = await batchGet([...pairingOf.values()].map((id) => keys.pairing(id)));
  const liaisonOf = new Map(pairings.map((p) => [String(p.pairingId), String(p.liaison)]));
  const liaisons = new Map<string, string>();
  for (const uscc of usccs) {
    const pairingId = pairingOf.get(keys.pairingGuard(uscc, serviceYear).pk);
    const liaison = pairingId ? liaisonOf.get(pairingId) : undefined;
    if (liaison !== undefined) liaisons.set(uscc, liaison);
  }
  return liaisons;
};

/**
 * Which of these firms have a pairing not ended in the service year: their guards, one BatchGet per
 * hundred (the roster's "unpaired" filter and its paired mark, a page at a time).
 */
export const pairedFirms = async (usccs: readonly string[], serviceYear: number): Promise<Set<string>> => {
  const guards = await batchGet(usccs.map((uscc) => keys.pairingGuard(uscc, serviceYear)));
  const paired = new Set(guards.map((g) => String(g.pk)));
  return new Set(usccs.filter((uscc) => paired.has(keys.pairingGuard(uscc, serviceYear).pk)));
};

export const getPairing = (pairingId: string) => getRecord<Pairing>(keys.pairing(pairingId));

/**
 * A pairing as stored: its key and every index key (scope, the liaison's list, the judging shard
 * while it runs) derived from its attributes, so no writer can leave an index behind.
 */
export const pairingItem = (pairing: Pairing) => ({
  ...keys.pairing(pairing.pairingId),
  ...keys.pairingScope(pairing.county, pairing.pairingId),
  ...keys.pairingOfLiaison(pairing.liaison, pairing.serviceYear, pairing.pairingId),
  ...keys.pairingJudging(pairing.pairingId, pairing.endedOn),
  type: 'pairing',
  ...pairing,
});

const pairingPut = (pairing: Pairing) => ({ TableName: tableName(), Item: pairingItem(pairing) });

const newPairing = (input: PairingInput, county: string, now: Date, pairingId: string = randomUUID()): Pairing => ({
  pairingId,
  uscc: input.uscc,
  county,
  liaison: input.liaison,
  serviceYear: input.serviceYear,
  startsOn: input.startsOn,
  mentorUscc: input.mentorUscc ?? null,
  contactLeader: input.contactLeader ?? null,
  ...(input.checkupIntervalMonths ? { checkupIntervalMonths: input.checkupIntervalMonths } : {}),
  status: 'active',
  endedOn: null,
  replacedBy: null,
  lastContactAt: null,
  lastQualifyingContactAt: null,
  qualifyingMonths: [],
  pauses: [],
  version: 1,
  createdAt: now.toISOString(),
});

/**
 * The pairing that follows `before` (a reassign's, a roll-over's): the same firm, county, mentor and
 * check-up cadence (the firm's, not the liaison's), with its own liaison, year, start and contact leader.
 */
export const successorPairing = (
  before: Pairing,
  next: { liaison: string; serviceYear: number; startsOn: string; contactLeader: string | null },
  now: Date,
  pairingId?: string,
): Pairing =>
  newPairing(
    {
      uscc: before.uscc,
      liaison: next.liaison,
      serviceYear: next.serviceYear,
      startsOn: next.startsOn,
      ...(before.mentorUscc ? { mentorUscc: before.mentorUscc } : {}),
      ...(next.contactLeader ? { contactLeader: next.contactLeader } : {}),
      ...(before.checkupIntervalMonths ? { checkupIntervalMonths: before.checkupIntervalMonths } : {}),
    },
    before.county,
    now,
    pairingId,
  );

/** Who a new pairing tells (firm-told.ts): the firm and its liaison; omitted, nobody is told. */
export interface Telling {
  readonly firm: FirmToTell | undefined;
  readonly liaison: { readonly name: string; readonly mobile?: string | undefined } | undefined;
}

/**
 * Starts a pairing, and tells the firm who its liaison is in the same transaction; a firm already
 * actively paired that service year is 409 ALREADY_PAIRED. A bulk pairing names the id itself
 * (derived from its request), so a retry of the same request cannot make a second pairing: the
 * pairing's own Put then fails as well as the guard's.
 */
export const createPairing = async (
  input: PairingInput,
  county: string,
  identity: Identity,
  now: Date,
  tell?: Telling,
  pairingId?: string,
): Promise<Pairing> => {
  const pairing = newPairing(input, county, now, pairingId);
  const result = await transact([
    {
      Put: {
        TableName: tableName(),
        Item: {
          ...keys.pairingGuard(input.uscc, input.serviceYear),
          type: 'pairingGuard',
          pairingId: pairing.pairingId,
        },
        ConditionExpression: 'attribute_not_exists(pk)',
      },
    },
    { Put: { ...pairingPut(pairing), ConditionExpression: 'attribute_not_exists(pk)' } },
    auditPut(
      identity,
      { entity: `pairing:${pairing.pairingId}`, jurisdiction: county, action: 'pairing.create', after: pairing },
      now.toISOString(),
    ),
    ...pairedMessagePuts(pairing, tell?.firm, tell?.liaison, now),
  ]);
  if (!result.ok)
    throw new ConflictError('ALREADY_PAIRED', 'This enterprise already has an active pairing for that service year');
  return pairing;
};

/** Moves a pairing to a new status at the version read; history stays in the audit trail. */
export const setPairingStatus = async (
  before: Pairing,
  to: PairingStatus,
  identity: Identity,
  now: Date,
  extra: { replacedBy?: string } = {},
): Promise<Pairing> => {
  const allowed: Record<PairingStatus, PairingStatus[]> = {
    active: ['paused', 'ended'],
    paused: ['active', 'ended'],
    ended: [],
  };
  if (!allowed[before.status].includes(to)) {
    throw new ConflictError('INVALID_TRANSITION', `A ${before.status} pairing cannot become ${to}`);
  }
  const today = shanghaiDate(now);
  const pauses = before.pauses ?? [];
  const after: Pairing = {
    ...before,
    status: to,
    endedOn: to === 'ended' ? today : before.endedOn,
    pauses:
      to === 'paused'
        ? [...pauses, { from: today, to: null }]
        : before.status === 'paused'
          ? pauses.map((p) => (p.to === null ? { ...p, to: today } : p))
          : pauses,
    replacedBy: extra.replacedBy ?? before.replacedBy,
    version: before.version + 1,
  };
  const result = await transact([
    {
      Put: {
        ...pairingPut(after),
        ConditionExpression: 'version = :v',
        ExpressionAttributeValues: { ':v': before.version },
      },
    },
    ...(to === 'ended'
      ? [{ Delete: { TableName: tableName(), Key: keys.pairingGuard(before.uscc, before.serviceYear) } }]
      : []),
    auditPut(
      identity,
      { entity: `pairing:${before.pairingId}`, jurisdiction: before.county, action: `pairing.${to}`, before, after },
      now.toISOString(),
    ),
  ]);
  if (!result.ok) throw new ConflictError('VERSION_CONFLICT', 'The pairing changed meanwhile; reload it');
  return after;
};

/** What a pairing's settings routes change in place (the others move guards or send messages). */
export type PairingSettings = Partial<Pick<Pairing, 'contactLeader' | 'checkupIntervalMonths'>>;

/** Changes a pairing's settings at the version read, audited as `action`. */
export const changePairing = async (
  before: Pairing,
  change: PairingSettings,
  action: 'pairing.contactLeader' | 'pairing.cadence',
  identity: Identity,
  now: Date,
): Promise<Pairing> => {
  const after: Pairing = { ...before, ...change, version: before.version + 1 };
  const result = await transact([
    {
      Put: {
        ...pairingPut(after),
        ConditionExpression: 'version = :v',
        ExpressionAttributeValues: { ':v': before.version },
      },
    },
    auditPut(
      identity,
      { entity: `pairing:${before.pairingId}`, jurisdiction: before.county, action, before, after },
      now.toISOString(),
    ),
  ]);
  if (!result.ok) throw new ConflictError('VERSION_CONFLICT', 'The pairing changed meanwhile; reload it');
  return after;
};

/**
 * Ends a pairing and starts one with another liaison, in one transaction; the guard moves over,
 * and the firm is told of its new liaison.
 */
export const reassignPairing = async (
  before: Pairing,
  liaison: string,
  identity: Identity,
  now: Date,
  tell?: Telling,
) => {
  if (before.status === 'ended') throw new ConflictError('INVALID_TRANSITION', 'An ended pairing cannot be reassigned');
  // Rolled over into the next year (roll-over.ts): its successor would run on past the roll-over day
  // beside the next year's pairing, and the firm be judged twice; that pairing is the one to reassign.
  if (before.rolledOver)
    throw new ConflictError('INVALID_TRANSITION', 'Rolled over into the next year: reassign that year’s pairing');
  const next = successorPairing(
    before,
    {
      liaison,
      serviceYear: before.serviceYear,
      startsOn: shanghaiDate(now),
      contactLeader: before.contactLeader ?? null,
    },
    now,
  );
  const ended: Pairing = {
    ...before,
    status: 'ended',
    endedOn: shanghaiDate(now),
    pauses: (before.pauses ?? []).map((p) => (p.to === null ? { ...p, to: shanghaiDate(now) } : p)),
    replacedBy: next.pairingId,
    version: before.version + 1,
  };
  const at = now.toISOString();
  const result = await transact([
    {
      Put: {
        ...pairingPut(ended),
        ConditionExpression: 'version = :v',
        ExpressionAttributeValues: { ':v': before.version },
      },
    },
    { Put: { ...pairingPut(next), ConditionExpression: 'attribute_not_exists(pk)' } },
    {
      Put: {
        TableName: tableName(),
        Item: {
          ...keys.pairingGuard(before.uscc, before.serviceYear),
          type: 'pairingGuard',
          pairingId: next.pairingId,
        },
      },
    },
    auditPut(
      identity,
      {
        entity: `pairing:${before.pairingId}`,
        jurisdiction: before.county,
        action: 'pairing.reassign',
        before,
        after: ended,
      },
      at,
    ),
    auditPut(
      identity,
      { entity: `pairing:${next.pairingId}`, jurisdiction: before.county, action: 'pairing.create', after: next },
      at,
    ),
    ...pairedMessagePuts(next, tell?.firm, tell?.liaison, now),
  ]);
  if (!result.ok) throw new ConflictError('VERSION_CONFLICT', 'The pairing changed meanwhile; reload it');
  return { ended, pairing: next };
};

/** Pairings inside a jurisdiction subtree (byScope), or of one liaison (byParent); filtered by year. */
export const listPairings = async (options: {
  jurisdiction: string;
  prefix: string;
  liaison?: string;
  serviceYear?: number;
}) => {
  const byLiaison = options.liaison !== undefined;
  const input = byLiaison
    ? options.serviceYear
      ? {
          IndexName: 'byParent',
          KeyConditionExpression: 'parentPk = :p AND begins_with(parentSk, :s)',
          ExpressionAttributeValues: { ':p': `LIAISON#${options.liaison}`, ':s': `${options.serviceYear}#` },
        }
      : {
          IndexName: 'byParent',
          KeyConditionExpression: 'parentPk = :p',
          ExpressionAttributeValues: { ':p': `LIAISON#${options.liaison}` },
        }
    : {
        IndexName: 'byScope',
        KeyConditionExpression: 'scopePk = :p AND begins_with(scopeSk, :s)',
        ExpressionAttributeValues: { ':p': keys.pairingsScopePk(), ':s': options.prefix },
      };
  return (await queryAll(input))
    .map((i) => fromItem<Pairing>(i))
    .filter((p) => p.county.startsWith(options.prefix))
    .filter((p) => options.serviceYear === undefined || p.serviceYear === options.serviceYear);
};

/** Contacts with a firm in the REPEAT_VISIT_DAYS before `at` (any pairing, any liaison or lead). */
export const recentContactsWithFirm = async (uscc: string, at: Date): Promise<Contact[]> => {
  const from = new Date(at.getTime() - REPEAT_VISIT_DAYS * 86_400_000).toISOString();
  const out = await db().send(
    new QueryCommand({
      TableName: tableName(),
      IndexName: 'byParent',
      KeyConditionExpression: 'parentPk = :p AND parentSk BETWEEN :from AND :to',
      ExpressionAttributeValues: {
        ':p': keys.contactsOfFirm(uscc).parentPk,
        ':from': from,
        ':to': `${at.toISOString()}#~`,
      },
    }),
  );
  return (out.Items ?? []).map((i) => fromItem<Contact>(i));
};

/**
 * Logs a contact: the contact, the pairing's last-contact dates (at the version read) and the
 * audit event in one transaction. Answers warnings when the firm was contacted in the 7 days before.
 * With a `requestId`, the request is remembered in the same transaction: the same request sent again
 * (even at the same time as the first) answers the first's contact, `replayed`, and writes nothing.
 */
export const logContact = async (pairing: Pairing, input: ContactInput, identity: Identity, now: Date) => {
  const at = new Date(input.at);
  const atUtc = at.toISOString();
  await checkTags(input.serviceItems);
  const recent = await recentContactsWithFirm(pairing.uscc, at);
  const contactId = randomUUID();
  const replay = async () =>
    input.requestId ? await earlierContact(identity.username, input.requestId, pairing.pairingId, input) : undefined;
  let attachment: Awaited<ReturnType<typeof prepareAttachment>>;
  try {
    attachment = await prepareAttachment(
      input.evidenceIds ?? [],
      { attachedTo: `contact:${contactId}`, jurisdiction: pairing.county },
      identity,
    );
  } catch (error) {
    // The same request, sent at the same time, attached the files first: its contact is the answer.
    const earlier = error instanceof ValidationError ? await replay() : undefined;
    if (earlier) return { contact: earlier, pairing, warnings: [], replayed: true };
    throw error;
  }
  const contact: Contact = {
    contactId,
    pairingId: pairing.pairingId,
    uscc: pairing.uscc,
    liaison: pairing.liaison,
    at: input.at,
    mode: input.mode,
    participants: input.participants,
    summary: input.summary,
    evidenceIds: input.evidenceIds ?? [],
    evidence: attachment.refs,
    loggedBy: identity.username,
    loggedAt: now.toISOString(),
    ...(input.serviceItems && input.serviceItems.length > 0 ? { serviceItems: input.serviceItems } : {}),
  };
  const later = (current: string | null) => (current === null || new Date(current) < at ? input.at : current);
  const qualifying = qualifyingModesFrom(process.env[ENV.qualifyingModes]).includes(input.mode);
  const newest = pairing.lastContactAt === null || new Date(pairing.lastContactAt) < at;
  const month = monthOf(at);
  const months = pairing.qualifyingMonths ?? [];
  // The month's first qualifying contact of a pairing judged from its start counts once (rule 5).
  const firstOfMonth = qualifying && !months.includes(month);
  const counts = firstOfMonth && pairing.startsOn <= firstDayOf(month);
  const after: Pairing = {
    ...pairing,
    lastContactAt: later(pairing.lastContactAt),
    lastContact: newest
      ? { contactId, at: input.at, mode: input.mode, summary: [...input.summary].slice(0, LAST_SUMMARY_MAX).join('') }
      : (pairing.lastContact ?? null),
    lastQualifyingContactAt: qualifying ? later(pairing.lastQualifyingContactAt) : pairing.lastQualifyingContactAt,
    qualifyingMonths: firstOfMonth ? [...months, month].sort() : months,
    version: pairing.version + 1,
  };
  const result = await transact([
    {
      Put: {
        TableName: tableName(),
        Item: {
          ...keys.contact(pairing.pairingId, atUtc, contact.contactId),
          ...keys.contactOfFirm(pairing.uscc, atUtc, contact.contactId),
          type: 'contact',
          ...contact,
        },
      },
    },
    {
      Put: {
        ...pairingPut(after),
        ConditionExpression: 'version = :v',
        ExpressionAttributeValues: { ':v': pairing.version },
      },
    },
    auditPut(
      identity,
      { entity: `pairing:${pairing.pairingId}`, jurisdiction: pairing.county, action: 'contact.log', after: contact },
      now.toISOString(),
    ),
    ...(input.requestId
      ? [contactRequestPut(identity.username, input.requestId, pairing.pairingId, input, contact, atUtc, now)]
      : []),
    ...(counts ? countUpdates(month, pairing.county, 'contacted') : []),
    ...attachment.updates,
    ...serviceCountUpdates(pairing.county, atUtc, { contact: input.serviceItems }),
  ]);
  if (!result.ok) {
    // The same request won meanwhile (sent twice at once): its contact is the answer.
    if (input.requestId && result.failed.includes(3)) {
      const earlier = await replay();
      if (earlier) return { contact: earlier, pairing, warnings: [], replayed: true };
    }
    if (result.failed.some((index) => index >= 3))
      throw new ConflictError('EVIDENCE_TAKEN', 'A file was attached to another record meanwhile');
    throw new ConflictError('VERSION_CONFLICT', 'The pairing changed meanwhile; try again');
  }
  const warnings = recent.map((c) => ({
    code: 'REPEATED_VISIT',
    message: `This firm was contacted on ${c.at} (${c.mode}); avoid repeated visits`,
    contactId: c.contactId,
    at: c.at,
  }));
  return { contact, pairing: after, warnings, replayed: false };
};

export const listContacts = async (pairingId: string): Promise<Contact[]> => {
  const { pk, skPrefix } = keys.contactsOf(pairingId);
  return (await queryPartition(pk, { skPrefix, newestFirst: true })).map((i) => fromItem<Contact>(i));
};
