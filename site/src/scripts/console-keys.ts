/**
 * The message keys console.ts itself reads, which every staff-console page lists in its `data-msg`:
 * the network error, the API's error codes, the role names of the "signed in as" bar, and the
 * sortable tables' picker.
 */
import { ERROR_CODES } from '../../../shared/api-errors.ts';
import type { MessageKey } from '../../../shared/i18n.ts';
import { ROLES } from '../../../shared/roles.ts';
import { NAV_COUNTS } from '../../../shared/today.ts';

export const CONSOLE_KEYS: MessageKey[] = [
  'error.NETWORK',
  // The "sort by" picker of every sortable table (site/src/kit/sortable.ts).
  'desk.sort.by',
  'desk.sort.none',
  'desk.sort.ascending',
  'desk.sort.descending',
  ...ROLES.map((role) => `role.${role}` as const),
  // The counts beside the nav's sections, read with their words (console-nav-counts.ts).
  ...NAV_COUNTS.map((name) => `nav.count.${name}` as const),
  ...ERROR_CODES.map((code) => `error.${code}` as const),
];
