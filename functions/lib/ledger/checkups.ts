import { createHash, randomUUID } from 'node:crypto';
import {
  type Band,
  bandOf,
  CHECKUP_REQUEST_IDS,
  type Checkup,
  type CheckupAnswer,
  type CheckupFinding,
  type CheckupSignature,
  type CheckupTemplate,
  DEFAULT_TEMPLATE,
  type Health,
  MAX_TEMPLATE_ITEMS,
  SIGNATURE_MAX_BYTES,
  SIGNATURE_TYPES,
  scoreOf,
  type TemplateItem,
} from '../../../shared/checkups.ts';
import { ENV } from '../../../shared/config.ts';
import { type Key, keys } from '../../../shared/keys.ts';
import { checkupReport } from '../../../shared/messages/outgoing.ts';
import { shanghaiDate } from '../../../shared/time.ts';
import type { Enterprise } from '../enterprises/enterprises.ts';
import { ConflictError, NotFoundError, ValidationError } from '../http/errors.ts';
import type { Identity } from '../http/identity.ts';
import { messagePut } from '../messaging/outgoing.ts';
import { channelsOf } from '../pairings/firm-told.ts';
import { auditPut } from '../store/audit.ts';
import { getEvidenceRecord, prepareAttachment } from '../store/evidence.ts';
import { batchGet, fromItem, getRecord, queryPages, tableName } from '../store/table.ts';
import { transact } from '../store/transact.ts';
import { ledgerCountUpdates } from './counts.ts';
import { newLedgerItemWrites, recurrenceFinder } from './ledger.ts';

/** Check-ups in the single table (see shared/table.md); their shapes in shared/checkups.ts. */
export type { Checkup, CheckupAnswer, CheckupSignature, Health };

/** Days a failed item gets before it is due, from the check-up. */
const DUE_DAYS = 30;
const RANK: Record<Band, number> = { green: 0, yellow: 1, red: 2 };

const get = <T>(key: Key) => getRecord<T>(key, { consistent: true });

export const currentTemplateVersion = async (): Promise<number> =>
  Number((await get<{ version: number }>(keys.templateCurrent()))?.version ?? DEFAULT_TEMPLATE.version);

/** A template version; version 1 is the built-in default until an admin stores another. */
export const getTemplate = async (version: number): Promise<CheckupTemplate | undefined> => {
  const stored = await get<CheckupTemplate>(keys.template(version));
  if (stored) return stored;
  return version === DEFAULT_TEMPLATE.version ? DEFAULT_TEMPLATE : undefined;
};

/** An admin's edit: the next version, made current; check-ups keep the version they used. */
export const storeTemplate = async (
  input: Omit<CheckupTemplate, 'version'>,
  identity: Identity,
  now: Date,
): Promise<CheckupTemplate> => {
  const current = await currentTemplateVersion();
  const template: CheckupTemplate = { ...input, version: current + 1 };
  const at = now.toISOString();
  const result = await transact([
    {
      Put: {
        TableName: tableName(),
        Item: { ...keys.template(template.version), type: 'template', ...template },
        ConditionExpression: 'attribute_not_exists(pk)',
      },
    },
    {
      Put: {
        TableName: tableName(),
        Item: { ...keys.templateCurrent(), type: 'templateCurrent', version: template.version },
        ConditionExpression: 'attribute_not_exists(pk) OR version = :v',
        ExpressionAttributeValues: { ':v': current },
      },
    },
    auditPut(
      identity,
      { entity: 'template:checkup', jurisdiction: identity.jurisdiction, action: 'template.version', after: template },
      at,
    ),
  ]);
  if (!result.ok) throw new ConflictError('VERSION_CONFLICT', 'Another version was stored meanwhile; reload it');
  return template;
};

export const getCheckup = (checkupId: string) => get<Checkup>(keys.checkup(checkupId));

const checkupPut = (c: Checkup) => ({
  TableName: tableName(),
  Item: { ...keys.checkup(c.checkupId), ...keys.checkupOfFirm(c.uscc, c.at, c.checkupId), type: 'checkup', ...c },
});

