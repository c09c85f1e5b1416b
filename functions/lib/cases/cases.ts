import { randomUUID } from 'node:crypto';
import { QueryCommand } from '@aws-sdk/lib-dynamodb';
import type { AuditAction } from '../../../shared/audit.ts';
import {
  CASE_MOVES,
  type CaseEdit,
  type CaseFirm,
  type CaseInput,
  type CaseKind,
  type CasePublishInput,
  type CaseRecord,
  type CaseStatus,
  EDITABLE,
  movesFor,
  type PublicCase,
  type StaffCase,
} from '../../../shared/cases.ts';
import { levelOf, names } from '../../../shared/jurisdictions.ts';
import { keys } from '../../../shared/keys.ts';
import { enterpriseViews } from '../enterprises/enterprises.ts';
import { ConflictError, ForbiddenError, NotFoundError, ValidationError } from '../http/errors.ts';
import type { Identity } from '../http/identity.ts';
import { inScope } from '../http/scope.ts';
import type { LedgerItem } from '../ledger/ledger.ts';
import { auditPut } from '../store/audit.ts';
import { prepareAttachment } from '../store/evidence.ts';
import { batchGet, db, fromItem, getRecord, tableName } from '../store/table.ts';
import { transact } from '../store/transact.ts';

export type { CaseFirm, CaseRecord };

/**
 * "Three best" cases (issue 19). One record per case (`CASE#<id>`), in the byScope index under its
 * county so a subtree lists them, and in the byParent index (`PUBLISHEDCASES`) while published, which
 * is all the public list reads. Every write is one transaction: the case at the version read (and in
 * the status the move starts from) with its audit event, so a stale or concurrent move gets 409 and
 * never overwrites; the moves and who may make them are shared/cases.ts's CASE_MOVES.
 */

/**
 * Drafts and their edits belong to the county until it submits them: a city or province lead sees
 * a case once it was submitted (a returned one too: the city returned it). Outside one's scope, or a
 * draft to another level, a case answers 404 like one that does not exist (rule 8).
 */
const visibleTo = (me: Identity, c: Pick<CaseRecord, 'county' | 'status'>): boolean =>
  inScope(me, c.county) && (c.status !== 'draft' || levelOf(me.jurisdiction) === 'county');

/** The case as staff read it, with the moves the caller may make on it now. */
export const staffView = (me: Identity, c: CaseRecord): StaffCase => {
  const level = levelOf(me.jurisdiction);
  const own = me.role === 'lead';
  return {
    ...c,
    moves: own ? movesFor(c.status, level) : [],
    editable: own && level === 'county' && EDITABLE.includes(c.status),
  };
};

/** What anyone may read of a published case: its public text, never its story, USCCs or staff. */
export const publicView = (c: CaseRecord): PublicCase => ({
  caseId: c.caseId,
  kind: c.kind,
  title: c.publicTitle ?? '',
  summary: c.publicSummary ?? '',
  county: c.county,
  place: names[c.county] ?? { zh: c.county, en: c.county },
  publishedAt: c.publishedAt ?? '',
  firms: c.showFirms ? c.firms.map((f) => f.name) : [],
});

const itemOf = (c: CaseRecord) => ({
  ...keys.case(c.caseId),
  ...keys.caseScope(c.county, c.createdAt, c.caseId),
  ...(c.status === 'published' && c.publishedAt ? keys.casePublished(c.publishedAt, c.caseId) : {}),
  type: 'case',
  ...c,
});

/** The firms named, each on the roster and inside the caller's scope (else a field error, as if absent). */
const firmsInScope = async (me: Identity, usccs: readonly string[]): Promise<CaseFirm[]> => {
  const found = await enterpriseViews(usccs);
  const fields: Record<string, string> = {};
  const firms = usccs.flatMap((uscc, i) => {
    const firm = found.get(uscc);
    if (!firm || !inScope(me, firm.county)) {
      fields[`firms.${i}`] = 'No such firm in your jurisdiction';
      return [];
    }
    return [{ uscc, name: firm.name }];
  });
  if (Object.keys(fields).length > 0) throw new ValidationError(fields);
  return firms;
};

/** The ledger items named, each existing and inside the caller's scope (else a field error, as if absent). */
const ledgerItemsInScope = async (me: Identity, ids: readonly string[]): Promise<string[]> => {
  if (ids.length === 0) return [];
  const items = new Map(
    (await batchGet(ids.map((id) => keys.ledgerItem(id)))).map((item) => {
      const record = fromItem<LedgerItem>(item);
      return [record.itemId, record];
    }),
  );
  const fields: Record<string, string> = {};
  ids.forEach((id, i) => {
    const item = items.get(id);
    if (!item || !inScope(me, item.county)) fields[`ledgerItems.${i}`] = 'No such ledger item in your jurisdiction';
  });
  if (Object.keys(fields).length > 0) throw new ValidationError(fields);
  return [...ids];
};

