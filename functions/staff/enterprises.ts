import * as z from 'zod/mini';
import { ENTERPRISE_STATUSES, enterpriseInput, enterprisePatch, TIERS, usccField } from '../../shared/enterprise.ts';
import { JURISDICTION_CODE } from '../../shared/jurisdictions.ts';
import { decodeCursor, encodeCursor } from '../lib/cursor.ts';
import { createEnterprise, getEnterprise, listEnterprises, updateEnterprise } from '../lib/enterprises.ts';
import { found } from '../lib/errors.ts';
import { defineRoute, reply } from '../lib/http.ts';
import { requireInScope, requireMayCreateIn } from '../lib/scope.ts';

const usccParams = z.object({ uscc: usccField });

/** An enterprise the caller may see (liaisons: their county; leads: their subtree), else 404. */
const enterpriseInScope = async (identity: Parameters<typeof requireInScope>[0], uscc: string) => {
  const enterprise = found(await getEnterprise(uscc));
  requireInScope(identity, enterprise.county);
  return enterprise;
};

const listQuery = z.object({
  county: z.optional(z.string().check(z.regex(JURISDICTION_CODE, 'Six-digit administrative code'))),
  tier: z.optional(z.enum(TIERS)),
  status: z.optional(z.enum(ENTERPRISE_STATUSES)),
  q: z.optional(z.string().check(z.trim(), z.minLength(1), z.maxLength(50))),
  limit: z.optional(z.coerce.number().check(z.int(), z.minimum(1), z.maximum(200))),
  cursor: z.optional(z.string().check(z.maxLength(2000))),
});

/** GET /api/staff/enterprises?county=&tier=&status=&q=&cursor= */
export const listEnterprisesRoute = defineRoute({
  query: listQuery,
  handler: async ({ query, identity }) => {
    const me = found(identity);
    const jurisdiction = query.county ?? me.jurisdiction;
    // A county outside one's scope simply has nothing to show.
    requireInScope(me, jurisdiction);
    const page = await listEnterprises({
      jurisdiction,
      tier: query.tier,
      status: query.status,
      q: query.q,
      limit: query.limit ?? 50,
      cursor: decodeCursor(query.cursor),
    });
    return { enterprises: page.items, nextCursor: encodeCursor(page.next) };
  },
});

/** POST /api/staff/enterprises */
export const createEnterpriseRoute = defineRoute({
  body: enterpriseInput,
  handler: async ({ body, identity }) => {
    const me = found(identity);
    requireMayCreateIn(me, body.county);
    return reply(201, { enterprise: await createEnterprise(body, me, new Date()) });
  },
});

/** GET /api/staff/enterprises/{uscc} */
export const getEnterpriseRoute = defineRoute({
  params: usccParams,
  handler: async ({ params, identity }) => ({ enterprise: await enterpriseInScope(found(identity), params.uscc) }),
});

/** PATCH /api/staff/enterprises/{uscc}: needs `version`; moving to a county outside one's scope is refused. */
export const updateEnterpriseRoute = defineRoute({
  params: usccParams,
  body: enterprisePatch,
  handler: async ({ params, body, identity }) => {
    const me = found(identity);
    const before = await enterpriseInScope(me, params.uscc);
    if (body.county) requireMayCreateIn(me, body.county);
    return { enterprise: await updateEnterprise(before, body, me, new Date()) };
  },
});
