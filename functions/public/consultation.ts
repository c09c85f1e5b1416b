import * as z from 'zod/mini';
import { BOOKING_CODE } from '../../shared/booking-code.ts';
import {
  bookingInput,
  bookingVerifyInput,
  recoveryStart,
  recoveryVerify,
  rescheduleInput,
} from '../../shared/consultation.ts';
import { shanghaiDate } from '../../shared/time.ts';
import { bookerContent, bookerMessagePut } from '../lib/consultation/booker-messages.ts';
import { bookingCalendar, dayView, publicBookingView } from '../lib/consultation/booking-views.ts';
import {
  bookingLimits,
  cancelBooking,
  getBooking,
  personalExpiresAt,
  releaseHold,
} from '../lib/consultation/bookings.ts';
import { getDay, isClosed, listDays } from '../lib/consultation/days.ts';
import { holdEnded, holdSeat, resendHoldCode, verifyHold } from '../lib/consultation/holds.ts';
import { startRecovery, verifyRecovery } from '../lib/consultation/recovery.ts';
import { rescheduleBooking } from '../lib/consultation/reschedule.ts';
import { NotFoundError } from '../lib/http/errors.ts';
import { defineRoute, reply } from '../lib/http/handler.ts';
import { hit } from '../lib/http/rate-limit.ts';
import { RESEND_SECONDS } from '../lib/messaging/sms-code.ts';
import { daysHtml, prefersHtml } from './days-html.ts';

const dayParams = z.object({ dayId: z.string().check(z.regex(/^[A-Za-z0-9-]{1,64}$/, 'Not a day id')) });
const codeParams = z.object({ code: z.string().check(z.regex(BOOKING_CODE, 'Not a booking code')) });
const listQuery = z.object({ lang: z.optional(z.enum(['zh', 'en'])) });

/** GET /api/public/consultation-days: upcoming days still open for booking; HTML for a plain link. */
export const listPublicDays = defineRoute({
  query: listQuery,
  handler: async ({ event, query }) => {
    const now = new Date();
    const today = shanghaiDate(now);
    const until = shanghaiDate(new Date(now.getTime() + 366 * 86_400_000));
    const days = (await listDays(today, until)).filter(({ day }) => !isClosed(day, now));
    if (prefersHtml(event.headers.accept)) {
      return reply(200, daysHtml(days, query.lang ?? 'zh'), { 'content-type': 'text/html; charset=utf-8' });
    }
    return { days: days.map(({ day, slots }) => dayView(day, slots)) };
  },
});

/**
 * POST /api/public/consultation-days/{dayId}/bookings → 202 {"booking":{"code","status":"pending",
 * "holdUntil",…}}: the seat is held for 10 minutes while a code goes by SMS to the mobile given
 * (holds.ts); `…/bookings/{code}/verify` makes it the booking. Nothing goes to the e-mail before.
 */
export const createBooking = defineRoute({
  params: dayParams,
  body: bookingInput,
  handler: async ({ params, body }) => {
    const now = new Date();
    // Both counted at once (two small writes side by side, not one after the other).
    await Promise.all([hit(bookingLimits.perMobile, body.mobile, now), hit(bookingLimits.perUscc, body.uscc, now)]);
    const { booking, personal, day, slot } = await holdSeat(params.dayId, body, now);
    return reply(202, {
      booking: publicBookingView(booking, personal, day, slot),
      resendAfterSeconds: RESEND_SECONDS,
    });
  },
});

/** POST /api/public/bookings/{code}/verify {"smsCode"} → the booking confirmed or waitlisted. */
export const verifyBooking = defineRoute({
  params: codeParams,
  body: bookingVerifyInput,
  handler: async ({ params, body }) => {
    const { booking, personal, day, slot } = await verifyHold(params.code, body.smsCode, new Date());
    return { booking: publicBookingView(booking, personal, day, slot) };
  },
});

/** POST /api/public/bookings/{code}/sms-code: a new code for a pending booking, 60 s after the last. */
export const resendBookingCode = defineRoute({
  params: codeParams,
  handler: async ({ params }) => {
    await resendHoldCode(params.code, new Date());
    return reply(202, { resendAfterSeconds: RESEND_SECONDS });
  },
});

