import * as z from 'zod/mini';
import { BOOKING_CODE } from '../../shared/booking-code.ts';
import { bookingInput } from '../../shared/consultation.ts';
import { shanghaiDate } from '../../shared/time.ts';
import { bookerContent, bookerMessagePut } from '../lib/consultation/booker-messages.ts';
import { bookingCalendar, dayView, publicBookingView } from '../lib/consultation/booking-views.ts';
import { book, bookingLimits, cancelBooking, getBooking, personalExpiresAt } from '../lib/consultation/bookings.ts';
import { getDay, isClosed, listDays } from '../lib/consultation/days.ts';
import { NotFoundError } from '../lib/http/errors.ts';
import { defineRoute, reply } from '../lib/http/handler.ts';
import { hit } from '../lib/http/rate-limit.ts';
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

/** POST /api/public/consultation-days/{dayId}/bookings */
export const createBooking = defineRoute({
  params: dayParams,
  body: bookingInput,
  handler: async ({ params, body }) => {
    const now = new Date();
    // Both counted at once (two small writes side by side, not one after the other).
    await Promise.all([hit(bookingLimits.perMobile, body.mobile, now), hit(bookingLimits.perUscc, body.uscc, now)]);
    const { booking, day, slot } = await book(params.dayId, body, now);
    const personal = {
      contactName: body.contactName,
      mobile: body.mobile,
      email: body.email ?? null,
      question: body.question,
    };
    // The booker's message was recorded with the booking; the deliveries function sends it.
    return reply(201, { booking: publicBookingView(booking, personal, day, slot) });
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
    return { booking: publicBookingView(booking, personal, day, slot) };
  },
});

/** POST /api/public/bookings/{code}/cancel: idempotent; the seat goes to the first on the waitlist. */
export const cancelPublicBooking = defineRoute({
  params: codeParams,
  handler: async ({ params }) => {
    const before = await bookingWithDay(params.code);
    const now = new Date();
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
