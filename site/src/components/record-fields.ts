/**
 * What a component holding the fields of one record takes when a "new" form and an edit form share
 * it (RosterEnterpriseFields, StaffUserFields): each form gives its own id prefix, so both can stand
 * on one page, and the mode decides the fields only one of them has.
 */
import type { Lang } from '../../../shared/i18n.ts';

export interface RecordFieldsProps {
  lang: Lang;
  /** Ids are `{prefix}-{field}`. */
  prefix: string;
  mode: 'new' | 'edit';
}

/** The id of a field in the form of `prefix`. */
export const fieldIds =
  (prefix: string) =>
  (field: string): string =>
    `${prefix}-${field}`;
