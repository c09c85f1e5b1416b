/**
 * The message keys the check-up scripts read from `data-msg`: the firm's health on the firm page and
 * the roster (HEALTH_KEYS), and what the form and the report share (CHECKUP_KEYS).
 */
import { ANSWERS, BANDS, CATEGORIES } from '../../../shared/checkups-rules.ts';
import type { MessageKey } from '../../../shared/i18n.ts';
import { SEVERITIES } from '../../../shared/ledger-rules.ts';

const BAND_KEYS: MessageKey[] = [
  ...BANDS.map((band) => `checkup.bandName.${band}` as const),
  ...BANDS.map((band) => `checkup.band.${band}` as const),
  'checkup.bandScore',
];

/** The firm page (health badge, warnings, the start form, timeline links) and the roster's column. */
export const HEALTH_KEYS: MessageKey[] = [
  ...BAND_KEYS,
  'checkup.health.none',
  'checkup.health.latest',
  'checkup.health.previous',
  'checkup.health.report',
  'checkup.health.failed',
  'checkup.health.unchecked',
  'checkup.warn.heading',
  'checkup.warn.BAND_WORSE',
  'checkup.warn.RED_FINDING_OVERDUE',
  'checkup.warn.open',
  'checkup.start.working',
  'checkup.start.failed',
  'checkup.err.inspectors',
  'checkup.timeline.report',
  'checkup.timeline.continue',
  'checkup.col.health',
];

/** What the form and the report both show. */
export const CHECKUP_KEYS: MessageKey[] = [
  ...BAND_KEYS,
  'console.loading',
  'console.retry',
  'checkup.missing',
  'checkup.notFound',
  'checkup.failed',
  'checkup.firm',
  'checkup.uscc',
  'checkup.county',
  'checkup.at',
  'checkup.inspectors',
  'checkup.template',
  'checkup.templateVersion',
  'checkup.state',
  'checkup.state.draft',
  'checkup.state.submitted',
  'checkup.category.heading',
  ...CATEGORIES.map((category) => `checkup.category.${category}` as const),
  ...ANSWERS.map((answer) => `checkup.result.${answer}` as const),
  'checkup.result.none',
  'checkup.photo.open',
  'checkup.photo.loading',
  'checkup.photo.unavailable',
  ...SEVERITIES.map((severity) => `ledger.severity.${severity}` as const),
];