const requireCountyLead = (me: Identity) => {
  if (me.role !== 'lead' || levelOf(me.jurisdiction) !== 'county')
    throw new ForbiddenError('Only a county lead drafts and submits cases');
};

/** Runs the case's write with its audit and evidence claims; maps failed conditions to 409s. */
const write = async (
  me: Identity,
  next: CaseRecord,
  condition: { version: number; status: CaseStatus } | 'new',
  action: AuditAction,
  before: Partial<CaseRecord> | null,
  evidenceUpdates: readonly unknown[],
  now: Date,
) => {
  const put =
    condition === 'new'
      ? { ConditionExpression: 'attribute_not_exists(pk)' }
      : {
          ConditionExpression: 'version = :v AND #status = :s',
          ExpressionAttributeNames: { '#status': 'status' },
          ExpressionAttributeValues: { ':v': condition.version, ':s': condition.status },
        };
  const items = [
    { Put: { TableName: tableName(), Item: itemOf(next), ...put } },
    auditPut(
      me,
      {
        entity: `case:${next.caseId}`,
        jurisdiction: next.county,
        action,
        before,
        after: { status: next.status, version: next.version, title: next.title, kind: next.kind },
      },
      now.toISOString(),
    ),
    ...(evidenceUpdates as Parameters<typeof transact>[0]),
  ];
  const result = await transact(items);
  if (result.ok) return;
  if (result.failed.some((index) => index >= 2))
    throw new ConflictError('EVIDENCE_TAKEN', 'A file was attached to another record meanwhile');
  throw new ConflictError('VERSION_CONFLICT', 'The case changed meanwhile; reload it and try again');
};

/** POST /api/staff/cases: a county lead drafts a case in its own county. */
export const createCase = async (me: Identity, input: CaseInput, now: Date): Promise<CaseRecord> => {
  requireCountyLead(me);
  const [firms, ledgerItems] = await Promise.all([
    firmsInScope(me, input.firms),
    ledgerItemsInScope(me, input.ledgerItems ?? []),
  ]);
  const caseId = randomUUID();
  const attachment = await prepareAttachment(
    input.evidenceIds ?? [],
    { attachedTo: `case:${caseId}`, jurisdiction: me.jurisdiction },
    me,
  );
  const at = now.toISOString();
  const record: CaseRecord = {
    caseId,
    kind: input.kind,
    title: input.title,
    story: input.story,
    county: me.jurisdiction,
    firms,
    ledgerItems,
    evidenceIds: input.evidenceIds ?? [],
    evidence: attachment.refs,
    status: 'draft',
    version: 1,
    createdAt: at,
    createdBy: me.username,
    updatedAt: at,
    lastMove: { action: 'create', by: me.username, at },
    returnReason: null,
    publicTitle: null,
    publicSummary: null,
    showFirms: false,
    publishedAt: null,
  };
  await write(me, record, 'new', 'case.create', null, attachment.updates, now);
  return record;
};

/** A case the caller may see, read consistently (a move decides on what was just written), else 404. */
export const caseFor = async (me: Identity, caseId: string): Promise<CaseRecord> => {
  const found = await getRecord<CaseRecord>(keys.case(caseId), { consistent: true });
  if (!found || !visibleTo(me, found)) throw new NotFoundError();
  return found;
};

const requireVersion = (c: CaseRecord, version: number) => {
  if (c.version !== version)
    throw new ConflictError('VERSION_CONFLICT', 'The case changed since you read it; reload it and try again');
};

/** PATCH /api/staff/cases/{id}: the county edits its draft (or a returned case) at the version read. */
export const editCase = async (me: Identity, caseId: string, edit: CaseEdit, now: Date): Promise<CaseRecord> => {
  const current = await caseFor(me, caseId);
  requireCountyLead(me);
  requireVersion(current, edit.version);
  if (!EDITABLE.includes(current.status))
    throw new ConflictError('INVALID_TRANSITION', 'Only a draft or a returned case can be edited');
  const [firms, ledgerItems] = await Promise.all([
    edit.firms ? firmsInScope(me, edit.firms) : Promise.resolve(current.firms),
    edit.ledgerItems ? ledgerItemsInScope(me, edit.ledgerItems) : Promise.resolve(current.ledgerItems),
  ]);
  const attachment = edit.evidenceIds
    ? await prepareAttachment(edit.evidenceIds, { attachedTo: `case:${caseId}`, jurisdiction: current.county }, me)
    : { refs: current.evidence, updates: [] };
  const at = now.toISOString();
  const next: CaseRecord = {
    ...current,
    kind: edit.kind ?? current.kind,
    title: edit.title ?? current.title,
    story: edit.story ?? current.story,
    firms,
    ledgerItems,
    evidenceIds: edit.evidenceIds ?? current.evidenceIds,
    evidence: attachment.refs,
    version: current.version + 1,
    updatedAt: at,
    lastMove: { action: 'edit', by: me.username, at },
  };
  await write(
    me,
    next,
    { version: current.version, status: current.status },
    'case.edit',
    { title: current.title, kind: current.kind, version: current.version },
    attachment.updates,
    now,
  );
  return next;
};

