import { createHash, randomUUID } from 'node:crypto';
import { UpdateCommand } from '@aws-sdk/lib-dynamodb';
import * as z from 'zod/mini';
import { ENV, FIRM_REQUEST_ENV, FIRM_REQUEST_LIMITS } from '../../../shared/config.ts';
import { EVIDENCE_TYPES, type EvidenceInput, PRESIGN_SECONDS, UNATTACHED_PREFIX } from '../../../shared/evidence.ts';
import { keys } from '../../../shared/keys.ts';
import { workingDaysAfter } from '../../../shared/working-days.ts';
import { getEnterprise } from '../enterprises/enterprises.ts';
import { ConflictError, NotFoundError, RateLimitedError } from '../http/errors.ts';
import type { FirmIdentity } from '../http/identity.ts';
import { ledgerCountUpdates } from '../ledger/counts.ts';
import {
  getLedgerItem,
  type LedgerItem,
  listLedgerItems,
  newLedgerItemWrites,
  recurrenceFinder,
} from '../ledger/ledger.ts';
import { prepareAttachment, recordUpload } from '../store/evidence.ts';
import { s3 } from '../store/s3.ts';
import { db, env, getRecord, tableName } from '../store/table.ts';
import { transact } from '../store/transact.ts';

/**
 * The firm's difficulties card (issue 16): a signed-in firm raises a ledger item for itself. It is
 * `collected`, source `firm`, held by the firm's county like any item of the firm, so its liaison
 * sees it on its board; the item and its audit event go in one transaction. The firm is promised a
 * take-up within 2 working days and an answer within 5 (FIRM_REQUEST_LIMITS), counted on the
 * mainland calendar with its 调休 days: `takeUpBy` and `dueOn` are the last days inside each limit.
 */

const text = (min: number, max: number) => z.string().check(z.trim(), z.minLength(min), z.maxLength(max));

export const firmRequestInput = z.object({
  title: text(2, 100),
  detail: text(2, 2000),
  evidenceIds: z.optional(
    z.array(z.string().check(z.regex(/^[a-f0-9-]{36}$/, 'Not an evidence id'))).check(z.maxLength(6)),
  ),
});
export type FirmRequestInput = z.output<typeof firmRequestInput>;

/** A firm's own request: a ledger item with the date by which it is to be taken up. */
export interface FirmRequestItem extends LedgerItem {
  /** The last Shanghai day on which the liaison is to take it up (move it on from `collected`). */
  takeUpBy: string;
  /** False when a year the limits cross is not in the holiday calendar yet (weekends only counted). */
  calendarKnown: boolean;
}

/** Open requests a firm may have at once: a stuck script or a flood cannot fill its liaison's board. */
export const OPEN_REQUESTS_PER_FIRM = 20;

/** Who raises the item, in the audit and the history: the firm itself, never a staff account. */
export const firmActor = (uscc: string) => ({ username: `firm:${uscc}`, role: 'firm' });

const limit = (name: keyof typeof FIRM_REQUEST_LIMITS): number => {
  const given = Number(process.env[FIRM_REQUEST_ENV[name]]);
  return Number.isInteger(given) && given >= 1 && given <= 60 ? given : FIRM_REQUEST_LIMITS[name];
};

/** The two dates a request raised at `now` is promised by. */
export const requestLimits = (now: Date) => {
  const takeUp = workingDaysAfter(now, limit('takeUp'));
  const answer = workingDaysAfter(now, limit('answer'));
  return {
    takeUpBy: takeUp.lastDay,
    dueOn: answer.lastDay,
    calendarKnown: takeUp.calendarKnown && answer.calendarKnown,
  };
};

/** Markers outlive their take-up day by this long: past it, the daily job no longer reads them. */
const MARKER_DAYS = 31;

