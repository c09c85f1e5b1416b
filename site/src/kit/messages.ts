/**
 * A page's message lookup, typed by the dictionaries: `m('ledger.status.open')` takes only a key that
 * `shared/i18n.ts` (and `shared/messages/`) define, so a misspelt or removed key fails the typecheck
 * instead of showing "something went wrong" at run time. Keys built from data (a status, a role)
 * are template literal types over the value lists of `shared/`, so they are checked the same way.
 * Only types come from `shared/i18n.ts`: no dictionary ships to the browser.
 */
import type { ErrorCode } from '../../../shared/api-errors.ts';
import type { MessageKey } from '../../../shared/i18n.ts';
import { errorCodeOf } from './fetch.ts';

export type { MessageKey };

export type Vars = Record<string, string | number>;

/** A page's message lookup (`m` of the console, or of a page's `data-msg`). */
export type Say = (key: MessageKey, vars?: Vars) => string;

/** The message key of an API error code; an unknown code is "something went wrong". */
const errorKeyOf = (code: ErrorCode | undefined): MessageKey => `error.${code ?? 'INTERNAL'}`;

/** The message of a failed API answer (network, or the error code's message). */
export const failureText = (m: Say, status: number, answer: unknown): string =>
  m(status === 0 ? 'error.NETWORK' : errorKeyOf(errorCodeOf(answer)));

/** Every `a.` and `a.b.` that starts a key: what `keyFor` takes. */
type PrefixesOf<K extends string> = K extends `${infer Head}.${infer Rest}`
  ? `${Head}.` | `${Head}.${PrefixesOf<Rest>}`
  : never;
export type KeyPrefix = PrefixesOf<MessageKey>;

/**
 * The key `prefix + value` for a value the answer holds as free text (an audit action, a column
 * name): the prefix is checked against the dictionaries, the value cannot be, and one the page
 * does not know shows the lookup's fallback. Values with a union in `shared/` take a typed key instead.
 *
 * It answers `MessageKey`, not the keys under the prefix: a return type that names the prefix's type
 * parameter made the checker infer that parameter from `m`'s parameter (every key, thousands of
 * template matches against each other), and each call inside `m(…)` cost minutes of `astro check`.
 */
export const keyFor = (prefix: KeyPrefix, value: string): MessageKey => `${prefix}${value}` as MessageKey;
