import * as z from 'zod/mini';
import { knownJurisdiction } from '../../shared/jurisdiction-input.ts';
import { shanghaiDate } from '../../shared/time.ts';
import { found } from '../lib/http/errors.ts';
import { defineRoute } from '../lib/http/handler.ts';
import { requireInScope } from '../lib/http/scope.ts';
import { coverageOf } from '../lib/pairings/coverage.ts';

/**
 * GET /api/staff/coverage?jurisdiction=&year= (leads and admins): each county under the
 * jurisdiction (default the caller's) with the year's pairings against the target and the mix of
 * firm sizes and types; a jurisdiction outside the caller's scope is 404 (coverage.ts).
 */
export const coverageRoute = defineRoute({
  query: z.object({
    jurisdiction: z.optional(knownJurisdiction),
    year: z.optional(z.coerce.number().check(z.int(), z.minimum(2020), z.maximum(2100))),
  }),
  handler: async ({ query, identity }) => {
    const me = found(identity);
    const jurisdiction = query.jurisdiction ?? me.jurisdiction;
    requireInScope(me, jurisdiction);
    const year = query.year ?? Number(shanghaiDate(new Date()).slice(0, 4));
    return { coverage: await coverageOf(jurisdiction, year) };
  },
});