export type MoveInput =
  | { action: 'submit' | 'recommend' | 'select' | 'unpublish'; version: number }
  | { action: 'return'; version: number; reason: string }
  | ({ action: 'publish' } & CasePublishInput);

/**
 * One move of a case: seen by the caller (else 404), by a lead of the move's level (else 403), at
 * the version read (else 409 VERSION_CONFLICT), from a status the move starts from (else 409
 * INVALID_TRANSITION). The Put's condition repeats the last two, so two concurrent moves never both land.
 */
export const moveCase = async (me: Identity, caseId: string, input: MoveInput, now: Date): Promise<CaseRecord> => {
  const current = await caseFor(me, caseId);
  const move = CASE_MOVES[input.action];
  if (me.role !== 'lead' || levelOf(me.jurisdiction) !== move.level)
    throw new ForbiddenError(`Only a ${move.level} lead may ${input.action} a case`);
  requireVersion(current, input.version);
  if (!move.from.includes(current.status))
    throw new ConflictError('INVALID_TRANSITION', `A ${current.status} case cannot be ${input.action}ed`);
  const at = now.toISOString();
  const next: CaseRecord = {
    ...current,
    status: move.to,
    version: current.version + 1,
    updatedAt: at,
    lastMove: {
      action: input.action,
      by: me.username,
      at,
      ...(input.action === 'return' ? { reason: input.reason } : {}),
    },
  };
  if (input.action === 'return') next.returnReason = input.reason;
  if (input.action === 'submit') next.returnReason = null;
  if (input.action === 'publish') {
    next.publicTitle = input.publicTitle;
    next.publicSummary = input.publicSummary;
    next.showFirms = input.showFirms;
    next.publishedAt = at;
  }
  if (input.action === 'unpublish') next.publishedAt = null;
  await write(
    me,
    next,
    { version: current.version, status: current.status },
    `case.${input.action}`,
    { status: current.status, version: current.version },
    [],
    now,
  );
  return next;
};

/** One page of the cases of a subtree, newest first per county, with the filters given. */
export const listCases = async (
  me: Identity,
  where: { prefix: string; status?: CaseStatus | undefined; kind?: CaseKind | undefined },
  page: { limit: number; start: Record<string, unknown> | undefined },
) => {
  const filters: string[] = [];
  const values: Record<string, unknown> = { ':p': keys.casesScopePk(), ':prefix': where.prefix };
  const namesOf: Record<string, string> = {};
  if (where.status) {
    filters.push('#status = :status');
    values[':status'] = where.status;
    namesOf['#status'] = 'status';
  }
  if (where.kind) {
    filters.push('kind = :kind');
    values[':kind'] = where.kind;
  }
  // Drafts are the county's own (visibleTo): another level's page never holds them.
  if (levelOf(me.jurisdiction) !== 'county') {
    filters.push('#status <> :draft');
    values[':draft'] = 'draft';
    namesOf['#status'] = 'status';
  }
  const out = await db().send(
    new QueryCommand({
      TableName: tableName(),
      IndexName: 'byScope',
      KeyConditionExpression: 'scopePk = :p AND begins_with(scopeSk, :prefix)',
      ...(filters.length > 0 ? { FilterExpression: filters.join(' AND ') } : {}),
      ...(Object.keys(namesOf).length > 0 ? { ExpressionAttributeNames: namesOf } : {}),
      ExpressionAttributeValues: values,
      ScanIndexForward: false,
      Limit: page.limit,
      ExclusiveStartKey: page.start,
    }),
  );
  const cases = (out.Items ?? []).map((item) => fromItem<CaseRecord>(item)).filter((c) => visibleTo(me, c));
  return { cases, lastKey: out.LastEvaluatedKey };
};

/** One page of the published cases, newest first, of one kind if given. */
export const listPublished = async (
  kind: CaseKind | undefined,
  page: { limit: number; start: Record<string, unknown> | undefined },
) => {
  const out = await db().send(
    new QueryCommand({
      TableName: tableName(),
      IndexName: 'byParent',
      KeyConditionExpression: 'parentPk = :p',
      ...(kind ? { FilterExpression: 'kind = :kind' } : {}),
      ExpressionAttributeValues: { ':p': keys.casesPublished().parentPk, ...(kind ? { ':kind': kind } : {}) },
      ScanIndexForward: false,
      Limit: page.limit,
      ExclusiveStartKey: page.start,
    }),
  );
  const cases = (out.Items ?? [])
    .map((item) => fromItem<CaseRecord>(item))
    .filter((c) => c.status === 'published')
    .map(publicView);
  return { cases, lastKey: out.LastEvaluatedKey };
};
