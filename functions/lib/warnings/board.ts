import { daysFromTo } from '../../../shared/checkups.ts';
import { shanghaiDate } from '../../../shared/time.ts';
import {
  isRedFinding,
  permitWarning,
  permitWindowEnd,
  type WarningFinding,
  type WarningFirm,
  type WarningItems,
  type WarningPermit,
} from '../../../shared/warnings.ts';
import { enterpriseNames, firmsWithPermitBy } from '../enterprises/enterprises.ts';
import { healthWarningsUnder } from '../ledger/checkups.ts';
import { overdueItemsUnder } from '../ledger/ledger.ts';

/**
 * Pages of the roster one board reads for its permits: about twenty thousand firms, several times a
 * province's list of registered dischargers, so `complete` turns false only on a roster far larger.
 */
const MAX_ROSTER_PAGES = 20;

/**
 * Pages of each index the board reads for its warning firms and its red findings (each page up to
 * 1 MB, a few thousand entries): a province's warnings many times over, and a bound on one request
 * should a deployment hold far more. Beyond it the board answers what it read with `complete` false.
 */
const MAX_INDEX_PAGES = 8;

/** Firms whose health warns (red or worse than before), red ones first, then the latest first. */
const warningFirms = async (prefix: string): Promise<{ firms: WarningFirm[]; complete: boolean }> => {
  const { firms: items, capped } = await healthWarningsUnder(prefix, { maxPages: MAX_INDEX_PAGES });
  // Health records keep the firm's name since the board; older ones are named from the roster.
  const unnamed = items.filter((h) => !h.firmName).map((h) => h.uscc);
  const names = unnamed.length > 0 ? await enterpriseNames(unnamed) : new Map<string, string>();
  const firms = items
    .map((h) => ({
      uscc: h.uscc,
      firmName: h.firmName ?? names.get(h.uscc) ?? '',
      county: h.county,
      band: h.latestBand,
      previousBand: h.previousBand,
      score: h.latestScore,
      worsened: h.worsened,
      checkupId: h.checkupId,
      at: h.at,
    }))
    .sort((a, b) => Number(b.band === 'red') - Number(a.band === 'red') || b.at.localeCompare(a.at));
  return { firms, complete: !capped };
};

/** Red findings past due: the subtree's open items of the `byJudging` index (open items only, by due date). */
const redFindings = async (prefix: string, today: string, now: Date) => {
  const { items, complete } = await overdueItemsUnder(prefix, today, now, MAX_INDEX_PAGES);
  const findings = items
    .filter((i) => isRedFinding(i))
    .map(
      (i): WarningFinding => ({
        itemId: i.itemId,
        uscc: i.uscc,
        firmName: i.firmName,
        county: i.county,
        title: i.title,
        dueOn: i.dueOn,
        daysLate: daysFromTo(i.dueOn, today),
        state: i.state,
        ownerDepartment: i.ownerDepartment,
      }),
    )
    .sort((a, b) => a.dueOn.localeCompare(b.dueOn) || a.itemId.localeCompare(b.itemId));
  return { findings, complete };
};

/** Permits expiring within the window (the boundary day included) or expired, soonest first. */
const expiringPermits = async (prefix: string, today: string) => {
  const { firms, complete } = await firmsWithPermitBy(prefix, permitWindowEnd(today), MAX_ROSTER_PAGES);
  const permits = firms
    .flatMap((f): WarningPermit[] => {
      const standing = f.permitExpiresOn ? permitWarning(f.permitExpiresOn, today) : null;
      return standing && f.permitExpiresOn
        ? [
            {
              uscc: f.uscc,
              firmName: f.name,
              county: f.county,
              permitNo: f.permitNo ?? null,
              permitExpiresOn: f.permitExpiresOn,
              ...standing,
            },
          ]
        : [];
    })
    .sort((a, b) => a.days - b.days || a.uscc.localeCompare(b.uscc));
  return { permits, complete };
};

/**
 * Everything that warns inside a code prefix (a unit's subtree) on the Beijing day of `now`: three
 * reads, each bounded by its pages (`complete` false when one stopped at its bound), never a Scan.
 */
export const warningsUnder = async (
  prefix: string,
  now: Date,
): Promise<{ today: string; items: WarningItems; complete: boolean }> => {
  const today = shanghaiDate(now);
  const [firms, findings, permits] = await Promise.all([
    warningFirms(prefix),
    redFindings(prefix, today, now),
    expiringPermits(prefix, today),
  ]);
  return {
    today,
    items: { firms: firms.firms, findings: findings.findings, permits: permits.permits },
    complete: firms.complete && findings.complete && permits.complete,
  };
};
