import { firmRecord } from '../lib/firms/record.ts';
import { UnauthenticatedError } from '../lib/http/errors.ts';
import { defineRoute } from '../lib/http/handler.ts';

/**
 * GET /api/firm/me: the signed-in firm's own record (its facts, liaison, ledger items with their
 * history, bookings). The USCC is the token's and nothing else: the route takes no parameter that
 * could name another firm.
 */
export const getFirmMe = defineRoute({
  handler: async ({ firm }) => {
    // The handler stack sets it on every firm route; its absence is a sign-in missing, never another firm.
    if (!firm) throw new UnauthenticatedError();
    return firmRecord(firm.uscc, new Date());
  },
});
