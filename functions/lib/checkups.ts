import { randomUUID } from 'node:crypto';
import {
  type Band,
  bandOf,
  type Checkup,
  type CheckupAnswer,
  type CheckupTemplate,
  DEFAULT_TEMPLATE,
  type Health,
  scoreOf,
} from '../../shared/checkups.ts';
import { type Key, keys } from '../../shared/keys.ts';
import { shanghaiDate } from '../../shared/time.ts';
import { auditPut } from './audit.ts';
import type { Identity } from './auth.ts';
import { batchGet, fromItem, getRecord, tableName } from './aws.ts';
import type { Enterprise } from './enterprises.ts';
import { ConflictError, NotFoundError, ValidationError } from './errors.ts';
import { prepareAttachment } from './evidence.ts';
import { newLedgerItemWrites, recurrenceFinder } from './ledger.ts';
import { ledgerCountUpdates } from './ledger-counts.ts';
import { transact } from './transact.ts';

/** Check-ups in the single table (see shared/table.md); their shapes in shared/checkups.ts. */
export type { Checkup, CheckupAnswer, Health };

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
  patch: { version: number; answers: Record<string, CheckupAnswer> },
  identity: Identity,
  now: Date,
): Promise<Checkup> => {
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
  const after: Checkup = { ...before, answers: { ...before.answers, ...answers }, version: before.version + 1 };
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

/**
 * Submits a draft: score and band from its template version, and every failed item becomes a ledger
 * item, with the firm's health, in the same transaction as the state change, which only a draft at
 * the version read can make: submitted twice (even at once), the items exist once.
 */
export const submitCheckup = async (
  before: Checkup,
  version: number,
  firm: Enterprise,
  identity: Identity,
  now: Date,
) => {
  if (before.state !== 'draft') throw new ConflictError('INVALID_TRANSITION', 'The check-up is submitted already');
  if (version !== before.version)
    throw new ConflictError('VERSION_CONFLICT', 'The check-up changed meanwhile; reload it');
  const template = (await getTemplate(before.templateVersion)) as CheckupTemplate;
  const missing = template.items.filter((i) => !before.answers[i.itemId]);
  if (missing.length > 0)
    throw new ValidationError(
      Object.fromEntries(missing.map((i) => [`answers.${i.itemId}`, 'Not answered yet'])),
      'Every item needs an answer',
    );
  const score = scoreOf(template, before.answers);
  const band = bandOf(template, score);
  const at = now.toISOString();
  const dueOn = shanghaiDate(new Date(new Date(before.at).getTime() + DUE_DAYS * 86_400_000));
  const recurring = await recurrenceFinder(before.uscc, now);
  const raised = template.items
    .filter((i) => before.answers[i.itemId]?.result === 'fail')
    .map((i) => {
      const input = {
        uscc: before.uscc,
        title: i.text.zh,
        detail: before.answers[i.itemId]?.note || `体检发现：${i.text.zh}`,
        source: 'checkup',
        severity: i.failSeverity,
        dueOn,
        ownerDepartment: '环境监管',
        sourceRef: `${before.checkupId}:${i.itemId}`,
      } as const;
      return newLedgerItemWrites(input, firm, identity, at, recurring(input));
    });
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
  const after: Checkup = {
    ...before,
    state: 'submitted',
    score,
    band,
    ledgerItemIds: raised.map((r) => r.item.itemId),
    version: before.version + 1,
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
    { Put: { TableName: tableName(), Item: { ...keys.health(before.uscc), type: 'health', ...health } } },
    auditPut(
      identity,
      {
        entity: `checkup:${before.checkupId}`,
        jurisdiction: before.county,
        action: 'checkup.submit',
        after: { score, band, ledgerItemIds: after.ledgerItemIds },
      },
      at,
    ),
    ...raised.flatMap((r) => r.writes),
    ...ledgerCountUpdates(
      before.county,
      raised.map((r) => ({ item: r.item, event: 'raised' as const, at })),
    ),
  ]);
  if (!result.ok)
    throw new ConflictError('VERSION_CONFLICT', 'The check-up was submitted or changed meanwhile; reload it');
  return after;
};

export const getHealth = (uscc: string) => get<Health>(keys.health(uscc));

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
