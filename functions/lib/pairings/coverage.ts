/**
 * Coverage per county (issue 19): the pairings of a service year in each county under a
 * jurisdiction against the target, with the mix of the paired firms' sizes and types.
 *
 * A paged read within a budget, not counters: the pairings of the subtree come from one Query of
 * the byScope index (filtered to the year's pairings not ended, projected to four attributes, so
 * the answer stays small), at most READ_PAGES pages of 1 MB; the firms from BatchGets of a hundred.
 * A province holds about 1,000 pairings a year (about 1.5 KB each as stored): all its years fit in a
 * few pages, so the budget is only met by a subtree far larger than the programme's, and then the
 * answer says `complete: false` rather than reading on. Counters would have to follow every write
 * of a pairing and of a firm's size and types (another developer's field), for a page read a few
 * times a year; the read needs neither and cannot drift from the facts.
 */

import { ENV } from '../../../shared/config.ts';
import {
  type CountyCoverage,
  type Coverage,
  coverageTargetFrom,
  FIRM_TYPES,
  type FirmType,
  type SizeMix,
} from '../../../shared/coverage.ts';
import { SIZES } from '../../../shared/enterprise.ts';
import { contains, levelOf, names, prefixOf } from '../../../shared/jurisdictions.ts';
import { keys } from '../../../shared/keys.ts';
import { enterpriseViews } from '../enterprises/enterprises.ts';
import { queryPages } from '../store/table.ts';

/** Pages of the scope index one answer reads at most (each up to 1 MB before the filter). */
export const READ_PAGES = 16;

/** The target of this deployment (`COVERAGE_TARGET`; default 10). */
export const coverageTarget = () => coverageTargetFrom(process.env[ENV.coverageTarget]);

/** The counties the product knows inside a jurisdiction (the jurisdiction itself when a county). */
export const countiesUnder = (jurisdiction: string): string[] =>
  Object.keys(names)
    .filter((code) => levelOf(code) === 'county' && contains(jurisdiction, code))
    .sort();

interface Listed {
  uscc: string;
  county: string;
}

const emptySizes = (): SizeMix => ({ large: 0, medium: 0, small: 0, micro: 0, unknown: 0 });
const emptyTypes = (): Record<FirmType, number> =>
  Object.fromEntries(FIRM_TYPES.map((t) => [t, 0])) as Record<FirmType, number>;

/** The year's pairings not ended inside the jurisdiction, as far as the budget reaches. */
const listedPairings = async (jurisdiction: string, serviceYear: number) => {
  const { items, complete } = await queryPages(
    {
      IndexName: 'byScope',
      KeyConditionExpression: 'scopePk = :p AND begins_with(scopeSk, :s)',
      // A pairing the roll-over ended served its year out: it stays on that year's list.
      FilterExpression: 'serviceYear = :y AND (#status <> :ended OR attribute_exists(rolledOver))',
      ProjectionExpression: 'uscc, county, serviceYear, #status',
      ExpressionAttributeNames: { '#status': 'status' },
      ExpressionAttributeValues: {
        ':p': keys.pairingsScopePk(),
        ':s': prefixOf(jurisdiction),
        ':y': serviceYear,
        ':ended': 'ended',
      },
    },
    READ_PAGES,
  );
  const listed: Listed[] = items.map((item) => ({ uscc: String(item.uscc), county: String(item.county) }));
  return { listed, complete };
};

export const coverageOf = async (jurisdiction: string, serviceYear: number): Promise<Coverage> => {
  const target = coverageTarget();
  const { listed, complete } = await listedPairings(jurisdiction, serviceYear);
  const firms = await enterpriseViews(listed.map((p) => p.uscc));
  const byCounty = new Map<string, CountyCoverage>(
    countiesUnder(jurisdiction).map((county) => [
      county,
      { county, paired: 0, underTarget: true, sizes: emptySizes(), types: emptyTypes(), untyped: 0 },
    ]),
  );
  for (const p of listed) {
    const row = byCounty.get(p.county);
    // A county the product does not know by name has no row (it cannot be asked for either).
    if (!row) continue;
    row.paired += 1;
    const firm = firms.get(p.uscc) as (Record<string, unknown> & { size?: unknown }) | undefined;
    const size = firm?.size;
    row.sizes[(SIZES as readonly unknown[]).includes(size) ? (size as (typeof SIZES)[number]) : 'unknown'] += 1;
    // `types` is read raw: an array of codes on the firm's record; anything else, or unknown codes, is not counted.
    const raw = Array.isArray(firm?.types) ? (firm.types as unknown[]) : [];
    const known = new Set(raw.filter((t): t is FirmType => (FIRM_TYPES as readonly unknown[]).includes(t)));
    for (const t of known) row.types[t] += 1;
    if (known.size === 0) row.untyped += 1;
  }
  const counties = [...byCounty.values()].map((row) => ({ ...row, underTarget: row.paired < target }));
  return { jurisdiction, serviceYear, target, counties, complete };
};
