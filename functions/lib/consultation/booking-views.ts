import { ENV } from '../../../shared/config.ts';
import type {
  JurisdictionView,
  PublicBooking,
  PublicDay,
  PublicSlot,
  StaffDay,
} from '../../../shared/consultation-views.ts';
import { nameOf } from '../../../shared/jurisdictions.ts';
import { calendar } from '../formats/ics.ts';
import { logger } from '../http/log.ts';
import { maskEmail, maskMobile, maskName } from '../http/mask.ts';
import { sendEmail } from '../messaging/notify.ts';
import { type BookerMessageKind, bookerContent, bookingPageUrl } from './booker-messages.ts';
import type { Booking, Personal } from './bookings.ts';
import type { Day, Slot } from './days.ts';

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

/** Staff see the counts too. */
export const staffDayView = (day: Day, slots: Slot[]): StaffDay => ({
  ...dayView(day, slots),
  version: day.version,
  createdBy: day.createdBy,
  slots: slots.map((s) => ({ ...slotView(s), confirmed: s.confirmed, waitlisted: s.waitlisted })),
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

/** The calendar reminds the booker an hour before the slot (the reminder job does the evening before). */
export const CALENDAR_ALARM_MINUTES = 60;
/** Only where MAIL_FROM is unset (unit tests); every deployment sets it (synth requires `mailFrom`). */
const DEFAULT_ORGANIZER = 'no-reply@eco-liaison.invalid';

export const bookingCalendar = (booking: Booking, day: Day, slot: Slot) =>
  calendar({
    uid: `${booking.code}@eco-liaison`,
    startsAt: slot.startsAt,
    endsAt: slot.endsAt,
    summary: `企业环保咨询日 Consultation day · ${nameOf(day.jurisdiction)}`,
    description: [
      `预约码 Booking code: ${booking.code}`,
      `企业 Company: ${booking.companyName}`,
      `主题 Topic: ${booking.topic}`,
      ...(day.onlineUrl ? [`线上链接 Online: ${day.onlineUrl}`] : []),
      `查看或取消 View or cancel: ${bookingPageUrl(booking.code)}`,
    ].join('\n'),
    location: [day.venue, day.onlineUrl].filter(Boolean).join(' / '),
    url: bookingPageUrl(booking.code),
    cancelled: booking.status === 'cancelled',
    // The booking's version rises with every change (promotion, cancellation), so each .ics a
    // booker receives outranks the ones before it in their calendar.
    sequence: booking.version,
    organizer: { name: 'Eco Liaison 企业环保咨询日', email: process.env[ENV.mailFrom] || DEFAULT_ORGANIZER },
    alarmMinutesBefore: CALENDAR_ALARM_MINUTES,
  });

/**
 * E-mails the booker when an address was given, with the .ics attached. A failing mail
 * channel never undoes the booking: it is logged for a retry.
 *
 * Still sent inside the request (booking, waitlist, promotion, the booker's own cancel): a day's
 * cancellation records its messages instead (day-cancellation.ts, booker-messages.ts).
 */
export const mailBooker = async (
  kind: BookerMessageKind,
  booking: Booking,
  personal: Personal | undefined,
  day: Day,
  slot: Slot,
  reason?: string,
): Promise<void> => {
  if (!personal?.email) return;
  try {
    await sendEmail({
      to: [personal.email],
      ...bookerContent(kind, booking, day, slot, reason),
      attachments: [
        { fileName: 'consultation.ics', contentType: 'text/calendar', content: bookingCalendar(booking, day, slot) },
      ],
    });
  } catch (error) {
    // Not the code: it is the booking's bearer secret (whoever holds it may cancel).
    logger.error('booking mail failed', { kind, dayId: booking.dayId, slotId: booking.slotId, error: error as Error });
  }
};
