import * as z from 'zod/mini';
import { ratingInput } from '../../shared/ratings.ts';
import { NotFoundError, UnauthenticatedError } from '../lib/http/errors.ts';
import { defineRoute, reply } from '../lib/http/handler.ts';
import { getLedgerItem } from '../lib/ledger/ledger.ts';
import { rateLedgerItem } from '../lib/ledger/ratings.ts';

const idParams = z.object({ id: z.string().check(z.regex(/^[a-f0-9-]{36}$/, 'Not a ledger item id')) });

/**
 * POST /api/firm/ledger-items/{id}/rating {"stars","comment"?}: 好差评 of one of the signed-in firm's
 * closed items, once. Another firm's item answers 404 exactly like one that does not exist; an open
 * item 409 NOT_CLOSED, a second rating 409 ALREADY_RATED (functions/lib/ledger/ratings.ts).
 */
export const rateFirmLedgerItem = defineRoute({
  params: idParams,
  body: ratingInput,
  handler: async ({ params, body, firm }) => {
    if (!firm) throw new UnauthenticatedError();
    const item = await getLedgerItem(params.id);
    if (!item || item.uscc !== firm.uscc) throw new NotFoundError();
    const { rating } = await rateLedgerItem(item, body, 'firm', new Date());
    return reply(201, { rating });
  },
});
