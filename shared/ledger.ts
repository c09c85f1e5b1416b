import * as z from 'zod/mini';
import { LEDGER_SOURCES, LEDGER_STATES, type LedgerState, SEVERITIES } from './ledger-rules.ts';
import type { EvidenceRef } from './pairing-views.ts';
import type { StoredRating } from './ratings.ts';
import { serviceItemTags } from './service-items.ts';
import type { Named } from './staff-user.ts';
import { isValidUscc, normalizeUscc } from './uscc.ts';

export * from './ledger-rules.ts';

const text = (min: number, max: number) => z.string().check(z.trim(), z.minLength(min), z.maxLength(max));

export const ledgerItemInput = z.object({
  uscc: z.pipe(
    z.string().check(z.overwrite(normalizeUscc)),
    z.string().check(z.refine(isValidUscc, 'Not a valid Unified Social Credit Code (check digit)')),
  ),
  title: text(2, 100),
  detail: text(2, 2000),
  source: z.enum(LEDGER_SOURCES),
  severity: z.enum(SEVERITIES),
  dueOn: z.iso.date(),
  ownerDepartment: text(1, 60),
  /** The record it came from (a booking code, a contact id, a check-up item), when any. */
  sourceRef: z.optional(text(1, 100)),
  /** The annual service items this work counts under (shared/service-items.ts). */
  serviceItems: serviceItemTags,
});
export type LedgerItemInput = z.output<typeof ledgerItemInput>;

export const transitionInput = z.object({
  to: z.enum(LEDGER_STATES),
  note: text(2, 1000),
  version: z.number().check(z.int(), z.minimum(1)),
  evidenceIds: z.optional(z.array(z.string().check(z.regex(/^[A-Za-z0-9-]{1,64}$/))).check(z.maxLength(10))),
  /** Closing without the firm's confirmation: a lead's override, with its reason. */
  override: z.optional(z.object({ reason: text(5, 500) })),
  /** Handing over: the department (and, across units, the jurisdiction) that takes it. */
  toDepartment: z.optional(text(1, 60)),
  toJurisdiction: z.optional(z.string().check(z.regex(/^\d{6}$/, 'Six-digit administrative code'))),
});
export type TransitionInput = z.output<typeof transitionInput>;

/**
 * The firm's answer on the public confirmation page. "Not solved" reopens the item, so it needs the
 * firm's reason: what is still wrong is what the staff work on next (issue 16).
 */
export const confirmationInput = z
  .object({
    solved: z.boolean(),
    comment: z.optional(text(1, 500)),
  })
  .check(
    z.refine((v) => v.solved || v.comment !== undefined, {
      message: 'Say what is still not solved',
      path: ['comment'],
    }),
  );

/** Ledger items in the single table (see shared/table.md). */
export interface HistoryEntry {
  at: string;
  by: string;
  from: LedgerState | null;
  to: LedgerState;
  note: string;
  /** Files attached to this move (photos of the fix, a written reply). */
  evidence?: EvidenceRef[];
}

export interface LedgerItem extends LedgerItemInput {
  itemId: string;
  county: string;
  firmName: string;
  state: LedgerState;
  /** The unit whose queue holds it now, and every unit that follows it (hand-overs keep both). */
  holder: string;
  followers: string[];
  /**
   * The newest move (its history entry), so that the firm's page and the recount read the item
   * alone. Every move is also its own record (`keys.ledgerMove`): the history is a Query of those.
   */
  lastMove: HistoryEntry;
  /**
   * Items written before moves became records of their own kept their history on the item; it is
   * read as the start of the history and never grows.
   */
  history?: HistoryEntry[];
  /** The Beijing day the firm was last sent a confirmation link: at most one message per item per day. */
  notifiedOn?: string | null;
  createdAt: string;
  createdBy: string;
  closedAt: string | null;
  /** A closed item of the last 12 months this one repeats (same check-up item, or a similar title). */
  recurringOf: string | null;
  version: number;
  /** 好差评: the firm's rating, once it is closed (set once by ratings.ts, never by a move). */
  rating?: StoredRating | null;
}

/** What the firm was told when an item was resolved (a link sent, or why not). */
export type ConfirmationNotice = 'sent' | 'alreadyMessagedToday' | 'noContact';

/** A move as the console reads it: who made it, by name too. */
export type LedgerMove = Named<HistoryEntry, 'by'>;

/** An item as the console's lists read it: its creator and newest mover by name, and whether it is overdue. */
export type LedgerItemView = Omit<LedgerItem, 'lastMove' | 'history'> & {
  createdByName: string;
  lastMove: LedgerMove;
  history?: LedgerMove[];
  overdue: boolean;
};

/** One item with its history (newest moves; `historyBefore` pages back to older ones). */
export type LedgerItemFull = LedgerItemView & { history: LedgerMove[]; historyBefore: number | null };
