/**
 * 一企一档 as the signed-in firm reads it (`firmMe.get`, `firmCheckups.report`, `firmRequests.create`;
 * functions/lib/firms/record.ts and functions/firm/requests.ts build them). Types only: the firm's
 * pages import them and must stay small. Only what the firm may see: no staff usernames, holders or
 * audit, so these answers name no person but its liaisons, by display name.
 */
import type { Answer, Band, Checkup, CheckupTemplate } from './checkups.ts';
import type { BookingStatus } from './consultation.ts';
import type { Enterprise } from './enterprise.ts';
import type { LedgerItem, LedgerState } from './ledger.ts';
import type { EvidenceRef } from './pairing-views.ts';
import type { Rating } from './ratings.ts';

export interface FirmLiaison {
  readonly displayName: string;
  /** The liaison's mobile from its staff account (tap to call); null when it has none or is disabled. */
  readonly mobile: string | null;
  readonly since: string;
}

export interface FirmMove {
  readonly at: string;
  readonly from: LedgerState | null;
  readonly to: LedgerState;
  /** What staff wrote with the move: the explanation the firm is owed, also for cancelled items. */
  readonly note: string;
}

/** One of the firm's ledger items, with its moves and the firm's own rating (null until it rates). */
export interface FirmLedgerItem {
  itemId: string;
  title: string;
  detail: string;
  state: LedgerState;
  source: LedgerItem['source'];
  dueOn: string;
  /** A firm's own request is promised a take-up by this day; null for other items. */
  takeUpBy: string | null;
  createdAt: string;
  closedAt: string | null;
  rating: Rating | null;
  history: FirmMove[];
}

export interface FirmBooking {
  code: string;
  dayId: string;
  slotId: string;
  startsAt: string;
  status: BookingStatus;
  topic: string;
  outcome: string | null;
  createdAt: string;
}

/** A submitted check-up in the firm's list (drafts stay the inspectors'). */
export type FirmCheckup = Pick<Checkup, 'checkupId' | 'at' | 'state' | 'score' | 'band'> & {
  submittedAt: string | null;
};

/** The newest entries of one of the firm's collections, and whether older ones exist. */
export interface Newest<T> {
  items: T[];
  more: boolean;
}

/** `GET /api/firm/me`: the firm, its liaisons, ledger items, bookings and check-ups. */
export interface FirmRecord {
  firm: Pick<Enterprise, 'uscc' | 'name' | 'address' | 'industry' | 'size' | 'tier' | 'status'> & {
    county: { code: string; name: { zh: string; en: string } };
  };
  liaisons: FirmLiaison[];
  ledger: Newest<FirmLedgerItem>;
  bookings: Newest<FirmBooking>;
  checkups: Newest<FirmCheckup>;
}

/** One check-up report of the firm, with the template it was answered against. */
export interface FirmCheckupReport {
  checkup: {
    checkupId: string;
    firmName: string;
    at: string;
    inspectors: string[];
    state: Checkup['state'];
    score: number | null;
    band: Band | null;
    submittedAt: string | null;
    answers: Record<string, { result: Answer; note: string | null }>;
    ledgerItemIds: string[];
    /** The representative's signature, its image a short-lived link; null when submitted without one. */
    signature: { signerName: string; signedAt: string; imageUrl: string | null } | null;
  };
  template: CheckupTemplate;
}

/** A difficulty the firm raised (`firmRequests.create`), as the firm reads it back: the two days it is promised. */
export interface FirmRequestView {
  itemId: string;
  title: string;
  detail: string;
  state: LedgerState;
  source: LedgerItem['source'];
  takeUpBy: string;
  dueOn: string;
  /** False when a year the limits cross is not in the holiday calendar yet (weekends only counted). */
  calendarKnown: boolean;
  createdAt: string;
  evidence: EvidenceRef[];
}
