import type { BookingStatus, Mode } from './consultation.ts';

/**
 * The JSON the consultation API answers with (functions/lib/consultation/booking-views.ts builds it): what the
 * public sees, and what staff see. Types only, for the pages that read these answers.
 */

export interface JurisdictionView {
  code: string;
  name: { zh: string; en: string };
}

export interface PublicSlot {
  slotId: string;
  startsAt: string;
  endsAt: string;
  capacity: number;
  remaining: number;
}

export interface PublicDay {
  dayId: string;
  date: string;
  jurisdiction: JurisdictionView;
  venue: string | null;
  onlineUrl: string | null;
  mode: Mode;
  topics: string[];
  bookingClosesAt: string;
  status: 'open' | 'cancelling' | 'cancelled';
  slots: PublicSlot[];
}

/** Staff see the counts too. */
export interface StaffSlot extends PublicSlot {
  confirmed: number;
  waitlisted: number;
  /** Seats held by bookings awaiting their SMS code (counted in `remaining`, not in `confirmed`). */
  held: number;
}

export interface StaffDay extends Omit<PublicDay, 'slots'> {
  version: number;
  createdBy: string;
  slots: StaffSlot[];
}

/** A booking's own fields, the same in both views. */
export interface BookingFields {
  code: string;
  status: BookingStatus;
  dayId: string;
  slotId: string;
  companyName: string;
  uscc: string;
  topic: string;
  createdAt: string;
}

/** What a booking code shows: personal data masked; `day` and `slot` when they are still known. */
export interface PublicBooking extends BookingFields {
  /** A pending booking's hold: until when the seat waits for the SMS code (ISO). */
  holdUntil?: string;
  contactName: string | null;
  mobile: string | null;
  email: string | null;
  day?: {
    date: string;
    venue: string | null;
    onlineUrl: string | null;
    mode: Mode;
    jurisdiction: JurisdictionView;
  };
  slot?: { startsAt: string; endsAt: string };
}

/** A booking in the staff list, with its personal data (null once it has expired). */
export interface StaffBooking extends BookingFields {
  outcome: string | null;
  version: number;
  personal: { contactName: string; mobile: string; email: string | null; question: string } | null;
}

export interface DayMessageProgress {
  readonly messageId: string;
  /** Bookers whose message is recorded (all of them once `complete`). */
  readonly recipients: number;
  /** False when the request's time ran out part-way: a retry, or the `bookings` job, finishes it. */
  readonly complete: boolean;
}
