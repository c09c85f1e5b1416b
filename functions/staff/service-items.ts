import { catalogueInput, SERVICE_CATALOGUE_PEOPLE, type ServiceCatalogue } from '../../shared/service-items.ts';
import { withNamesOne } from '../lib/accounts/names.ts';
import { currentCatalogue, saveCatalogue, serviceStats } from '../lib/catalogue/service-items.ts';
import { found } from '../lib/http/errors.ts';
import { defineRoute } from '../lib/http/handler.ts';
import { statsQuery, statsRange } from '../lib/http/stats-range.ts';

/** The catalogue as answered: its last editor by name beside the username. */
const named = (catalogue: ServiceCatalogue) => withNamesOne(catalogue, SERVICE_CATALOGUE_PEOPLE);

/** GET /api/staff/service-items: the catalogue offered now (every staff member tags work with it). */
export const getServiceItemsRoute = defineRoute({
  handler: async () => ({ catalogue: await named(await currentCatalogue()) }),
});

/** PUT /api/staff/service-items {"version","items"} (admins): a new version of the catalogue. */
export const putServiceItemsRoute = defineRoute({
  body: catalogueInput,
  handler: async ({ body, identity }) => ({
    catalogue: await named(await saveCatalogue(body, found(identity), new Date())),
  }),
});

/**
 * GET /api/staff/service-items/stats?jurisdiction=&from=YYYY-MM&to=YYYY-MM (leads, admins; in scope):
 * contacts and ledger items per service item and per category (送政策、送技术、送服务), from counters.
 */
export const serviceStatsRoute = defineRoute({
  query: statsQuery,
  handler: async ({ query, identity }) => {
    const { jurisdiction, from, to } = statsRange(query, found(identity), new Date());
    return serviceStats(jurisdiction, from, to);
  },
});
