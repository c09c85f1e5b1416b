import * as z from 'zod/mini';
import { DAY_NOTICE_MAX, MOBILE, MODES, QUESTION_MAX, QUESTION_MIN, SLOT_CAPACITY_MAX } from './consultation-rules.ts';
import { knownJurisdiction } from './jurisdiction-input.ts';
import { toShanghaiIso } from './time.ts';
import { isValidUscc, normalizeUscc } from './uscc.ts';

export * from './consultation-rules.ts';

const isoWithOffset = z.iso.datetime({ offset: true });
const text = (min: number, max: number) => z.string().check(z.trim(), z.minLength(min), z.maxLength(max));

export const bookingInput = z.object({
  slotId: text(1, 64),
  uscc: z.pipe(
    z.string().check(z.overwrite(normalizeUscc)),
    z.string().check(z.refine(isValidUscc, 'Not a valid Unified Social Credit Code (check digit)')),
  ),
  companyName: text(2, 100),
  contactName: text(1, 50),
  mobile: z.string().check(z.trim(), z.regex(MOBILE, 'A mainland mobile number: 1[3-9] and 9 more digits')),
  email: z.optional(z.email('Not a valid e-mail address')),
  topic: text(1, 100),
  question: text(QUESTION_MIN, QUESTION_MAX),
  consent: z.literal(true, 'Consent is required to book'),
  waitlist: z.optional(z.boolean()),
});
export type BookingInput = z.output<typeof bookingInput>;

/** A signed-in firm's booking: its USCC, name and mobile are its sign-in's and its roster's, not typed. */
export const firmBookingInput = z.strictObject({
  slotId: text(1, 64),
  topic: text(1, 100),
  question: text(QUESTION_MIN, QUESTION_MAX),
  email: z.optional(z.email('Not a valid e-mail address')),
  consent: z.literal(true, 'Consent is required to book'),
  waitlist: z.optional(z.boolean()),
});
export type FirmBookingInput = z.output<typeof firmBookingInput>;

/** The six-digit code of an SMS text message. */
export const smsCodeField = z.string().check(z.regex(/^\d{6}$/, 'The six-digit code from the text message'));
export const bookingVerifyInput = z.strictObject({ smsCode: smsCodeField });

/** Finding one's bookings again: the firm's USCC and the mobile the bookings gave. */
const mobileField = z.string().check(z.trim(), z.regex(MOBILE, 'A mainland mobile number: 1[3-9] and 9 more digits'));
export const recoveryStart = z.strictObject({
  uscc: z.pipe(
    z.string().check(z.overwrite(normalizeUscc)),
    z.string().check(z.refine(isValidUscc, 'Not a valid Unified Social Credit Code (check digit)')),
  ),
  mobile: mobileField,
});
export const recoveryVerify = z.strictObject({ ...recoveryStart.shape, smsCode: smsCodeField });

/** Moving a booking to another slot of the same or another day; no slot: the day's first with a free seat. */
export const rescheduleInput = z.strictObject({
  dayId: z.string().check(z.regex(/^[A-Za-z0-9-]{1,64}$/, 'Not a day id')),
  slot: z.optional(text(1, 64)),
});

export const slotInput = z.object({
  startsAt: isoWithOffset,
  endsAt: isoWithOffset,
  capacity: z.number().check(z.int(), z.minimum(1), z.maximum(SLOT_CAPACITY_MAX)),
});

export const dayInput = z.object({
  date: z.iso.date(),
  jurisdiction: knownJurisdiction,
  venue: z.optional(text(1, 200)),
  onlineUrl: z.optional(z.url({ protocol: /^https?$/ })),
  mode: z.enum(MODES),
  topics: z.array(text(1, 100)).check(z.minLength(1), z.maxLength(20)),
  bookingClosesAt: z.optional(isoWithOffset),
  slots: z.array(slotInput).check(z.minLength(1), z.maxLength(50)),
});
export type DayInput = z.output<typeof dayInput>;

/** A copy of a past day on another date (issue 20): the same place, topics and slots, no bookings. */
export const dayCopyInput = z.object({ date: z.iso.date() });

/**
 * A lead's message to the bookers of a day (issue 20): `requestId`, made by the page, names the
 * request so that a retry records nothing twice; `text` up to DAY_NOTICE_MAX characters.
 */
export const dayMessageInput = z.object({
  requestId: z.string().check(z.regex(/^[A-Za-z0-9-]{8,64}$/, 'A request id: 8 to 64 letters, digits or dashes')),
  text: text(1, DAY_NOTICE_MAX),
});
export type DayMessageInput = z.output<typeof dayMessageInput>;

/**
 * The input that creates a copy of a day on `date`: venue, link, mode and topics as they were, each
 * slot at the same Beijing time of day with the same capacity; the cut-off is the new date's default.
 */
export const copiedDayInput = (
  day: {
    readonly jurisdiction: string;
    readonly venue: string | null;
    readonly onlineUrl: string | null;
    readonly mode: (typeof MODES)[number];
    readonly topics: readonly string[];
  },
  slots: readonly { readonly startsAt: string; readonly endsAt: string; readonly capacity: number }[],
  date: string,
): DayInput => {
  // Slots are stored as Beijing times (`YYYY-MM-DDTHH:mm:ss+08:00`): the time of day stays, the date moves.
  const onDate = (at: string) => `${date}${toShanghaiIso(new Date(at)).slice(10)}`;
  return {
    date,
    jurisdiction: day.jurisdiction,
    ...(day.venue ? { venue: day.venue } : {}),
    ...(day.onlineUrl ? { onlineUrl: day.onlineUrl } : {}),
    mode: day.mode,
    topics: [...day.topics],
    slots: slots.map((s) => ({ startsAt: onDate(s.startsAt), endsAt: onDate(s.endsAt), capacity: s.capacity })),
  };
};

/** PATCH of a day: `version` is required (rule 9); everything else is optional. */
export const dayPatch = z.object({
  version: z.number().check(z.int(), z.minimum(1)),
  venue: z.optional(text(1, 200)),
  onlineUrl: z.optional(z.url({ protocol: /^https?$/ })),
  topics: z.optional(z.array(text(1, 100)).check(z.minLength(1), z.maxLength(20))),
  bookingClosesAt: z.optional(isoWithOffset),
  addSlots: z.optional(z.array(slotInput).check(z.maxLength(50))),
  capacities: z.optional(
    z.record(
      z.string().check(z.regex(/^s\d{1,3}$/)),
      z.number().check(z.int(), z.minimum(1), z.maximum(SLOT_CAPACITY_MAX)),
    ),
  ),
});
export type DayPatch = z.output<typeof dayPatch>;

export const dayCancel = z.object({
  reason: text(2, 500),
  version: z.number().check(z.int(), z.minimum(1)),
});
