import { randomUUID } from 'node:crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import { bookAndVerify } from '../support/bookings.ts';
import { createDay as createDayOf } from '../support/days.ts';
import { claimsFor, httpEvent, invoke } from '../support/events.ts';
import { waitForOutbox } from '../support/outbox.ts';
import { type Handler, useFunctions } from '../support/table.ts';
import { distinctUsccs } from '../support/uscc.ts';

// Rule 13 on the public booking route: one client cannot flood it (429 RATE_LIMITED with
// Retry-After), and no answer tells a stranger whether another firm booked.
let publicFn: Handler;
let staffFn: Handler;

beforeAll(async () => {
  ({ publicFn, staffFn } = await useFunctions());
});

const lead = claimsFor('lead.wuzhong', 'lead', '320506');
let nextMobile = 10_000_000;
/** A mobile number no other test of this file uses. */
const freshMobile = () => `137${nextMobile++}`;

const createDay = (capacities: number[]) => createDayOf(staffFn, capacities, { ahead: 15 });

/** A booking as its booker makes it: the hold, then the SMS code (bookAndVerify); a refusal of either as is. */
const book = (dayId: string, slotId: string, uscc: string, mobile: string, extra: Record<string, unknown> = {}) =>
  bookAndVerify(publicFn, dayId, {
    slotId,
    uscc,
    companyName: '苏州某某环保科技有限公司',
    contactName: '王小明',
    mobile,
    email: `x-${randomUUID()}@example.test`,
    topic: '排污许可',
    question: '我们的排污许可证明年到期，延续需要准备哪些材料？',
    consent: true,
    ...extra,
  });

/** What the answer shows a client, besides when to come back (`closeInTime`). */
const seen = (res: Awaited<ReturnType<typeof book>>) => ({
  status: res.status,
  body: res.json,
  retryAfter: res.headers['retry-after'] === undefined ? 'none' : 'some',
});

/** Two answers a moment apart count down the same window a second or so apart. */
const closeInTime = (a: Awaited<ReturnType<typeof book>>, b: Awaited<ReturnType<typeof book>>) =>
  Math.abs(Number(a.headers['retry-after']) - Number(b.headers['retry-after'])) <= 2;

describe('one client cannot flood the booking route (rule 13)', () => {
  it('lets one mobile number book 5 times an hour; the next get 429 RATE_LIMITED with Retry-After, book and mail nothing', async () => {
    // Prepare
    const day = await createDay([50]);
    const slotId = day.slots[0]?.slotId as string;
    const mobile = freshMobile();
    const sentBefore = (await waitForOutbox(() => true)).length;

    // Act: eight bookings for eight firms from one number, each mailing an address of its own.
    const answers = [];
    for (const uscc of distinctUsccs(8)) answers.push(await book(day.dayId, slotId, uscc, mobile));

    // Assess
    expect(answers.map((a) => a.status)).toEqual([200, 200, 200, 200, 200, 429, 429, 429]);
    const refused = answers[5] as (typeof answers)[number];
    expect(refused.json.error.code).toBe('RATE_LIMITED');
    const retryAfter = Number(refused.headers['retry-after']);
    expect(Number.isInteger(retryAfter) && retryAfter >= 1 && retryAfter <= 3600).toBe(true);
    // Each booking's code goes by text, then the booking is told by e-mail and text (after the
    // request); the refused ones get nothing, not even a code.
    const sent = (await waitForOutbox((entries) => entries.length - sentBefore >= 15)).slice(sentBefore);
    await new Promise((r) => setTimeout(r, 500));
    expect((await waitForOutbox(() => true)).length - sentBefore).toBe(15);
    // SNS is given the number in E.164 (mainland +86), as the stand-in records it.
    expect(sent.filter((e) => e.channel === 'sms').map((e) => e.channel === 'sms' && e.to)).toEqual(
      Array(10).fill(`+86${mobile}`),
    );
    const staff = await invoke(
      staffFn,
      httpEvent('GET', `/api/staff/consultation-days/${day.dayId}`, { claims: lead }),
    );
    expect(staff.json.day.slots[0].confirmed).toBe(5);
  });

  it('lets one USCC be tried 10 times a calendar day, from any numbers, then refuses it until the day ends', async () => {
    // Prepare: attempts that book nothing (an unknown day) still count.
    const [uscc] = distinctUsccs(1) as [string];
    const day = await createDay([5]);

    // Act
    const attempts = [];
    for (let i = 0; i < 10; i++) attempts.push(await book('no-such-day', 's1', uscc, freshMobile()));
    const eleventh = await book(day.dayId, day.slots[0]?.slotId as string, uscc, freshMobile());

    // Assess
    expect(attempts.map((a) => a.status)).toEqual(Array(10).fill(404));
    expect([eleventh.status, eleventh.json.error.code]).toEqual([429, 'RATE_LIMITED']);
    const secondsToMidnight = Number(eleventh.headers['retry-after']);
    expect(secondsToMidnight).toBeGreaterThan(0);
    expect(secondsToMidnight).toBeLessThanOrEqual(86_400);
  });
});

describe('no answer tells a stranger whether another firm booked (rule 13)', () => {
  it('answers a stranger for a booked firm exactly as a firm over its limit, and a full slot as full; only the booker, after its code, hears ALREADY_BOOKED', async () => {
    // Prepare: firm X booked slot A from mobile M; slot B is full (someone else's seat).
    const day = await createDay([5, 1]);
    const [slotA, slotB] = day.slots.map((s) => s.slotId) as [string, string];
    const [x, other, y, z] = distinctUsccs(4) as [string, string, string, string];
    const owner = freshMobile();
    expect((await book(day.dayId, slotA, x, owner)).status).toBe(200);
    expect((await book(day.dayId, slotB, other, freshMobile())).status).toBe(200);
    // Firm Y spends its ten attempts of the day, for comparison.
    for (let i = 0; i < 10; i++) await book('no-such-day', slotA, y, freshMobile());

    // Act
    const strangerX = await book(day.dayId, slotA, x, freshMobile());
    const strangerXWaitlist = await book(day.dayId, slotA, x, freshMobile(), { waitlist: true });
    const overLimitY = await book(day.dayId, slotA, y, freshMobile());
    const strangerXFull = await book(day.dayId, slotB, x, freshMobile());
    const unbookedZFull = await book(day.dayId, slotB, z, freshMobile());
    const ownerAgain = await book(day.dayId, slotA, x, owner);
    const ownerFull = await book(day.dayId, slotB, x, owner);

    // Assess: a booked firm, to a stranger, reads as a firm over its limit (status, body, Retry-After)...
    expect(seen(strangerX)).toEqual(seen(overLimitY));
    expect(seen(strangerXWaitlist)).toEqual(seen(overLimitY));
    expect(seen(strangerX).status).toBe(429);
    expect(closeInTime(strangerX, overLimitY) && closeInTime(strangerXWaitlist, overLimitY)).toBe(true);
    // ...and a full slot as the full slot everyone sees.
    expect(seen(strangerXFull)).toEqual(seen(unbookedZFull));
    expect(strangerXFull.json.error.code).toBe('SLOT_FULL');
    // The booker, once its code proved its own number, is told of its booking; a full slot is full
    // to everyone before any code (the hold proves nothing yet).
    expect([ownerAgain.status, ownerAgain.json.error.code]).toEqual([409, 'ALREADY_BOOKED']);
    expect(seen(ownerFull)).toEqual(seen(unbookedZFull));
  });
});
