import * as z from 'zod/mini';
import { knownJurisdiction } from '../../shared/jurisdiction-input.ts';
import { monthBefore, monthField, monthOf } from '../../shared/monthly.ts';
import { catalogueInput } from '../../shared/service-items.ts';
import { currentCatalogue, saveCatalogue, serviceStats } from '../lib/catalogue/service-items.ts';
import { found, ValidationError } from '../lib/http/errors.ts';
import { defineRoute } from '../lib/http/handler.ts';
import { requireInScope } from '../lib/http/scope.ts';

/** GET /api/staff/service-items: the catalogue offered now (every staff member tags work with it). */
export const getServiceItemsRoute = defineRoute({
  handler: async () => ({ catalogue: await currentCatalogue() }),
});

/** PUT /api/staff/service-items {"version","items"} (admins): a new version of the catalogue. */
export const putServiceItemsRoute = defineRoute({
  body: catalogueInput,
  handler: async ({ body, identity }) => ({ catalogue: await saveCatalogue(body, found(identity), new Date()) }),
});

/**
 * GET /api/staff/service-items/stats?jurisdiction=&from=YYYY-MM&to=YYYY-MM (leads, admins; in scope):
 * contacts and ledger items per service item and per category (送政策、送技术、送服务), from counters.
 */
export const serviceStatsRoute = defineRoute({
  query: z.object({
    jurisdiction: z.optional(knownJurisdiction),
    from: z.optional(monthField),
    to: z.optional(monthField),
  }),
  handler: async ({ query, identity }) => {
    const me = found(identity);
    const jurisdiction = query.jurisdiction ?? me.jurisdiction;
    requireInScope(me, jurisdiction);
    const to = query.to ?? monthOf(new Date());
    const from = query.from ?? monthBefore(to, 11);
    if (from > to) throw new ValidationError({ from: 'Must not be after to' });
    return serviceStats(jurisdiction, from, to);
  },
});
