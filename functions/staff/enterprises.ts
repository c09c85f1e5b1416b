import * as z from 'zod/mini';
import {
  ENTERPRISE_STATUSES,
  enterpriseInput,
  enterprisePatch,
  SIZE_LABELS,
  STATUS_LABELS,
  TIER_LABELS,
  TIERS,
  usccField,
} from '../../shared/enterprise.ts';
import { IMPORT_MODES, rosterHeader } from '../../shared/enterprise-import.ts';
import { firmTypesText } from '../../shared/enterprise-words.ts';
import { knownJurisdiction } from '../../shared/jurisdiction-input.ts';
import { prefixOf } from '../../shared/jurisdictions.ts';
import { keys } from '../../shared/keys.ts';
import type { ParkList } from '../../shared/parks.ts';
import { shanghaiDate } from '../../shared/time.ts';
import {
  createEnterprise,
  type Enterprise,
  getEnterprise,
  listEnterprises,
  readForWrite,
  updateEnterprise,
} from '../lib/enterprises/enterprises.ts';
import { importEnterprises } from '../lib/enterprises/import.ts';
import { readParksOf } from '../lib/enterprises/parks.ts';
import { firmTimeline } from '../lib/enterprises/timeline.ts';
import { SHEET_FORMATS, sheetFile } from '../lib/formats/sheet-file.ts';
import { decodeCursor, encodeCursor } from '../lib/http/cursor.ts';
import { found } from '../lib/http/errors.ts';
import { defineRoute, reply } from '../lib/http/handler.ts';
import { requireInScope, requireMayCreateIn } from '../lib/http/scope.ts';
import { healthOf } from '../lib/ledger/checkups.ts';
import { pairedFirms } from '../lib/pairings/pairings.ts';

const usccParams = z.object({ uscc: usccField });

/** An enterprise the caller may see (liaisons: their county; leads: their subtree), else 404. */
const enterpriseInScope = async (identity: Parameters<typeof requireInScope>[0], uscc: string) => {
  const enterprise = found(await getEnterprise(uscc));
  requireInScope(identity, enterprise.county);
  return enterprise;
};

const listQuery = z.object({
  county: z.optional(knownJurisdiction),
  tier: z.optional(z.enum(TIERS)),
  status: z.optional(z.enum(ENTERPRISE_STATUSES)),
  q: z.optional(z.string().check(z.trim(), z.minLength(1), z.maxLength(50))),
  /** `false`: the firms with no pairing (active or paused) in the service year; `true`: those with one. */
  paired: z.optional(z.enum(['true', 'false'])),
  serviceYear: z.optional(z.coerce.number().check(z.int(), z.minimum(2020), z.maximum(2100))),
  limit: z.optional(z.coerce.number().check(z.int(), z.minimum(1), z.maximum(200))),
  cursor: z.optional(z.string().check(z.maxLength(2000))),
});

/**
 * Reads of the roster's index one list request may make when a filter narrows it (a name search,
 * the unpaired firms): enough to fill a page from a county's roster, bounded so a search that
 * matches little costs at most this many Queries; the cursor goes on from where it stopped.
 */
const MAX_READS = 5;

/**
 * GET /api/staff/enterprises?county=&tier=&status=&q=&paired=&serviceYear=&cursor=: a page of the
 * firms in scope, each with its latest check-up band and whether it is paired in the service year
 * (default the current one). `q` matches a name fragment or a USCC prefix.
 */
export const listEnterprisesRoute = defineRoute({
  query: listQuery,
  handler: async ({ query, identity }) => {
    const me = found(identity);
    const jurisdiction = query.county ?? me.jurisdiction;
    // A county outside one's scope simply has nothing to show.
    requireInScope(me, jurisdiction);
    const serviceYear = query.serviceYear ?? Number(shanghaiDate(new Date()).slice(0, 4));
    const cursorScope = {
      route: 'enterprises.list',
      caller: me,
      query: {
        county: jurisdiction,
        tier: query.tier,
        status: query.status,
        q: query.q,
        paired: query.paired,
        serviceYear: String(serviceYear),
      },
      partition: { scopePk: keys.enterprisesScopePk(), scopeSk: { prefix: prefixOf(jurisdiction) } },
    };
    const limit = query.limit ?? 50;
    const narrowed = Boolean(query.q || query.tier || query.status || query.paired);
    const items: (Enterprise & { paired: boolean })[] = [];
    let cursor: Record<string, unknown> | undefined = await decodeCursor(query.cursor, cursorScope);
    for (let reads = 0; reads < MAX_READS; reads++) {
      // Each read asks for what is still missing, so a page never holds more than `limit` and the
      // cursor of the last read is exactly where the next page starts.
      const page = await listEnterprises({
        jurisdiction,
        tier: query.tier,
        status: query.status,
        q: query.q,
        limit: limit - items.length,
        cursor,
      });
      const paired = await pairedFirms(
        page.items.map((e) => e.uscc),
        serviceYear,
      );
      for (const e of page.items) {
        const isPaired = paired.has(e.uscc);
        if (query.paired === undefined || (query.paired === 'true') === isPaired)
          items.push({ ...e, paired: isPaired });
      }
      cursor = page.next;
      if (!cursor || items.length >= limit || !narrowed) break;
    }
    // Each firm's latest check-up band, for the list: one BatchGet per page.
    const health = await healthOf(items.map((e) => e.uscc));
    return {
      enterprises: items.map((e) => ({ ...e, health: health.get(e.uscc) ?? null })),
      nextCursor: await encodeCursor(cursor, cursorScope),
    };
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
    const stored = await readForWrite(params.uscc);
    requireInScope(me, found(stored.view).county);
    if (body.county) requireMayCreateIn(me, body.county);
    return { enterprise: await updateEnterprise(stored, body, me, new Date()) };
  },
});

