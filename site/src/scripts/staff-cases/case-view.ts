/**
 * A "three best" case as the staff routes answer it, with the moves the server says the caller may
 * make, and the API's own schemas its forms check with.
 */
import type { CaseAction, CaseKind, CaseStatus } from '../../../../shared/case-rules.ts';

export interface CaseView {
  caseId: string;
  kind: CaseKind;
  title: string;
  story: string;
  county: string;
  firms: { uscc: string; name: string }[];
  ledgerItems: string[];
  evidenceIds: string[];
  status: CaseStatus;
  version: number;
  returnReason: string | null;
  publicTitle: string | null;
  publicSummary: string | null;
  showFirms: boolean;
  moves: CaseAction[];
  editable: boolean;
}

/** The API's own schemas (zod), loaded on the first check of a form: the list needs none. */
export const schemas = () => import('../../../../shared/cases.ts');
