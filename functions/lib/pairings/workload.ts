/**
 * Each liaison's workload, for every picker that chooses a liaison (issue 20): how many pairings of
 * the service year it carries (not ended) and how many of those are judged this month and not yet
 * contacted. One Query of the staff inside the jurisdiction and one of its pairings (byScope both),
 * however many liaisons: never a read per liaison, never a Scan.
 */
import { prefixOf } from '../../../shared/jurisdictions.ts';
import { isJudged, monthOf, wasContacted } from '../../../shared/monthly.ts';
import type { LiaisonWorkload } from '../../../shared/pairing-views.ts';
import { profilesUnder } from '../accounts/profiles.ts';
import { listPairings } from './pairings.ts';

export const liaisonWorkloads = async (jurisdiction: string, now: Date): Promise<LiaisonWorkload[]> => {
  const prefix = prefixOf(jurisdiction);
  const month = monthOf(now);
  const serviceYear = Number(month.slice(0, 4));
  const [people, pairings] = await Promise.all([
    profilesUnder(prefix),
    listPairings({ jurisdiction, prefix, serviceYear }),
  ]);
  const carried = new Map<string, { active: number; toContact: number }>();
  for (const p of pairings) {
    if (p.status === 'ended') continue;
    const load = carried.get(p.liaison) ?? { active: 0, toContact: 0 };
    load.active += 1;
    if (p.status === 'active' && isJudged(p, month) && !wasContacted(p, month)) load.toContact += 1;
    carried.set(p.liaison, load);
  }
  return people
    .filter((u) => u.role === 'liaison' && u.enabled !== false)
    .map((u) => ({
      username: String(u.username),
      displayName: String(u.displayName ?? u.username),
      jurisdiction: String(u.jurisdiction),
      ...(carried.get(String(u.username)) ?? { active: 0, toContact: 0 }),
    }))
    .sort((a, b) => a.jurisdiction.localeCompare(b.jurisdiction) || a.active - b.active);
};
