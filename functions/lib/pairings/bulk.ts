/**
 * Pairing many firms with one liaison at once (issue 20: after an import, a county pairs its new
 * firms in one go). Each firm is paired by the single pairing's own write (`createPairing`: guard,
 * pairing, audit and the firm's message in one transaction), so every rule of a pairing holds per
 * firm; a firm that may not be paired is reported with its reason and the others go on.
 *
 * Idempotent and resumable (rule 12): the page names the request (`requestId`), and each firm's
 * pairing id is derived from the caller, that id and the firm, so the same request again, after an
 * answer was lost or a crash halfway, cannot make a second pairing of any firm: it finds the pairing
 * it made and reports it `created`. The request is remembered (`BULKPAIR#<username>#<requestId>`):
 * the same id with other content is refused, and once every firm was tried the result is kept and
 * answered as it was.
 */
import { createHash } from 'node:crypto';
import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { PutCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { keys } from '../../../shared/keys.ts';
import type { BulkPairingInput } from '../../../shared/pairing.ts';
import type { BulkPairingResult } from '../../../shared/pairing-views.ts';
import { shanghaiDate } from '../../../shared/time.ts';
import { enterpriseViews } from '../enterprises/enterprises.ts';
import { AppError, ConflictError } from '../http/errors.ts';
import type { Identity } from '../http/identity.ts';
import { eachLimit } from '../store/concurrency.ts';
import { batchGet, db, getRecord, tableName } from '../store/table.ts';
import { liaisonToTell } from './firm-told.ts';
import { createPairing } from './pairings.ts';
import { liaisonInScope, mayPair } from './rules.ts';

/** How long a request id is remembered (a retry comes within minutes; a day is plenty). */
const REMEMBER_S = 86_400;
/** Firms paired at once: each is one small transaction; more would only queue at DynamoDB. */
const AT_ONCE = 4;

interface BulkRequest {
  inputHash: string;
  /** The start day the first attempt chose (a retry on another day keeps it). */
  startsOn: string;
  results?: BulkPairingResult[];
}

/** What was asked, the same however the JSON's members were ordered. */
const hashOf = (input: BulkPairingInput) =>
  createHash('sha256')
    .update(JSON.stringify([input.liaison, input.firms, input.startsOn ?? null]))
    .digest('hex');

/** The pairing id this request gives this firm: the same on every retry, unguessable across callers. */
export const bulkPairingId = (username: string, requestId: string, uscc: string) => {
  const h = createHash('sha256').update(`bulk-pairing\u0000${username}\u0000${requestId}\u0000${uscc}`).digest('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20, 32)}`;
};

/**
 * Pairs each firm of the request with the liaison; one result per firm, in the order asked. A
 * liaison that is not a liaison inside the caller's scope refuses the whole request (400).
 */
export const pairFirms = async (input: BulkPairingInput, me: Identity, now: Date): Promise<BulkPairingResult[]> => {
  const key = keys.bulkPairingRequest(me.username, input.requestId);
  const inputHash = hashOf(input);
  const earlier = await getRecord<BulkRequest>(key, { consistent: true });
  if (earlier && earlier.inputHash !== inputHash)
    throw new ConflictError('ALREADY_EXISTS', 'This request id was used for another bulk pairing');
  if (earlier?.results) return earlier.results;

  const liaison = await liaisonInScope(me, input.liaison);
  const startsOn = earlier?.startsOn ?? input.startsOn ?? shanghaiDate(now);
  if (!earlier) {
    // Remembered before the first firm is paired: a retry then knows to look for what it made.
    // A twin sent at the same moment may have written it first; both go on, and neither pairs twice.
    await db()
      .send(
        new PutCommand({
          TableName: tableName(),
          Item: {
            ...key,
            type: 'bulkPairingRequest',
            inputHash,
            startsOn,
            createdAt: now.toISOString(),
            expiresAt: Math.floor(now.getTime() / 1000) + REMEMBER_S,
          },
          ConditionExpression: 'attribute_not_exists(pk)',
        }),
      )
      .catch((error: unknown) => {
        if (!(error instanceof ConditionalCheckFailedException)) throw error;
      });
  }

  const idOf = (uscc: string) => bulkPairingId(me.username, input.requestId, uscc);
  const [firms, tell] = await Promise.all([enterpriseViews(input.firms), liaisonToTell(liaison.username)]);
  // What an earlier attempt of this request made (none on a first attempt, so nothing to read then).
  // (A twin running at the same time is met in the catch below: the pairing it made exists.)
  const made = new Set(
    (earlier
      ? await batchGet(
          input.firms.map((uscc) => keys.pairing(idOf(uscc))),
          { consistent: true },
        )
      : []
    ).map((item) => String(item.pairingId)),
  );
  const serviceYear = Number(startsOn.slice(0, 4));
  const results = new Map<string, BulkPairingResult>();
  await eachLimit(input.firms, AT_ONCE, async (uscc) => {
    const pairingId = idOf(uscc);
    if (made.has(pairingId)) {
      results.set(uscc, { uscc, outcome: 'created', pairingId });
      return;
    }
    const firm = firms.get(uscc);
    if (!mayPair(me, firm)) {
      results.set(uscc, { uscc, outcome: 'refused', code: 'NOT_FOUND' });
      return;
    }
    if (firm.county !== liaison.jurisdiction) {
      results.set(uscc, { uscc, outcome: 'refused', code: 'OTHER_COUNTY' });
      return;
    }
    try {
      await createPairing(
        { uscc, liaison: liaison.username, serviceYear, startsOn },
        firm.county,
        me,
        now,
        { firm, liaison: tell },
        pairingId,
      );
      results.set(uscc, { uscc, outcome: 'created', pairingId });
    } catch (error) {
      if (!(error instanceof AppError) || error.code !== 'ALREADY_PAIRED') throw error;
      // A twin of this request paired it a moment ago (its pairing exists): that is this request's pairing.
      const mine = await getRecord(keys.pairing(pairingId), { consistent: true });
      results.set(
        uscc,
        mine ? { uscc, outcome: 'created', pairingId } : { uscc, outcome: 'refused', code: 'ALREADY_PAIRED' },
      );
    }
  });
  const answer = input.firms.map((uscc) => results.get(uscc) as BulkPairingResult);
  await db().send(
    new UpdateCommand({
      TableName: tableName(),
      Key: key,
      UpdateExpression: 'SET results = :r',
      ConditionExpression: 'inputHash = :h',
      ExpressionAttributeValues: { ':r': answer, ':h': inputHash },
    }),
  );
  return answer;
};
