/** The counties a person may choose for an enterprise. */
import { contains, levelOf, names } from '../../../../shared/jurisdictions.ts';
import type { PageLang } from '../format.ts';

/** The county-level codes the person may choose: those of the demo geography inside its scope. */
export const countiesInScope = (scope: string): string[] =>
  Object.keys(names)
    .filter((code) => levelOf(code) === 'county' && contains(scope, code))
    .sort();

export const countyLabel = (code: string, lang: PageLang): string => {
  const name = names[code]?.[lang];
  if (!name) return code;
  return lang === 'zh' ? `${name}（${code}）` : `${name} (${code})`;
};
