import { createHash } from 'node:crypto';
import { QueryCommand, type TransactWriteCommandInput } from '@aws-sdk/lib-dynamodb';
import {
  bandOf,
  type CheckupTemplate,
  DEFAULT_TEMPLATE,
  scoreOf,
  type TemplateItem,
} from '../../../shared/checkups.ts';
import { ENV } from '../../../shared/config.ts';
import { parentOf } from '../../../shared/jurisdictions.ts';
import { keys } from '../../../shared/keys.ts';
import type { LedgerItemInput, Severity } from '../../../shared/ledger.ts';
import type {
  FirmTemplateItem,
  SelfInspection,
  SelfInspectionInput,
  Suggestion,
  SuggestionState,
} from '../../../shared/self-inspection.ts';
import { shanghaiDate } from '../../../shared/time.ts';
import { getEnterprise } from '../enterprises/enterprises.ts';
import { ConflictError, NotFoundError, ValidationError } from '../http/errors.ts';
import type { Identity } from '../http/identity.ts';
import { inboxItem } from '../messaging/inbox.ts';
import { liaisonsOfFirms } from '../pairings/pairings.ts';
import { auditPut } from '../store/audit.ts';
import { db, fromItem, getRecord, queryAll, tableName } from '../store/table.ts';
import { transact } from '../store/transact.ts';

/**
 * Self-inspection (企业自查, issue 16). A signed-in firm answers the current check-up template; its
 * submission, one suggestion per failed item and an inbox entry for its liaison are written in one
 * transaction, keyed by the firm's USCC and the id the firm's page made, so a retry finds the first
 * and writes nothing twice. A suggestion is no ledger item: it is on no board and in no counter
 * until the firm's liaison (or a lead over the firm's county) accepts it, which raises a real item
 * `collected` with source `self_inspection` in the transaction that marks the suggestion accepted;
 * or dismisses it with a reason. Either happens once: the suggestion moves only from `pending`.
 * A firm may also ask for an on-site check-up: one open request per firm, an inbox entry for its
 * liaison and its county's leads.
 */

/** A firm acts in the audit log as `firm:<uscc>` (as its confirmation answers do). */
const firmActor = (uscc: string) => ({ username: `firm:${uscc}`, role: 'firm' });

/** Days an accepted suggestion gets before it is due, unless the liaison says otherwise. */
const DUE_DAYS = 30;
/** Who receives one firm's inbox entries at most (its liaisons and its county's leads). */
const MAX_RECIPIENTS = 10;
/** The newest submissions a firm reads back. */
export const LISTED = 20;

/** A UUID-shaped id derived from `seed`, so every attempt at one write names the same record. */
const derivedId = (seed: string): string => {
  const h = createHash('sha256').update(seed).digest('hex');
  const variant = ((Number.parseInt(h.charAt(16), 16) & 0x3) | 0x8).toString(16);
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-5${h.slice(13, 16)}-${variant}${h.slice(17, 20)}-${h.slice(20, 32)}`;
};

export const suggestionIdOf = (uscc: string, selfInspectionId: string, itemId: string) =>
  derivedId(`self-inspection:${uscc}:${selfInspectionId}:${itemId}`);

/**
 * The current template, read as the check-ups read it (ledger/checkups.ts; not imported, so the firm
 * function does not load the check-ups' and the ledger's writes): the version `CURRENT` names, the
 * built-in default while no admin stored another.
 */
const currentTemplate = async (): Promise<CheckupTemplate> => {
  const version = Number(
    (await getRecord<{ version: number }>(keys.templateCurrent(), { consistent: true }))?.version ??
      DEFAULT_TEMPLATE.version,
  );
  const stored = await getRecord<CheckupTemplate>(keys.template(version), { consistent: true });
  if (stored) return stored;
  if (version === DEFAULT_TEMPLATE.version) return DEFAULT_TEMPLATE;
  throw new Error(`The current check-up template ${version} is missing`);
};

/** The current template as a firm answers it: the items and their words, no weights or severities. */
export const firmTemplate = async (): Promise<{ version: number; items: FirmTemplateItem[] }> => {
  const template = await currentTemplate();
  return {
    version: template.version,
    items: template.items.map(({ itemId, category, text }) => ({ itemId, category, text })),
  };
};

const consoleLink = (path: string) => `${process.env[ENV.siteUrl] ?? ''}${path}`;

/** An inbox entry of one staff member, written once (its key holds the time and the message id). */
const inboxPut = (
  username: string,
  at: string,
  messageId: string,
  entry: { kind: string; title: string; text: string; link: string },
) => ({
  Put: {
    TableName: tableName(),
    Item: inboxItem({ username, at, messageId, ...entry }),
    ConditionExpression: 'attribute_not_exists(pk)',
  },
});

/** The firm's liaisons: those of its pairing this service year, else last year's (a pairing may outlive its year). */
const liaisonsOf = async (uscc: string, now: Date): Promise<string[]> => {
  const year = Number(shanghaiDate(now).slice(0, 4));
  for (const y of [year, year - 1]) {
    const liaison = (await liaisonsOfFirms([uscc], y)).get(uscc);
    if (liaison) return [liaison];
  }
  return [];
};

/** The enabled leads of a county, or of the nearest jurisdiction above that has any (one Query each). */
const leadsOf = async (county: string): Promise<string[]> => {
  for (let code: string | undefined = county; code; code = parentOf(code)) {
    const found = await queryAll({
      IndexName: 'byScope',
      KeyConditionExpression: 'scopePk = :p AND begins_with(scopeSk, :code)',
      ExpressionAttributeValues: { ':p': keys.usersScopePk(), ':code': `${code}#` },
    });
    const leads = found.filter((u) => u.role === 'lead' && u.enabled !== false).map((u) => String(u.username));
    if (leads.length > 0) return leads;
  }
  return [];
};