/** The marker the daily job finds the request by once its take-up day has passed (take-up.ts). */
const takeUpMarkerPut = (itemId: string, takeUpBy: string) => ({
  Put: {
    TableName: tableName(),
    Item: {
      ...keys.ledgerTakeUp(itemId),
      ...keys.ledgerTakeUpDue(takeUpBy, itemId),
      type: 'ledgerTakeUp',
      itemId,
      takeUpBy,
      expiresAt: Math.floor(Date.parse(`${takeUpBy}T00:00:00+08:00`) / 1000) + MARKER_DAYS * 86_400,
    },
    ConditionExpression: 'attribute_not_exists(pk)',
  },
});

/** How long a request's Idempotency-Key answers with the item it made: a day. */
const IDEMPOTENCY_S = 86_400;

/** The waiting set's Update in a request's transaction: its item added only while fewer than the cap wait. */
const waitingAdd = (uscc: string, itemId: string) => ({
  Update: {
    TableName: tableName(),
    Key: keys.firmRequestsWaiting(uscc),
    UpdateExpression: 'ADD waitingIds :id',
    ConditionExpression: 'attribute_not_exists(waitingIds) OR size(waitingIds) < :cap',
    ExpressionAttributeValues: { ':id': new Set([itemId]), ':cap': OPEN_REQUESTS_PER_FIRM },
  },
});

/**
 * The first request of a firm since the set exists fills it with the requests already waiting (once,
 * `seeded`): from then on the set alone decides, inside each request's transaction.
 */
const seedWaiting = async (uscc: string) => {
  const record = await getRecord<{ seeded?: boolean }>(keys.firmRequestsWaiting(uscc), { consistent: true });
  if (record?.seeded) return;
  const items = await listLedgerItems({ uscc, prefix: '' });
  const ids = items.filter((i) => i.source === 'firm' && i.state === 'collected').map((i) => i.itemId);
  try {
    await db().send(
      new UpdateCommand({
        TableName: tableName(),
        Key: keys.firmRequestsWaiting(uscc),
        UpdateExpression: ids.length > 0 ? 'SET seeded = :yes ADD waitingIds :ids' : 'SET seeded = :yes',
        ConditionExpression: 'attribute_not_exists(seeded)',
        ExpressionAttributeValues: { ':yes': true, ...(ids.length > 0 ? { ':ids': new Set(ids) } : {}) },
      }),
    );
  } catch (error) {
    // Seeded meanwhile by another request of the firm: the set is there.
    if ((error as { name?: string }).name !== 'ConditionalCheckFailedException') throw error;
  }
};

/**
 * What a retried request must repeat to get the same item: its words, hashed. Not its photos: a page
 * that retries uploads the photo again (a new evidence id), and the item keeps the first one's.
 */
const bodyHash = (input: FirmRequestInput) =>
  createHash('sha256')
    .update(JSON.stringify([input.title, input.detail]))
    .digest('base64url');

/**
 * The item an earlier request with this Idempotency-Key made (undefined if none): a retry gets it
 * back instead of a second item; the same key with other fields is a mistake, 409.
 */
const replayed = async (uscc: string, key: string | undefined, hash: string) => {
  if (!key) return undefined;
  const seen = await getRecord<{ itemId: string; bodyHash: string; expiresAt: number }>(
    keys.firmRequestIdempotency(uscc, key),
    { consistent: true },
  );
  if (!seen) return undefined;
  if (seen.bodyHash !== hash)
    throw new ConflictError('ALREADY_EXISTS', 'This Idempotency-Key was used for another request');
  const item = await getLedgerItem(seen.itemId);
  if (!item) throw new NotFoundError();
  return item as FirmRequestItem;
};

/**
 * Raises the firm's difficulty; its photos must be uploads of this firm's (POST /api/firm/evidence).
 * At most OPEN_REQUESTS_PER_FIRM wait to be taken up at once, decided by the waiting set's condition
 * in the request's own transaction (never a count read before it), so requests at once cannot pass
 * the cap together. With an `idempotencyKey`, a retry answers the item the first one made.
 */