const formatQuery = z.object({ format: z.optional(z.enum(SHEET_FORMATS)) });
const HEADER = rosterHeader(1);

/** GET /api/staff/enterprises/import-template?format=csv|xlsx: the bureau's list with its header only. */
export const importTemplateRoute = defineRoute({
  query: formatQuery,
  handler: async ({ query }) => sheetFile(query.format ?? 'xlsx', 'enterprise-import-template', '企业名录', HEADER, []),
});

const importQuery = z.object({ mode: z.optional(z.enum(IMPORT_MODES)) });

/**
 * POST /api/staff/enterprises/import?mode=all-or-nothing|valid-rows with the CSV or XLSX file as the
 * body: a report of every row (imported, updated, unchanged, or the fields at fault). Clients send the
 * file as `application/octet-stream` (or the XLSX type): API Gateway passes text/* bodies on as
 * UTF-8 text, which would garble a GBK-encoded CSV.
 */
export const importEnterprisesRoute = defineRoute({
  query: importQuery,
  file: true,
  handler: async ({ query, file, identity }) => ({
    report: await importEnterprises(found(file), query.mode ?? 'all-or-nothing', found(identity), new Date()),
  }),
});

/**
 * One row of the roster export: the import's columns, every contact (so it imports back whole), the
 * status; size, tier, status and types in the bureau's Chinese words and the park by its name, all of
 * which the import reads back (issue 18, issue 19).
 */
const rosterRow = (e: Enterprise, contacts: number, parks: Map<string, ParkList>): unknown[] => [
  e.uscc,
  e.name,
  e.county,
  e.address,
  e.industry,
  SIZE_LABELS[e.size].zh,
  TIER_LABELS[e.tier].zh,
  e.permitNo ?? '',
  e.permitExpiresOn ?? '',
  firmTypesText(e.types),
  (e.park && parks.get(e.county)?.parks.find((p) => p.id === e.park)?.name) ?? '',
  ...Array.from({ length: contacts }, (_, i) => {
    const contact = e.contacts[i];
    return [contact?.name ?? '', contact?.role ?? '', contact?.mobile ?? '', contact?.email ?? ''];
  }).flat(),
  STATUS_LABELS[e.status].zh,
];

/** GET /api/staff/enterprises/export?format=csv|xlsx&county=&tier=&status=: the roster in scope. */
export const exportEnterprisesRoute = defineRoute({
  query: z.extend(formatQuery, {
    county: listQuery.shape.county,
    tier: listQuery.shape.tier,
    status: listQuery.shape.status,
  }),
  handler: async ({ query, identity }) => {
    const me = found(identity);
    const jurisdiction = query.county ?? me.jurisdiction;
    requireInScope(me, jurisdiction);
    const firms: Enterprise[] = [];
    let cursor: Record<string, unknown> | undefined;
    do {
      const page = await listEnterprises({ jurisdiction, tier: query.tier, status: query.status, limit: 1000, cursor });
      firms.push(...page.items);
      cursor = page.next;
    } while (cursor);
    // As many contact columns as the firm with the most contacts needs (the template's one at least).
    const contacts = Math.max(1, ...firms.map((e) => e.contacts.length));
    const parks = await readParksOf(firms.flatMap((e) => (e.park ? [e.county] : [])));
    return sheetFile(
      query.format ?? 'xlsx',
      `enterprises-${jurisdiction}`,
      '企业名录',
      [...rosterHeader(contacts), '状态'],
      firms.map((e) => rosterRow(e, contacts, parks)),
    );
  },
});

const timelineQuery = z.object({
  limit: z.optional(z.coerce.number().check(z.int(), z.minimum(1), z.maximum(100))),
  cursor: z.optional(z.string().check(z.maxLength(500))),
});

/** GET /api/staff/enterprises/{uscc}/timeline?cursor=: contacts and bookings, newest first, paged. */
export const enterpriseTimelineRoute = defineRoute({
  params: usccParams,
  query: timelineQuery,
  handler: async ({ params, query, identity }) => {
    await enterpriseInScope(found(identity), params.uscc);
    return firmTimeline(params.uscc, query.limit ?? 20, query.cursor, found(identity));
  },
});
