import * as z from 'zod/mini';
import { knownJurisdiction } from '../../shared/jurisdiction-input.ts';
import { prefixOf } from '../../shared/jurisdictions.ts';
import { firstDayOf, lastDayOf, monthOf, wasContacted } from '../../shared/monthly.ts';
import { shanghaiDate } from '../../shared/time.ts';
import { withNames } from '../lib/accounts/names.ts';
import { enterpriseNames } from '../lib/enterprises/enterprises.ts';
import { daysBetween } from '../lib/formats/export-bounds.ts';
import { found } from '../lib/http/errors.ts';
import { defineRoute } from '../lib/http/handler.ts';
import { inScope, requireInScope } from '../lib/http/scope.ts';
import { listPairings } from '../lib/pairings/pairings.ts';

/**
 * GET /api/staff/compliance/open?jurisdiction= (leads, admins; in scope): during the month, the
 * pairings not yet contacted (issue 19: the missed list appears only once the month is over, too
 * late to act), with the days left in the month, today included. The same pairings as the reminder
 * job's digest (functions/jobs/nudges.ts): active, started by the month's first day, no visit or
 * video this month. A separate route, so the compliance view keeps its counters-only budget
 * (≤ 5 requests whatever the number of pairings); this one reads the unit's pairings.
 */
export const openPairingsRoute = defineRoute({
  query: z.object({ jurisdiction: z.optional(knownJurisdiction) }),
  handler: async ({ query, identity }) => {
    const me = found(identity);
    const jurisdiction = query.jurisdiction ?? me.jurisdiction;
    requireInScope(me, jurisdiction);
    const now = new Date();
    const month = monthOf(now);
    const today = shanghaiDate(now);
    const open = (await listPairings({ jurisdiction, prefix: prefixOf(jurisdiction) })).filter(
      (p) =>
        inScope(me, p.county) &&
        p.status === 'active' &&
        p.startsOn <= firstDayOf(month) &&
        (p.endedOn === null || p.endedOn > today) &&
        !wasContacted(p, month),
    );
    const names = await enterpriseNames(open.map((p) => p.uscc));
    return {
      month,
      today,
      daysLeft: daysBetween(today, lastDayOf(month)) + 1,
      pairings: await withNames(
        open
          .map((p) => ({
            pairingId: p.pairingId,
            uscc: p.uscc,
            firmName: names.get(p.uscc) ?? '',
            county: p.county,
            liaison: p.liaison,
            lastQualifyingContactAt: p.lastQualifyingContactAt ?? null,
          }))
          .sort((a, b) => a.county.localeCompare(b.county) || a.liaison.localeCompare(b.liaison)),
        ['liaison'],
      ),
    };
  },
});