/** The firm's roster entry; a firm the roster no longer has is signed out in effect (404). */
const firmOf = async (uscc: string) => {
  const enterprise = await getEnterprise(uscc);
  if (!enterprise || enterprise.uscc !== uscc) throw new NotFoundError();
  return enterprise;
};

/** Answers compared as the firm gave them (results and trimmed notes), to tell a retry from a reuse of its id. */
const sameAnswers = (a: SelfInspection['answers'], b: SelfInspection['answers']) => {
  const ids = new Set([...Object.keys(a), ...Object.keys(b)]);
  return [...ids].every((id) => a[id]?.result === b[id]?.result && (a[id]?.note ?? '') === (b[id]?.note ?? ''));
};

/** A submission found under the id sent: the same one again (a retry) is answered as it was; other answers are 409. */
const replayOf = (stored: SelfInspection, input: SelfInspectionInput, answers: SelfInspection['answers']) => {
  if (stored.templateVersion !== input.templateVersion || !sameAnswers(stored.answers, answers))
    throw new ConflictError(
      'ALREADY_EXISTS',
      'This self-inspection id was already used for other answers; start a new self-inspection',
    );
  return { created: false, selfInspection: stored };
};

/** The firm's answers, notes trimmed and empty notes left out. */
const cleanAnswers = (input: SelfInspectionInput): SelfInspection['answers'] =>
  Object.fromEntries(
    Object.entries(input.answers).map(([itemId, a]) => [
      itemId,
      { result: a.result, ...(a.note?.trim() ? { note: a.note.trim() } : {}) },
    ]),
  );

/** Every item of the template answered, and nothing else: the fields at fault named one by one. */
const checkAgainst = (template: CheckupTemplate, answers: SelfInspection['answers']) => {
  const fields: Record<string, string> = {};
  for (const id of Object.keys(answers))
    if (!template.items.some((i) => i.itemId === id)) fields[`answers.${id}`] = 'Not an item of this template';
  for (const item of template.items) if (!answers[item.itemId]) fields[`answers.${item.itemId}`] = 'Not answered yet';
  if (Object.keys(fields).length > 0)
    throw new ValidationError(fields, 'Answer every item of the template, and only those');
};

/**
 * A firm's submission (`uscc`: the token's, nothing else). The template version must be the current
 * one (409 VERSION_CONFLICT otherwise: the page reloads it). Answered `created: false` with the
 * stored submission when the id was used before with the same answers.
 */
