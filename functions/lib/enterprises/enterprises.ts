import { QueryCommand } from '@aws-sdk/lib-dynamodb';
import type { Enterprise, EnterpriseInput, EnterprisePatch } from '../../../shared/enterprise.ts';
import { prefixOf } from '../../../shared/jurisdictions.ts';
import { keys } from '../../../shared/keys.ts';
import { ConflictError } from '../http/errors.ts';
import type { Identity } from '../http/identity.ts';
import { auditPut } from '../store/audit.ts';
import { eachLimit } from '../store/concurrency.ts';
import { batchGet, db, fromItem, queryPages, tableName } from '../store/table.ts';
import { transact } from '../store/transact.ts';
import { requireLivePark } from './parks.ts';

/** A firm as stored and answered; its view type is the API contract's (shared/). */
export type { Enterprise };

/** How long a running import holds the firms it staged: the staff function's 29 s timeout, with room. */
export const IMPORT_LEASE_MS = 60_000;
/** Two Lambdas' clocks may differ a little: a run counts as dead only this long after its lease ended. */
export const LEASE_MARGIN_MS = 30_000;

/**
 * An all-or-nothing import's change of one firm, written on the firm's item (attribute `staged`)
 * before the import commits. Readers honour it only once the import's record says committed (one
 * write, so every row turns visible at once); the import then applies it (record and audit event in
 * one transaction), and so does a retry of the import or an edit of the firm if the import died.
 */
export interface StagedChange {
  importId: string;
  /** The run of the import that staged it (a run that died is taken over by a new token). */
  token: string;
  /**
   * The firm's record after the change, for an update. A new firm is written whole in its item
   * (readers treat it as absent until the import commits) and its marker stays until the firm's
   * next write, so creating 5,000 firms costs no second write each.
   */
  record?: Enterprise;
  action: 'enterprise.import.create' | 'enterprise.import.update';
  actor: string;
  role: string;
}

/** The record of an all-or-nothing import (see import.ts). */
export interface ImportRun {
  importId: string;
  token: string;
  state: 'staging' | 'committed' | 'applied' | 'aborted';
  /** A staging run past this (plus a margin) is dead: its staged changes are ignored and may be overwritten. */
  leaseUntil: string;
  /** The run's time: the records' `updatedAt` and the audit events' time. */
  at: string;
  /** Tokens of earlier runs of the same request that committed (their new firms' markers name them). */
  committed?: string[];
}

/**
 * committed: readers see the staged change, which may still need applying (record, audit event);
 * applied: readers see it and the import applied it (a new firm's marker is all that is left);
 * live: its import still runs; dead: it never will commit.
 */
export type StagedFate = 'committed' | 'applied' | 'live' | 'dead';

/** A firm's item as stored: what readers see, what the item itself holds, and any staged change. */
export interface Stored {
  uscc: string;
  /** The enterprise as readers see it (a committed import's change included), or undefined. */
  view: Enterprise | undefined;
  /** The record written in the item itself (before any staged update; a new firm once committed). */
  applied: Enterprise | undefined;
  staged?: StagedChange;
  fate?: StagedFate;
  /** The staged change's record (an update's, or the new firm's), when there is one. */
  change?: Enterprise;
}

const fateOf = (staged: StagedChange, run: ImportRun | undefined, now: number): StagedFate => {
  if (run?.committed?.includes(staged.token)) return 'applied';
  if (!run || run.token !== staged.token) return 'dead';
  if (run.state === 'committed') return 'committed';
  if (run.state === 'applied') return 'applied';
  if (run.state === 'staging' && now <= Date.parse(run.leaseUntil) + LEASE_MARGIN_MS) return 'live';
  return 'dead';
};

/** The import records of some staged changes (consistent reads: a commit must be seen at once). */
const runsOf = async (staged: readonly StagedChange[]): Promise<Map<string, ImportRun>> => {
  const ids = [...new Set(staged.map((s) => s.importId))];
  if (ids.length === 0) return new Map();
  const items = await batchGet(
    ids.map((id) => keys.enterpriseImport(id)),
    { consistent: true },
  );
  return new Map(items.map((i) => [String(i.importId), fromItem<ImportRun>(i)]));
};

/**
 * Runs known to be applied. That is final (a later run of the same request keeps the token in
 * `committed`), so a new firm's marker costs its import-record read once per process, not per read.
 */
const appliedTokens = new Set<string>();

