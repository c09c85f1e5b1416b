import type { Severity } from './ledger-rules.ts';

// The check-up's categories, answers, bands, template shape and scoring, without zod: the pages import these, and only a page that checks a form loads the schemas
// (shared/checkups.ts, which re-exports this file), on first use (site/src/kit/lazy.ts).

/**
 * The environmental health check-up (环境健康体检): a versioned template of weighted items in three
 * categories, answers per item, a score 0-100 and a band. Shared by the API and the check-up form.
 */
export const CATEGORIES = ['management', 'facilities', 'risk'] as const;

export type Category = (typeof CATEGORIES)[number];

export const ANSWERS = ['pass', 'fail', 'na'] as const;

export type Answer = (typeof ANSWERS)[number];

export const BANDS = ['green', 'yellow', 'red'] as const;

export type Band = (typeof BANDS)[number];

export interface TemplateItem {
  readonly itemId: string;
  readonly category: Category;
  readonly text: { readonly zh: string; readonly en: string };
  readonly weight: number;
  /** The severity of the ledger item a failed answer becomes. */
  readonly failSeverity: Severity;
}

export interface CheckupTemplate {
  readonly version: number;
  readonly items: readonly TemplateItem[];
  /** Lowest score of each band: green ≥ green, yellow ≥ yellow, red below. */
  readonly thresholds: { readonly green: number; readonly yellow: number };
}

/** The image types a signature may be: what a canvas gives (PNG) or a camera (JPEG). */
export const SIGNATURE_TYPES = ['image/png', 'image/jpeg'] as const;

/** A signature drawn on a tablet is tens of KB; anything near a photo's size is not one. */
export const SIGNATURE_MAX_BYTES = 1024 * 1024;

/** Score 0-100 over the answered, applicable items (weights of passes over weights of passes and fails). */
export const scoreOf = (template: CheckupTemplate, answers: Record<string, { result: Answer }>): number => {
  let passed = 0;
  let counted = 0;
  for (const it of template.items) {
    const result = answers[it.itemId]?.result;
    if (result === 'pass' || result === 'fail') counted += it.weight;
    if (result === 'pass') passed += it.weight;
  }
  return counted === 0 ? 100 : Math.round((passed / counted) * 100);
};

export const bandOf = (template: CheckupTemplate, score: number): Band =>
  score >= template.thresholds.green ? 'green' : score >= template.thresholds.yellow ? 'yellow' : 'red';

/** The most items a template may hold: every one of them may fail, and each failure is a ledger item. */
export const MAX_TEMPLATE_ITEMS = 60;
