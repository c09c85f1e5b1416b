/**
 * The words of a key a component builds from parts (`{section}.{name}`: a table's column, a
 * select's option): the typecheck cannot see such a key, so one without words fails the build here
 * rather than rendering an empty header or option.
 */
import { type Lang, messages } from '../../../shared/i18n.ts';

export const builtWords = (lang: Lang, key: string): string => {
  const words: Record<string, string | undefined> = messages[lang];
  const found = words[key];
  if (found === undefined) throw new Error(`no words for ${key}`);
  return found;
};