export const raiseFirmRequest = async (
  firm: FirmIdentity,
  input: FirmRequestInput,
  now: Date,
  idempotencyKey?: string,
): Promise<FirmRequestItem> => {
  const enterprise = await getEnterprise(firm.uscc);
  if (!enterprise || enterprise.uscc !== firm.uscc) throw new NotFoundError();
  const hash = bodyHash(input);
  const earlier = await replayed(firm.uscc, idempotencyKey, hash);
  if (earlier) return earlier;
  await seedWaiting(firm.uscc);
  const actor = firmActor(firm.uscc);
  const limits = requestLimits(now);
  const attachment = await prepareAttachment(
    input.evidenceIds ?? [],
    // A tag of this one request (the item id is made with the writes): a file goes to one request only.
    { attachedTo: `firm-request:${randomUUID()}`, jurisdiction: enterprise.county },
    actor,
  );
  const ledgerInput = {
    uscc: firm.uscc,
    title: input.title,
    detail: input.detail,
    source: 'firm' as const,
    severity: 'medium' as const,
    dueOn: limits.dueOn,
    ownerDepartment: '挂钩联络员',
    takeUpBy: limits.takeUpBy,
    calendarKnown: limits.calendarKnown,
  };
  const recurring = (await recurrenceFinder(firm.uscc, now))(ledgerInput);
  const at = now.toISOString();
  const { item, writes } = newLedgerItemWrites(ledgerInput, enterprise, actor, at, recurring, attachment.refs);
  const waiting = waitingAdd(firm.uscc, item.itemId);
  const idempotency = idempotencyKey
    ? {
        Put: {
          TableName: tableName(),
          Item: {
            ...keys.firmRequestIdempotency(firm.uscc, idempotencyKey),
            type: 'firmRequestIdempotency',
            itemId: item.itemId,
            bodyHash: hash,
            expiresAt: Math.floor(now.getTime() / 1000) + IDEMPOTENCY_S,
          },
          ConditionExpression: 'attribute_not_exists(pk)',
        },
      }
    : undefined;
  const all = [
    ...writes,
    takeUpMarkerPut(item.itemId, limits.takeUpBy),
    ...attachment.updates,
    ...ledgerCountUpdates(enterprise.county, [{ item, event: 'raised', at }]),
    waiting,
    ...(idempotency ? [idempotency] : []),
  ];
  const result = await transact(all);
  if (!result.ok) {
    // A retry with the same key that ran at the same time won: answer its item.
    if (idempotency && result.failed.includes(all.indexOf(idempotency))) {
      const other = await replayed(firm.uscc, idempotencyKey, hash);
      if (other) return other;
    }
    if (result.failed.includes(all.indexOf(waiting)))
      throw new RateLimitedError(
        'Too many difficulties waiting to be taken up; your liaison will answer them first',
        3600,
      );
    throw new ConflictError('ALREADY_EXISTS', 'A photo was attached meanwhile; send the card again');
  }
  return item as FirmRequestItem;
};

/**
 * A firm's upload: recorded as uploaded by `firm:<uscc>` (so only this firm can attach it) under a key
 * made here, then a presigned PUT bound to its type and length (≤ 5 minutes), as staff uploads are.
 * Firms send photos only.
 */
export const FIRM_EVIDENCE_TYPES = ['image/jpeg', 'image/png', 'image/heic'] as const;

export const createFirmUpload = async (firm: FirmIdentity, input: EvidenceInput) => {
  const enterprise = await getEnterprise(firm.uscc);
  if (!enterprise || enterprise.uscc !== firm.uscc) throw new NotFoundError();
  const evidenceId = randomUUID();
  const key = `${UNATTACHED_PREFIX}${evidenceId}.${EVIDENCE_TYPES[input.contentType]}`;
  await recordUpload(evidenceId, key, input, {
    username: firmActor(firm.uscc).username,
    jurisdiction: enterprise.county,
  });
  const { client, sdk, presign } = await s3();
  const put = new sdk.PutObjectCommand({
    Bucket: env(ENV.bucketName),
    Key: key,
    ContentType: input.contentType,
    ContentLength: input.size,
  });
  const url = await presign(client, put, {
    expiresIn: PRESIGN_SECONDS,
    signableHeaders: new Set(['content-type', 'content-length']),
  });
  return { evidenceId, upload: { url, method: 'PUT', headers: { 'content-type': input.contentType } } };
};
