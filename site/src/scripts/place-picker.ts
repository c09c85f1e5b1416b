/**
 * The place pickers of the drill-down pages (compliance, ledger statistics): one's unit and every unit
 * below it, and the path down to the one shown. A file of its own so the other pages that read months
 * and place names from compliance-months.ts (console home, inbox, robot settings) do not carry them.
 */
import { contains, names, parentOf } from '../../../shared/jurisdictions.ts';
import { placeWithCode } from './compliance-months.ts';
import type { PageLang } from './format.ts';

/**
 * A place picker: one's unit and every unit below it, in code order, indented by depth. Answers `ensure`, which adds a unit the picker lacks (with the name an answer gave).
 */
export const placePicker = (
  select: HTMLSelectElement,
  scope: string,
  lang: PageLang,
  scopeName?: { zh?: string; en?: string },
) => {
  const depth = (code: string) => {
    let n = 0;
    for (let at: string | undefined = code; at && at !== scope; at = parentOf(at)) n++;
    return n;
  };
  const ensure = (code: string, name?: { zh?: string; en?: string }) => {
    if ([...select.options].some((o) => o.value === code)) return;
    const option = new Option(`${'\u3000'.repeat(depth(code))}${placeWithCode(code, lang, name)}`, code);
    const after = [...select.options].find((o) => o.value > code);
    select.add(option, after ?? null);
  };
  ensure(scope, scopeName);
  for (const code of Object.keys(names).sort()) if (contains(scope, code)) ensure(code);
  return ensure;
};

/** The codes from `scope` down to `code`, both included: the path of a drill-down. */
export const pathDownTo = (scope: string, code: string): string[] => {
  const chain: string[] = [];
  for (let at: string | undefined = code; at; at = parentOf(at)) {
    chain.unshift(at);
    if (at === scope) break;
  }
  return chain;
};