export const submitSelfInspection = async (uscc: string, input: SelfInspectionInput, now: Date) => {
  const key = keys.selfInspection(uscc, input.id);
  const answers = cleanAnswers(input);
  const stored = await getRecord<SelfInspection>(key, { consistent: true });
  if (stored) return replayOf(stored, input, answers);

  const template = await currentTemplate();
  const current = template.version;
  if (input.templateVersion !== current)
    throw new ConflictError('VERSION_CONFLICT', 'The self-inspection form changed meanwhile; reload it');
  checkAgainst(template, answers);
  const firm = await firmOf(uscc);
  const at = now.toISOString();
  const failed = template.items.filter((i) => answers[i.itemId]?.result === 'fail');
  const score = scoreOf(template, answers);
  const selfInspection: SelfInspection = {
    selfInspectionId: input.id,
    uscc,
    county: firm.county,
    firmName: firm.name,
    templateVersion: current,
    answers,
    score,
    band: bandOf(template, score),
    submittedAt: at,
    suggestions: Object.fromEntries(
      failed.map((i) => [i.itemId, { suggestionId: suggestionIdOf(uscc, input.id, i.itemId), state: 'pending' }]),
    ),
  };
  const suggestions: Suggestion[] = failed.map((item: TemplateItem) => ({
    suggestionId: suggestionIdOf(uscc, input.id, item.itemId),
    selfInspectionId: input.id,
    uscc,
    county: firm.county,
    firmName: firm.name,
    itemId: item.itemId,
    title: { zh: item.text.zh, en: item.text.en },
    note: answers[item.itemId]?.note ?? null,
    severity: item.failSeverity,
    state: 'pending',
    createdAt: at,
    decidedAt: null,
    decidedBy: null,
    reason: null,
    ledgerItemId: null,
    version: 1,
  }));
  // Who decides: the firm's liaison, else (no pairing) its county's leads.
  const liaisons = failed.length > 0 ? await liaisonsOf(uscc, now) : [];
  const recipients = (liaisons.length > 0 ? liaisons : failed.length > 0 ? await leadsOf(firm.county) : []).slice(
    0,
    MAX_RECIPIENTS,
  );
  const result = await transact([
    {
      Put: {
        TableName: tableName(),
        Item: {
          ...key,
          ...keys.selfInspectionOfFirm(uscc, at, input.id),
          type: 'selfInspection',
          ...selfInspection,
        },
        ConditionExpression: 'attribute_not_exists(pk)',
      },
    },
    ...suggestions.map((s) => ({
      Put: {
        TableName: tableName(),
        Item: {
          ...keys.suggestion(s.suggestionId),
          ...keys.suggestionPending(s.county, s.createdAt, s.suggestionId),
          type: 'suggestion',
          ...s,
        },
        ConditionExpression: 'attribute_not_exists(pk)',
      },
    })),
    auditPut(
      firmActor(uscc),
      {
        entity: `selfInspection:${uscc}:${input.id}`,
        jurisdiction: firm.county,
        action: 'selfInspection.submit',
        after: { score, band: selfInspection.band, failed: failed.map((i) => i.itemId) },
      },
      at,
    ),
    ...recipients.map((username) =>
      inboxPut(username, at, `selfinsp-${input.id}`, {
        kind: 'self-inspection',
        title: `${firm.name} 提交了企业自查：${failed.length} 项不符合`,
        text: `${firm.name}（${uscc}）自查发现 ${failed.length} 项不符合，已作为建议台账事项待您确认：采纳后进入服务台账，或说明理由不予采纳。`,
        link: consoleLink('/staff/ledger/suggestions/'),
      }),
    ),
  ]);
  if (!result.ok) {
    // The same id sent twice at once: the other one won; answer as a retry would be answered.
    const winner = await getRecord<SelfInspection>(key, { consistent: true });
    if (winner) return replayOf(winner, input, answers);
    throw new Error('A self-inspection write failed its condition without an existing submission');
  }
  return { created: true, selfInspection };
};

/** The firm's newest submissions, each with what became of its suggestions. */
export const listSelfInspections = async (uscc: string): Promise<SelfInspection[]> => {
  const out = await db().send(
    new QueryCommand({
      TableName: tableName(),
      IndexName: 'byParent',
      KeyConditionExpression: 'parentPk = :p',
      ExpressionAttributeValues: { ':p': keys.selfInspectionsOfFirm(uscc).parentPk },
      ScanIndexForward: false,
      Limit: LISTED,
    }),
  );
  return (out.Items ?? [])
    .map((i) => fromItem<SelfInspection>(i))
    .filter((s) => s.uscc === uscc)
    .map(({ selfInspectionId, templateVersion, answers, score, band, submittedAt, suggestions }) => ({
      selfInspectionId,
      uscc,
      templateVersion,
      answers,
      score,
      band,
      submittedAt,
      suggestions,
    })) as SelfInspection[];
};

// ---- check-up requests ----

export interface CheckupRequest {
  uscc: string;
  county: string;
  firmName: string;
  note: string | null;
  requestedAt: string;
  /** Who was told (inbox): the firm's liaison and its county's leads. */
  told: string[];
}

