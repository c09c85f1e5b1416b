import type { Band } from './checkups.ts';
import { daysFromTo } from './checkups.ts';
import { levelOf, names, parentOf } from './jurisdictions.ts';

/**
 * The early-warning board (issue 19): per unit, the firms whose latest check-up is red or worse than
 * the one before, the red findings (high-severity check-up items) still open past their due date,
 * and the discharge permits that expire within PERMIT_WARNING_DAYS (expired ones too). Shared by the
 * API that builds it, the weekly digest that sends it and the console page that shows it.
 */
export const PERMIT_WARNING_DAYS = 60;
/** Rows per list per page of `GET /api/staff/warnings`. */
export const WARNING_PAGE_SIZE = 50;
/** Lines per list in a lead's weekly digest (the rest is behind the link). */
export const DIGEST_TOP_ITEMS = 5;
export const WARNING_LISTS = ['firms', 'findings', 'permits'] as const;
export type WarningList = (typeof WARNING_LISTS)[number];

/** A firm whose latest check-up is red, or whose band got worse against the one before. */
export interface WarningFirm {
  uscc: string;
  firmName: string;
  county: string;
  band: Band;
  previousBand: Band | null;
  score: number;
  worsened: boolean;
  checkupId: string;
  /** The check-up's time (ISO with offset). */
  at: string;
}

/** A red finding: a check-up's high-severity ledger item open past its due date. */
export interface WarningFinding {
  itemId: string;
  uscc: string;
  firmName: string;
  county: string;
  title: string;
  dueOn: string;
  daysLate: number;
  state: string;
  ownerDepartment: string;
}

/** A discharge permit that expires within the window, or has expired (`days` < 0). */
export interface WarningPermit {
  uscc: string;
  firmName: string;
  county: string;
  permitNo: string | null;
  permitExpiresOn: string;
  /** Days from today (Beijing) to the expiry day: 0 = its last valid day, negative = expired. */
  days: number;
  expired: boolean;
}

export interface WarningCounts {
  red: number;
  worsened: number;
  findings: number;
  permitsExpiring: number;
  permitsExpired: number;
}

export interface WarningItems {
  firms: WarningFirm[];
  findings: WarningFinding[];
  permits: WarningPermit[];
}

export interface WarningUnit extends WarningCounts {
  code: string;
  name: { zh: string; en: string };
  level: string;
}

/** A page of one list; `cursor` continues it, null on its last page. */
export interface WarningPage<T> {
  total: number;
  items: T[];
  cursor: string | null;
}

export interface WarningBoard {
  today: string;
  jurisdiction: { code: string; name: { zh: string; en: string } };
  totals: WarningCounts;
  /** The units one level down (none for a county). */
  children: WarningUnit[];
  firms: WarningPage<WarningFirm>;
  findings: WarningPage<WarningFinding>;
  permits: WarningPage<WarningPermit>;
  /** False when a list was larger than one request reads (a roster, or warning index pages, beyond their bound): it is then partial. */
  complete: boolean;
}

/** The permit's standing on `today`, or null when it is not (yet) a warning. */
export const permitWarning = (expiresOn: string, today: string): { days: number; expired: boolean } | null => {
  const days = daysFromTo(today, expiresOn);
  return days > PERMIT_WARNING_DAYS ? null : { days, expired: days < 0 };
};

/** The last day whose expiry still warns on `today` (the window's boundary day, inclusive). */
export const permitWindowEnd = (today: string): string =>
  new Date(Date.parse(`${today}T00:00:00Z`) + PERMIT_WARNING_DAYS * 86_400_000).toISOString().slice(0, 10);

/** A finding is red when it is a check-up item of high severity (as the firm's health warnings say). */
export const isRedFinding = (item: { source: string; severity: string }) =>
  item.source === 'checkup' && item.severity === 'high';

export const countsOf = (items: WarningItems): WarningCounts => ({
  red: items.firms.filter((f) => f.band === 'red').length,
  worsened: items.firms.filter((f) => f.worsened).length,
  findings: items.findings.length,
  permitsExpiring: items.permits.filter((p) => !p.expired).length,
  permitsExpired: items.permits.filter((p) => p.expired).length,
});

export const totalOf = (c: WarningCounts) => c.red + c.worsened + c.findings + c.permitsExpiring + c.permitsExpired;

/** The unit one level below `jurisdiction` that holds `code` (undefined when it is not inside). */
export const childUnitOf = (jurisdiction: string, code: string): string | undefined => {
  for (let at: string | undefined = code; at; at = parentOf(at)) if (parentOf(at) === jurisdiction) return at;
  return undefined;
};

/** The known units one level below a jurisdiction, in code order. */
export const childUnits = (jurisdiction: string): string[] =>
  levelOf(jurisdiction) === 'county'
    ? []
    : Object.keys(names)
        .filter((code) => code !== jurisdiction && parentOf(code) === jurisdiction)
        .sort();

/** Each list narrowed to the codes a filter keeps (a unit's subtree). */
export const itemsWhere = (items: WarningItems, keep: (county: string) => boolean): WarningItems => ({
  firms: items.firms.filter((f) => keep(f.county)),
  findings: items.findings.filter((f) => keep(f.county)),
  permits: items.permits.filter((p) => keep(p.county)),
});
