import * as z from 'zod/mini';
import { knownJurisdiction } from '../../shared/jurisdiction-input.ts';
import { prefixOf } from '../../shared/jurisdictions.ts';
import { LEDGER_STATES, ledgerItemInput, transitionInput } from '../../shared/ledger.ts';
import { parkId } from '../../shared/parks.ts';
import { workingDaysAfter } from '../../shared/working-days.ts';
import { getEnterprise } from '../lib/enterprises/enterprises.ts';
import { parkLedgerStats } from '../lib/enterprises/park-views.ts';
import { found, NotFoundError, ValidationError } from '../lib/http/errors.ts';
import { defineRoute, reply } from '../lib/http/handler.ts';
import type { Identity } from '../lib/http/identity.ts';
import { inScope, requireInScope } from '../lib/http/scope.ts';
import { statsQuery, statsRange } from '../lib/http/stats-range.ts';
import { ledgerStats, recountLedger } from '../lib/ledger/counts.ts';
import {
  createLedgerItem,
  getLedgerItem,
  historyOf,
  type LedgerItem,
  listLedgerItems,
  moveLedgerItem,
  withHistory,
} from '../lib/ledger/ledger.ts';
import { named, namedOne, withOverdue } from '../lib/ledger/views.ts';
import { getPairing, listContacts, listPairings } from '../lib/pairings/pairings.ts';

const idParams = z.object({ id: z.string().check(z.regex(/^[a-f0-9-]{36}$/, 'Not a ledger item id')) });

/**
 * The firms a liaison serves: those of its pairings not ended (a paused pairing keeps its liaison).
 * One Query of the liaison's pairings (byParent), a few dozen at most.
 */
const firmsOfLiaison = async (identity: Identity): Promise<Set<string>> =>
  new Set(
    (await listPairings({ jurisdiction: identity.jurisdiction, prefix: '', liaison: identity.username }))
      .filter((p) => p.status !== 'ended')
      .map((p) => p.uscc),
  );

/**
 * Whether the caller may see and act on an item: leads and admins when its firm's county, or any
 * unit that holds or follows it, lies in their subtree; a liaison only for the firms of its own
 * pairings (inside its county), never another liaison's firm.
 */
const mayReach = (identity: Identity, item: Pick<LedgerItem, 'county' | 'followers' | 'uscc'>, served?: Set<string>) =>
  identity.role === 'liaison'
    ? inScope(identity, item.county) && (served?.has(item.uscc) ?? false)
    : [item.county, ...item.followers].some((code) => inScope(identity, code));

/** An item the caller may see and act on, else 404 (never revealing that it exists, rule 8). */
const itemInScope = async (identity: Identity, id: string) => {
  const item = found(await getLedgerItem(id));
  const served = identity.role === 'liaison' ? await firmsOfLiaison(identity) : undefined;
  if (!mayReach(identity, item, served)) throw new NotFoundError();
  return item;
};

/** `<pairingId>/<contactId>`: the contact a ledger item was raised from (issue 20). */
const CONTACT_REF = /^([A-Za-z0-9-]{1,64})\/([A-Za-z0-9-]{1,36})$/;

/**
 * An item raised from a contact names it as `sourceRef` `<pairingId>/<contactId>`, and the item
 * page links there: it must be a contact with this very firm, else 400, so a ledger item can never
 * point at another firm's contact (or at one that does not exist).
 */
const requireContactOf = async (uscc: string, sourceRef: string) => {
  const [, pairingId = '', contactId = ''] = CONTACT_REF.exec(sourceRef) ?? [];
  const pairing = pairingId ? await getPairing(pairingId) : undefined;
  const known =
    pairing?.uscc === uscc && (await listContacts(pairing.pairingId)).some((c) => c.contactId === contactId);
  if (!known) throw new ValidationError({ sourceRef: 'Not a contact with this firm (<pairingId>/<contactId>)' });
};

/**
 * The item as staff raise it: a due date, or a number of working days from now (the mainland
 * calendar with its 调休, as a firm's own time limits are counted); exactly one of the two.
 */
const createInput = z.extend(ledgerItemInput, {
  dueOn: z.optional(z.iso.date()),
  dueInWorkingDays: z.optional(z.number().check(z.int(), z.minimum(1), z.maximum(60))),
});

