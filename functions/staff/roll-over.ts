import { rollOverInput } from '../../shared/roll-over.ts';
import { found } from '../lib/http/errors.ts';
import { defineRoute } from '../lib/http/handler.ts';
import { rollOver } from '../lib/pairings/roll-over.ts';

/**
 * POST /api/staff/pairings/roll-over `{"requestId","from","to","decisions":[{"pairingId","action":
 * "keep"|"end","reason"?,"note"?,"version"?}]}` (leads and admins): carries each pairing of `from`
 * into `to` or ends it with a reason; one result per decision. The same decisions again, after an
 * answer was lost or a crash part-way, do nothing twice and answer what was done (roll-over.ts).
 */
export const rollOverRoute = defineRoute({
  body: rollOverInput,
  handler: async ({ body, identity }) => ({ results: await rollOver(body, found(identity), new Date()) }),
});