/** Whether a check-up of the firm is dated at or after `since` (one Query of its check-ups, one item). */
const checkupSince = async (uscc: string, since: string): Promise<boolean> => {
  const out = await db().send(
    new QueryCommand({
      TableName: tableName(),
      IndexName: 'byParent',
      KeyConditionExpression: 'parentPk = :p AND parentSk >= :since',
      ExpressionAttributeValues: { ':p': keys.checkupsOfFirm(uscc).parentPk, ':since': since },
      Limit: 1,
    }),
  );
  return (out.Items ?? []).length > 0;
};

/** The firm's request and whether it is still open (no check-up dated at or after it yet). */
export const checkupRequestOf = async (uscc: string) => {
  const request = await getRecord<CheckupRequest>(keys.checkupRequest(uscc), { consistent: true });
  if (!request || request.uscc !== uscc) return null;
  return { request, open: !(await checkupSince(uscc, request.requestedAt)) };
};

/**
 * The firm asks for an on-site check-up: at most one open request per firm (409 ALREADY_EXISTS while
 * one is open; two at once: one wins). A request is answered once a check-up of the firm is dated at
 * or after it; the next replaces it, at the time read. Its liaison and its county's leads get an
 * inbox entry in the same transaction.
 */
export const requestCheckup = async (uscc: string, note: string | undefined, now: Date) => {
  const firm = await firmOf(uscc);
  const before = await checkupRequestOf(uscc);
  if (before?.open)
    throw new ConflictError('ALREADY_EXISTS', 'Your request for a check-up is open: your liaison will arrange it');
  const at = now.toISOString();
  const told = [...new Set([...(await liaisonsOf(uscc, now)), ...(await leadsOf(firm.county))])].slice(
    0,
    MAX_RECIPIENTS,
  );
  const request: CheckupRequest = {
    uscc,
    county: firm.county,
    firmName: firm.name,
    note: note?.trim() || null,
    requestedAt: at,
    told,
  };
  const result = await transact([
    {
      Put: {
        TableName: tableName(),
        Item: { ...keys.checkupRequest(uscc), type: 'checkupRequest', ...request },
        ...(before
          ? {
              ConditionExpression: 'requestedAt = :seen',
              ExpressionAttributeValues: { ':seen': before.request.requestedAt },
            }
          : { ConditionExpression: 'attribute_not_exists(pk)' }),
      },
    },
    auditPut(
      firmActor(uscc),
      { entity: `checkupRequest:${uscc}`, jurisdiction: firm.county, action: 'checkupRequest.create', after: request },
      at,
    ),
    ...told.map((username) =>
      inboxPut(username, at, `checkupreq-${uscc}`, {
        kind: 'checkup-request',
        title: `${firm.name} 申请上门环保体检`,
        text: `${firm.name}（${uscc}）申请上门环保体检。${request.note ? `企业留言：${request.note}` : ''}`,
        link: consoleLink(`/staff/enterprises/firm/?uscc=${uscc}`),
      }),
    ),
  ]);
  if (!result.ok)
    throw new ConflictError('ALREADY_EXISTS', 'Your request for a check-up is open: your liaison will arrange it');
  return request;
};

// ---- suggestions, for staff ----

export const getSuggestion = async (suggestionId: string) =>
  getRecord<Suggestion>(keys.suggestion(suggestionId), { consistent: true });

/** Pending suggestions of a subtree (`prefix` as `prefixOf` makes it), newest first. */
export const pendingSuggestions = async (prefix: string): Promise<Suggestion[]> =>
  (
    await queryAll({
      IndexName: 'byScope',
      KeyConditionExpression: 'scopePk = :p AND begins_with(scopeSk, :prefix)',
      ExpressionAttributeValues: { ':p': keys.suggestionsPendingPk(), ':prefix': prefix },
    })
  )
    .map((i) => fromItem<Suggestion>(i))
    .filter((s) => s.state === 'pending')
    .sort((a, b) => b.createdAt.localeCompare(a.createdAt));

const alreadyDecided = () =>
  new ConflictError('INVALID_TRANSITION', 'This suggestion was already accepted or dismissed');

/**
 * The Updates of a decision: the suggestion leaves `pending` (only from there: its condition makes
 * a second decision fail) and drops out of the pending index; the firm's submission records it.
 */