/** POST /api/staff/ledger-items {…, "dueOn" | "dueInWorkingDays"} */
export const createLedgerItemRoute = defineRoute({
  body: createInput,
  handler: async ({ body: given, identity }) => {
    const me = found(identity);
    const now = new Date();
    const { dueInWorkingDays, dueOn, ...rest } = given;
    if ((dueOn === undefined) === (dueInWorkingDays === undefined))
      throw new ValidationError({ dueOn: 'Give a due date or a number of working days (one of the two)' });
    // Only the firm raises its own difficulties (POST /api/firm/requests): staff cannot sign as the firm.
    if (rest.source === 'firm') throw new ValidationError({ source: 'Only a firm raises its own requests' });
    const body = {
      ...rest,
      dueOn: dueOn ?? workingDaysAfter(now, dueInWorkingDays as number).lastDay,
    };
    const firm = found(await getEnterprise(body.uscc));
    requireInScope(me, firm.county);
    // A liaison raises items for the firms it serves only (the same rule as every other ledger act).
    if (me.role === 'liaison' && !(await firmsOfLiaison(me)).has(firm.uscc)) throw new NotFoundError();
    if (body.source === 'contact' && body.sourceRef !== undefined) await requireContactOf(firm.uscc, body.sourceRef);
    const item = await createLedgerItem(body, firm, me, now);
    return reply(201, { item: withOverdue(await namedOne(await withHistory(item)), now) });
  },
});

/**
 * GET /api/staff/ledger-items/{id}?historyBefore= : the item with the newest page of its history
 * (oldest first); `historyBefore`, when not null, asks for the page before it.
 */
export const getLedgerItemRoute = defineRoute({
  params: idParams,
  query: z.object({
    historyBefore: z.optional(
      z.pipe(
        z.string().check(z.regex(/^\d{1,10}$/, 'A move number')),
        z.transform((v) => Number(v)),
      ),
    ),
  }),
  handler: async ({ params, query, identity }) => {
    const item = await itemInScope(found(identity), params.id);
    const withPage = { ...item, ...(await historyOf(item, query.historyBefore)) };
    return { item: withOverdue(await namedOne(withPage), new Date()) };
  },
});

const listQuery = z.object({
  uscc: z.optional(z.string().check(z.regex(/^[0-9A-Z]{18}$/, 'An 18-character USCC'))),
  state: z.optional(z.enum(LEDGER_STATES)),
  overdue: z.optional(z.enum(['true', 'false'])),
  owner: z.optional(z.string().check(z.maxLength(60))),
  county: z.optional(knownJurisdiction),
  serviceItem: z.optional(z.string().check(z.regex(/^S\d{2,3}$/, 'A service item id like S01'))),
});

/** GET /api/staff/ledger-items?uscc=&state=&overdue=&owner=&county=&serviceItem= */
export const listLedgerItemsRoute = defineRoute({
  query: listQuery,
  handler: async ({ query, identity }) => {
    const me = found(identity);
    const jurisdiction = query.county ?? me.jurisdiction;
    requireInScope(me, jurisdiction);
    const now = new Date();
    const served = me.role === 'liaison' ? await firmsOfLiaison(me) : undefined;
    const items = (await listLedgerItems({ uscc: query.uscc, prefix: prefixOf(jurisdiction) }))
      .filter((i) => mayReach(me, i, served))
      .filter((i) => !query.state || i.state === query.state)
      .filter((i) => !query.owner || i.ownerDepartment === query.owner)
      .filter((i) => !query.serviceItem || (i.serviceItems ?? []).includes(query.serviceItem))
      .map((i) => withOverdue(i, now))
      .filter((i) => !query.overdue || String(i.overdue) === query.overdue);
    return { items: await named(items) };
  },
});

/** POST /api/staff/ledger-items/{id}/transitions {"to","note","version","evidenceIds"?,"override"?} */
export const moveLedgerItemRoute = defineRoute({
  params: idParams,
  body: transitionInput,
  handler: async ({ params, body, identity }) => {
    const me = found(identity);
    const before = await itemInScope(me, params.id);
    const firm = await getEnterprise(before.uscc);
    const contact = {
      email: firm?.contacts.find((c) => c.email)?.email,
      mobile: firm?.contacts.find((c) => c.mobile)?.mobile,
    };
    const now = new Date();
    const moved = await moveLedgerItem(before, body, me, now, contact);
    return {
      item: withOverdue(await namedOne(await withHistory(moved.item)), now),
      // On a resolve: whether the firm was messaged now, already today (nothing sent), or cannot be.
      ...(moved.confirmation ? { confirmation: moved.confirmation } : {}),
    };
  },
});

/**
 * GET /api/staff/ledger-stats?jurisdiction=&park=&from=YYYY-MM&to=YYYY-MM (leads, admins; in scope), from
 * counters; a park's from its firms' items.
 */
export const ledgerStatsRoute = defineRoute({
  query: z.extend(statsQuery, { park: z.optional(parkId) }),
  handler: async ({ query, identity }) => {
    const now = new Date();
    const me = found(identity);
    // A park's statistics are counted from its county's items (functions/lib/enterprises/park-views.ts).
    if (query.park) {
      const { from, to } = statsRange({ ...query, jurisdiction: query.park.slice(0, 6) }, me, now);
      return parkLedgerStats(me, query.park, from, to, now);
    }
    const { jurisdiction, from, to } = statsRange(query, me, now);
    return ledgerStats(jurisdiction, from, to, now);
  },
});

/** POST /api/staff/ledger-stats/recount (admins): recounts from the items, answers the differences. */
export const recountLedgerRoute = defineRoute({
  handler: async () => recountLedger(new Date()),
});
