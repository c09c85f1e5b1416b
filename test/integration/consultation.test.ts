import { type DynamoDBDocumentClient, GetCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import { XLSX_TYPE } from '../../functions/lib/formats/xlsx.ts';
import type { StreamPump } from '../../infra/local/streams.ts';
import { BOOKING_CODE } from '../../shared/booking-code.ts';
import { keys } from '../../shared/keys.ts';
import type { OutboxEntry } from '../../shared/outbox.ts';
import { jobPayload } from '../../shared/schedules.ts';
import { fromShanghai, shanghaiDate, toShanghaiIso } from '../../shared/time.ts';
import { bookAndVerify, holdCodeSentTo } from '../support/bookings.ts';
import { createDay as createDayOf, moveDayTo } from '../support/days.ts';
import { claimsFor, httpEvent, invoke } from '../support/events.ts';
import { messagesAbout, waitForOutbox } from '../support/outbox.ts';
import { type Handler, useFunctions } from '../support/table.ts';
import { distinctUsccs, randomUscc } from '../support/uscc.ts';
import { readZipEntry } from '../support/zip.ts';

let publicFn: Handler;
let staffFn: Handler;
let jobsFn: Handler;
let doc: DynamoDBDocumentClient;
let tableName: string;
let streams: StreamPump;

beforeAll(async () => {
  ({ tableName, doc, publicFn, staffFn, jobsFn, streams } = await useFunctions());
});

const leadWuzhong = claimsFor('lead.wuzhong', 'lead', '320506');
const inDays = (n: number) => shanghaiDate(new Date(Date.now() + n * 86_400_000));

const postDay = (body: Record<string, unknown>, claims: Record<string, unknown> = leadWuzhong) =>
  invoke(staffFn, httpEvent('POST', '/api/staff/consultation-days', { claims, body: JSON.stringify(body) }));

const createDay = (capacities: number[], extra: Record<string, unknown> = {}, ahead = 10) =>
  createDayOf(staffFn, capacities, { extra, ahead });

const bookingBody = (slotId: string, uscc = randomUscc(), extra: Record<string, unknown> = {}) => ({
  slotId,
  uscc,
  companyName: '苏州某某环保科技有限公司',
  contactName: '王小明',
  // Each booker its own number: one number may book only a few times an hour (booking-abuse.test.ts).
  mobile: `139${String(Math.floor(Math.random() * 1e8)).padStart(8, '0')}`,
  email: 'wang@example.com',
  topic: '排污许可',
  question: '我们的排污许可证明年到期，延续需要准备哪些材料？',
  consent: true,
  ...extra,
});

/** The anonymous POST alone: a hold (202) or a refusal. */
const holdBooking = (dayId: string, body: unknown) =>
  invoke(
    publicFn,
    httpEvent('POST', `/api/public/consultation-days/${dayId}/bookings`, { body: JSON.stringify(body) }),
  );

/** A booking as its booker makes it: the hold, then the SMS code from the outbox (200 with the booking). */
const postBooking = (dayId: string, body: { mobile: string }) => bookAndVerify(publicFn, dayId, body);

const verify = (code: string, smsCode: string) =>
  invoke(publicFn, httpEvent('POST', `/api/public/bookings/${code}/verify`, { body: JSON.stringify({ smsCode }) }));

const slotItem = async (dayId: string, slotId: string) =>
  (await doc.send(new GetCommand({ TableName: tableName, Key: keys.slot(dayId, slotId) }))).Item;

describe('capacity under concurrency (rule 1)', () => {
  it('holds exactly 10 of 200 concurrent bookings for a 10-seat slot; the rest get SLOT_FULL; the 10 verify', async () => {
    // Prepare
    const day = await createDay([10]);
    const slotId = day.slots[0]?.slotId as string;
    const bodies = distinctUsccs(200).map((uscc) => bookingBody(slotId, uscc));
    // Act
    const results = await Promise.all(bodies.map((body) => holdBooking(day.dayId, body)));
    // Assess: holds count against capacity
    const statuses = results.map((r) => (r.status === 202 ? r.json.booking.status : r.json.error.code));
    const counts = Object.fromEntries([...new Set(statuses)].map((s) => [s, statuses.filter((t) => t === s).length]));
    expect(
      statuses.filter((s) => s === 'pending'),
      JSON.stringify(counts),
    ).toHaveLength(10);
    expect(statuses.filter((s) => s !== 'pending' && s !== 'SLOT_FULL')).toEqual([]);
    expect(statuses.filter((s) => s === 'SLOT_FULL')).toHaveLength(190);
    expect(await slotItem(day.dayId, slotId)).toMatchObject({ confirmed: 10, held: 10, capacity: 10 });
    // Act: each holder types its code
    const verified = await Promise.all(
      results.flatMap((r, i) =>
        r.status === 202
          ? [
              holdCodeSentTo(bodies[i]?.mobile as string, 0).then((smsCode) =>
                verify(r.json.booking.code as string, smsCode),
              ),
            ]
          : [],
      ),
    );
    // Assess
    expect(verified.map((v) => v.json.booking?.status)).toEqual(Array(10).fill('confirmed'));
    expect(await slotItem(day.dayId, slotId)).toMatchObject({ confirmed: 10, held: 0, capacity: 10 });
  });
});

describe('one active booking per USCC per day (rule 2)', () => {
  it('confirms exactly one of 10 concurrent requests from one USCC for different slots', async () => {
    // Ten: the most one USCC may try in a day; five from one number (its hourly limit), five from others.
    const day = await createDay(Array.from({ length: 10 }, () => 5));
    const uscc = randomUscc();
    const own = bookingBody('', uscc).mobile;
    const results = await Promise.all(
      Array.from({ length: 10 }, (_, i) =>
        postBooking(day.dayId, bookingBody(day.slots[i]?.slotId as string, uscc, i < 5 ? { mobile: own } : {})),
      ),
    );
    expect(results.filter((r) => r.status === 200)).toHaveLength(1);
    expect(results.every((r) => [200, 409, 429].includes(r.status))).toBe(true);
    const held = await doc.send(new GetCommand({ TableName: tableName, Key: keys.usccGuard(day.dayId, uscc) }));
    const { count } = (await invoke(
      staffFn,
      httpEvent('GET', `/api/staff/consultation-days/${day.dayId}/bookings`, { claims: leadWuzhong }),
    ).then((r) => ({ count: r.json.bookings.length }))) as { count: number };
    expect([Boolean(held.Item), count]).toEqual([true, 1]);
  });

  it('lets the firm book again after cancelling, and cancelling twice changes nothing', async () => {
    const day = await createDay([1]);
    const slotId = day.slots[0]?.slotId as string;
    const uscc = randomUscc();
    const first = await postBooking(day.dayId, bookingBody(slotId, uscc));
    const code = first.json.booking.code as string;
    const cancel = () => invoke(publicFn, httpEvent('POST', `/api/public/bookings/${code}/cancel`));
    expect((await cancel()).json.booking.status).toBe('cancelled');
    expect((await cancel()).json.booking.status).toBe('cancelled');
    expect(await slotItem(day.dayId, slotId)).toMatchObject({ confirmed: 0 });
    const again = await postBooking(day.dayId, bookingBody(slotId, uscc));
    expect(again.status).toBe(200);
    expect(again.json.booking.code).not.toBe(code);
  });
});

describe('waitlist', () => {
  it('waitlists on request when full, and promotes the first waitlisted booking when a seat frees', async () => {
    const day = await createDay([1]);
    const slotId = day.slots[0]?.slotId as string;
    const a = await postBooking(day.dayId, bookingBody(slotId));
    const full = await postBooking(day.dayId, bookingBody(slotId));
    expect(full.json.error.code).toBe('SLOT_FULL');
    const b = await postBooking(day.dayId, bookingBody(slotId, randomUscc(), { waitlist: true }));
    const c = await postBooking(day.dayId, bookingBody(slotId, randomUscc(), { waitlist: true }));
    expect([a.json.booking.status, b.json.booking.status, c.json.booking.status]).toEqual([
      'confirmed',
      'waitlisted',
      'waitlisted',
    ]);
    await invoke(publicFn, httpEvent('POST', `/api/public/bookings/${a.json.booking.code}/cancel`));
    const get = (code: string) => invoke(publicFn, httpEvent('GET', `/api/public/bookings/${code}`));
    expect((await get(b.json.booking.code)).json.booking.status).toBe('confirmed');
    expect((await get(c.json.booking.code)).json.booking.status).toBe('waitlisted');
    expect(await slotItem(day.dayId, slotId)).toMatchObject({ confirmed: 1, waitlisted: 1 });
  });

  it('tells a promoted booker once, by the job, whoever freed the seat: a cancel or a raised capacity (rule 11)', async () => {
    // Prepare: one seat, two on the waitlist, each with its own address.
    const day = await createDay([1]);
    const slotId = day.slots[0]?.slotId as string;
    const email = () => `promoted-${crypto.randomUUID()}@example.test`;
    const a = await postBooking(day.dayId, bookingBody(slotId, randomUscc(), { email: email() }));
    const [b, c] = [email(), email()];
    const bCode = (await postBooking(day.dayId, bookingBody(slotId, randomUscc(), { waitlist: true, email: b }))).json
      .booking.code as string;
    const cCode = (await postBooking(day.dayId, bookingBody(slotId, randomUscc(), { waitlist: true, email: c }))).json
      .booking.code as string;
    let seatMails = (_to: string): unknown[] => [];
    const promotedTo = (to: string) => (entries: Awaited<ReturnType<typeof waitForOutbox>>) =>
      entries.filter((e) => e.channel === 'email' && e.to.includes(to) && e.subject.startsWith('候补转为预约成功'));
    const job = () => jobsFn(jobPayload('bookings', new Date().toISOString(), crypto.randomUUID(), '1'), {});

    // Act: the booker of the seat cancels (b moves up), the trigger paused to see what the request did;
    // then the capacity is raised (c moves up).
    await streams.pause();
    await invoke(publicFn, httpEvent('POST', `/api/public/bookings/${a.json.booking.code}/cancel`));
    const sentInRequest = promotedTo(b)(await waitForOutbox(() => true)).length;
    const recorded = await messagesAbout(`booking:${bCode}`);
    streams.resume();
    const raised = await invoke(
      staffFn,
      httpEvent('PATCH', `/api/staff/consultation-days/${day.dayId}`, {
        claims: leadWuzhong,
        body: JSON.stringify({ version: 1, capacities: { [slotId]: 2 } }),
      }),
    );
    const outbox = await waitForOutbox(
      (entries) => promotedTo(b)(entries).length > 0 && promotedTo(c)(entries).length > 0,
    );
    await job();
    await job();
    seatMails = (to) => promotedTo(to)(outbox);

    // Assess
    expect(sentInRequest).toBe(0);
    expect(recorded.find((m) => m.kind === 'promoted')?.deliveries).toEqual([
      expect.objectContaining({ channel: 'email', to: b, status: 'pending' }),
      expect.objectContaining({ channel: 'sms', status: 'pending' }),
    ]);
    expect(raised.status).toBe(200);
    expect(promotedTo(b)(await waitForOutbox(() => true))).toHaveLength(1);
    expect(seatMails(b).map((m) => JSON.stringify(m).includes(bCode))).toEqual([true]);
    expect(seatMails(c).map((m) => JSON.stringify(m).includes(cCode))).toEqual([true]);
  });
});

describe('cut-off', () => {
  it('answers BOOKING_CLOSED after the cut-off, and lists only days still open', async () => {
    const past = toShanghaiIso(new Date(Date.now() - 60_000));
    const closed = await createDay([5], { bookingClosesAt: past }, 3);
    const res = await holdBooking(closed.dayId, bookingBody(closed.slots[0]?.slotId as string));
    expect(res.status).toBe(409);
    expect(res.json.error.code).toBe('BOOKING_CLOSED');
    const list = await invoke(publicFn, httpEvent('GET', '/api/public/consultation-days'));
    expect(list.json.days.map((d: { dayId: string }) => d.dayId)).not.toContain(closed.dayId);
  });

  it('defaults the cut-off to 17:00 Asia/Shanghai the day before', async () => {
    const day = (await createDay([1])) as unknown as { date: string; bookingClosesAt: string };
    const [y, m, d] = day.date.split('-').map(Number) as [number, number, number];
    expect(day.bookingClosesAt).toBe(toShanghaiIso(fromShanghai(y, m, d - 1, 17)));
  });
});

describe('reading the list without JavaScript', () => {
  it('answers a browser link (Accept: text/html) with a plain HTML list, text escaped, no script', async () => {
    const day = await createDay([4], { venue: '<b>会议室</b> & 3F' });
    const res = await invoke(
      publicFn,
      httpEvent('GET', '/api/public/consultation-days?lang=en', {
        headers: { accept: 'text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8' },
      }),
    );
    expect(res.headers['content-type']).toMatch(/^text\/html/);
    expect(res.text).toContain('<html lang="en">');
    expect(res.text).toContain(day.date);
    expect(res.text).toContain('&lt;b&gt;会议室&lt;/b&gt; &amp; 3F');
    expect(res.text).not.toMatch(/<script/i);
    const json = await invoke(
      publicFn,
      httpEvent('GET', '/api/public/consultation-days', { headers: { accept: 'application/json' } }),
    );
    expect(json.headers['content-type']).toMatch(/^application\/json/);
  });
});

describe('public booking edge (rule 10)', () => {
  it('names the fields at fault', async () => {
    const day = await createDay([5]);
    const res = await holdBooking(
      day.dayId,
      bookingBody(day.slots[0]?.slotId as string, '91350100M000100Y44', {
        mobile: '12345678901',
        question: 'short',
        consent: false,
      }),
    );
    expect(res.status).toBe(400);
    expect(Object.keys(res.json.error.fields).sort()).toEqual(['consent', 'mobile', 'question', 'uscc']);
  });

  it('answers any body with 202, 400 or 409, never 500, and writes nothing on a refusal (property)', async () => {
    const day = await createDay([500]);
    const slotId = day.slots[0]?.slotId as string;
    const valid = bookingBody(slotId);
    const field = fc.constantFrom(...Object.keys(valid));
    const junk = fc.oneof(
      fc.string(),
      fc.integer(),
      fc.constant(null),
      fc.boolean(),
      fc.array(fc.string()),
      fc.object(),
    );
    const body = fc.oneof(
      fc.anything(),
      fc.record({ field, value: junk }).map(({ field: f, value }) => ({ ...bookingBody(slotId), [f]: value })),
      fc.constant(undefined).map(() => bookingBody(slotId)),
    );
    await fc.assert(
      fc.asyncProperty(body, async (b) => {
        const res = await holdBooking(day.dayId, b);
        expect([202, 400, 409]).toContain(res.status);
        if (res.status === 400) {
          expect(res.json.error.code).toBe('VALIDATION_FAILED');
          expect(Object.keys(res.json.error.fields ?? {}).length).toBeGreaterThan(0);
        }
      }),
      { numRuns: 150 },
    );
    // Every 202 holds a seat; nothing else wrote one.
    const created = await doc.send(
      new QueryCommand({
        TableName: tableName,
        IndexName: 'byParent',
        KeyConditionExpression: 'parentPk = :p',
        ExpressionAttributeValues: { ':p': keys.bookingsOfDay(day.dayId).parentPk },
      }),
    );
    expect((await slotItem(day.dayId, slotId))?.confirmed).toBe(created.Count);
  });

  it('refuses malformed path parameters with 400 and unknown days and codes with 404', async () => {
    expect((await holdBooking('bad id!', bookingBody('s1'))).status).toBe(400);
    expect((await holdBooking('no-such-day', bookingBody('s1'))).status).toBe(404);
    expect((await invoke(publicFn, httpEvent('GET', '/api/public/bookings/AAAAAAAAAAAAAAAAAAAA'))).status).toBe(404);
    expect((await invoke(publicFn, httpEvent('GET', '/api/public/bookings/abc'))).status).toBe(400);
  });
});

describe('booking codes and personal data (rule 3)', () => {
  it('issues unguessable codes (100 bits) and shows personal data only masked', async () => {
    const day = await createDay([50]);
    const res = await postBooking(
      day.dayId,
      bookingBody(day.slots[0]?.slotId as string, randomUscc(), { mobile: '13912345678' }),
    );
    const booking = res.json.booking;
    expect(booking.code).toMatch(BOOKING_CODE);
    expect(booking).toMatchObject({ mobile: '139****5678', email: 'w***@example.com', contactName: '王**' });
    const shown = await invoke(publicFn, httpEvent('GET', `/api/public/bookings/${booking.code}`));
    expect(shown.text).not.toContain('13912345678');
    expect(shown.text).not.toContain('wang@example.com');
    // The booker is mailed the code with the .ics attached (the outbox stands in for SES), after the request.
    const mailOf = (e: OutboxEntry) => e.channel === 'email' && e.text.includes(booking.code);
    const mail = (await waitForOutbox((entries) => entries.some(mailOf))).find(mailOf);
    expect(mail).toMatchObject({ to: ['wang@example.com'] });
    expect(mail?.channel === 'email' && mail.attachments?.[0]?.content).toMatch(/^BEGIN:VCALENDAR/);
  });

  it('keeps personal data apart with a TTL 180 days after the day; the booking itself has none', async () => {
    const day = await createDay([5]);
    const res = await postBooking(
      day.dayId,
      bookingBody(day.slots[0]?.slotId as string, randomUscc(), { mobile: '13912345678' }),
    );
    const code = res.json.booking.code as string;
    const personal = (await doc.send(new GetCommand({ TableName: tableName, Key: keys.bookingPersonal(code) }))).Item;
    const booking = (await doc.send(new GetCommand({ TableName: tableName, Key: keys.booking(code) }))).Item;
    const [y, m, d] = day.date.split('-').map(Number) as [number, number, number];
    const dayEnd = fromShanghai(y, m, d + 1).getTime() / 1000;
    expect(personal?.expiresAt).toBe(dayEnd + 180 * 86_400);
    expect(personal).toMatchObject({ mobile: '13912345678' });
    expect(booking?.expiresAt).toBeUndefined();
    expect(booking?.mobile).toBeUndefined();
  });

  it('a GET never changes state: reading a booking and its calendar leaves it as it was', async () => {
    const day = await createDay([5]);
    const code = (await postBooking(day.dayId, bookingBody(day.slots[0]?.slotId as string))).json.booking.code;
    const before = (await doc.send(new GetCommand({ TableName: tableName, Key: keys.booking(code) }))).Item;
    await invoke(publicFn, httpEvent('GET', `/api/public/bookings/${code}`));
    const ics = await invoke(publicFn, httpEvent('GET', `/api/public/bookings/${code}/calendar.ics`));
    const after = (await doc.send(new GetCommand({ TableName: tableName, Key: keys.booking(code) }))).Item;
    expect(after).toEqual(before);
    expect(ics.headers['content-type']).toMatch(/^text\/calendar/);
    expect(ics.text).toMatch(/^BEGIN:VCALENDAR\r\n/);
    expect(ics.text).toContain('DTSTART;TZID=Asia/Shanghai:');
    expect(ics.text).toContain('TZID:Asia/Shanghai');
    expect(ics.text).toContain(code);
    expect(ics.text.split('\r\n').every((line) => Buffer.byteLength(line) <= 75)).toBe(true);
  });
});

describe('staff side: scope, validation, audit (rules 8-10)', () => {
  it('validates slots: inside the day, ending after start, not overlapping', async () => {
    const date = inDays(5);
    const res = await postDay({
      date,
      jurisdiction: '320506',
      mode: 'both',
      venue: 'x',
      topics: ['a'],
      slots: [
        { startsAt: `${date}T09:00:00+08:00`, endsAt: `${date}T10:00:00+08:00`, capacity: 5 },
        { startsAt: `${date}T09:30:00+08:00`, endsAt: `${date}T10:30:00+08:00`, capacity: 5 },
        { startsAt: `${date}T23:30:00+08:00`, endsAt: `${date}T00:30:00+07:00`, capacity: 501 },
      ],
    });
    expect(res.status).toBe(400);
    expect(res.json.error.fields).toHaveProperty(['slots.2.capacity']);
  });

  it('answers 404 to a lead of another county and 403 to a liaison; a city lead sees the day', async () => {
    const day = await createDay([5]);
    const get = (claims: Record<string, unknown>) =>
      invoke(staffFn, httpEvent('GET', `/api/staff/consultation-days/${day.dayId}`, { claims }));
    expect((await get(claimsFor('lead.jiangyin', 'lead', '320281'))).status).toBe(404);
    expect((await get(claimsFor('liaison.wuzhong', 'liaison', '320506'))).status).toBe(403);
    expect((await get(claimsFor('lead.suzhou', 'lead', '320500'))).status).toBe(200);
    expect((await get(claimsFor('admin', 'admin', '320000'))).status).toBe(200);
    const other = await postDay(
      {
        date: day.date,
        jurisdiction: '320506',
        venue: 'x',
        mode: 'onsite',
        topics: ['a'],
        slots: [{ startsAt: `${day.date}T09:00:00+08:00`, endsAt: `${day.date}T10:00:00+08:00`, capacity: 1 }],
      },
      claimsFor('lead.jiangyin', 'lead', '320281'),
    );
    expect(other.status).toBe(403);
  });

  it('records an audit event with the day, and one with each attendance mark', async () => {
    const day = await createDay([5]);
    const code = (await postBooking(day.dayId, bookingBody(day.slots[0]?.slotId as string))).json.booking.code;
    // Attendance is recorded from the day itself: the booked day moved to today.
    await moveDayTo(day.dayId, shanghaiDate(new Date()));
    const mark = await invoke(
      staffFn,
      httpEvent('POST', `/api/staff/bookings/${code}/attendance`, {
        claims: leadWuzhong,
        body: JSON.stringify({ status: 'attended', outcome: '已解答延续材料清单' }),
      }),
    );
    expect(mark.json.booking).toMatchObject({ status: 'attended', outcome: '已解答延续材料清单' });
    const audit = async (entity: string) =>
      (
        await doc.send(
          new QueryCommand({
            TableName: tableName,
            KeyConditionExpression: 'pk = :pk',
            ExpressionAttributeValues: { ':pk': `AUDIT#${entity}` },
          }),
        )
      ).Items ?? [];
    expect((await audit(`day:${day.dayId}`)).map((a) => [a.action, a.actor])).toEqual([['day.create', 'lead.wuzhong']]);
    const marks = await audit(`booking:${code}`);
    expect(marks).toHaveLength(1);
    expect(marks[0]).toMatchObject({
      action: 'booking.attendance',
      before: { status: 'confirmed' },
      after: { status: 'attended' },
    });
    // A cancelled booking cannot be marked attended.
    await invoke(publicFn, httpEvent('POST', `/api/public/bookings/${code}/cancel`));
  });

  it('lists bookings with full contact data, pages them, and exports CSV', async () => {
    const day = await createDay([20]);
    const slotId = day.slots[0]?.slotId as string;
    for (const uscc of distinctUsccs(5)) {
      await postBooking(day.dayId, bookingBody(slotId, uscc, { mobile: '13955556666' }));
    }
    const page1 = await invoke(
      staffFn,
      httpEvent('GET', `/api/staff/consultation-days/${day.dayId}/bookings?limit=3`, { claims: leadWuzhong }),
    );
    expect(page1.json.bookings).toHaveLength(3);
    expect(page1.json.bookings[0].personal.mobile).toBe('13955556666');
    const page2 = await invoke(
      staffFn,
      httpEvent('GET', `/api/staff/consultation-days/${day.dayId}/bookings?limit=3&cursor=${page1.json.nextCursor}`, {
        claims: leadWuzhong,
      }),
    );
    expect(page2.json.bookings).toHaveLength(2);
    const bad = await invoke(
      staffFn,
      httpEvent('GET', `/api/staff/consultation-days/${day.dayId}/bookings?cursor=garbage`, { claims: leadWuzhong }),
    );
    expect(bad.status).toBe(400);
    const csv = await invoke(
      staffFn,
      httpEvent('GET', `/api/staff/consultation-days/${day.dayId}/bookings.csv`, { claims: leadWuzhong }),
    );
    expect(csv.headers['content-type']).toMatch(/^text\/csv/);
    expect(csv.text.startsWith('\uFEFF')).toBe(true);
    expect(csv.text.trim().split('\r\n')).toHaveLength(6);
    // Chinese statuses and Beijing times (issue 18), never `confirmed` or a UTC instant.
    const [, firstRow] = csv.text.trim().split('\r\n');
    expect(firstRow).toContain(',已确认,');
    expect(firstRow).not.toContain('confirmed');
    expect(firstRow).toMatch(/,\d{4}-\d\d-\d\d \d\d:\d\d$/);
    const xlsx = await invoke(
      staffFn,
      httpEvent('GET', `/api/staff/consultation-days/${day.dayId}/bookings.xlsx`, { claims: leadWuzhong }),
    );
    expect(xlsx.headers['content-type']).toBe(XLSX_TYPE);
    const file = Buffer.from(xlsx.text, 'base64');
    expect(file.subarray(0, 2).toString()).toBe('PK');
    expect(readZipEntry(file, 'xl/worksheets/sheet1.xml')).toContain('13955556666');
  });
});

describe('editing and cancelling a day (rule 9)', () => {
  const patch = (dayId: string, body: unknown, claims = leadWuzhong) =>
    invoke(
      staffFn,
      httpEvent('PATCH', `/api/staff/consultation-days/${dayId}`, { claims, body: JSON.stringify(body) }),
    );

  it('answers a stale version with 409 VERSION_CONFLICT and keeps the first edit', async () => {
    const day = await createDay([5]);
    const [a, b] = await Promise.all([
      patch(day.dayId, { version: 1, venue: '新地点 A' }),
      patch(day.dayId, { version: 1, venue: '新地点 B' }),
    ]);
    expect([a.status, b.status].sort()).toEqual([200, 409]);
    const loser = a.status === 409 ? a : b;
    const winner = a.status === 200 ? a : b;
    expect(loser.json.error.code).toBe('VERSION_CONFLICT');
    const now = await invoke(
      staffFn,
      httpEvent('GET', `/api/staff/consultation-days/${day.dayId}`, { claims: leadWuzhong }),
    );
    expect(now.json.day).toMatchObject({ venue: winner.json.day.venue, version: 2 });
  });

  it('raises a capacity (promoting the waitlist), refuses one below the booked seats, adds a slot', async () => {
    const day = await createDay([1]);
    const slotId = day.slots[0]?.slotId as string;
    await postBooking(day.dayId, bookingBody(slotId));
    const waiting = await postBooking(day.dayId, bookingBody(slotId, randomUscc(), { waitlist: true }));
    expect(waiting.json.booking.status).toBe('waitlisted');
    const lower = await invoke(
      staffFn,
      httpEvent('PATCH', `/api/staff/consultation-days/${day.dayId}`, {
        claims: leadWuzhong,
        body: JSON.stringify({ version: 1, capacities: { [slotId]: 1 } }),
      }),
    );
    expect(lower.status).toBe(200);
    const date = day.date;
    const raised = await patch(day.dayId, {
      version: 2,
      capacities: { [slotId]: 3 },
      addSlots: [{ startsAt: `${date}T14:00:00+08:00`, endsAt: `${date}T15:00:00+08:00`, capacity: 4 }],
    });
    expect(raised.status).toBe(200);
    expect(raised.json.day.slots.map((s: { capacity: number }) => s.capacity)).toEqual([3, 4]);
    const promoted = await invoke(publicFn, httpEvent('GET', `/api/public/bookings/${waiting.json.booking.code}`));
    expect(promoted.json.booking.status).toBe('confirmed');
    const below = await patch(day.dayId, { version: 3, capacities: { [slotId]: 1 } });
    expect(below.status).toBe(409);
    expect(below.json.error.code).toBe('CAPACITY_BELOW_BOOKED');
    const overlap = await patch(day.dayId, {
      version: 3,
      addSlots: [{ startsAt: `${date}T09:15:00+08:00`, endsAt: `${date}T09:30:00+08:00`, capacity: 1 }],
    });
    expect(overlap.status).toBe(400);
    expect(Object.keys(overlap.json.error.fields)[0]).toMatch(/^addSlots\.0\./);
  });

  it('cancels a day: bookings cancelled, bookers mailed by the job (not the request), no new booking, a second cancel changes nothing', async () => {
    const day = await createDay([2]);
    const slotId = day.slots[0]?.slotId as string;
    const codes: string[] = [];
    for (const uscc of distinctUsccs(3)) {
      codes.push((await postBooking(day.dayId, bookingBody(slotId, uscc, { waitlist: true }))).json.booking.code);
    }
    const cancel = (version: number) =>
      invoke(
        staffFn,
        httpEvent('POST', `/api/staff/consultation-days/${day.dayId}/cancel`, {
          claims: leadWuzhong,
          body: JSON.stringify({ reason: '场地临时维修', version }),
        }),
      );
    await streams.pause();
    const res = await cancel(1);
    expect(res.status).toBe(200);
    // Two confirmed and one waitlisted: the waitlisted one is cancelled too, never promoted.
    expect(res.json).toMatchObject({ day: { status: 'cancelled' }, cancelledBookings: 3 });
    const mailsOf = (entries: Awaited<ReturnType<typeof waitForOutbox>>, code: string) =>
      entries.filter((e) => e.channel === 'email' && e.text.includes(code) && e.text.includes('场地临时维修'));
    // Nothing is sent inside the request (rule 11): the messages are recorded, and sent after it.
    const inRequest = await waitForOutbox(() => true);
    expect(codes.flatMap((code) => mailsOf(inRequest, code))).toEqual([]);
    streams.resume();
    await waitForOutbox((entries) => codes.every((code) => mailsOf(entries, code).length > 0));
    await jobsFn(jobPayload('bookings', new Date().toISOString(), 'cancel-day-test', '1'), {});
    const outbox = await waitForOutbox(() => true);
    for (const code of codes) {
      const b = await invoke(publicFn, httpEvent('GET', `/api/public/bookings/${code}`));
      expect(b.json.booking.status).toBe('cancelled');
      expect(mailsOf(outbox, code)).toHaveLength(1);
    }
    expect((await postBooking(day.dayId, bookingBody(slotId))).json.error.code).toBe('BOOKING_CLOSED');
    const again = await cancel(2);
    expect([again.status, again.json.cancelledBookings, again.json.day.status]).toEqual([200, 0, 'cancelled']);
  });
});

describe('booking from a recent read of the day', () => {
  const edit = (dayId: string, body: unknown) =>
    invoke(
      staffFn,
      httpEvent('PATCH', `/api/staff/consultation-days/${dayId}`, { claims: leadWuzhong, body: JSON.stringify(body) }),
    );

  it('believes a read a few seconds old only while the day is unchanged, and "full" only from a fresh read', async () => {
    // Prepare: one seat; A takes it, and this process now holds a read of the day (seat free, version 1).
    const day = await createDay([1]);
    const slotId = day.slots[0]?.slotId as string;
    const a = await postBooking(day.dayId, bookingBody(slotId));
    expect(a.json.booking.status).toBe('confirmed');
    // The venue changes: the read held is stale. B is refused for the right reason, SLOT_FULL,
    // from a fresh read, which is the one held now (seat taken).
    expect((await edit(day.dayId, { version: 1, venue: '吴中区政务服务中心' })).status).toBe(200);
    expect((await postBooking(day.dayId, bookingBody(slotId))).json.error.code).toBe('SLOT_FULL');

    // Act: A cancels, and C books at once.
    await invoke(publicFn, httpEvent('POST', `/api/public/bookings/${a.json.booking.code}/cancel`));
    const c = await postBooking(day.dayId, bookingBody(slotId));

    // Assess: the freed seat is C's (the held read's "full" was not believed), with the new venue.
    expect(c.status, JSON.stringify(c.json)).toBe(200);
    expect(c.json.booking).toMatchObject({ status: 'confirmed', day: { venue: '吴中区政务服务中心' } });
    expect(await slotItem(day.dayId, slotId)).toMatchObject({ confirmed: 1 });

    // And once the cut-off moves into the past, the next booking is refused at once, though this
    // process read the day open a moment ago.
    const past = toShanghaiIso(new Date(Date.now() - 60_000));
    expect((await edit(day.dayId, { version: 2, bookingClosesAt: past })).status).toBe(200);
    const late = await postBooking(day.dayId, bookingBody(slotId, randomUscc(), { waitlist: true }));
    expect(late.json.error.code).toBe('BOOKING_CLOSED');
  });
});
