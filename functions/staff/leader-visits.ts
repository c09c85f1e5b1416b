import * as z from 'zod/mini';
import { knownJurisdiction } from '../../shared/jurisdiction-input.ts';
import { leaderVisitInput } from '../../shared/leader-visits.ts';
import { quarterField, quarterOf } from '../../shared/monthly.ts';
import { found } from '../lib/http/errors.ts';
import { defineRoute, reply } from '../lib/http/handler.ts';
import { requireInScope } from '../lib/http/scope.ts';
import { leaderCompliance, logLeaderVisit, recountLeaders, visitsOfLead } from '../lib/leaders/visits.ts';

/** POST /api/staff/leader-visits (leads): logs the caller's own field service; 201 with the visit. */
export const createLeaderVisit = defineRoute({
  body: leaderVisitInput,
  handler: async ({ body, identity }) => {
    const result = await logLeaderVisit(found(identity), body, new Date());
    return reply(201, result);
  },
});

/** GET /api/staff/leader-visits (leads): the caller's own field services, newest first. */
export const listLeaderVisits = defineRoute({
  query: z.object({ limit: z.optional(z.coerce.number().check(z.int(), z.minimum(1), z.maximum(100))) }),
  handler: async ({ query, identity }) => ({ visits: await visitsOfLead(found(identity).username, query.limit ?? 50) }),
});

/** GET /api/staff/leader-compliance?quarter=&jurisdiction= (leads, admins; in scope). */
export const getLeaderCompliance = defineRoute({
  query: z.object({ quarter: z.optional(quarterField), jurisdiction: z.optional(knownJurisdiction) }),
  handler: async ({ query, identity }) => {
    const me = found(identity);
    const jurisdiction = query.jurisdiction ?? me.jurisdiction;
    requireInScope(me, jurisdiction);
    const now = new Date();
    return leaderCompliance(query.quarter ?? quarterOf(now), jurisdiction, now);
  },
});

/** POST /api/staff/leader-compliance/recount {"quarter","fix"?} (admins): recounts from the facts. */
export const recountLeaderCompliance = defineRoute({
  body: z.object({ quarter: quarterField, fix: z.optional(z.boolean()) }),
  handler: async ({ body }) => recountLeaders(body.quarter, body.fix ?? false),
});
