import * as z from 'zod/mini';
import { knownJurisdiction } from '../../shared/jurisdiction-input.ts';
import { contains, prefixOf } from '../../shared/jurisdictions.ts';
import { shanghaiDate } from '../../shared/time.ts';
import { TODAY_DAYS_AHEAD, TODAY_FIRST, type TodayPart, type TodayView } from '../../shared/today.ts';
import { daysOnly } from '../lib/consultation/days.ts';
import { enterpriseNames } from '../lib/enterprises/enterprises.ts';
import { found } from '../lib/http/errors.ts';
import { defineRoute } from '../lib/http/handler.ts';
import type { Identity } from '../lib/http/identity.ts';
import { requireInScope } from '../lib/http/scope.ts';
import { overdueCount } from '../lib/ledger/counts.ts';
import type { LedgerItem } from '../lib/ledger/ledger.ts';
import { firstOverdueInUnit, overdueOfFirms } from '../lib/ledger/overdue-now.ts';
import { type RedFirm, redBandOf, redBandUnder } from '../lib/ledger/red-band.ts';
import type { Delivery } from '../lib/messaging/deliveries.ts';
import { COUNT_CAP, countUnder, messagesUnder } from '../lib/messaging/delivery-board.ts';
import { inboxPage } from '../lib/messaging/inbox.ts';
import { listPairings } from '../lib/pairings/pairings.ts';

/**
 * GET /api/staff/today?jurisdiction= (every staff role; issue 18): what needs the caller today, for
 * the console home and the counts in the console's nav. A liaison's parts are those of the firms it
 * serves; a lead's or admin's those of its unit (or a unit below it, `jurisdiction`; outside its
 * subtree 404). Every part is a bounded read: counters, sparse indexes, at most a few pages.
 */

const part = <T>(count: number, capped: boolean, first: T[]): TodayPart<T> => ({
  count,
  capped,
  first: first.slice(0, TODAY_FIRST),
});

const overdueEntry = (item: LedgerItem) => ({
  itemId: item.itemId,
  title: item.title,
  uscc: item.uscc,
  firmName: item.firmName,
  county: item.county,
  dueOn: item.dueOn,
});

const redEntry = (names: Map<string, string>) => (firm: RedFirm) => ({
  uscc: firm.uscc,
  name: names.get(firm.uscc) ?? firm.uscc,
  county: firm.county,
  score: firm.latestScore,
  at: firm.at,
});

/** The firms a liaison serves now (its pairings not ended), with their counties. */
const servedFirms = async (me: Identity) => {
  const pairings = await listPairings({ jurisdiction: me.jurisdiction, prefix: '', liaison: me.username });
  return [
    ...new Map(pairings.filter((p) => p.status !== 'ended').map((p) => [p.uscc, { uscc: p.uscc, county: p.county }])),
  ].map(([, firm]) => firm);
};

/** A liaison's overdue items and red-band firms: those of the firms it serves. */
const ownParts = async (me: Identity, now: Date) => {
  const firms = await servedFirms(me);
  const [overdue, red] = await Promise.all([
    overdueOfFirms(
      firms.map((f) => f.uscc),
      now,
    ),
    redBandOf(firms),
  ]);
  return { overdue: part(overdue.length, false, overdue.map(overdueEntry)), red: { firms: red, capped: false } };
};

/** A unit's: counters and sparse indexes under its code. */
const unitParts = async (code: string, today: string) => {
  const reach = (county: string) => contains(code, county);
  const [count, first, red] = await Promise.all([
    overdueCount(code, today),
    firstOverdueInUnit(reach, today, TODAY_FIRST),
    redBandUnder(prefixOf(code)),
  ]);
  return { overdue: part(count, false, first.map(overdueEntry)), red };
};

/** Given-up messages of the unit: the count (capped) and the oldest few, with the channels that gave up. */
const undelivered = async (code: string) => {
  const prefix = prefixOf(code);
  const [failed, page] = await Promise.all([
    countUnder('failed', prefix),
    messagesUnder({ status: 'failed', prefix }, { limit: TODAY_FIRST, start: undefined }),
  ]);
  const first = page.items
    .filter((item) => contains(code, String(item.jurisdiction)))
    .map((item) => ({
      about: String(item.about),
      kind: String(item.kind),
      occasion: String(item.occasion ?? ''),
      jurisdiction: String(item.jurisdiction),
      createdAt: String(item.createdAt),
      channels: ((item.deliveries ?? []) as Delivery[]).filter((d) => d.status === 'failed').map((d) => d.channel),
    }));
  return part(failed.count, failed.capped || failed.count >= COUNT_CAP, first);
};

const addDays = (day: string, n: number) => {
  const at = new Date(`${day}T00:00:00Z`);
  at.setUTCDate(at.getUTCDate() + n);
  return at.toISOString().slice(0, 10);
};

export const todayRoute = defineRoute({
  query: z.object({ jurisdiction: z.optional(knownJurisdiction) }),
  handler: async ({ query, identity }): Promise<TodayView> => {
    const me = found(identity);
    const code = query.jurisdiction ?? me.jurisdiction;
    requireInScope(me, code);
    const now = new Date();
    const today = shanghaiDate(now);
    const manager = me.role !== 'liaison';
    const [own, inbox, days, messages] = await Promise.all([
      manager ? unitParts(code, today) : ownParts(me, now),
      inboxPage(me.username, { limit: 1, start: undefined }),
      daysOnly(today, addDays(today, TODAY_DAYS_AHEAD - 1)),
      manager ? undelivered(code) : null,
    ]);
    const names = await enterpriseNames(own.red.firms.slice(0, TODAY_FIRST).map((f) => f.uscc));
    const upcoming = days.filter((day) => day.status !== 'cancelled' && contains(code, day.jurisdiction));
    return {
      today,
      unread: inbox.unread,
      overdue: own.overdue,
      days: part(
        upcoming.length,
        false,
        upcoming.map((day) => ({
          dayId: day.dayId,
          date: day.date,
          jurisdiction: day.jurisdiction,
          venue: day.venue,
          mode: day.mode,
          status: day.status,
        })),
      ),
      redBand: part(own.red.firms.length, own.red.capped, own.red.firms.map(redEntry(names))),
      undelivered: messages,
    };
  },
});