/** Stored items of the table (GetItem, BatchGet or Query) → what each holds and what readers see. */
const resolve = async (items: readonly Record<string, unknown>[]): Promise<Stored[]> => {
  const raw = items.map((item) => {
    const { staged, ...record } = fromItem<Enterprise & { staged?: StagedChange }>(item);
    return { uscc: String(item.uscc), record: item.type === 'enterprise' ? (record as Enterprise) : undefined, staged };
  });
  const runs = await runsOf(raw.flatMap((r) => (r.staged && !appliedTokens.has(r.staged.token) ? [r.staged] : [])));
  const now = Date.now();
  return raw.map(({ uscc, record, staged }): Stored => {
    if (!staged) return { uscc, view: record, applied: record };
    const fate = appliedTokens.has(staged.token) ? 'applied' : fateOf(staged, runs.get(staged.importId), now);
    if (fate === 'applied') appliedTokens.add(staged.token);
    const seen = fate === 'committed' || fate === 'applied';
    // A new firm written in place exists once its import commits; an update shows its record then.
    if (!staged.record) {
      const applied = seen ? record : undefined;
      return { uscc, view: applied, applied, staged, fate, ...(record ? { change: record } : {}) };
    }
    return { uscc, view: seen ? staged.record : record, applied: record, staged, fate, change: staged.record };
  });
};

/** Firms by USCC as stored (absent ones with no view), in the order asked. */
export const readStored = async (usccs: readonly string[], options: { consistent?: boolean } = {}) => {
  const found = await resolve(
    await batchGet(
      usccs.map((u) => keys.enterprise(u)),
      options,
    ),
  );
  const byUscc = new Map(found.map((s) => [s.uscc, s]));
  return usccs.map((uscc): Stored => byUscc.get(uscc) ?? { uscc, view: undefined, applied: undefined });
};

export const getEnterprise = async (uscc: string): Promise<Enterprise | undefined> =>
  (await readStored([uscc]))[0]?.view;

/** The names of some firms by USCC (one BatchGet per hundred), for lists that carry only the code. */
export const enterpriseNames = async (usccs: readonly string[]): Promise<Map<string, string>> =>
  new Map((await readStored([...new Set(usccs)])).flatMap((s) => (s.view ? [[s.uscc, s.view.name] as const] : [])));

/** Some firms as readers see them (a committed import's change included), by USCC; absent ones left out. */
export const enterpriseViews = async (usccs: readonly string[]): Promise<Map<string, Enterprise>> =>
  new Map((await readStored([...new Set(usccs)])).flatMap((s) => (s.view ? [[s.uscc, s.view] as const] : [])));

/**
 * The import's audit event of one committed change. Its id is fixed (`import-<token>`) and its
 * content is the same whoever writes it (the change is staged until applied), so writing it again
 * writes the same item: it exists once.
 */
const stagedAudit = (stored: Stored, staged: StagedChange, after: Enterprise) =>
  auditPut(
    { username: staged.actor, role: staged.role },
    {
      entity: `enterprise:${after.uscc}`,
      jurisdiction: after.county,
      action: staged.action,
      ...(staged.record && stored.applied ? { before: stored.applied } : {}),
      after,
    },
    after.updatedAt,
    `import-${staged.token}`,
  ).Put.Item;

/** The Put that applies a committed update to its firm's item, only while the change is still staged. */
const applyPut = (staged: StagedChange, record: Enterprise) => ({
  Put: {
    ...enterprisePut(record),
    ConditionExpression: '#staged.#token = :token',
    ExpressionAttributeNames: { '#staged': 'staged', '#token': 'token' },
    ExpressionAttributeValues: { ':token': staged.token },
  },
});

/** Items per transaction when applying (one each: an audit event or a record) and transactions in flight. */
const APPLY_ITEMS_PER_TRANSACTION = 100;
const APPLY_PARALLEL = 8;

/** Runs single-item writes in transactions of a hundred; a failed condition skips that item. */
const writeAll = async (items: readonly Record<string, unknown>[]) => {
  const chunks: Record<string, unknown>[][] = [];
  for (let i = 0; i < items.length; i += APPLY_ITEMS_PER_TRANSACTION)
    chunks.push(items.slice(i, i + APPLY_ITEMS_PER_TRANSACTION));
  const run = async (chunk: Record<string, unknown>[]): Promise<void> => {
    const result = await transact(chunk);
    if (result.ok) return;
    const failed = new Set(result.failed);
    const rest = chunk.filter((_, i) => !failed.has(i));
    if (rest.length > 0) await run(rest);
  };
  await eachLimit(chunks, APPLY_PARALLEL, run);
};

/**
 * Applies the committed staged changes among these firms: first their audit events (fixed ids and
 * a content every settler computes alike, so rewriting one writes the same item), then the updates'
 * records, each only while its change is still staged (one applied meanwhile, by the import, its
 * retry or an edit, is left alone). A new firm is in its item already. The events go first so that
 * no applied record lacks its event; a crash in between leaves events of changes readers already see.
 */
