import { type DynamoDBDocumentClient, GetCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { beforeAll, describe, expect, it } from 'vitest';
import { keys } from '../../shared/keys.ts';
import { jobPayload } from '../../shared/schedules.ts';
import { bookAndVerify, holdCodeSentTo, holdCodesSentTo } from '../support/bookings.ts';
import { createDay } from '../support/days.ts';
import { httpEvent, invoke } from '../support/events.ts';
import { messagesAbout, sentEmails, sentTexts, waitForOutbox } from '../support/outbox.ts';
import { type Handler, useFunctions } from '../support/table.ts';
import { randomUscc } from '../support/uscc.ts';

// Bookings that belong to the firm (issue 16): an anonymous booking holds its seat until the SMS
// code sent to its mobile is typed; lost codes are found again by USCC, mobile and a code; a
// booking moves to another slot in one transaction.
let publicFn: Handler;
let staffFn: Handler;
let jobsFn: Handler;
let doc: DynamoDBDocumentClient;
let tableName: string;

beforeAll(async () => {
  ({ publicFn, staffFn, jobsFn, doc, tableName } = await useFunctions());
});

let nextMobile = 20_000_000;
const freshMobile = () => `137${nextMobile++}`;

const bookingBody = (slotId: string, extra: Record<string, unknown> = {}) => ({
  slotId,
  uscc: randomUscc(),
  companyName: '苏州某某环保科技有限公司',
  contactName: '王小明',
  mobile: freshMobile(),
  email: `booker-${nextMobile}@example.com`,
  topic: '排污许可',
  question: '我们的排污许可证明年到期，延续需要准备哪些材料？',
  consent: true,
  ...extra,
});

const hold = (dayId: string, body: unknown) =>
  invoke(
    publicFn,
    httpEvent('POST', `/api/public/consultation-days/${dayId}/bookings`, { body: JSON.stringify(body) }),
  );
const verify = (code: string, smsCode: string) =>
  invoke(publicFn, httpEvent('POST', `/api/public/bookings/${code}/verify`, { body: JSON.stringify({ smsCode }) }));
const post = (path: string, body?: unknown) =>
  invoke(publicFn, httpEvent('POST', path, body === undefined ? {} : { body: JSON.stringify(body) }));
const slotItem = async (dayId: string, slotId: string) =>
  (await doc.send(new GetCommand({ TableName: tableName, Key: keys.slot(dayId, slotId), ConsistentRead: true }))).Item;
/** Moves a hold's end into the past, as ten minutes would. */
const endHold = (code: string) =>
  doc.send(
    new UpdateCommand({
      TableName: tableName,
      Key: keys.booking(code),
      UpdateExpression: 'SET holdUntil = :past',
      ExpressionAttributeValues: { ':past': new Date(Date.now() - 1000).toISOString() },
    }),
  );

/** Moves a hold's code record back in time by the seconds given (as the clock would). */
const backdateCode = async (code: string, by: { sentAt?: number; validUntil?: number }) => {
  const nowSeconds = Math.floor(Date.now() / 1000);
  const sets = Object.entries(by).map(([field]) => `${field} = :${field}`);
  await doc.send(
    new UpdateCommand({
      TableName: tableName,
      Key: keys.bookingSmsCode(code),
      UpdateExpression: `SET ${sets.join(', ')}`,
      ExpressionAttributeValues: Object.fromEntries(
        Object.entries(by).map(([field, seconds]) => [`:${field}`, nowSeconds + seconds]),
      ),
    }),
  );
};

describe('a hold until the SMS code', () => {
  it('sends nothing to the e-mail before the mobile is verified, and the confirmation after', async () => {
    // Prepare
    const day = await createDay(staffFn, [5]);
    const body = bookingBody(day.slots[0]?.slotId as string);
    // Act
    const held = await hold(day.dayId, body);
    const smsCode = await holdCodeSentTo(body.mobile, 0);
    // Assess: only the code, by SMS, to the mobile given
    expect(held.status).toBe(202);
    expect(held.json.booking).toMatchObject({ status: 'pending' });
    const code = held.json.booking.code as string;
    const recorded = await messagesAbout(`booking:${code}`);
    expect(recorded.map((m) => m.kind)).toEqual(['hold-code']);
    expect(JSON.stringify(recorded)).not.toContain(body.email);
    expect(sentEmails().filter((e) => e.to.includes(body.email))).toEqual([]);
    // Act
    const verified = await verify(code, smsCode);
    // Assess
    expect(verified.status).toBe(200);
    expect(verified.json.booking).toMatchObject({ code, status: 'confirmed' });
    await waitForOutbox(() => sentEmails().some((e) => e.to.includes(body.email)));
    expect(sentEmails().filter((e) => e.to.includes(body.email))).toHaveLength(1);
  });

  it('refuses a wrong code five times and then the right one too', async () => {
    const day = await createDay(staffFn, [5]);
    const body = bookingBody(day.slots[0]?.slotId as string);
    const held = await hold(day.dayId, body);
    const smsCode = await holdCodeSentTo(body.mobile, 0);
    const wrong = smsCode === '000000' ? '111111' : '000000';
    const code = held.json.booking.code as string;
    for (let i = 0; i < 5; i++) expect((await verify(code, wrong)).json.error.code).toBe('CODE_INVALID');
    expect((await verify(code, smsCode)).json.error.code).toBe('CODE_INVALID');
  });

  it('gives an ended hold its seat back: on the next booking that finds the slot full, and by the job', async () => {
    // Prepare: a one-seat slot held by a booker who never types its code
    const day = await createDay(staffFn, [1, 1]);
    const [s1, s2] = day.slots.map((s) => s.slotId) as [string, string];
    const first = await hold(day.dayId, bookingBody(s1));
    expect(first.status).toBe(202);
    expect(await slotItem(day.dayId, s1)).toMatchObject({ capacity: 1, confirmed: 1, held: 1 });
    // Act: its ten minutes end; someone else books
    await endHold(first.json.booking.code);
    const second = await hold(day.dayId, bookingBody(s1));
    // Assess
    expect(second.status).toBe(202);
    const shown = await invoke(publicFn, httpEvent('GET', `/api/public/bookings/${first.json.booking.code}`));
    expect(shown.json.booking.status).toBe('expired');
    expect(await slotItem(day.dayId, s1)).toMatchObject({ confirmed: 1, held: 1 });
    // Prepare: the other slot, held and ended, nobody booking after
    const third = await hold(day.dayId, bookingBody(s2));
    expect(await slotItem(day.dayId, s2)).toMatchObject({ confirmed: 1, held: 1 });
    // Act: the `bookings` job runs eleven minutes later (its "now" is its scheduled time)
    const at = new Date(Date.now() + 11 * 60_000).toISOString();
    const run = (await jobsFn(jobPayload('bookings', at, crypto.randomUUID(), '1'), {})) as {
      result: { holdsReleased: number };
    };
    // Assess
    expect(run.result.holdsReleased).toBeGreaterThanOrEqual(1);
    expect(await slotItem(day.dayId, s2)).toMatchObject({ confirmed: 0, held: 0 });
    // A code typed after the hold ended opens nothing
    const late = await verify(third.json.booking.code, '123456');
    expect(late.json.error.code).toBe('HOLD_EXPIRED');
  });

  it('tells ALREADY_BOOKED only to the mobile of the firm’s booking, after its code; a stranger learns nothing', async () => {
    // Prepare: a firm booked by its own mobile
    const day = await createDay(staffFn, [5, 5]);
    const [s1, s2] = day.slots.map((s) => s.slotId) as [string, string];
    const own = bookingBody(s1);
    expect((await bookAndVerify(publicFn, day.dayId, own)).status).toBe(200);
    // Act: a stranger books the same firm with its own mobile; the firm's own mobile books again
    const strangerHold = await hold(day.dayId, { ...bookingBody(s2), uscc: own.uscc });
    const stranger = bookingBody(s2, { uscc: own.uscc });
    const strangerAnswer = await bookAndVerify(publicFn, day.dayId, stranger);
    const again = await bookAndVerify(publicFn, day.dayId, { ...bookingBody(s2), uscc: own.uscc, mobile: own.mobile });
    // Assess: the hold's answer is the same as for any firm; after the code, only the own mobile hears it
    expect(strangerHold.status).toBe(202);
    expect(strangerAnswer.status).toBe(429);
    expect(strangerAnswer.json.error.code).toBe('RATE_LIMITED');
    expect(again.json.error.code).toBe('ALREADY_BOOKED');
    // The refused holds gave their seats back
    expect(await slotItem(day.dayId, s2)).toMatchObject({ confirmed: 1, held: 1 });
  });

  it('resends a code not within 60 s of the last; the new code replaces the old one', async () => {
    // Prepare
    const day = await createDay(staffFn, [5]);
    const body = bookingBody(day.slots[0]?.slotId as string);
    const held = await hold(day.dayId, body);
    const code = held.json.booking.code as string;
    const first = await holdCodeSentTo(body.mobile, 0);
    // Act: at once
    const early = await post(`/api/public/bookings/${code}/sms-code`);
    // Assess
    expect(early.status).toBe(429);
    expect(early.json.error.code).toBe('RATE_LIMITED');
    expect(Number(early.headers['retry-after'])).toBeGreaterThan(0);
    expect(Number(early.headers['retry-after'])).toBeLessThanOrEqual(60);
    // Act: 61 s later
    await backdateCode(code, { sentAt: -61 });
    const later = await post(`/api/public/bookings/${code}/sms-code`);
    const second = await holdCodeSentTo(body.mobile, 1);
    // Assess: a second text; the first code opens nothing now, the second does
    expect(later.status).toBe(202);
    if (first !== second) expect((await verify(code, first)).json.error.code).toBe('CODE_INVALID');
    expect((await verify(code, second)).json.booking).toMatchObject({ code, status: 'confirmed' });
  });

  it('refuses a code after its five minutes, while the hold lasts; a new code then opens it', async () => {
    // Prepare
    const day = await createDay(staffFn, [5]);
    const body = bookingBody(day.slots[0]?.slotId as string);
    const held = await hold(day.dayId, body);
    const code = held.json.booking.code as string;
    const smsCode = await holdCodeSentTo(body.mobile, 0);
    // Act: five minutes pass (and so do the 60 s before a new code)
    await backdateCode(code, { sentAt: -301, validUntil: -1 });
    const late = await verify(code, smsCode);
    // Assess
    expect(late.json.error.code).toBe('CODE_INVALID');
    expect(await slotItem(day.dayId, day.slots[0]?.slotId as string)).toMatchObject({ confirmed: 1, held: 1 });
    // Act
    expect((await post(`/api/public/bookings/${code}/sms-code`)).status).toBe(202);
    const fresh = await holdCodeSentTo(body.mobile, 1);
    // Assess
    expect((await verify(code, fresh)).json.booking).toMatchObject({ code, status: 'confirmed' });
  });
});

describe('finding one’s bookings again', () => {
  it('answers every start the same way, and texts a code only to a mobile that booked for that firm', async () => {
    // Prepare
    const day = await createDay(staffFn, [5]);
    const body = bookingBody(day.slots[0]?.slotId as string);
    const booked = await bookAndVerify(publicFn, day.dayId, body);
    const stranger = freshMobile();
    const codesBefore = holdCodesSentTo(body.mobile);
    // Act
    const known = await post('/api/public/booking-recovery/start', { uscc: body.uscc, mobile: body.mobile });
    const unknown = await post('/api/public/booking-recovery/start', { uscc: body.uscc, mobile: stranger });
    const smsCode = await holdCodeSentTo(body.mobile, codesBefore);
    // Assess: no oracle
    expect([known.status, unknown.status]).toEqual([202, 202]);
    expect(known.text).toBe(unknown.text);
    await new Promise((r) => setTimeout(r, 300));
    expect(holdCodesSentTo(body.mobile) - codesBefore).toBe(1);
    expect(sentTexts().filter((t) => t.to === `+86${stranger}`)).toEqual([]);
    expect(
      (await post('/api/public/booking-recovery/verify', { uscc: body.uscc, mobile: stranger, smsCode })).json.error
        .code,
    ).toBe('CODE_INVALID');
    // Act: the code opens the bookings with their codes
    const found = await post('/api/public/booking-recovery/verify', { uscc: body.uscc, mobile: body.mobile, smsCode });
    // Assess
    expect(found.status).toBe(200);
    expect(found.json.bookings.map((b: { code: string }) => b.code)).toEqual([booked.json.booking.code]);
    // Single use
    const again = await post('/api/public/booking-recovery/verify', { uscc: body.uscc, mobile: body.mobile, smsCode });
    expect(again.json.error.code).toBe('CODE_INVALID');
  });
});

describe('moving a booking', () => {
  it('moves to another day keeping the code, releases the old seat, tells the booker', async () => {
    // Prepare
    const from = await createDay(staffFn, [1]);
    const to = await createDay(staffFn, [2], { ahead: 12 });
    const body = bookingBody(from.slots[0]?.slotId as string);
    const code = (await bookAndVerify(publicFn, from.dayId, body)).json.booking.code as string;
    // Act
    const moved = await post(`/api/public/bookings/${code}/reschedule`, { dayId: to.dayId });
    // Assess
    expect(moved.status, JSON.stringify(moved.json)).toBe(200);
    expect(moved.json.booking).toMatchObject({ code, dayId: to.dayId, status: 'confirmed' });
    expect(await slotItem(from.dayId, from.slots[0]?.slotId as string)).toMatchObject({ confirmed: 0 });
    expect(await slotItem(to.dayId, to.slots[0]?.slotId as string)).toMatchObject({ confirmed: 1 });
    const guards = await Promise.all(
      [from.dayId, to.dayId].map(
        async (d) =>
          (
            await doc.send(
              new GetCommand({ TableName: tableName, Key: keys.usccGuard(d, body.uscc), ConsistentRead: true }),
            )
          ).Item?.code,
      ),
    );
    expect(guards).toEqual([undefined, code]);
    expect((await messagesAbout(`booking:${code}`)).map((m) => m.kind)).toContain('rescheduled');
  });

  it('moves a booking at most three times: the fourth is MOVE_LIMIT and leaves it, and the booker, alone', async () => {
    // Prepare: a booking on a day of two slots
    const day = await createDay(staffFn, [2, 2]);
    const [s1, s2] = day.slots.map((s) => s.slotId) as [string, string];
    const code = (await bookAndVerify(publicFn, day.dayId, bookingBody(s1))).json.booking.code as string;
    // Act: back and forth, four times
    const answers = [];
    for (const slot of [s2, s1, s2, s1]) {
      answers.push(await post(`/api/public/bookings/${code}/reschedule`, { dayId: day.dayId, slot }));
    }
    // Assess
    expect(answers.map((a) => a.status)).toEqual([200, 200, 200, 409]);
    expect(answers[3]?.json.error.code).toBe('MOVE_LIMIT');
    expect(await slotItem(day.dayId, s2)).toMatchObject({ confirmed: 1 });
    expect(await slotItem(day.dayId, s1)).toMatchObject({ confirmed: 0 });
    const told = (await messagesAbout(`booking:${code}`)).filter((m) => m.kind === 'rescheduled');
    expect(told).toHaveLength(3);
  });

  it('lets exactly one of ten concurrent moves take the last seat; the others keep theirs', async () => {
    // Prepare: ten bookings in one slot, one free seat in another
    const day = await createDay(staffFn, [10, 1]);
    const [s1, s2] = day.slots.map((s) => s.slotId) as [string, string];
    const codes: string[] = [];
    for (let i = 0; i < 10; i++)
      codes.push((await bookAndVerify(publicFn, day.dayId, bookingBody(s1))).json.booking.code);
    // Act
    const moves = await Promise.all(
      codes.map((code) => post(`/api/public/bookings/${code}/reschedule`, { dayId: day.dayId, slot: s2 })),
    );
    // Assess
    expect(moves.filter((m) => m.status === 200)).toHaveLength(1);
    expect(moves.filter((m) => m.status !== 200).map((m) => m.json.error.code)).toEqual(Array(9).fill('SLOT_FULL'));
    expect(await slotItem(day.dayId, s1)).toMatchObject({ confirmed: 9 });
    expect(await slotItem(day.dayId, s2)).toMatchObject({ confirmed: 1 });
  });
});
