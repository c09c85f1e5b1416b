import * as z from 'zod/mini';
import { CASE_KINDS, CASE_LIMITS, CASE_STATUSES, hasPersonalData, PERSONAL_DATA_MESSAGE } from './case-rules.ts';
import { usccField } from './enterprise.ts';
import { knownJurisdiction } from './jurisdiction-input.ts';

/** The schemas of "three best" cases (issue 19); the rules and names are in shared/case-rules.ts. */
export * from './case-rules.ts';

const text = (min: number, max: number) => z.string().check(z.trim(), z.minLength(min), z.maxLength(max));
const uuid = z.string().check(z.regex(/^[a-f0-9-]{36}$/, 'Not an id'));
const unique = (values: readonly string[]) => new Set(values).size === values.length;
const version = z.number().check(z.int(), z.minimum(1));

const caseFields = {
  title: text(2, 100),
  story: text(10, 5000),
  firms: z
    .array(usccField)
    .check(z.minLength(1), z.maxLength(CASE_LIMITS.firms), z.refine(unique, 'Name each firm once')),
  ledgerItems: z.optional(
    z.array(uuid).check(z.maxLength(CASE_LIMITS.ledgerItems), z.refine(unique, 'Name each item once')),
  ),
  evidenceIds: z.optional(
    z.array(uuid).check(z.maxLength(CASE_LIMITS.evidence), z.refine(unique, 'Name each file once')),
  ),
};

export const caseInput = z.strictObject({ kind: z.enum(CASE_KINDS), ...caseFields });
export type CaseInput = z.output<typeof caseInput>;

/** PATCH: the fields to change, at the version read. */
export const caseEdit = z.strictObject({
  version,
  kind: z.optional(z.enum(CASE_KINDS)),
  title: z.optional(caseFields.title),
  story: z.optional(caseFields.story),
  firms: z.optional(caseFields.firms),
  ledgerItems: caseFields.ledgerItems,
  evidenceIds: caseFields.evidenceIds,
});
export type CaseEdit = z.output<typeof caseEdit>;

const publicText = (min: number, max: number) =>
  text(min, max).check(z.refine((v) => !hasPersonalData(v), PERSONAL_DATA_MESSAGE));

export const caseMoveInput = z.strictObject({ version });
export const caseReturnInput = z.strictObject({ version, reason: text(2, 500) });
export const casePublishInput = z.strictObject({
  version,
  publicTitle: publicText(2, 100),
  publicSummary: publicText(10, 2000),
  /** Whether the public page names the case's firms (never their USCCs). */
  showFirms: z.boolean(),
});
export type CasePublishInput = z.output<typeof casePublishInput>;

export const caseListQuery = z.object({
  jurisdiction: z.optional(knownJurisdiction),
  status: z.optional(z.enum(CASE_STATUSES)),
  kind: z.optional(z.enum(CASE_KINDS)),
  cursor: z.optional(z.string().check(z.maxLength(2048))),
});

export const publicCaseQuery = z.object({
  kind: z.optional(z.enum(CASE_KINDS)),
  cursor: z.optional(z.string().check(z.maxLength(2048))),
  lang: z.optional(z.enum(['zh', 'en'])),
});
