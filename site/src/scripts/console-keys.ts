/**
 * The message keys console.ts itself reads, which every staff-console page lists in its `data-msg`:
 * the network error, the API's error codes, and the role names of the "signed in as" bar.
 */
import { ERROR_CODES } from '../../../shared/api-errors.ts';
import type { MessageKey } from '../../../shared/i18n.ts';
import { ROLES } from '../../../shared/roles.ts';

export const CONSOLE_KEYS: MessageKey[] = [
  'error.NETWORK',
  ...ROLES.map((role) => `role.${role}` as const),
  ...ERROR_CODES.map((code) => `error.${code}` as const),
];
