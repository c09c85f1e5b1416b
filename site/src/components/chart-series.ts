/**
 * The series the statistics pages' charts draw, each a legend entry (ChartSection.astro) with a swatch
 * `.swatch-{swatch}` (colours in monthly.css) in the colour of its bars. Said once here, so a chart's
 * legend and its component cannot disagree with the other chart of the same figures.
 */
import type { MessageKey } from '../../../shared/i18n.ts';

export interface Series {
  swatch: string;
  words: MessageKey;
  /** The `data-legend` of a series the script shows only when the chart has it. */
  optional?: string;
}

/** Compliance (the units' bars and the trend): pairings contacted, missed, and open while a month runs. */
export const COMPLIANCE_SERIES: readonly Series[] = [
  { swatch: 'contacted', words: 'compliance.legend.contacted' },
  { swatch: 'missed', words: 'compliance.legend.missed' },
  { swatch: 'open', words: 'compliance.legend.open', optional: 'open' },
];

/** Each unit's bars on the ledger statistics: the completion rate, and the overdue items. */
export const UNIT_SERIES: readonly Series[] = [
  { swatch: 'contacted', words: 'ledgerStats.col.rate' },
  { swatch: 'missed', words: 'ledgerStats.col.overdue' },
];

/** Each month's pair of columns on the ledger statistics: items raised, items closed. */
export const MONTH_SERIES: readonly Series[] = [
  { swatch: 'raised', words: 'ledgerStats.raised' },
  { swatch: 'contacted', words: 'ledgerStats.closed' },
];