export const settleCommitted = async (stored: readonly Stored[]): Promise<void> => {
  const committed = stored.flatMap((s) =>
    s.fate === 'committed' && s.staged && s.change ? [{ s, staged: s.staged, change: s.change }] : [],
  );
  await writeAll(
    committed.map(({ s, staged, change }) => ({
      Put: { TableName: tableName(), Item: stagedAudit(s, staged, change) },
    })),
  );
  await writeAll(committed.flatMap(({ staged }) => (staged.record ? [applyPut(staged, staged.record)] : [])));
};

/**
 * The condition for replacing a firm's item as read: absent (or a dead import's placeholder), or at
 * the version read with no staged change (or a dead import's). A live import holds the firm: 409.
 * A committed change must be applied first (settleCommitted).
 */
export const overwriteCondition = (
  stored: Stored,
): {
  ConditionExpression: string;
  ExpressionAttributeNames?: Record<string, string>;
  ExpressionAttributeValues?: Record<string, unknown>;
} => {
  if (stored.fate === 'live')
    throw new ConflictError('IMPORT_IN_PROGRESS', 'An import is writing this enterprise; try again in a minute');
  if (stored.fate === 'committed' && stored.staged?.record)
    throw new Error('A committed import change must be applied before an overwrite');
  const version = stored.applied ? { ':version': stored.applied.version } : {};
  const versionCheck = stored.applied ? 'version = :version AND ' : '';
  if (stored.staged)
    return {
      ConditionExpression: `${versionCheck}#staged.#token = :token`,
      ExpressionAttributeNames: { '#staged': 'staged', '#token': 'token' },
      ExpressionAttributeValues: { ...version, ':token': stored.staged.token },
    };
  if (!stored.applied) return { ConditionExpression: 'attribute_not_exists(pk)' };
  return {
    ConditionExpression: `${versionCheck}attribute_not_exists(#staged)`,
    ExpressionAttributeNames: { '#staged': 'staged' },
    ExpressionAttributeValues: version,
  };
};

/** A firm as stored, with any committed import change applied first (writers start from here). */
export const readForWrite = async (uscc: string): Promise<Stored> => {
  const [stored] = await readStored([uscc], { consistent: true });
  if (stored?.fate !== 'committed') return stored as Stored;
  await settleCommitted([stored]);
  return (await readStored([uscc], { consistent: true }))[0] as Stored;
};

/** The Put of an enterprise with its index keys (roster by jurisdiction). */
export const enterprisePut = (enterprise: Enterprise) => ({
  TableName: tableName(),
  Item: {
    ...keys.enterprise(enterprise.uscc),
    ...keys.enterpriseScope(enterprise.county, enterprise.uscc),
    type: 'enterprise',
    ...enterprise,
  },
});

/** Registers an enterprise with its audit event; a USCC registered already is 409 ALREADY_EXISTS. */
export const createEnterprise = async (input: EnterpriseInput, identity: Identity, now: Date): Promise<Enterprise> => {
  const at = now.toISOString();
  if (input.park) await requireLivePark(input.county, input.park);
  const enterprise: Enterprise = {
    ...input,
    types: input.types ?? [],
    status: 'active',
    version: 1,
    createdAt: at,
    updatedAt: at,
  };
  // Absent, or the placeholder a dead import left behind (a live or committed import's firm exists).
  const stored = await readForWrite(input.uscc);
  if (stored.view) throw new ConflictError('ALREADY_EXISTS', 'An enterprise with this USCC is registered already');
  const result = await transact([
    { Put: { ...enterprisePut(enterprise), ...overwriteCondition(stored) } },
    auditPut(
      identity,
      {
        entity: `enterprise:${input.uscc}`,
        jurisdiction: input.county,
        action: 'enterprise.create',
        after: enterprise,
      },
      at,
    ),
  ]);
  if (!result.ok) throw new ConflictError('ALREADY_EXISTS', 'An enterprise with this USCC is registered already');
  return enterprise;
};

/**
 * Applies a patch at the version the caller saw; a stale version is 409 VERSION_CONFLICT (rule 9).
 * `stored` comes from readForWrite (any committed import change applied).
 */
export const updateEnterprise = async (
  stored: Stored,
  patch: EnterprisePatch,
  identity: Identity,
  now: Date,
): Promise<Enterprise> => {
  const before = stored.applied;
  if (!before || patch.version !== before.version)
    throw new ConflictError('VERSION_CONFLICT', 'The enterprise changed meanwhile; reload it');
  const { version, park, ...changes } = patch;
  const after: Enterprise = { ...before, ...changes, version: before.version + 1, updatedAt: now.toISOString() };
  if (park === null) delete after.park;
  else if (park !== undefined) after.park = park;
  // A park given anew, or kept while the firm moves county, must be a live park of its county (one
  // it keeps unchanged stays, even retired since: retiring a park does not block editing its firms).
  if (after.park && (after.park !== before.park || after.county !== before.county))
    await requireLivePark(after.county, after.park);
  const result = await transact([
    { Put: { ...enterprisePut(after), ...overwriteCondition(stored) } },
    auditPut(
      identity,
      { entity: `enterprise:${after.uscc}`, jurisdiction: after.county, action: 'enterprise.update', before, after },
      now.toISOString(),
    ),
  ]);
  if (!result.ok) throw new ConflictError('VERSION_CONFLICT', 'The enterprise changed meanwhile; reload it');
  return after;
};

