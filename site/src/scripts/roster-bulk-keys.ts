/** The message keys of the roster's bulk pairing (roster-bulk.ts), for the page's `data-msg`. */
import type { MessageKey } from '../../../shared/i18n.ts';

export const BULK_KEYS: MessageKey[] = [
  'roster.pick.label',
  'roster.paired.yes',
  'roster.paired.no',
  'roster.col.paired',
  'roster.bulk.selected',
  'roster.bulk.load',
  'roster.bulk.loadFailed',
  'roster.bulk.saving',
  'roster.bulk.err.none',
  'roster.bulk.err.liaison',
  'roster.bulk.summary',
  'roster.bulk.created',
  'roster.bulk.col.firm',
  'roster.bulk.col.uscc',
  'roster.bulk.col.result',
  'roster.bulk.refused.NOT_FOUND',
  'roster.bulk.refused.ALREADY_PAIRED',
  'roster.bulk.refused.OTHER_COUNTY',
  'roster.import.pair',
];
