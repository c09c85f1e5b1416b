import * as z from 'zod/mini';
import { BOOKING_CODE } from '../../shared/booking-code.ts';
import {
  copiedDayInput,
  dayCancel,
  dayCopyInput,
  dayInput,
  dayMessageInput,
  dayPatch,
  dayProblems,
} from '../../shared/consultation.ts';
import { keys } from '../../shared/keys.ts';
import { zh as consultationWords } from '../../shared/messages/consultation.ts';
import { shanghaiDate } from '../../shared/time.ts';
import { staffNames } from '../lib/accounts/names.ts';
import { staffDayView } from '../lib/consultation/booking-views.ts';
import { getBooking, listBookings, setAttendance } from '../lib/consultation/bookings.ts';
import { cancelDay } from '../lib/consultation/day-cancellation.ts';
import { updateDay } from '../lib/consultation/day-edit.ts';
import { sendDayMessage } from '../lib/consultation/day-messages.ts';
import { createDay, type Day, getDay, listDays, type Slot } from '../lib/consultation/days.ts';
import { beijingTime } from '../lib/formats/export-bounds.ts';
import { sheetFile } from '../lib/formats/sheet-file.ts';
import { decodeCursor, encodeCursor } from '../lib/http/cursor.ts';
import { found, ValidationError } from '../lib/http/errors.ts';
import { defineRoute, reply } from '../lib/http/handler.ts';
import { inScope, requireInScope, requireMayCreateIn } from '../lib/http/scope.ts';

const dayParams = z.object({ dayId: z.string().check(z.regex(/^[A-Za-z0-9-]{1,64}$/, 'Not a day id')) });
const codeParams = z.object({ code: z.string().check(z.regex(BOOKING_CODE, 'Not a booking code')) });

/** A day the caller may see, else 404. */
const dayInScope = async (identity: Parameters<typeof requireInScope>[0], dayId: string) => {
  const day = found(await getDay(dayId));
  requireInScope(identity, day.day.jurisdiction);
  return day;
};

/** POST /api/staff/consultation-days */
export const createConsultationDay = defineRoute({
  body: dayInput,
  handler: async ({ body, identity }) => {
    const me = found(identity);
    const problems = dayProblems(body);
    if (Object.keys(problems).length > 0) throw new ValidationError(problems);
    requireMayCreateIn(me, body.jurisdiction);
    const { day, slots } = await createDay(body, me, new Date());
    return reply(201, { day: await namedDay(day, slots) });
  },
});

/**
 * POST /api/staff/consultation-days/{dayId}/copy `{"date"}`: a new open day with the same venue,
 * topics and slots (times of day and capacities) on another date, today or later; no bookings.
 */
export const copyConsultationDay = defineRoute({
  params: dayParams,
  body: dayCopyInput,
  handler: async ({ params, body, identity }) => {
    const me = found(identity);
    const { day, slots } = await dayInScope(me, params.dayId);
    const now = new Date();
    if (body.date < shanghaiDate(now)) throw new ValidationError({ date: 'A copy must be today or later' });
    const input = copiedDayInput(day, slots, body.date);
    const problems = dayProblems(input);
    if (Object.keys(problems).length > 0) throw new ValidationError(problems);
    requireMayCreateIn(me, input.jurisdiction);
    const created = await createDay(input, me, now);
    return reply(201, { day: await namedDay(created.day, created.slots), copiedFrom: day.dayId });
  },
});

/** One day as staff read it, its creator named. */
const namedDay = async (day: Day, slots: Slot[]) => staffDayView(day, slots, await staffNames([day.createdBy]));

const rangeQuery = z.object({ from: z.optional(z.iso.date()), to: z.optional(z.iso.date()) });

/** GET /api/staff/consultation-days?from=&to= (default: today to 90 days ahead), in scope only. */
export const listConsultationDays = defineRoute({
  query: rangeQuery,
  handler: async ({ query, identity }) => {
    const me = found(identity);
    const from = query.from ?? shanghaiDate(new Date());
    const to = query.to ?? shanghaiDate(new Date(Date.now() + 90 * 86_400_000));
    if (to < from) throw new ValidationError({ to: 'Must not be before from' });
    const days = (await listDays(from, to)).filter(({ day }) => inScope(me, day.jurisdiction));
    const personOf = await staffNames(days.map(({ day }) => day.createdBy));
    return { days: days.map(({ day, slots }) => staffDayView(day, slots, personOf)) };
  },
});

/** GET /api/staff/consultation-days/{dayId} */
export const getConsultationDay = defineRoute({
  params: dayParams,
  handler: async ({ params, identity }) => {
    const { day, slots } = await dayInScope(found(identity), params.dayId);
    return { day: await namedDay(day, slots) };
  },
});

const pageQuery = z.object({
  limit: z.optional(z.coerce.number().check(z.int(), z.minimum(1), z.maximum(200))),
  cursor: z.optional(z.string().check(z.maxLength(2000))),
});

/** GET /api/staff/consultation-days/{dayId}/bookings: paged, full contact data for staff. */
export const listDayBookings = defineRoute({
  params: dayParams,
  query: pageQuery,
  handler: async ({ params, query, identity }) => {
    const me = found(identity);
    await dayInScope(me, params.dayId);
    const cursorScope = {
      route: 'days.bookings',
      caller: me,
      query: { dayId: params.dayId },
      partition: keys.bookingsOfDay(params.dayId),
    };
    const page = await listBookings(params.dayId, query.limit ?? 50, await decodeCursor(query.cursor, cursorScope));
    return { bookings: page.items, nextCursor: await encodeCursor(page.next, cursorScope) };
  },
});

