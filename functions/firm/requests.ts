import * as z from 'zod/mini';
import { evidenceInput } from '../../shared/evidence.ts';
import { firmCheckupReport } from '../lib/firms/record.ts';
import { createFirmUpload, FIRM_EVIDENCE_TYPES, firmRequestInput, raiseFirmRequest } from '../lib/firms/requests.ts';
import { UnauthenticatedError, ValidationError } from '../lib/http/errors.ts';
import { defineRoute, reply } from '../lib/http/handler.ts';
import type { FirmIdentity } from '../lib/http/identity.ts';

/** The handler stack sets it on every firm route; its absence is a sign-in missing, never another firm. */
const signedIn = (firm: FirmIdentity | undefined): FirmIdentity => {
  if (!firm) throw new UnauthenticatedError();
  return firm;
};

/**
 * An `Idempotency-Key` header, when sent: 8 to 100 letters, digits, `-`, `_`, `.` or `:` (a UUID the
 * page makes per card), else 400 naming the header.
 */
const idempotencyKeyOf = (headers: Record<string, string | undefined> | undefined): string | undefined => {
  const value = Object.entries(headers ?? {}).find(([name]) => name.toLowerCase() === 'idempotency-key')?.[1];
  if (value === undefined) return undefined;
  if (!/^[A-Za-z0-9_.:-]{8,100}$/.test(value))
    throw new ValidationError({ 'Idempotency-Key': '8 to 100 letters, digits, -, _, . or :' });
  return value;
};

/**
 * POST /api/firm/requests {"title","detail","evidenceIds"?}: the firm's difficulty becomes a ledger
 * item of its own USCC (the token's; the body cannot name a firm), answered with its two dates. With
 * an `Idempotency-Key` header, a retry answers the item the first request made (one item, not two).
 */
export const createFirmRequest = defineRoute({
  body: firmRequestInput,
  handler: async ({ body, firm, event }) => {
    const item = await raiseFirmRequest(signedIn(firm), body, new Date(), idempotencyKeyOf(event.headers));
    return reply(201, {
      item: {
        itemId: item.itemId,
        title: item.title,
        detail: item.detail,
        state: item.state,
        source: item.source,
        takeUpBy: item.takeUpBy,
        dueOn: item.dueOn,
        calendarKnown: item.calendarKnown,
        createdAt: item.createdAt,
        evidence: item.lastMove.evidence ?? [],
      },
    });
  },
});

/** POST /api/firm/evidence: a presigned PUT for one photo, which only this firm can then attach. */
export const createFirmEvidence = defineRoute({
  body: evidenceInput,
  handler: async ({ body, firm }) => {
    if (!(FIRM_EVIDENCE_TYPES as readonly string[]).includes(body.contentType))
      throw new ValidationError({ contentType: 'A photo: JPEG, PNG or HEIC' });
    return reply(201, await createFirmUpload(signedIn(firm), body));
  },
});

/** GET /api/firm/checkups/{id}/report: one of the firm's own submitted check-ups; 404 otherwise. */
export const getFirmCheckupReport = defineRoute({
  params: z.object({ id: z.string().check(z.regex(/^[a-f0-9-]{36}$/, 'Not a check-up id')) }),
  handler: async ({ params, firm }) => firmCheckupReport(signedIn(firm).uscc, params.id),
});
