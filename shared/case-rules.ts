import type { Level } from './jurisdictions.ts';
import type { EvidenceRef } from './pairing-views.ts';

/**
 * The rules of "three best" cases, without zod (the public page imports them; the schemas are in
 * shared/cases.ts).
 *
 * "Three best" cases (三个最佳, issue 19): a county lead drafts a case of its work, its city lead
 * recommends it (or returns it with a reason), the province lead selects it and publishes it with a
 * public title and summary. Only that public text (and, if the province chose so, the firms' names)
 * ever leaves the console; it is checked for personal data here, in the browser and on the server.
 */

export const CASE_KINDS = ['best_system_supply', 'best_service_measure', 'best_service_project'] as const;
export type CaseKind = (typeof CASE_KINDS)[number];

export const CASE_STATUSES = ['draft', 'submitted', 'returned', 'recommended', 'selected', 'published'] as const;
export type CaseStatus = (typeof CASE_STATUSES)[number];

export const CASE_ACTIONS = ['submit', 'recommend', 'return', 'select', 'publish', 'unpublish'] as const;
export type CaseAction = (typeof CASE_ACTIONS)[number];

/**
 * Each move: the statuses it starts from, the status it ends in, and the level of the lead who may
 * make it (the case's own county, the city above it, the province above that). A lead of another
 * level inside the case's scope gets 403; a move from another status 409 INVALID_TRANSITION.
 */
export const CASE_MOVES: Record<CaseAction, { from: readonly CaseStatus[]; to: CaseStatus; level: Level }> = {
  submit: { from: ['draft', 'returned'], to: 'submitted', level: 'county' },
  recommend: { from: ['submitted'], to: 'recommended', level: 'city' },
  return: { from: ['submitted'], to: 'returned', level: 'city' },
  select: { from: ['recommended'], to: 'selected', level: 'province' },
  publish: { from: ['selected'], to: 'published', level: 'province' },
  unpublish: { from: ['published'], to: 'selected', level: 'province' },
};

/** Statuses in which the county may still edit its case. */
export const EDITABLE: readonly CaseStatus[] = ['draft', 'returned'];

/** The moves a lead of `level` may make on a case in `status` (what the console offers). */
export const movesFor = (status: CaseStatus, level: Level): CaseAction[] =>
  CASE_ACTIONS.filter((a) => CASE_MOVES[a].level === level && CASE_MOVES[a].from.includes(status));

export const CASE_LIMITS = { firms: 20, ledgerItems: 20, evidence: 10 } as const;

/**
 * Public text must carry no personal data: no mobile number, no ID card number, no USCC-looking
 * string, no e-mail address. The check runs on a folded copy (full-width digits and letters made
 * ASCII, separators between digits removed), so `138 0013 8000` or `１３８００１３８０００` is
 * caught as a mobile. It errs towards refusing: a bureau can always reword a summary.
 */
const fold = (value: string): string =>
  value
    .normalize('NFKC')
    .toUpperCase()
    // Spaces, dashes and dots between digits (a number written in groups).
    .replace(/(?<=[0-9])[\s\-–—.·_]+(?=[0-9A-Z])/g, '');

const PERSONAL_PATTERNS: readonly RegExp[] = [
  // Mobile numbers of the mainland (11 digits from 13…19), with or without +86.
  /(?<![0-9])(?:\+?86)?1[3-9][0-9]{9}(?![0-9])/,
  // Resident ID numbers: 18 characters (17 digits and a digit or X), or the old 15 digits.
  /(?<![0-9A-Z])[1-9][0-9]{16}[0-9X](?![0-9A-Z])/,
  /(?<![0-9])[1-9][0-9]{14}(?![0-9])/,
  // Unified Social Credit Codes: 18 characters of its alphabet with the region code in places 3–8.
  /(?<![0-9A-Z])[0-9A-HJ-NPQRTUWXY]{2}[0-9]{6}[0-9A-HJ-NPQRTUWXY]{10}(?![0-9A-Z])/,
  // E-mail addresses.
  /[A-Z0-9._%+-]+@[A-Z0-9.-]+\.[A-Z]{2,}/,
];

/** Whether a public text looks like it carries personal data (see above). */
export const hasPersonalData = (value: string): boolean => {
  const folded = fold(value);
  return PERSONAL_PATTERNS.some((p) => p.test(folded));
};

export const PERSONAL_DATA_MESSAGE =
  'Public text may not contain mobile numbers, ID numbers, USCCs or e-mail addresses';

/** A published case as anyone may read it: the public text, where and when, and firm names if shown. */
export interface PublicCase {
  caseId: string;
  kind: CaseKind;
  title: string;
  summary: string;
  county: string;
  place: { zh: string; en: string };
  publishedAt: string;
  firms: string[];
}

/** The kinds' names, for the pages and the plain HTML list (the message dictionaries say them too). */
export const CASE_KIND_NAMES: Record<CaseKind, { zh: string; en: string }> = {
  best_system_supply: { zh: '最佳制度供给', en: 'Best system supply' },
  best_service_measure: { zh: '最佳服务举措', en: 'Best service measure' },
  best_service_project: { zh: '最佳服务项目', en: 'Best service project' },
};

/** A firm a case names. */
export interface CaseFirm {
  uscc: string;
  name: string;
}

/** A case as stored (`CASE#<id>`). */
export interface CaseRecord {
  caseId: string;
  kind: CaseKind;
  title: string;
  story: string;
  /** The county that drafted it: the case's jurisdiction for every scope check. */
  county: string;
  firms: CaseFirm[];
  ledgerItems: string[];
  evidenceIds: string[];
  evidence: EvidenceRef[];
  status: CaseStatus;
  version: number;
  createdAt: string;
  createdBy: string;
  updatedAt: string;
  /** The newest move (the audit log holds them all). */
  lastMove: { action: CaseAction | 'create' | 'edit'; by: string; at: string; reason?: string } | null;
  /** The city's reason when it returned the case (kept until the county submits it again). */
  returnReason: string | null;
  /** The province's public text: set on publish, kept on unpublish (to publish again). */
  publicTitle: string | null;
  publicSummary: string | null;
  showFirms: boolean;
  publishedAt: string | null;
}

/** A case as staff read it: with the moves the caller may make on it now, and whether it may edit it. */
export interface StaffCase extends CaseRecord {
  moves: CaseAction[];
  editable: boolean;
}