const decisionWrites = (
  before: Suggestion,
  state: Exclude<SuggestionState, 'pending'>,
  actor: Pick<Identity, 'username' | 'role'>,
  at: string,
  extra: { reason?: string; ledgerItemId?: string },
): NonNullable<TransactWriteCommandInput['TransactItems']> => {
  const outcome = {
    suggestionId: before.suggestionId,
    state,
    ...(extra.reason ? { reason: extra.reason } : {}),
    ...(extra.ledgerItemId ? { ledgerItemId: extra.ledgerItemId } : {}),
  };
  return [
    {
      Update: {
        TableName: tableName(),
        Key: keys.suggestion(before.suggestionId),
        UpdateExpression:
          'SET #state = :state, decidedAt = :at, decidedBy = :by, reason = :reason, ledgerItemId = :item, version = version + :one REMOVE scopePk, scopeSk',
        ConditionExpression: '#state = :pending',
        ExpressionAttributeNames: { '#state': 'state' },
        ExpressionAttributeValues: {
          ':state': state,
          ':at': at,
          ':by': actor.username,
          ':reason': extra.reason ?? null,
          ':item': extra.ledgerItemId ?? null,
          ':one': 1,
          ':pending': 'pending',
        },
      },
    },
    {
      Update: {
        TableName: tableName(),
        Key: keys.selfInspection(before.uscc, before.selfInspectionId),
        UpdateExpression: 'SET suggestions.#item = :outcome',
        ConditionExpression: 'attribute_exists(pk)',
        ExpressionAttributeNames: { '#item': before.itemId },
        ExpressionAttributeValues: { ':outcome': outcome },
      },
    },
    auditPut(
      actor,
      {
        entity: `suggestion:${before.suggestionId}`,
        jurisdiction: before.county,
        action: `suggestion.${state === 'accepted' ? 'accept' : 'dismiss'}`,
        before: { state: before.state },
        after: { state, ...extra },
      },
      at,
    ),
  ];
};

/**
 * Accepts a pending suggestion: a real ledger item of the firm, `collected`, source
 * `self_inspection`, its `sourceRef` the submission and template item (`selfinsp:<id>:<itemId>`, so
 * a repeat of a closed item of the same template item is flagged), counted as raised, audited, in
 * the transaction that marks the suggestion accepted. 409 INVALID_TRANSITION when decided already.
 */
export const acceptSuggestion = async (
  before: Suggestion,
  terms: { severity?: Severity | undefined; dueOn?: string | undefined; ownerDepartment?: string | undefined },
  actor: Identity,
  now: Date,
) => {
  if (before.state !== 'pending') throw alreadyDecided();
  // Loaded on use: the firm function never accepts, and the ledger brings its messages along.
  const [{ newLedgerItemWrites, recurrenceFinder, withHistory }, { ledgerCountUpdates }] = await Promise.all([
    import('../ledger/ledger.ts'),
    import('../ledger/counts.ts'),
  ]);
  const firm = await firmOf(before.uscc);
  const at = now.toISOString();
  const input: LedgerItemInput = {
    uscc: before.uscc,
    title: before.title.zh.slice(0, 100),
    detail: before.note ? `企业自查：${before.note}` : `企业自查发现：${before.title.zh}`,
    source: 'self_inspection',
    severity: terms.severity ?? before.severity,
    dueOn: terms.dueOn ?? shanghaiDate(new Date(now.getTime() + DUE_DAYS * 86_400_000)),
    ownerDepartment: terms.ownerDepartment ?? '环境监管',
    sourceRef: `selfinsp:${before.selfInspectionId}:${before.itemId}`,
  };
  const recurring = (await recurrenceFinder(before.uscc, now))(input);
  const made = newLedgerItemWrites(input, firm, actor, at, recurring);
  const result = await transact([
    ...decisionWrites(before, 'accepted', actor, at, { ledgerItemId: made.item.itemId }),
    ...made.writes,
    ...ledgerCountUpdates(firm.county, [{ item: made.item, event: 'raised', at }]),
  ]);
  if (!result.ok) {
    if (result.failed.includes(0)) throw alreadyDecided();
    throw new NotFoundError();
  }
  return { item: await withHistory(made.item) };
};

/** Dismisses a pending suggestion with the reason the firm will read. 409 INVALID_TRANSITION when decided already. */
export const dismissSuggestion = async (before: Suggestion, reason: string, actor: Identity, now: Date) => {
  if (before.state !== 'pending') throw alreadyDecided();
  const at = now.toISOString();
  const result = await transact(decisionWrites(before, 'dismissed', actor, at, { reason }));
  if (!result.ok) {
    if (result.failed.includes(0)) throw alreadyDecided();
    throw new NotFoundError();
  }
  return {
    suggestion: {
      ...before,
      state: 'dismissed' as const,
      decidedAt: at,
      decidedBy: actor.username,
      reason,
      version: before.version + 1,
    },
  };
};
