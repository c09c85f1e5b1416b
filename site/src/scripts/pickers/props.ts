import type { Lang } from '../../../../shared/i18n.ts';

/** What a name picker component is given: the page's language and the id of the code field it serves. */
export interface PickerProps {
  lang: Lang;
  for: string;
}
