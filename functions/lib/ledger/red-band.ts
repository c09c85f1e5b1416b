import type { Health } from '../../../shared/checkups.ts';
import { keys } from '../../../shared/keys.ts';
import { batchGet, fromItem } from '../store/table.ts';
import { healthWarningsUnder } from './checkups.ts';

/**
 * Firms whose latest check-up banded them red (issue 18, the console home): a unit's from the sparse
 * early-warning index (`healthWarningsUnder`, red ones), counted exactly up to `RED_BAND_CAP`; a
 * liaison's from the health records of the firms it serves.
 */
export const RED_BAND_CAP = 200;

/**
 * Pages of the early-warning index one count reads at most. A page is up to 1 MB, a few thousand
 * entries of ~300 bytes, so four cover more warning firms than a province pairs (about 1,000) many
 * times over while keeping the console home, read on every console page, to a few requests.
 */
const RED_BAND_PAGES = 4;

export interface RedFirm extends Health {
  county: string;
}

/** The red-band firms of a subtree, by county then USCC, at most `RED_BAND_CAP` (`capped` beyond). */
export const redBandUnder = (prefix: string) =>
  healthWarningsUnder(prefix, { cap: RED_BAND_CAP, maxPages: RED_BAND_PAGES, redOnly: true });

/** Which of these firms (with their counties) are red now. */
export const redBandOf = async (firms: readonly { uscc: string; county: string }[]): Promise<RedFirm[]> => {
  const county = new Map(firms.map((f) => [f.uscc, f.county]));
  return (await batchGet([...county.keys()].map((uscc) => keys.health(uscc))))
    .map((item) => fromItem<Health>(item))
    .filter((h) => h.latestBand === 'red')
    .map((h) => ({ ...h, county: county.get(h.uscc) ?? '' }))
    .sort((a, b) => a.county.localeCompare(b.county) || a.uscc.localeCompare(b.uscc));
};
