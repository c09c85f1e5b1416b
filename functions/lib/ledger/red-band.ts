import { QueryCommand } from '@aws-sdk/lib-dynamodb';
import type { Health } from '../../../shared/checkups.ts';
import { keys } from '../../../shared/keys.ts';
import { batchGet, db, fromItem, tableName } from '../store/table.ts';

/**
 * Firms whose latest check-up banded them red (issue 18, the console home): a unit's from the sparse
 * byScope entry the check-up's health Put carries while the band is red or worse than before
 * (`keys.healthWarning`, filtered to red), counted up
 * to `RED_BAND_CAP`; a liaison's from the health records of the firms it serves.
 */
export const RED_BAND_CAP = 200;

export interface RedFirm extends Health {
  county: string;
}

/** The red-band firms of a subtree, by county then USCC, at most `RED_BAND_CAP` (`capped` beyond). */
export const redBandUnder = async (prefix: string) => {
  const out = await db().send(
    new QueryCommand({
      TableName: tableName(),
      IndexName: 'byScope',
      KeyConditionExpression: 'scopePk = :p AND begins_with(scopeSk, :prefix)',
      // The early-warning entry (red or worse than before: keys.healthWarning), red ones kept.
      FilterExpression: 'latestBand = :red',
      ExpressionAttributeValues: { ':p': keys.healthWarningPk(), ':prefix': prefix, ':red': 'red' },
      Limit: RED_BAND_CAP,
    }),
  );
  const firms = (out.Items ?? []).map((item) => ({
    ...fromItem<Health>(item),
    county: String(item.scopeSk).slice(0, 6),
  }));
  return { firms, capped: out.LastEvaluatedKey !== undefined };
};

/** Which of these firms (with their counties) are red now. */
export const redBandOf = async (firms: readonly { uscc: string; county: string }[]): Promise<RedFirm[]> => {
  const county = new Map(firms.map((f) => [f.uscc, f.county]));
  return (await batchGet([...county.keys()].map((uscc) => keys.health(uscc))))
    .map((item) => fromItem<Health>(item))
    .filter((h) => h.latestBand === 'red')
    .map((h) => ({ ...h, county: county.get(h.uscc) ?? '' }))
    .sort((a, b) => a.county.localeCompare(b.county) || a.uscc.localeCompare(b.uscc));
};
