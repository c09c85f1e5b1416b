import * as z from 'zod/mini';
import { ANSWERS, type Answer, type Band, type Category, MAX_TEMPLATE_ITEMS } from './checkups.ts';
import { SEVERITIES } from './ledger.ts';
import { MAX_SELF_NOTE, SELF_INSPECTION_ID, type SuggestionState } from './self-inspection-rules.ts';

export * from './self-inspection-rules.ts';

const ITEM_ID = /^[A-Z]\d{1,2}$/;

const text = (min: number, max: number) => z.string().check(z.trim(), z.minLength(min), z.maxLength(max));

export const selfAnswerInput = z.object({
  result: z.enum(ANSWERS),
  note: z.optional(
    z.string().check(z.trim(), z.maxLength(MAX_SELF_NOTE, `At most ${MAX_SELF_NOTE} characters per note`)),
  ),
});

/** `POST /api/firm/self-inspections`: every item of the template version named, answered once. */
export const selfInspectionInput = z.object({
  id: z.string().check(z.regex(SELF_INSPECTION_ID, 'A UUID made by the page (lower case)')),
  templateVersion: z.number().check(z.int(), z.minimum(1)),
  // Counted before each answer is checked: thousands of bad keys would otherwise answer thousands of fields.
  answers: z.pipe(
    z
      .record(z.string(), z.unknown())
      .check(
        z.refine(
          (answers) => Object.keys(answers).length <= MAX_TEMPLATE_ITEMS,
          `At most ${MAX_TEMPLATE_ITEMS} answers: one per item of the template`,
        ),
      ),
    z.record(z.string().check(z.regex(ITEM_ID, 'An item id of the template')), selfAnswerInput),
  ),
});
export type SelfInspectionInput = z.output<typeof selfInspectionInput>;

/** `POST /api/firm/checkup-requests`: the firm asks for an on-site check-up, with a note if it likes. */
export const checkupRequestInput = z.optional(z.object({ note: z.optional(text(0, 500)) }));

/** `POST /api/staff/ledger-suggestions/{id}/accept`: the ledger item's terms, else the template's defaults. */
export const acceptSuggestionInput = z.optional(
  z.object({
    severity: z.optional(z.enum(SEVERITIES)),
    dueOn: z.optional(z.iso.date()),
    ownerDepartment: z.optional(text(1, 60)),
  }),
);

/** `POST /api/staff/ledger-suggestions/{id}/dismiss`: why it is no ledger item (the firm reads it). */
export const dismissSuggestionInput = z.object({ reason: text(2, 500) });

/** What a firm reads of the template: the items to answer, nothing of weights or severities. */
export interface FirmTemplateItem {
  readonly itemId: string;
  readonly category: Category;
  readonly text: { readonly zh: string; readonly en: string };
}

/** The state of one failed item's suggestion, as the firm's submission keeps it. */
export interface SuggestionOutcome {
  suggestionId: string;
  state: SuggestionState;
  /** Dismissed: the reason the liaison gave. */
  reason?: string | undefined;
  /** Accepted: the ledger item it became. */
  ledgerItemId?: string | undefined;
}

/** One submission of a firm, as stored and as the firm reads it back. */
export interface SelfInspection {
  selfInspectionId: string;
  uscc: string;
  county: string;
  firmName: string;
  templateVersion: number;
  answers: Record<string, { result: Answer; note?: string | undefined }>;
  /** The template's score and band, for the firm's own view; the firm's health stays the experts' check-ups'. */
  score: number;
  band: Band;
  submittedAt: string;
  /** One per failed item, by template item id. */
  suggestions: Record<string, SuggestionOutcome>;
}

/** A suggested ledger item, as the liaison's list shows it. */
export interface Suggestion {
  suggestionId: string;
  selfInspectionId: string;
  uscc: string;
  county: string;
  firmName: string;
  itemId: string;
  title: { zh: string; en: string };
  note: string | null;
  severity: (typeof SEVERITIES)[number];
  state: SuggestionState;
  createdAt: string;
  decidedAt: string | null;
  decidedBy: string | null;
  reason: string | null;
  ledgerItemId: string | null;
  version: number;
}
