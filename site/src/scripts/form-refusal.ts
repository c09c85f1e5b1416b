/**
 * What the console's record forms of one element do alike (new pairing, new staff account, an
 * account's edit): a control found by its field's name in the form (the API's name for it), and a
 * refused answer said where the person can act on it — the error codes the form words itself (on a
 * control, or as a sentence of no field), a 400's fields on the controls of those names, anything
 * else in the API's words. A 401 says nothing: it is on its way to sign-in already (kit/api.ts).
 */
import type { ErrorCode } from '../../../shared/api-errors.ts';
import { errorCodeOf, fieldsOf } from '../kit/api.ts';
import { failureText, type MessageKey, type Say } from '../kit/messages.ts';
import { type FormProblems, type Problem, problemsOfFields } from './console.ts';
import { partOf } from './parts.ts';

/** The form's control of this field name (its component always renders it). */
export const fieldOf = <T extends HTMLElement = HTMLInputElement>(form: HTMLFormElement, name: string): T =>
  partOf<T>(form, `[name="${name}"]`);

export interface Refusals {
  /** The words for each field the API may name in a 400, by the field's (and its control's) name. */
  fields: Record<string, MessageKey>;
  /** Codes the form says in its own words: a problem on a control, or a sentence of no field. */
  codes?: Partial<Record<ErrorCode, Problem | string>>;
}

export const showRefusal = (
  m: Say,
  form: HTMLFormElement,
  problems: Pick<FormProblems, 'show'>,
  answer: { status: number; body: unknown },
  { fields, codes = {} }: Refusals,
): void => {
  if (answer.status === 401) return;
  const code = errorCodeOf(answer.body);
  const own = code && codes[code];
  if (typeof own === 'string') problems.show([], own);
  else if (own) problems.show([own]);
  else if (answer.status === 400) {
    const known = Object.fromEntries(
      Object.entries(fields).map(([name, key]) => [name, { control: fieldOf(form, name), text: m(key) }]),
    );
    problems.show(problemsOfFields(fieldsOf(answer.body), known, m));
  } else problems.show([], failureText(m, answer.status, answer.body));
};