/**
 * One page of the enterprises inside a jurisdiction subtree (Query on byScope, never a Scan),
 * optionally narrowed by tier, status, and a name fragment or USCC prefix.
 */
export const listEnterprises = async (options: {
  jurisdiction: string;
  tier?: string | undefined;
  status?: string | undefined;
  q?: string | undefined;
  limit: number;
  cursor?: Record<string, unknown> | undefined;
}): Promise<{ items: Enterprise[]; next?: Record<string, unknown> }> => {
  const filters: string[] = [];
  const names: Record<string, string> = {};
  const values: Record<string, unknown> = {
    ':p': keys.enterprisesScopePk(),
    ':prefix': prefixOf(options.jurisdiction),
  };
  if (options.tier) {
    filters.push('tier = :tier');
    values[':tier'] = options.tier;
  }
  if (options.status) {
    filters.push('#status = :status');
    names['#status'] = 'status';
    values[':status'] = options.status;
  }
  if (options.q) {
    filters.push('(contains(#name, :q) OR begins_with(uscc, :qu))');
    names['#name'] = 'name';
    values[':q'] = options.q;
    values[':qu'] = options.q.toUpperCase();
  }
  // The filters test the item's own attributes; an item with a staged import change comes back
  // whatever they say and is tested below on what readers see (the change, once committed).
  // (DynamoDB refuses redundant parentheses: a single filter is wrapped once already or needs none.)
  if (filters.length > 0) names['#staged'] = 'staged';
  const own = filters.length === 1 ? filters[0] : `(${filters.join(' AND ')})`;
  const out = await db().send(
    new QueryCommand({
      TableName: tableName(),
      IndexName: 'byScope',
      KeyConditionExpression: 'scopePk = :p AND begins_with(scopeSk, :prefix)',
      ...(filters.length > 0 ? { FilterExpression: `${own} OR attribute_exists(#staged)` } : {}),
      ...(Object.keys(names).length > 0 ? { ExpressionAttributeNames: names } : {}),
      ExpressionAttributeValues: values,
      Limit: options.limit,
      ExclusiveStartKey: options.cursor,
    }),
  );
  const prefix = prefixOf(options.jurisdiction);
  const q = options.q;
  const wanted = (e: Enterprise) =>
    e.county.startsWith(prefix) &&
    (!options.tier || e.tier === options.tier) &&
    (!options.status || e.status === options.status) &&
    (!q || e.name.includes(q) || e.uscc.startsWith(q.toUpperCase()));
  return {
    items: (await resolve(out.Items ?? [])).flatMap((s) => (s.view && wanted(s.view) ? [s.view] : [])),
    ...(out.LastEvaluatedKey ? { next: out.LastEvaluatedKey } : {}),
  };
};

/**
 * The firms of a subtree whose discharge permit expires on or before `end` (the early-warning board,
 * issue 19), closed firms left out: Query byScope with the filter, at most `maxPages` pages (each up
 * to DynamoDB's 1 MB, about a thousand firms), honouring imports as every read of the roster does.
 * `complete` is false when the subtree had more pages than that.
 */
export const firmsWithPermitBy = async (
  prefix: string,
  end: string,
  maxPages: number,
): Promise<{ firms: Enterprise[]; complete: boolean }> => {
  const { items: raw, complete } = await queryPages(
    {
      IndexName: 'byScope',
      KeyConditionExpression: 'scopePk = :p AND begins_with(scopeSk, :prefix)',
      // A staged import change comes back whatever the filter says and is judged on what readers see.
      FilterExpression: '(permitExpiresOn <= :end AND #status <> :closed) OR attribute_exists(#staged)',
      ExpressionAttributeNames: { '#status': 'status', '#staged': 'staged' },
      ExpressionAttributeValues: {
        ':p': keys.enterprisesScopePk(),
        ':prefix': prefix,
        ':end': end,
        ':closed': 'closed',
      },
    },
    maxPages,
  );
  const firms = (await resolve(raw)).flatMap((s) =>
    s.view?.permitExpiresOn &&
    s.view.permitExpiresOn <= end &&
    s.view.status !== 'closed' &&
    s.view.county.startsWith(prefix)
      ? [s.view]
      : [],
  );
  return { firms, complete };
};