/** POST /api/public/bookings/{code}/reschedule {"dayId","slot"?}: same code, new seat, one transaction. */
export const reschedulePublicBooking = defineRoute({
  params: codeParams,
  body: rescheduleInput,
  handler: async ({ params, body }) => {
    const { booking, personal, day, slot } = await rescheduleBooking(params.code, body, new Date());
    return { booking: publicBookingView(booking, personal, day, slot) };
  },
});

/**
 * POST /api/public/booking-recovery/start {"uscc","mobile"}: always 202 and the same body; a code
 * goes by SMS only when that firm has bookings made with that mobile (recovery.ts).
 */
export const startBookingRecovery = defineRoute({
  body: recoveryStart,
  handler: async ({ body }) => {
    await startRecovery(body, new Date());
    return reply(202, { status: 'sent-if-known', resendAfterSeconds: RESEND_SECONDS });
  },
});

/** POST /api/public/booking-recovery/verify {"uscc","mobile","smsCode"} → {"bookings":[…]} with codes. */
export const verifyBookingRecovery = defineRoute({
  body: recoveryVerify,
  handler: async ({ body }) => {
    const found = await verifyRecovery({ uscc: body.uscc, mobile: body.mobile }, body.smsCode, new Date());
    return { bookings: found.map((f) => publicBookingView(f.booking, f.personal, f.day, f.slot)) };
  },
});

const bookingWithDay = async (code: string) => {
  const found = await getBooking(code);
  if (!found) throw new NotFoundError('No such booking');
  const day = await getDay(found.booking.dayId);
  if (!day) throw new NotFoundError('No such booking');
  const slot = day.slots.find((s) => s.slotId === found.booking.slotId);
  if (!slot) throw new NotFoundError('No such booking');
  return { ...found, day: day.day, slot };
};

/** GET /api/public/bookings/{code}: the booking, personal data masked. */
export const getPublicBooking = defineRoute({
  params: codeParams,
  handler: async ({ params }) => {
    const { booking, personal, day, slot } = await bookingWithDay(params.code);
    // A hold whose time is up reads as over; the sweep or the next booking gives its seat back
    // (a GET changes nothing, rule 3).
    const seen = holdEnded(booking, new Date()) ? { ...booking, status: 'expired' as const } : booking;
    return { booking: publicBookingView(seen, personal, day, slot) };
  },
});

/** POST /api/public/bookings/{code}/cancel: idempotent; the seat goes to the first on the waitlist. */
export const cancelPublicBooking = defineRoute({
  params: codeParams,
  handler: async ({ params }) => {
    const before = await bookingWithDay(params.code);
    const now = new Date();
    if (before.booking.status === 'pending') {
      // A hold not wanted any more: its seat goes back at once (no message: nothing was booked).
      await releaseHold(before.booking, now, true);
      const after = await bookingWithDay(params.code);
      return { booking: publicBookingView(after.booking, after.personal, after.day, after.slot) };
    }
    // The booker's message is recorded in the cancel's transaction (once: a repeated cancel finds it
    // cancelled and records nothing); the booker promoted to the freed seat, with the promotion.
    const { booking } = await cancelBooking(params.code, now, {
      known: before.booking,
      message: (cancelled) =>
        bookerMessagePut(
          {
            code: cancelled.code,
            kind: 'cancelled',
            email: before.personal?.email ?? null,
            mobile: before.personal?.mobile ?? null,
            jurisdiction: before.day.jurisdiction,
            content: bookerContent('cancelled', cancelled, before.day, before.slot),
            expiresAt: personalExpiresAt(before.day.date),
          },
          now,
        ),
    });
    return { booking: publicBookingView(booking, before.personal, before.day, before.slot) };
  },
});

/** GET /api/public/bookings/{code}/calendar.ics */
export const getBookingCalendar = defineRoute({
  params: codeParams,
  handler: async ({ params }) => {
    const { booking, day, slot } = await bookingWithDay(params.code);
    return reply(200, bookingCalendar(booking, day, slot), {
      'content-type': 'text/calendar; charset=utf-8',
      'content-disposition': `attachment; filename="consultation-${day.date}.ics"`,
    });
  },
});
