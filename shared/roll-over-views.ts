/**
 * The year roll-over's constants and answer shapes, apart from its zod schema (shared/roll-over.ts)
 * so the console's page script does not carry zod (about 8 KB gzip).
 */

/** Why a pairing is not carried into the next year: 已毕业, 企业关停, 其他 (then said in words). */
export const END_REASONS = ['graduated', 'closed', 'other'] as const;
export type EndReason = (typeof END_REASONS)[number];

/** Decisions one request may carry (each is one small transaction; the page sends more in turns). */
export const ROLL_OVER_MAX = 100;

/** What a pairing of year Y records once its roll-over decision is made (and why it ends). */
export interface RollOverMark {
  to: number;
  action: 'keep' | 'end';
  reason: EndReason | null;
  note: string | null;
  /** The pairing of the next year that continues it (keep). */
  next: string | null;
  requestId: string;
  by: string;
  at: string;
}

/**
 * Why one decision was not carried out: no such pairing inside the caller's scope (rule 8: one
 * outside reads the same), a pairing of another year, one already ended (not by a roll-over), one
 * already decided otherwise, one changed since the page read it, a firm that already has a pairing
 * in the next year (made through the forms), a liaison no longer serving the firm's county.
 */
export const ROLL_OVER_REFUSALS = [
  'NOT_FOUND',
  'OTHER_YEAR',
  'ENDED',
  'DECIDED',
  'VERSION_CONFLICT',
  'ALREADY_PAIRED',
  'LIAISON_GONE',
] as const;
export type RollOverRefusal = (typeof ROLL_OVER_REFUSALS)[number];

/** One decision's outcome, in the order asked. `endsOn`: the first day the old pairing no longer counts. */
export type RollOverResult =
  | { pairingId: string; outcome: 'kept'; next: string; endsOn: string; contactLeaderDropped?: true }
  | { pairingId: string; outcome: 'ended'; endsOn: string }
  | { pairingId: string; outcome: 'refused'; code: RollOverRefusal };

/**
 * The day a roll-over from `from` takes effect: 1 January of the next year, or today when that has
 * passed. The old pairing ends on it and the kept one starts on it, so every month is judged on
 * exactly one of the two (rule 5: a pairing ended within a month is not judged for it, one started
 * on its first day is).
 */
export const rollOverDay = (from: number, today: string): string => {
  const first = `${from + 1}-01-01`;
  return today > first ? today : first;
};