export const createCheckup = async (
  input: { at: string; inspectors: string[]; templateVersion?: number | undefined },
  firm: Enterprise,
  identity: Identity,
  now: Date,
): Promise<Checkup> => {
  const templateVersion = input.templateVersion ?? (await currentTemplateVersion());
  if (!(await getTemplate(templateVersion))) throw new ValidationError({ templateVersion: 'No such template version' });
  const checkup: Checkup = {
    checkupId: randomUUID(),
    uscc: firm.uscc,
    county: firm.county,
    firmName: firm.name,
    templateVersion,
    at: new Date(input.at).toISOString(),
    inspectors: input.inspectors,
    answers: {},
    state: 'draft',
    score: null,
    band: null,
    ledgerItemIds: [],
    findings: [],
    pending: [],
    createdBy: identity.username,
    version: 1,
  };
  await transact([
    { Put: { ...checkupPut(checkup), ConditionExpression: 'attribute_not_exists(pk)' } },
    auditPut(
      identity,
      { entity: `checkup:${checkup.checkupId}`, jurisdiction: firm.county, action: 'checkup.create', after: checkup },
      now.toISOString(),
    ),
  ]);
  return checkup;
};

/** Autosave of a draft: answers merged at the version read. */
export const answerCheckup = async (
  before: Checkup,
  patch: { version: number; answers: Record<string, CheckupAnswer>; requestId?: string | undefined },
  identity: Identity,
  now: Date,
): Promise<Checkup> => {
  // A save applied already (its answer lost, or replayed from the tablet's queue after a crash): the
  // check-up as it is, whatever version the replay carries, so an answer is never applied twice.
  if (patch.requestId && before.requestIds?.includes(patch.requestId)) return before;
  if (before.state !== 'draft') throw new ConflictError('INVALID_TRANSITION', 'A submitted check-up cannot change');
  if (patch.version !== before.version)
    throw new ConflictError('VERSION_CONFLICT', 'The check-up changed meanwhile; reload it');
  const template = (await getTemplate(before.templateVersion)) as CheckupTemplate;
  const unknown = Object.keys(patch.answers).filter((id) => !template.items.some((i) => i.itemId === id));
  if (unknown.length > 0)
    throw new ValidationError(
      Object.fromEntries(unknown.map((id) => [`answers.${id}`, 'Not an item of this template'])),
    );
  // Photos per item: attached to this check-up now (a file it holds already is kept as it is).
  const ids = [...new Set(Object.values(patch.answers).flatMap((a) => a.evidenceIds ?? []))];
  if (ids.length > 40) throw new ValidationError({ answers: 'Attach at most 40 files in one save' });
  const attachment = await prepareAttachment(
    ids,
    { attachedTo: `checkup:${before.checkupId}`, jurisdiction: before.county },
    identity,
  );
  const refOf = new Map(attachment.refs.map((ref) => [ref.evidenceId, ref]));
  const answers = Object.fromEntries(
    Object.entries(patch.answers).map(([itemId, answer]) => {
      const evidence = (answer.evidenceIds ?? []).flatMap((id) => refOf.get(id) ?? []);
      return [itemId, { ...answer, ...(answer.evidenceIds ? { evidence } : {}) }];
    }),
  );
  const requestIds = patch.requestId
    ? [...(before.requestIds ?? []), patch.requestId].slice(-CHECKUP_REQUEST_IDS)
    : before.requestIds;
  const after: Checkup = {
    ...before,
    answers: { ...before.answers, ...answers },
    version: before.version + 1,
    ...(requestIds ? { requestIds } : {}),
  };
  const result = await transact([
    {
      Put: {
        ...checkupPut(after),
        ConditionExpression: 'version = :v AND #state = :draft',
        ExpressionAttributeNames: { '#state': 'state' },
        ExpressionAttributeValues: { ':v': before.version, ':draft': 'draft' },
      },
    },
    auditPut(
      identity,
      {
        entity: `checkup:${before.checkupId}`,
        jurisdiction: before.county,
        action: 'checkup.answer',
        after: patch.answers,
      },
      now.toISOString(),
    ),
    ...attachment.updates,
  ]);
  if (!result.ok) throw new ConflictError('VERSION_CONFLICT', 'The check-up changed meanwhile; reload it');
  return after;
};

