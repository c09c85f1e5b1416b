import { ENV } from '../../../shared/config.ts';
import { nameOf } from '../../../shared/jurisdictions.ts';
import { type BookerMessageKind, bookerEmail, bookerSms } from '../../../shared/messages/outgoing.ts';
import { calendar } from '../formats/ics.ts';
import type { Content } from '../messaging/deliveries.ts';
import { firmDeliveries, messagePut } from '../messaging/outgoing.ts';

/**
 * Messages to bookers (rule 11): confirmed, waitlisted, promoted, cancelled by the booker, the day
 * cancelled. Each is recorded in the transaction of the fact that causes it (outgoing.ts), once per
 * booking and kind, to the booker's e-mail when it gave one and by text message to its mobile, and
 * handed to those channels by the deliveries function within seconds, never inside the request.
 */
export type { BookerMessageKind };

const siteUrl = () => process.env[ENV.siteUrl] ?? '';
export const bookingPageUrl = (code: string) => `${siteUrl()}/consultation-days/booking/?code=${code}`;

interface BookingFacts {
  readonly code: string;
  /** Rises with every change (promotion, cancellation): the .ics's SEQUENCE, so each outranks the last. */
  readonly version: number;
  readonly companyName: string;
  readonly topic: string;
  readonly status: string;
}
interface DayFacts {
  readonly date: string;
  readonly jurisdiction: string;
  readonly venue: string | null;
  readonly onlineUrl: string | null;
}
interface SlotFacts {
  readonly startsAt: string;
  readonly endsAt: string;
}

/** The calendar reminds the booker an hour before the slot (the reminder job does the evening before). */
export const CALENDAR_ALARM_MINUTES = 60;
/** Only where MAIL_FROM is unset (unit tests); every deployment sets it (synth requires `mailFrom`). */
const DEFAULT_ORGANIZER = 'no-reply@eco-liaison.invalid';

export const bookingCalendar = (booking: BookingFacts, day: DayFacts, slot: SlotFacts) =>
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
    sequence: booking.version,
    organizer: { name: 'Eco Liaison 企业环保咨询日', email: process.env[ENV.mailFrom] || DEFAULT_ORGANIZER },
    alarmMinutesBefore: CALENDAR_ALARM_MINUTES,
  });

/** What every message to a booker says of its booking: the firm, the code, when and where, the link. */
export const bookerFacts = (booking: BookingFacts, day: DayFacts, slot: SlotFacts) => ({
  companyName: booking.companyName,
  code: booking.code,
  date: day.date,
  // Stored as Beijing time with its offset (e.g. 2026-12-16T09:00:00+08:00).
  startsAt: slot.startsAt.slice(11, 16),
  endsAt: slot.endsAt.slice(11, 16),
  place: [day.venue, day.onlineUrl].filter(Boolean).join(' / '),
  link: bookingPageUrl(booking.code),
});

/** The e-mail (with the .ics, except for a cancelled day) and text message of a message to a booker. */
export const bookerContent = (
  kind: BookerMessageKind,
  booking: BookingFacts,
  day: DayFacts,
  slot: SlotFacts,
  reason?: string,
): Content => {
  const facts = { ...bookerFacts(booking, day, slot), reason };
  return {
    ...bookerEmail(kind, facts),
    ...(kind === 'dayCancelled'
      ? {}
      : {
          attachments: [
            {
              fileName: 'consultation.ics',
              contentType: 'text/calendar',
              content: bookingCalendar(booking, day, slot),
            },
          ],
        }),
    sms: bookerSms(kind, facts),
  };
};

export interface BookerMessageInput {
  readonly code: string;
  readonly kind: BookerMessageKind;
  /** '' for a kind that happens once to a booking; the day's version for a change. */
  readonly occasion?: string;
  readonly email: string | null;
  readonly mobile: string | null;
  readonly jurisdiction: string;
  readonly content: Content;
  /** When its personal data (the addresses) expires: the booking's own TTL. */
  readonly expiresAt: number;
}

/** The Put that records a booker's message, only once per booking and kind; for the fact's transaction. */
export const bookerMessagePut = (message: BookerMessageInput, now: Date) =>
  messagePut(
    {
      about: `booking:${message.code}`,
      kind: message.kind,
      occasion: message.occasion ?? '',
      jurisdiction: message.jurisdiction,
      content: message.content,
      deliveries: firmDeliveries(message),
      expiresAt: message.expiresAt,
    },
    now,
  );