/** Every booking of a day as table rows, for the CSV and XLSX exports. */
const BOOKING_COLUMNS = [
  '预约码 code',
  '时段 slot',
  '状态 status',
  '统一社会信用代码 USCC',
  '企业名称 company',
  '联系人 contact',
  '手机 mobile',
  '邮箱 email',
  '主题 topic',
  '问题 question',
  '结果 outcome',
  '预约时间 booked at',
];

const bookingRows = async (dayId: string, slots: { slotId: string; startsAt: string; endsAt: string }[]) => {
  const rows: unknown[][] = [];
  let cursor: Record<string, unknown> | undefined;
  do {
    const page = await listBookings(dayId, 200, cursor);
    for (const b of page.items) {
      const slot = slots.find((s) => s.slotId === b.slotId);
      rows.push([
        b.code,
        slot ? `${slot.startsAt.slice(11, 16)}-${slot.endsAt.slice(11, 16)}` : b.slotId,
        // The bureau's words and Beijing time, as every export (issue 18): not `confirmed` and UTC.
        (consultationWords as Record<string, string>)[`booking.status.${b.status}`] ?? b.status,
        b.uscc,
        b.companyName,
        b.personal?.contactName,
        b.personal?.mobile,
        b.personal?.email,
        b.topic,
        b.personal?.question,
        b.outcome,
        beijingTime(b.createdAt),
      ]);
    }
    cursor = page.next;
  } while (cursor);
  return rows;
};

const exportRoute = (format: 'csv' | 'xlsx') =>
  defineRoute({
    params: dayParams,
    handler: async ({ params, identity }) => {
      const { day, slots } = await dayInScope(found(identity), params.dayId);
      const rows = await bookingRows(params.dayId, slots);
      return sheetFile(format, `bookings-${day.date}`, `咨询日 ${day.date}`, BOOKING_COLUMNS, rows);
    },
  });

/** GET /api/staff/consultation-days/{dayId}/bookings.csv and .xlsx */
export const exportDayBookingsCsv = exportRoute('csv');
export const exportDayBookingsXlsx = exportRoute('xlsx');

const attendanceBody = z.object({
  status: z.enum(['attended', 'no_show']),
  outcome: z.optional(z.string().check(z.trim(), z.maxLength(2000))),
  reason: z.optional(z.string().check(z.trim(), z.minLength(1), z.maxLength(500))),
  version: z.optional(z.number().check(z.int(), z.minimum(1))),
});

/**
 * POST /api/staff/bookings/{code}/attendance `{"status","outcome"?,"reason"?,"version"?}`: from the
 * day itself (409 TOO_EARLY before it); changing a recorded attendance needs `reason`.
 */
export const recordAttendance = defineRoute({
  params: codeParams,
  body: attendanceBody,
  handler: async ({ params, body, identity }) => {
    const me = found(identity);
    const { booking: before } = found(await getBooking(params.code));
    const { day } = await dayInScope(me, before.dayId);
    const booking = await setAttendance(params.code, body, me, day, new Date());
    return { booking };
  },
});

/** PATCH /api/staff/consultation-days/{dayId}: venue, topics, cut-off, add slots, capacities; needs `version`. */
export const updateConsultationDay = defineRoute({
  params: dayParams,
  body: dayPatch,
  handler: async ({ params, body, identity }) => {
    const me = found(identity);
    await dayInScope(me, params.dayId);
    const { day, slots } = await updateDay(params.dayId, body, me, new Date());
    return { day: await namedDay(day, slots) };
  },
});

/** How long a cancel request works through a day's bookings before answering 202 (the staff function may run 29 s). */
const CANCEL_BUDGET_MS = 20_000;

/**
 * POST /api/staff/consultation-days/{dayId}/cancel: begins (or goes on with) the day's cancellation
 * (day-cancellation.ts). 200 once every booking is cancelled, 202 while some remain: sending the
 * request again goes on, as does the `bookings` job. Each booker's message is recorded with the
 * booking's cancellation and sent by the job, never here.
 */
export const cancelConsultationDay = defineRoute({
  params: dayParams,
  body: dayCancel,
  handler: async ({ params, body, identity }) => {
    const me = found(identity);
    await dayInScope(me, params.dayId);
    const now = new Date();
    const progress = await cancelDay(params.dayId, body.reason, body.version, me, now, Date.now() + CANCEL_BUDGET_MS);
    return reply(progress.done ? 200 : 202, {
      day: await namedDay(progress.day, progress.slots),
      cancelledBookings: progress.cancelledNow,
    });
  },
});

/** How long a message request records its bookers' messages before answering (the staff function may run 29 s). */
const MESSAGE_BUDGET_MS = 20_000;

/**
 * POST /api/staff/consultation-days/{dayId}/messages `{"requestId","text"}`: a message to every
 * booker of a seat (day-messages.ts), recorded per booker and delivered by the deliveries rounds,
 * never here. 202 `{messageId, recipients, complete}`; the same request again answers the same and
 * records nothing twice; `complete: false` when time ran out part-way (a retry or the job finishes).
 */
export const messageDayBookers = defineRoute({
  params: dayParams,
  body: dayMessageInput,
  handler: async ({ params, body, identity }) => {
    const me = found(identity);
    const { day } = await dayInScope(me, params.dayId);
    const progress = await sendDayMessage(day, body, me, new Date(), Date.now() + MESSAGE_BUDGET_MS);
    return reply(202, progress);
  },
});