/** DynamoDB's most writes in one TransactWriteItems. */
const MAX_TRANSACTION_ITEMS = 100;

/**
 * The ledger item id of a finding: a UUID derived from the check-up and the template item, so every
 * attempt at a submit names the same item (its Put is conditional on not existing).
 */
export const findingItemId = (checkupId: string, itemId: string): string => {
  const h = createHash('sha256').update(`checkup-finding:${checkupId}:${itemId}`).digest('hex');
  const variant = ((Number.parseInt(h.charAt(16), 16) & 0x3) | 0x8).toString(16);
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-5${h.slice(13, 16)}-${variant}${h.slice(17, 20)}-${h.slice(20, 32)}`;
};

/** A copy of `value` with every occurrence of `from` in its strings replaced by `to`. */
const renamed = <T>(value: T, from: string, to: string): T => {
  if (typeof value === 'string') return value.replaceAll(from, to) as T;
  if (Array.isArray(value)) return value.map((v) => renamed(v, from, to)) as T;
  if (value && typeof value === 'object')
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, renamed(v, from, to)])) as T;
  return value;
};

/**
 * The writes that raise some findings as ledger items (each Put conditional on not existing, with its
 * audit event) and count them once. newLedgerItemWrites names a new item with a random id; the
 * finding's derived id replaces it throughout (keys, record, audit event).
 */
const findingWrites = (
  checkup: Checkup,
  template: CheckupTemplate,
  firm: Pick<Enterprise, 'county' | 'name'>,
  identity: Identity,
  at: string,
  findings: readonly CheckupFinding[],
) => {
  const dueOn = shanghaiDate(new Date(new Date(checkup.at).getTime() + DUE_DAYS * 86_400_000));
  const raised = findings.map((f) => {
    const item = template.items.find((i) => i.itemId === f.itemId) as TemplateItem;
    const input = {
      uscc: checkup.uscc,
      title: item.text.zh,
      detail: checkup.answers[item.itemId]?.note || `体检发现：${item.text.zh}`,
      source: 'checkup',
      severity: item.failSeverity,
      dueOn,
      ownerDepartment: '环境监管',
      sourceRef: `${checkup.checkupId}:${item.itemId}`,
    } as const;
    const made = newLedgerItemWrites(input, firm, identity, at, f.recurringOf);
    return {
      item: renamed(made.item, made.item.itemId, f.ledgerItemId),
      writes: renamed(made.writes, made.item.itemId, f.ledgerItemId),
    };
  });
  return [
    ...raised.flatMap((r) => r.writes),
    ...ledgerCountUpdates(
      checkup.county,
      raised.map((r) => ({ item: r.item, event: 'raised' as const, at })),
    ),
  ];
};

/** The first findings of `pending` whose writes fit in one transaction beside `others` writes. */
const nextBatch = (
  pending: readonly CheckupFinding[],
  others: number,
  writesOf: (batch: readonly CheckupFinding[]) => ReturnType<typeof findingWrites>,
) => {
  for (let n = pending.length; n > 0; n--) {
    const writes = writesOf(pending.slice(0, n));
    if (others + writes.length <= MAX_TRANSACTION_ITEMS) return { findings: pending.slice(0, n), writes };
  }
  return { findings: [], writes: [] };
};

const checkupPutAt = (after: Checkup, state: Checkup['state'], version: number) => ({
  Put: {
    ...checkupPut(after),
    ConditionExpression: 'version = :v AND #state = :state',
    ExpressionAttributeNames: { '#state': 'state' },
    ExpressionAttributeValues: { ':v': version, ':state': state },
  },
});

/**
 * Writes the findings a `submitting` check-up still lacks, as many per transaction as fit, each
 * transaction conditional on the check-up at the version read (so two callers never write one batch
 * twice: the loser reads again and carries on from there). Answers the check-up once `submitted`.
 */
const finishSubmit = async (
  checkup: Checkup,
  template: CheckupTemplate,
  firm: Pick<Enterprise, 'county' | 'name'>,
  identity: Identity,
  now: Date,
): Promise<Checkup> => {
  let current = checkup;
  // Each round writes at least one finding or sees another caller's progress: bounded by the findings.
  for (let round = 0; round <= 2 * MAX_TEMPLATE_ITEMS; round++) {
    if (current.state === 'submitted') return current;
    if (current.state !== 'submitting') throw new ConflictError('INVALID_TRANSITION', 'The check-up is not submitted');
    const waiting = new Set(current.pending ?? []);
    const pending = (current.findings ?? []).filter((f) => waiting.has(f.itemId));
    const at = current.submittedAt ?? now.toISOString();
    const batch = nextBatch(pending, 2, (b) => findingWrites(current, template, firm, identity, at, b));
    const rest = pending.slice(batch.findings.length).map((f) => f.itemId);
    const after: Checkup = {
      ...current,
      state: rest.length > 0 ? 'submitting' : 'submitted',
      pending: rest,
      version: current.version + 1,
    };
    const result = await transact([
      checkupPutAt(after, 'submitting', current.version),
      auditPut(
        identity,
        {
          entity: `checkup:${current.checkupId}`,
          jurisdiction: current.county,
          action: 'checkup.findings',
          after: { ledgerItemIds: batch.findings.map((f) => f.ledgerItemId), pending: rest },
        },
        now.toISOString(),
      ),
      ...batch.writes,
    ]);
    if (result.ok) {
      current = after;
      continue;
    }
    if (!result.failed.includes(0)) throw new Error(`Check-up ${current.checkupId}: a pending finding exists already`);
    current = (await getCheckup(current.checkupId)) ?? current;
  }
  throw new Error(`Check-up ${checkup.checkupId}: its findings did not get written`);
};

/** What a submit names: the version read and the firm representative's signature. */
export interface SubmitRequest {
  readonly version: number;
  readonly signature: { readonly evidenceId: string; readonly signerName: string };
}

const SIGNATURE_FIELD = 'signature.evidenceId';

/**
 * The signature's attachment: the file must be an upload of the staff member who submits (the tablet
 * the representative signed on), an image of at most SIGNATURE_MAX_BYTES, not attached to anything
 * else. It is attached to `checkup-signature:<id>` (not to the check-up's photos: an item photo cannot
 * pass for a signature, nor the signature for a photo) in the submit's first transaction.
 */
const prepareSignature = async (checkup: Checkup, input: SubmitRequest['signature'], identity: Identity) => {
  const record = await getEvidenceRecord(input.evidenceId);
  if (!record || record.uploadedBy !== identity.username)
    throw new ValidationError({ [SIGNATURE_FIELD]: 'No such upload of yours' }, 'The signature is missing');
  if (!(SIGNATURE_TYPES as readonly string[]).includes(record.contentType))
    throw new ValidationError({ [SIGNATURE_FIELD]: 'The signature must be a PNG or JPEG image' });
  if (record.size > SIGNATURE_MAX_BYTES)
    throw new ValidationError({ [SIGNATURE_FIELD]: 'A signature image is at most 1 MB' });
  try {
    const attachment = await prepareAttachment(
      [input.evidenceId],
      { attachedTo: `checkup-signature:${checkup.checkupId}`, jurisdiction: checkup.county },
      identity,
    );
    return { updates: attachment.updates, contentType: record.contentType };
  } catch (error) {
    // prepareAttachment names the field of a list (`evidenceIds.0`); the submit's field is the signature's.
    if (error instanceof ValidationError)
      throw new ValidationError({ [SIGNATURE_FIELD]: Object.values(error.fields ?? {})[0] ?? 'Not attachable' });
    throw error;
  }
};

/** The firm's message's personal data (its addresses) is kept this long: 30 days. */
const REPORT_MESSAGE_KEEP_S = 30 * 86_400;

/**
 * The message telling the firm its report is ready (issue 20), for the submit's first transaction:
 * once per check-up (`checkup:<id>`, kind `checkup-report`, Put if not exists), whatever retries
 * follow. Texted to its roster mobiles (the ones it signs in with at the firm door) and mailed to its
 * first e-mail; none when the roster has no contact.
 */
const reportMessagePuts = (checkup: Checkup, firm: Pick<Enterprise, 'name' | 'contacts'>, now: Date) => {
  const deliveries = channelsOf({ name: firm.name, contacts: firm.contacts ?? [] });
  if (deliveries.length === 0) return [];
  const link = `${process.env[ENV.siteUrl] ?? ''}/firm/`;
  return [
    messagePut(
      {
        about: `checkup:${checkup.checkupId}`,
        kind: 'checkup-report',
        occasion: '',
        jurisdiction: checkup.county,
        content: checkupReport(firm.name, shanghaiDate(new Date(checkup.at)), link),
        deliveries,
        expiresAt: Math.floor(now.getTime() / 1000) + REPORT_MESSAGE_KEEP_S,
      },
      now,
    ),
  ];
};

/**
 * Submits a draft: score and band from its template version, the firm's health, and every failed item
 * becomes a ledger item. The first transaction, which only a draft at the version read can make, fixes
 * the score, the band and the findings (with their derived ledger item ids) and writes as many of
 * them as fit; when they do not all fit (a transaction holds 100 writes) the check-up is `submitting`
 * and further transactions write the rest. A submit of a `submitting` check-up (a retry after a crash,
 * at any version) carries on where it stopped; the check-up is `submitted` once every finding exists.
 * Submitted twice (even at once), the items exist once. The first transaction also attaches the
 * representative's signature and records the firm's message, so both exist once too.
 */
export const submitCheckup = async (
  before: Checkup,
  request: SubmitRequest,
  firm: Enterprise,
  identity: Identity,
  now: Date,
) => {
  const template = (await getTemplate(before.templateVersion)) as CheckupTemplate;
  if (before.state === 'submitting') return finishSubmit(before, template, firm, identity, now);
  if (before.state !== 'draft') throw new ConflictError('INVALID_TRANSITION', 'The check-up is submitted already');
  if (request.version !== before.version)
    throw new ConflictError('VERSION_CONFLICT', 'The check-up changed meanwhile; reload it');
  const missing = template.items.filter((i) => !before.answers[i.itemId]);
  if (missing.length > 0)
    throw new ValidationError(
      Object.fromEntries(missing.map((i) => [`answers.${i.itemId}`, 'Not answered yet'])),
      'Every item needs an answer',
    );
  const { updates: signatureUpdates, contentType } = await prepareSignature(before, request.signature, identity);
  const score = scoreOf(template, before.answers);
  const band = bandOf(template, score);
  const at = now.toISOString();
  const signature: CheckupSignature = {
    evidenceId: request.signature.evidenceId,
    signerName: request.signature.signerName,
    contentType,
    signedAt: at,
  };
  const messages = reportMessagePuts(before, firm, now);
  const recurring = await recurrenceFinder(before.uscc, now);
  const findings: CheckupFinding[] = template.items
    .filter((i) => before.answers[i.itemId]?.result === 'fail')
    .map((i) => ({
      itemId: i.itemId,
      ledgerItemId: findingItemId(before.checkupId, i.itemId),
      recurringOf: recurring({ title: i.text.zh, sourceRef: `${before.checkupId}:${i.itemId}` }),
    }));
  const previous = await get<Health>(keys.health(before.uscc));
  const health: Health = {
    uscc: before.uscc,
    latestBand: band,
    latestScore: score,
    previousBand: previous?.latestBand ?? null,
    worsened: previous ? RANK[band] > RANK[previous.latestBand] : false,
    checkupId: before.checkupId,
    at: before.at,
  };
  // Beside the findings: the check-up, the health, the audit event, the signature's file, the message.
  const others = 3 + signatureUpdates.length + messages.length;
  const first = nextBatch(findings, others, (b) => findingWrites(before, template, firm, identity, at, b));
  const pending = findings.slice(first.findings.length).map((f) => f.itemId);
  const after: Checkup = {
    ...before,
    state: pending.length > 0 ? 'submitting' : 'submitted',
    score,
    band,
    ledgerItemIds: findings.map((f) => f.ledgerItemId),
    findings,
    pending,
    submittedAt: at,
    signature,
    version: before.version + 1,
  };
  const result = await transact([
    checkupPutAt(after, 'draft', before.version),
    {
      Put: {
        TableName: tableName(),
        Item: healthItem({ ...health, county: before.county, firmName: before.firmName }),
      },
    },
    auditPut(
      identity,
      {
        entity: `checkup:${before.checkupId}`,
        jurisdiction: before.county,
        action: 'checkup.submit',
        after: { score, band, ledgerItemIds: after.ledgerItemIds, pending, signerName: signature.signerName },
      },
      at,
    ),
    ...signatureUpdates,
    ...messages,
    ...first.writes,
  ]);
  if (!result.ok) {
    // The signature's file went to another record meanwhile (its Update is the fourth write).
    if (!result.failed.includes(0) && signatureUpdates.length > 0 && result.failed.includes(3))
      throw new ValidationError({ [SIGNATURE_FIELD]: 'This file is attached to another record already' });
    // Another submit won the race: one still under way is carried on here too, a finished one is 409.
    const latest = await getCheckup(before.checkupId);
    if (latest?.state === 'submitting') return finishSubmit(latest, template, firm, identity, now);
    throw new ConflictError('VERSION_CONFLICT', 'The check-up was submitted or changed meanwhile; reload it');
  }
  return pending.length > 0 ? finishSubmit(after, template, firm, identity, now) : after;
};

export const getHealth = (uscc: string) => get<Health>(keys.health(uscc));

/**
 * A firm's health as stored (a check-up's submit writes it whole), with the sparse early-warning
 * entry (`keys.healthWarning`) while it warns: red, or worse than the check-up before (issue 19).
 * The next check-up's Put decides again, so the index holds only firms that warn now.
 */
export const healthItem = (health: Health & { county: string; firmName: string }) => ({
  ...keys.health(health.uscc),
  type: 'health',
  ...health,
  ...(health.latestBand === 'red' || health.worsened ? keys.healthWarning(health.county, health.uscc) : {}),
});

/**
 * The firms whose health warns under a code prefix (a unit's subtree), by county then USCC: one
 * Query of the sparse `HEALTHWARN` index, no read per firm, never more than `maxPages` pages (each up to
 * 1 MB, a few thousand entries). The early-warning board reads them all within that; the console home
 * counts the red ones (`redOnly`): DynamoDB applies a Query's Limit before its filter, so the count pages
 * on until it has `cap` reds and one more (the count is exact below the cap). `capped` says it stopped
 * early, at the cap or at the last page.
 */
export const healthWarningsUnder = async (
  prefix: string,
  limits: { maxPages: number; cap?: number; redOnly?: boolean },
): Promise<{ firms: (Health & { county: string })[]; capped: boolean }> => {
  const cap = limits.cap ?? Number.POSITIVE_INFINITY;
  const { items, complete } = await queryPages(
    {
      IndexName: 'byScope',
      KeyConditionExpression: 'scopePk = :p AND begins_with(scopeSk, :prefix)',
      ...(limits.redOnly ? { FilterExpression: 'latestBand = :red' } : {}),
      ExpressionAttributeValues: {
        ':p': keys.healthWarningPk(),
        ':prefix': prefix,
        ...(limits.redOnly ? { ':red': 'red' } : {}),
      },
    },
    limits.maxPages,
    cap + 1,
  );
  const firms = items.slice(0, cap).map((item) => ({
    ...fromItem<Health>(item),
    county: String(item.scopeSk).slice(0, 6),
  }));
  return { firms, capped: items.length > cap || !complete };
};

/** The latest band and score of several firms (those with a submitted check-up), by USCC. */
export const healthOf = async (usccs: readonly string[]) =>
  new Map(
    (await batchGet(usccs.map((u) => keys.health(u)))).map((item) => {
      const h = fromItem<Health>(item);
      return [h.uscc, { band: h.latestBand, score: h.latestScore }] as const;
    }),
  );

export const requireTemplate = async (version: number) => {
  const template = await getTemplate(version);
  if (!template) throw new NotFoundError();
  return template;
};
