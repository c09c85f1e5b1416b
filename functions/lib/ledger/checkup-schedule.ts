import { addMonths, checkupIntervalFrom, type DueCheckup, daysFromTo, type Health } from '../../../shared/checkups.ts';
import { ENV } from '../../../shared/config.ts';
import { keys } from '../../../shared/keys.ts';
import type { Pairing } from '../../../shared/pairing-views.ts';
import { shanghaiDate } from '../../../shared/time.ts';
import { enterpriseNames } from '../enterprises/enterprises.ts';
import { batchGet, fromItem } from '../store/table.ts';

/** Months between check-ups in this deployment (`CHECKUP_INTERVAL_MONTHS`; default 12). */
export const checkupIntervalMonths = () => checkupIntervalFrom(process.env[ENV.checkupIntervalMonths]);

/**
 * Check-ups held regularly, with an early warning (issue 19): of the given active pairings, the firms
 * whose next check-up is overdue or due within `within` days of `today` (Shanghai dates). The next one
 * is due its pairing's cadence (or else the deployment's `months`) after the last submitted check-up's day (the firm's health record keeps it: one
 * BatchGet for all, no Query per firm, no Scan), or after the pairing's start when there was none.
 * Overdue first (the longest overdue at the top), then the soonest due.
 */
export const dueCheckups = async (
  pairings: readonly Pairing[],
  today: string,
  within: number,
  months: number,
): Promise<DueCheckup[]> => {
  // One row per firm: its newest pairing (a firm has one active pairing at a time; a reassignment's
  // overlap day would show it twice).
  const byFirm = new Map<string, Pairing>();
  for (const p of pairings) {
    const seen = byFirm.get(p.uscc);
    if (!seen || seen.startsOn < p.startsOn) byFirm.set(p.uscc, p);
  }
  const usccs = [...byFirm.keys()];
  const [healthItems, names] = await Promise.all([batchGet(usccs.map((u) => keys.health(u))), enterpriseNames(usccs)]);
  const health = new Map(healthItems.map((item) => fromItem<Health>(item)).map((h) => [h.uscc, h]));
  const rows: DueCheckup[] = [];
  for (const p of byFirm.values()) {
    const last = health.get(p.uscc);
    const lastCheckupOn = last ? shanghaiDate(new Date(last.at)) : null;
    const intervalMonths = p.checkupIntervalMonths ?? months;
    const dueOn = addMonths(lastCheckupOn ?? p.startsOn, intervalMonths);
    const days = daysFromTo(today, dueOn);
    if (days > within) continue;
    rows.push({
      uscc: p.uscc,
      firmName: names.get(p.uscc) ?? '',
      county: p.county,
      liaison: p.liaison,
      pairingId: p.pairingId,
      lastCheckupOn,
      lastCheckupId: last?.checkupId ?? null,
      dueOn,
      intervalMonths,
      days,
      state: days < 0 ? 'overdue' : 'due_soon',
    });
  }
  return rows.sort((a, b) => a.days - b.days || a.firmName.localeCompare(b.firmName, 'zh'));
};
