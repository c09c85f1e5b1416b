import { randomUUID } from 'node:crypto';
import { SESv2Client, SendEmailCommand, TooManyRequestsException } from '@aws-sdk/client-sesv2';
import { PublishCommand, SNSClient } from '@aws-sdk/client-sns';
import { PutCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import type { StreamPump } from '../../infra/local/streams.ts';
import { keys } from '../../shared/keys.ts';
import type { OutboxEntry } from '../../shared/outbox.ts';
import { jobPayload } from '../../shared/schedules.ts';
import { bookAndVerify } from '../support/bookings.ts';
import { createDay, wuzhongLead } from '../support/days.ts';
import { httpEvent, invoke } from '../support/events.ts';
import { messagesAbout, waitForOutbox } from '../support/outbox.ts';
import { type Handler, useFunctions } from '../support/table.ts';
import { distinctUsccs } from '../support/uscc.ts';

// Rule 11, one way out for every message: each is recorded with its fact, handed to its channels
// by the deliveries function the table's stream wakes (the local stand-in of the event source
// mapping), retried, recorded, and never sent twice. Outbox first; then SES and SNS answered by
// aws-sdk-client-mock, for faults only (the store and the trigger are real).
let publicFn: Handler;
let staffFn: Handler;
let jobsFn: Handler;
let deliveriesFn: Handler;
let streams: StreamPump;
let aws: typeof import('../../functions/lib/store/table.ts');

beforeAll(async () => {
  ({ publicFn, staffFn, jobsFn, deliveriesFn, streams } = await useFunctions());
  aws = await import('../../functions/lib/store/table.ts');
});

afterEach(() => {
  vi.restoreAllMocks();
  vi.useRealTimers();
  streams.resume();
});

const usccs = distinctUsccs(40);
let nextFirm = 0;
let nextMobile = 20_000_000;

/** A booking as its booker makes it (hold, code, verify); `beforeVerify` runs once the code went out. */
const book = async (
  dayId: string,
  slotId: string,
  contact: { email?: string; waitlist?: boolean } = {},
  beforeVerify?: () => unknown,
) => {
  const mobile = `139${nextMobile++}`;
  const body = {
    slotId,
    uscc: usccs[nextFirm++],
    companyName: '苏州消息测试有限公司',
    contactName: '王小明',
    mobile,
    ...(contact.email ? { email: contact.email } : {}),
    topic: '排污许可',
    question: '我们的排污许可证明年到期，延续需要准备哪些材料？',
    consent: true,
    waitlist: contact.waitlist ?? false,
  };
  const res = await bookAndVerify(publicFn, dayId, body, beforeVerify ? { beforeVerify } : {});
  expect(res.status, JSON.stringify(res.json)).toBe(200);
  return { code: res.json.booking.code as string, status: res.json.booking.status as string, mobile };
};

const cancelBooking = (code: string) => invoke(publicFn, httpEvent('POST', `/api/public/bookings/${code}/cancel`));
const cancelDay = (dayId: string, version: number) =>
  invoke(
    staffFn,
    httpEvent('POST', `/api/staff/consultation-days/${dayId}/cancel`, {
      claims: wuzhongLead,
      body: JSON.stringify({ reason: '场地临时维修', version }),
    }),
  );
const sweep = () => jobsFn(jobPayload('bookings', new Date().toISOString(), randomUUID(), '1'), {});

/**
 * Which booker message a text is. SNS takes free text only, so the local outbox has what the
 * provider got: the words; the template parameters are checked against the registered lists in
 * test/unit/outgoing-messages.test.ts.
 */
const SMS_WORDS = [
  ['day-cancelled', '咨询日已取消'],
  ['booking-cancelled', '环保咨询已取消'],
  ['booking-waitlisted', '候补名单'],
  ['booking-promoted', '递补成功'],
  ['booking-confirmed', '已确认'],
  ['booking-changed', '有变更'],
] as const;
/** The texts about a booking to a mobile (not the code that made the hold one). */
const textsTo = (entries: OutboxEntry[], mobile: string) =>
  entries.flatMap((e) =>
    e.channel === 'sms' && e.to === `+86${mobile}` && !e.text.includes('验证码')
      ? [{ kind: SMS_WORDS.find(([, words]) => e.text.includes(words))?.[0], text: e.text }]
      : [],
  );
const mailsTo = (entries: OutboxEntry[], email: string) =>
  entries.flatMap((e) => (e.channel === 'email' && e.to.includes(email) ? [e] : []));

/** Reads until `ok` holds (5 s at most), answering what it read last. */
const waitFor = async <T>(read: () => Promise<T>, ok: (value: T) => boolean): Promise<T> => {
  const deadline = Date.now() + 5000;
  for (;;) {
    const value = await read();
    if (ok(value) || Date.now() > deadline) return value;
    await new Promise((r) => setTimeout(r, 50));
  }
};

describe('every message to a booker goes out by its channels, after the request (rule 11)', () => {
  it('a firm that gave only a mobile hears by SMS of its confirmation, its promotion and its day’s cancellation', async () => {
    // Prepare: one seat taken by a firm with both contacts; a mobile-only firm waitlisted behind it,
    // another confirmed in the second slot.
    const day = await createDay(staffFn, [1, 2]);
    const [first, second] = day.slots.map((s) => s.slotId) as [string, string];
    const both = await book(day.dayId, first, { email: `both-${randomUUID()}@example.test` });
    const waiting = await book(day.dayId, first, { waitlist: true });
    const confirmed = await book(day.dayId, second);

    // Act: the seat's booker cancels (the waitlisted firm moves up), then the day is cancelled.
    await cancelBooking(both.code);
    expect((await cancelDay(day.dayId, 1)).status).toBe(200);

    // Assess: each text names its booking, is filled for its template and in full.
    const outbox = await waitForOutbox(
      (entries) => textsTo(entries, waiting.mobile).length >= 3 && textsTo(entries, confirmed.mobile).length >= 2,
    );
    expect([waiting.status, confirmed.status]).toEqual(['waitlisted', 'confirmed']);
    expect(textsTo(outbox, waiting.mobile).map((t) => t.kind)).toEqual([
      'booking-waitlisted',
      'booking-promoted',
      'day-cancelled',
    ]);
    expect(textsTo(outbox, confirmed.mobile).map((t) => t.kind)).toEqual(['booking-confirmed', 'day-cancelled']);
    for (const text of textsTo(outbox, confirmed.mobile)) {
      expect(text.text).toMatch(/^【环保服务联络】/);
      expect(text.text).toContain(confirmed.code);
      expect(text.text).toContain(day.date);
      expect(text.text).toContain('10:00');
    }
    expect(textsTo(outbox, waiting.mobile)[2]?.text).toContain('场地临时维修');
    // No e-mail was recorded for them: they gave none.
    for (const { code } of [waiting, confirmed]) {
      for (const message of await messagesAbout(`booking:${code}`)) {
        expect((message.deliveries as { channel: string }[]).map((d) => d.channel)).toEqual(['sms']);
      }
    }
  });

  it('a firm that gave both hears by both, once each, with the .ics on the mail', async () => {
    // Prepare
    const day = await createDay(staffFn, [2]);
    const email = `both-${randomUUID()}@example.test`;

    // Act
    const booking = await book(day.dayId, day.slots[0]?.slotId as string, { email });
    await cancelBooking(booking.code);
    await cancelBooking(booking.code);

    // Assess
    const outbox = await waitForOutbox(
      (entries) => mailsTo(entries, email).length >= 2 && textsTo(entries, booking.mobile).length >= 2,
    );
    await new Promise((r) => setTimeout(r, 500));
    const after = await waitForOutbox(() => true);
    expect(mailsTo(after, email).map((m) => m.subject.split(' · ')[0])).toEqual([
      '预约成功 Booking confirmed',
      '预约已取消 Booking cancelled',
    ]);
    expect(textsTo(after, booking.mobile).map((t) => t.kind)).toEqual(['booking-confirmed', 'booking-cancelled']);
    expect(mailsTo(outbox, email)[0]?.attachments?.[0]?.content).toMatch(/^BEGIN:VCALENDAR/);
  });

  it('answers the booking without sending: the message is pending right after the 200 while the trigger is paused', async () => {
    // Prepare: the trigger (the stream's event source mapping) paused.
    const day = await createDay(staffFn, [3]);
    const email = `paused-${randomUUID()}@example.test`;

    // Act: the booker's code goes out; the trigger pauses before the booker types it.
    const booking = await book(day.dayId, day.slots[0]?.slotId as string, { email }, () => streams.pause());

    // Assess: recorded, pending on both channels, queued and awake; nothing went out.
    const [message] = await messagesAbout(`booking:${booking.code}`);
    expect(message).toMatchObject({
      kind: 'confirmed',
      wake: '1',
      parentPk: 'MSGDUE',
      deliveries: [
        { channel: 'email', to: email, status: 'pending', attempts: 0 },
        { channel: 'sms', to: booking.mobile, status: 'pending', attempts: 0 },
      ],
    });
    expect(JSON.stringify(await waitForOutbox(() => true))).not.toContain(booking.code);

    // Act: the trigger runs again.
    streams.resume();
    await waitForOutbox((entries) => mailsTo(entries, email).length > 0 && textsTo(entries, booking.mobile).length > 0);

    // Assess: both sent, the message out of the queue and its text (the booking code) gone. The
    // stand-ins hold a message as it arrives, a moment before the function records the provider's answer.
    const [settled] = await waitFor(
      () => messagesAbout(`booking:${booking.code}`),
      ([m]) => m !== undefined && !('parentPk' in m),
    );
    expect(((settled?.deliveries ?? []) as { status: string }[]).map((d) => d.status)).toEqual(['sent', 'sent']);
    expect(settled).not.toHaveProperty('parentPk');
    expect(settled).not.toHaveProperty('wake');
    expect(settled).not.toHaveProperty('text');
    expect(settled).not.toHaveProperty('sms');
    expect(settled?.subject).toMatch(/^预约成功/);
  });
});

describe('a booking changed by an edit of its day', () => {
  const edit = (dayId: string, body: Record<string, unknown>) =>
    invoke(
      staffFn,
      httpEvent('PATCH', `/api/staff/consultation-days/${dayId}`, { claims: wuzhongLead, body: JSON.stringify(body) }),
    );
  const changedTo = (entries: OutboxEntry[], booker: { mobile: string; email: string }) => [
    ...textsTo(entries, booker.mobile).filter((t) => t.kind === 'booking-changed'),
    ...mailsTo(entries, booker.email).filter((m) => m.subject.startsWith('预约信息变更')),
  ];

  it('tells each active booker once per change of venue or link, and finishes after a request that stopped part-way', async () => {
    // Prepare: two bookers, each with both contacts.
    const day = await createDay(staffFn, [3]);
    const slotId = day.slots[0]?.slotId as string;
    const bookers: { code: string; status: string; mobile: string; email: string }[] = [];
    for (let i = 0; i < 2; i++) {
      const email = `changed-${randomUUID()}@example.test`;
      bookers.push({ ...(await book(day.dayId, slotId, { email })), email });
    }

    // Act: the venue changes; the topics change (nothing to tell); the link changes while the
    // request dies after its first booker's message.
    expect((await edit(day.dayId, { version: 1, venue: '吴中区政务服务中心二楼' })).status).toBe(200);
    expect((await edit(day.dayId, { version: 2, topics: ['环评审批'] })).status).toBe(200);
    await streams.pause();
    const client = aws.db();
    const real = client.send.bind(client) as (command: unknown) => Promise<unknown>;
    let puts = 0;
    vi.spyOn(client, 'send').mockImplementation((async (command: unknown) => {
      if (command instanceof PutCommand && ++puts === 2) throw new Error('killed');
      return real(command);
    }) as never);
    const stopped = await edit(day.dayId, { version: 3, onlineUrl: 'https://meeting.example.test/j/123' });
    vi.restoreAllMocks();
    streams.resume();
    const job = (await sweep()) as { result: { changed: number } };
    await sweep();

    // Assess: two messages each (the venue, the link), on both channels, the new place named.
    expect(stopped.status).toBe(500);
    expect(job.result.changed).toBe(1);
    const outbox = await waitForOutbox((entries) => bookers.every((b) => changedTo(entries, b).length >= 4));
    await new Promise((r) => setTimeout(r, 500));
    const after = await waitForOutbox(() => true);
    for (const booker of bookers) {
      expect(changedTo(after, booker)).toHaveLength(4);
      expect(mailsTo(outbox, booker.email).filter((m) => m.subject.startsWith('预约信息变更'))[0]?.text).toContain(
        '吴中区政务服务中心二楼',
      );
    }
  });
});

describe('a failing channel, a crash (SES and SNS answered by aws-sdk-client-mock)', () => {
  // Installed for this block only (mockClient replaces send on every client of the class at once),
  // so the blocks above send for real to the stand-ins.
  const mockSes = () => mockClient(SESv2Client);
  const mockSns = () => mockClient(SNSClient);
  let ses: ReturnType<typeof mockSes>;
  let sns: ReturnType<typeof mockSns>;
  /** The texts SNS got about bookings (not the codes that made the holds ones). */
  const bookingTexts = () =>
    sns.commandCalls(PublishCommand).filter((call) => !String(call.args[0].input.Message).includes('验证码'));
  let backoff: string | undefined;

  beforeAll(() => {
    ses = mockSes();
    sns = mockSns();
    backoff = process.env.DELIVERY_BACKOFF_MS;
    process.env.DELIVERY_BACKOFF_MS = '1';
  });
  afterAll(() => {
    ses.restore();
    sns.restore();
    if (backoff === undefined) delete process.env.DELIVERY_BACKOFF_MS;
    else process.env.DELIVERY_BACKOFF_MS = backoff;
  });

  const later = (minutes: number) => {
    vi.useFakeTimers({ toFake: ['Date'] });
    vi.setSystemTime(new Date(Date.now() + minutes * 60_000));
  };

  it('retries a throttled SES with jittered backoff, records each outcome, and never resends the SMS that went out', async () => {
    // Prepare: SES throttles three times, then takes the mail; SNS takes every text.
    ses.reset();
    sns.reset();
    const throttled = new TooManyRequestsException({ message: 'Maximum sending rate exceeded', $metadata: {} });
    ses.on(SendEmailCommand).rejectsOnce(throttled).rejectsOnce(throttled).rejectsOnce(throttled).resolves({
      MessageId: 'ses-1',
    });
    sns.on(PublishCommand).resolves({ MessageId: 'sns-1' });
    const day = await createDay(staffFn, [2]);

    // Act: a booking; its trigger tries both channels.
    const booking = await book(day.dayId, day.slots[0]?.slotId as string, {
      email: `slow-${randomUUID()}@example.test`,
    });
    const about = `booking:${booking.code}`;
    const failed = await waitFor(
      async () => (await messagesAbout(about))[0],
      (m) => (m?.deliveries as { status: string }[] | undefined)?.[0]?.status === 'failed',
    );

    // Assess: the mail failed after three tries, recorded; the text went out; the message waits for its retry.
    expect(failed?.deliveries).toEqual([
      expect.objectContaining({
        channel: 'email',
        status: 'failed',
        attempts: 3,
        lastError: expect.stringContaining('TooManyRequests'),
      }),
      expect.objectContaining({ channel: 'sms', status: 'sent', attempts: 1 }),
    ]);
    const retryAt = String(failed?.parentSk).split('#')[0] as string;
    expect(new Date(retryAt).getTime()).toBeGreaterThan(Date.now() + 30_000);
    expect(failed?.text).toContain(booking.code);
    expect(ses.commandCalls(SendEmailCommand)).toHaveLength(3);

    // Act: the sweep now (too early), then after the retry time, then again.
    await sweep();
    const early = ses.commandCalls(SendEmailCommand).length;
    later(15);
    await sweep();
    await sweep();

    // Assess: the mail sent once more, the text never again.
    expect(early).toBe(3);
    expect(ses.commandCalls(SendEmailCommand)).toHaveLength(4);
    expect(bookingTexts()).toHaveLength(1);
    const [done] = await messagesAbout(about);
    expect(done?.deliveries).toEqual([
      expect.objectContaining({ channel: 'email', status: 'sent', attempts: 4 }),
      expect.objectContaining({ channel: 'sms', status: 'sent', attempts: 1 }),
    ]);
    expect(done).not.toHaveProperty('parentPk');
  });

  it('picks up a delivery killed after its claim, and sends it once', async () => {
    // Prepare: a message recorded while the trigger is paused; SES and SNS take everything.
    ses.reset();
    sns.reset();
    ses.on(SendEmailCommand).resolves({ MessageId: 'ses-2' });
    sns.on(PublishCommand).resolves({ MessageId: 'sns-2' });
    const day = await createDay(staffFn, [2]);
    const booking = await book(
      day.dayId,
      day.slots[0]?.slotId as string,
      { email: `crash-${randomUUID()}@example.test` },
      () => streams.pause(),
    );
    const key = keys.message({ about: `booking:${booking.code}`, kind: 'confirmed', occasion: '' });
    // The deliveries function dies right after its claim is written, before sending anything.
    const client = aws.db();
    const real = client.send.bind(client) as (command: unknown) => Promise<unknown>;
    vi.spyOn(client, 'send').mockImplementation((async (command: unknown) => {
      const out = await real(command);
      if (command instanceof UpdateCommand && String(command.input.UpdateExpression).startsWith('SET #round'))
        throw new Error('killed');
      return out;
    }) as never);

    // Act: the stream's record reaches the function, which is killed.
    const answer = (await deliveriesFn(
      {
        Records: [
          { eventName: 'INSERT', dynamodb: { Keys: { pk: { S: key.pk }, sk: { S: key.sk } }, SequenceNumber: '7' } },
        ],
      },
      {},
    )) as { batchItemFailures: { itemIdentifier: string }[] };
    vi.restoreAllMocks();
    streams.resume();
    await new Promise((r) => setTimeout(r, 1000));
    await sweep();
    const before = [ses.commandCalls(SendEmailCommand).length, bookingTexts().length];
    const [held] = await messagesAbout(`booking:${booking.code}`);

    // Assess: nothing sent; the record is reported failed (the mapping retries it); the round is held.
    expect(answer.batchItemFailures).toEqual([{ itemIdentifier: '7' }]);
    expect(before).toEqual([0, 0]);
    expect(held?.round).toEqual(expect.any(String));

    // Act: the sweep, once the round is stale (longer than any function runs), twice.
    later(10);
    await sweep();
    await sweep();

    // Assess: sent once on each channel.
    expect(ses.commandCalls(SendEmailCommand)).toHaveLength(1);
    expect(bookingTexts()).toHaveLength(1);
    const [done] = await messagesAbout(`booking:${booking.code}`);
    expect(((done?.deliveries ?? []) as { status: string }[]).map((d) => d.status)).toEqual(['sent', 'sent']);
  });
});
