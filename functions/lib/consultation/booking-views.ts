import type {
  JurisdictionView,
  PublicBooking,
  PublicDay,
  PublicSlot,
  StaffDay,
} from '../../../shared/consultation-views.ts';
import { nameOf } from '../../../shared/jurisdictions.ts';
import { maskEmail, maskMobile, maskName } from '../http/mask.ts';
import type { Booking, Personal } from './bookings.ts';
import type { Day, Slot } from './days.ts';

export { bookingCalendar } from './booker-messages.ts';

/** JSON views of days and bookings: what the public sees, and what staff see. */
export const jurisdictionView = (code: string): JurisdictionView => ({
  code,
  name: { zh: nameOf(code, 'zh'), en: nameOf(code, 'en') },
});

export const slotView = (slot: Slot): PublicSlot => ({
  slotId: slot.slotId,
  startsAt: slot.startsAt,
  endsAt: slot.endsAt,
  capacity: slot.capacity,
  remaining: Math.max(0, slot.capacity - slot.confirmed),
});

export const dayView = (day: Day, slots: Slot[]): PublicDay => ({
  dayId: day.dayId,
  date: day.date,
  jurisdiction: jurisdictionView(day.jurisdiction),
  venue: day.venue,
  onlineUrl: day.onlineUrl,
  mode: day.mode,
  topics: day.topics,
  bookingClosesAt: day.bookingClosesAt,
  status: day.status,
  slots: slots.map(slotView),
});

/** Staff see the counts too, and who made the day by name (`personOf`: functions/lib/accounts/names.ts). */
export const staffDayView = (day: Day, slots: Slot[], personOf: (username: string) => string): StaffDay => ({
  ...dayView(day, slots),
  version: day.version,
  createdBy: day.createdBy,
  createdByName: personOf(day.createdBy),
  // Holds count against capacity (remaining) but are not yet confirmed bookings.
  slots: slots.map((s) => ({
    ...slotView(s),
    confirmed: s.confirmed - (s.held ?? 0),
    held: s.held ?? 0,
    waitlisted: s.waitlisted,
  })),
});

/** What a booking code shows: personal data masked (rule 3: a code reveals no more than needed). */
export const publicBookingView = (
  booking: Booking,
  personal: Personal | undefined,
  day?: Day,
  slot?: Slot,
): PublicBooking => ({
  code: booking.code,
  status: booking.status,
  dayId: booking.dayId,
  slotId: booking.slotId,
  companyName: booking.companyName,
  uscc: booking.uscc,
  topic: booking.topic,
  createdAt: booking.createdAt,
  ...(booking.status === 'pending' && booking.holdUntil ? { holdUntil: booking.holdUntil } : {}),
  contactName: personal ? maskName(personal.contactName) : null,
  mobile: personal ? maskMobile(personal.mobile) : null,
  email: personal?.email ? maskEmail(personal.email) : null,
  ...(day
    ? {
        day: {
          date: day.date,
          venue: day.venue,
          onlineUrl: day.onlineUrl,
          mode: day.mode,
          jurisdiction: jurisdictionView(day.jurisdiction),
        },
      }
    : {}),
  ...(slot ? { slot: { startsAt: slot.startsAt, endsAt: slot.endsAt } } : {}),
});
