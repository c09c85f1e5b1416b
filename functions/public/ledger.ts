import * as z from 'zod/mini';
import { confirmationInput } from '../../shared/ledger.ts';
import { defineRoute } from '../lib/http/handler.ts';
import { answerConfirmation, itemOfToken } from '../lib/ledger/ledger.ts';

const tokenParams = z.object({ token: z.string().check(z.regex(/^[A-Za-z0-9_-]{32}$/, 'Not a confirmation link')) });

/** What a firm sees behind its link: the problem and how it was resolved. Reading changes nothing. */
const publicView = (item: Awaited<ReturnType<typeof itemOfToken>>) => {
  // The resolve the link is for is the item's newest move (older items kept theirs in `history`).
  const resolved = item.lastMove ?? item.history?.at(-1);
  return {
    title: item.title,
    detail: item.detail,
    firmName: item.firmName,
    resolvedAt: resolved?.at ?? null,
    resolution: resolved?.note ?? null,
  };
};

/** GET /api/public/ledger-confirmations/{token} */
export const getConfirmation = defineRoute({
  params: tokenParams,
  handler: async ({ params }) => ({ item: publicView(await itemOfToken(params.token, new Date())) }),
});

/**
 * POST /api/public/ledger-confirmations/{token} {"solved","comment"?}: once; a second answer is 404,
 * an answer on a link for an earlier resolution 410 LINK_SUPERSEDED (nothing changes).
 */
export const answerConfirmationRoute = defineRoute({
  params: tokenParams,
  body: confirmationInput,
  handler: async ({ params, body }) => {
    const item = await answerConfirmation(params.token, body.solved, body.comment, new Date());
    return { state: item.state };
  },
});
