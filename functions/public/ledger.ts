import * as z from 'zod/mini';
import { confirmationInput } from '../../shared/ledger.ts';
import { ratingInput } from '../../shared/ratings.ts';
import { defineRoute, reply } from '../lib/http/handler.ts';
import { confirmationView } from '../lib/ledger/confirmation-view.ts';
import { answerConfirmation, itemOfToken, ratedItemOfToken } from '../lib/ledger/ledger.ts';
import { rateLedgerItem } from '../lib/ledger/ratings.ts';

const tokenParams = z.object({ token: z.string().check(z.regex(/^[A-Za-z0-9_-]{32}$/, 'Not a confirmation link')) });

/**
 * GET /api/public/ledger-confirmations/{token}: what a firm sees behind its link, the finding, how it
 * was resolved and the resolve's photos (confirmation-view.ts). Reading changes nothing.
 */
export const getConfirmation = defineRoute({
  params: tokenParams,
  handler: async ({ params }) => ({ item: await confirmationView(await itemOfToken(params.token, new Date())) }),
});

/**
 * POST /api/public/ledger-confirmations/{token} {"solved","comment"?}: once; "not solved" needs the
 * reason in `comment` (400 otherwise); a second answer is 404, an answer on a link for an earlier
 * resolution 410 LINK_SUPERSEDED (nothing changes).
 */
export const answerConfirmationRoute = defineRoute({
  params: tokenParams,
  body: confirmationInput,
  handler: async ({ params, body }) => {
    const item = await answerConfirmation(params.token, body.solved, body.comment, new Date());
    return { state: item.state };
  },
});

/**
 * POST /api/public/ledger-confirmations/{token}/rating {"stars","comment"?}: 好差评 by the link's
 * holder, for the item the link was sent for, by the same rules as the signed-in firm's
 * (functions/firm/ratings.ts): once (409 ALREADY_RATED), closed only (409 NOT_CLOSED).
 */
export const rateConfirmationRoute = defineRoute({
  params: tokenParams,
  body: ratingInput,
  handler: async ({ params, body }) => {
    const now = new Date();
    const { rating } = await rateLedgerItem(await ratedItemOfToken(params.token, now), body, 'link', now);
    return reply(201, { rating });
  },
});
