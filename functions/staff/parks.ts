import * as z from 'zod/mini';
import { knownJurisdiction } from '../../shared/jurisdiction-input.ts';
import { levelOf } from '../../shared/jurisdictions.ts';
import { parkListInput } from '../../shared/parks.ts';
import { readParks, saveParks } from '../lib/enterprises/parks.ts';
import { found } from '../lib/http/errors.ts';
import { defineRoute } from '../lib/http/handler.ts';
import { requireInScope } from '../lib/http/scope.ts';

const countyQuery = z.object({
  county: knownJurisdiction.check(
    z.refine((code) => levelOf(code) === 'county', 'Parks belong to a county-level code'),
  ),
});

/** GET /api/staff/parks?county=: the county's parks, retired ones marked (staff in scope; else 404). */
export const listParksRoute = defineRoute({
  query: countyQuery,
  handler: async ({ query, identity }) => {
    requireInScope(found(identity), query.county);
    return { parkList: await readParks(query.county) };
  },
});

/**
 * PUT /api/staff/parks?county= {"version","parks":[{"id"?,"name","retired"?}]} (the county's leads and
 * those above it, admins; out of scope 404): the whole list at the version seen.
 */
export const saveParksRoute = defineRoute({
  query: countyQuery,
  body: parkListInput,
  handler: async ({ query, body, identity }) => {
    const me = found(identity);
    requireInScope(me, query.county);
    return { parkList: await saveParks(query.county, body, me, new Date()) };
  },
});
