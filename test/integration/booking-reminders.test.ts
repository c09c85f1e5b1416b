import { randomUUID } from 'node:crypto';
import { PutCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { nextShanghaiDay } from '../../functions/jobs/booking-reminders.ts';
import type { StreamPump } from '../../infra/local/streams.ts';
import { findSchedule, jobPayload } from '../../shared/schedules.ts';
import { fromShanghai } from '../../shared/time.ts';
import { bookAndVerify } from '../support/bookings.ts';
import { createDay as createDayOf, wuzhongLead } from '../support/days.ts';
import { httpEvent, invoke } from '../support/events.ts';
import { messagesAbout, readOutbox, waitForOutbox } from '../support/outbox.ts';
import { type Handler, useFunctions } from '../support/table.ts';
import { distinctUsccs } from '../support/uscc.ts';

// Issue 15, day-before reminder: each confirmed booking of the next Beijing day is reminded once,
// by e-mail when it gave an address and by SMS to its mobile, however often the job runs. The job
// only records one outgoing message per booking and day; the deliveries function the table's stream
// wakes sends it, and the bookings job sweeps up what a crash left (rule 11).
let publicFn: Handler;
let staffFn: Handler;
let jobsFn: Handler;
let streams: StreamPump;
let aws: typeof import('../../functions/lib/store/table.ts');

beforeAll(async () => {
  ({ publicFn, staffFn, jobsFn, streams } = await useFunctions());
  aws = await import('../../functions/lib/store/table.ts');
});

afterEach(() => {
  vi.restoreAllMocks();
  vi.useRealTimers();
  streams.resume();
});

/** Each test its own date, far from the other files' days (ahead 10-12). */
let nextAhead = 40;
const createDay = (capacities: number[]) => createDayOf(staffFn, capacities, { ahead: nextAhead++ });

let nextMobile = 20_000_000;
interface Booked {
  readonly code: string;
  readonly status: string;
  readonly mobile: string;
  readonly email: string | null;
}

const book = async (dayId: string, slotId: string, options: { email?: boolean } = {}): Promise<Booked> => {
  const mobile = `139${nextMobile++}`;
  const email = options.email === false ? null : `booker-${randomUUID()}@example.test`;
  const [uscc] = distinctUsccs(1);
  const res = await bookAndVerify(publicFn, dayId, {
    slotId,
    uscc,
    companyName: '苏州提醒测试有限公司',
    contactName: '王小明',
    mobile,
    ...(email ? { email } : {}),
    topic: '排污许可',
    question: '我们的排污许可证明年到期，延续需要准备哪些材料？',
    consent: true,
    waitlist: true,
  });
  expect(res.status, JSON.stringify(res.json)).toBe(200);
  return { code: res.json.booking.code, status: res.json.booking.status, mobile, email };
};

/** 18:00 Beijing on the day before `date` (YYYY-MM-DD): when Scheduler fires the job for it. */
const eveningBefore = (date: string) => {
  const [y, m, d] = date.split('-').map(Number) as [number, number, number];
  return fromShanghai(y, m, d - 1, 18);
};

const runJob = (at: Date) =>
  jobsFn(jobPayload('booking-reminders', at.toISOString(), randomUUID(), '1'), {}) as Promise<{
    result: { date: string; days: number; bookings: number; remindersCreated: number; noContact: number };
  }>;

/** Reminder e-mails and SMS in the outbox, by recipient (SMS by the mainland number, without +86). */
const reminders = (entries = readOutbox()) => {
  const emails = new Map<string, string[]>();
  const sms = new Map<string, string[]>();
  for (const entry of entries) {
    if (entry.channel === 'email' && entry.subject.startsWith('明日咨询提醒')) {
      for (const to of entry.to) emails.set(to, [...(emails.get(to) ?? []), entry.text]);
    }
    // SNS carries free text only (the local outbox sees what the SMS provider gets): the reminder's
    // words ("明天", tomorrow; no other booker text says it).
    if (entry.channel === 'sms' && entry.text.includes('明天')) {
      const to = entry.to.replace(/^\+86/, '');
      sms.set(to, [...(sms.get(to) ?? []), entry.text]);
    }
  }
  return { emails, sms };
};

/** Waits until every booker listed has its reminder e-mail (when it gave one) and SMS, then a moment more for any duplicate. */
const remindersOf = async (bookers: readonly Booked[]) => {
  await waitForOutbox((entries) => {
    const { emails, sms } = reminders(entries);
    return bookers.every((b) => (b.email === null || emails.has(b.email)) && sms.has(b.mobile));
  });
  await new Promise((r) => setTimeout(r, 500));
  return reminders();
};

/** The reminder messages recorded for a booking (`MSG#booking:<code>/reminder#<date>`). */
const reminderRecords = async (code: string) =>
  (await messagesAbout(`booking:${code}`)).filter((m) => m.kind === 'reminder');

/** The bookings job's round: it sweeps the messages whose delivery is due or was left by a crash. */
const sweep = () => jobsFn(jobPayload('bookings', new Date().toISOString(), randomUUID(), '1'), {});

/** The clock set `minutes` after `from` (Date only; timers stay real). */
const later = (from: Date, minutes: number) => {
  vi.useFakeTimers({ toFake: ['Date'] });
  vi.setSystemTime(new Date(from.getTime() + minutes * 60_000));
};

describe('booking reminders: once per booking, however the job runs', () => {
  it('runs daily at 18:00 Beijing', () => {
    // Assess
    expect(findSchedule('booking-reminders')).toMatchObject({ fn: 'jobs', cron: '0 18 * * ? *' });
  });

  it('reminds each confirmed booker of the next day once, under a repeated run and three concurrent runs', async () => {
    // Prepare: three bookers with an address, one with a mobile only (the form requires no e-mail).
    const day = await createDay([10]);
    const slotId = day.slots[0]?.slotId as string;
    const withEmail = [await book(day.dayId, slotId), await book(day.dayId, slotId), await book(day.dayId, slotId)];
    const mobileOnly = await book(day.dayId, slotId, { email: false });
    const at = eveningBefore(day.date);

    // Act
    const first = await runJob(at);
    const again = await runJob(at);
    const concurrent = await Promise.all([runJob(at), runJob(at), runJob(at)]);

    // Assess: four reminders recorded (one message per booking and day), by the first run only; each
    // channel sent once.
    expect(first.result).toMatchObject({ date: day.date, bookings: 4, remindersCreated: 4, noContact: 0 });
    expect([again, ...concurrent].map((run) => run.result.remindersCreated)).toEqual([0, 0, 0, 0]);
    for (const booked of [...withEmail, mobileOnly]) {
      const records = await reminderRecords(booked.code);
      expect(
        records.map((m) => m.occasion),
        booked.code,
      ).toEqual([day.date]);
    }
    const { emails, sms } = await remindersOf([...withEmail, mobileOnly]);
    for (const booked of withEmail) {
      expect(emails.get(booked.email as string), booked.code).toHaveLength(1);
      const text = emails.get(booked.email as string)?.[0] ?? '';
      expect(text).toContain(booked.code);
      expect(text).toContain(`${day.date} 09:00 – 09:45`);
      expect(text).toContain('吴中区生态环境局三楼');
      expect(text).toContain(`/consultation-days/booking/?code=${booked.code}`);
      expect(text).toContain('查看或取消 View or cancel');
    }
    for (const booked of [...withEmail, mobileOnly]) {
      const messages = sms.get(booked.mobile) ?? [];
      expect(messages, booked.mobile).toHaveLength(1);
      expect(messages[0]).toContain('明天');
      expect(messages[0]).toContain(booked.code);
      expect(messages[0]).toContain('09:00-09:45');
    }
    // The mobile-only booker's message has no e-mail to send.
    const [mobileOnlyRecord] = await reminderRecords(mobileOnly.code);
    expect(((mobileOnlyRecord?.deliveries ?? []) as { channel: string }[]).map((d) => d.channel)).toEqual(['sms']);
  });
});

describe('booking reminders: a run killed after recording loses nothing and sends nothing twice', () => {
  it('the reminders recorded before the crash go out with the next round (the retry’s or the bookings job’s), once', async () => {
    // Prepare: two bookings, their confirmations out. Then the job dies right after each reminder
    // is written, and the deliveries function the stream wakes dies right after its claim (the
    // round held), both before anything was sent.
    const day = await createDay([5]);
    const booked = [
      await book(day.dayId, day.slots[0]?.slotId as string),
      await book(day.dayId, day.slots[0]?.slotId as string),
    ];
    for (const b of booked) {
      const settled = async () => (await messagesAbout(`booking:${b.code}`)).every((m) => !('parentPk' in m));
      for (let i = 0; i < 100 && !(await settled()); i++) await new Promise((r) => setTimeout(r, 50));
      expect(await settled(), b.code).toBe(true);
    }
    const client = aws.db();
    const real = client.send.bind(client) as (command: unknown) => Promise<unknown>;
    vi.spyOn(client, 'send').mockImplementation((async (command: unknown) => {
      const out = await real(command);
      if (command instanceof PutCommand && command.input.Item?.kind === 'reminder') throw new Error('killed');
      if (command instanceof UpdateCommand && String(command.input.UpdateExpression).startsWith('SET #round'))
        throw new Error('killed');
      return out;
    }) as never);
    const at = eveningBefore(day.date);

    // Act: the run dies; the stream wakes the deliveries function, which dies; Lambda's retry of the
    // job runs it again.
    await expect(runJob(at)).rejects.toThrow('killed');
    const held = async () =>
      (await Promise.all(booked.map((b) => reminderRecords(b.code)))).every(
        (records) => records.length === 1 && typeof records[0]?.round === 'string',
      );
    for (let i = 0; i < 100 && !(await held()); i++) await new Promise((r) => setTimeout(r, 50));
    const retry = await runJob(at);
    vi.restoreAllMocks();
    await sweep();
    await new Promise((r) => setTimeout(r, 500));

    // Assess: recorded once each, their rounds held by the dead function; nothing sent yet, not
    // even by a sweep while the round is fresh.
    expect(await held()).toBe(true);
    expect(retry.result.remindersCreated).toBe(0);
    const before = reminders();
    for (const b of booked) {
      expect(before.emails.get(b.email as string), b.code).toBeUndefined();
      expect(before.sms.get(b.mobile), b.code).toBeUndefined();
    }

    // Act: the bookings job's sweeps, once the round is stale (longer than any function runs). The
    // reminders are due from the job's scheduled time (the evening before the test's far-off day),
    // so the clock moves past it.
    later(at, 10);
    await sweep();
    await sweep();
    vi.useRealTimers();

    // Assess: each reminder sent once on each channel, and recorded as sent.
    const { emails, sms } = await remindersOf(booked);
    for (const b of booked) {
      expect(emails.get(b.email as string), b.code).toHaveLength(1);
      expect(sms.get(b.mobile), b.code).toHaveLength(1);
      const [record] = await reminderRecords(b.code);
      expect(((record?.deliveries ?? []) as { status: string }[]).map((d) => d.status)).toEqual(['sent', 'sent']);
    }
  });
});

describe('booking reminders: only the next day’s confirmed bookings', () => {
  it('skips cancelled and waitlisted bookings, other days, and a cancelled day', async () => {
    // Prepare: tomorrow one seat taken, one waitlisted, one cancelled; the day after, a booking; and
    // a second day tomorrow that was cancelled.
    const day = await createDay([2]);
    nextAhead--; // the cancelled day on the same date
    const other = await createDay([2]);
    const later = await createDay([2]);
    const slotId = day.slots[0]?.slotId as string;
    const confirmed = await book(day.dayId, slotId);
    const cancelled = await book(day.dayId, slotId);
    const waitlisted = await book(day.dayId, slotId);
    expect(waitlisted.status).toBe('waitlisted');
    // Cancelling the second frees its seat; the waitlisted one is promoted, then booked over again.
    const cancel = await invoke(publicFn, httpEvent('POST', `/api/public/bookings/${cancelled.code}/cancel`));
    expect(cancel.status).toBe(200);
    const stillWaiting = await book(day.dayId, slotId);
    expect(stillWaiting.status).toBe('waitlisted');
    const onCancelledDay = await book(other.dayId, other.slots[0]?.slotId as string);
    const cancelDay = await invoke(
      staffFn,
      httpEvent('POST', `/api/staff/consultation-days/${other.dayId}/cancel`, {
        claims: wuzhongLead,
        body: JSON.stringify({ reason: '场地维修', version: 1 }),
      }),
    );
    expect(cancelDay.status, JSON.stringify(cancelDay.json)).toBe(200);
    const dayAfter = await book(later.dayId, later.slots[0]?.slotId as string);

    // Act
    const run = await runJob(eveningBefore(day.date));

    // Assess: the confirmed and the promoted are reminded; nobody else.
    expect(run.result.remindersCreated).toBe(2);
    const { emails, sms } = await remindersOf([confirmed, waitlisted]);
    expect(emails.get(confirmed.email as string)).toHaveLength(1);
    expect(emails.get(waitlisted.email as string)).toHaveLength(1);
    for (const skipped of [cancelled, stillWaiting, onCancelledDay, dayAfter]) {
      expect(emails.get(skipped.email as string), skipped.code).toBeUndefined();
      expect(sms.get(skipped.mobile), skipped.code).toBeUndefined();
    }
  });
});

describe('booking reminders: the next day is the next Beijing day', () => {
  it('a run at 00:30 Beijing (16:30 UTC the day before) reminds the day after, not the UTC next day', async () => {
    // Prepare: bookings on D and D+1; the run at D 00:30 Beijing, which is still D-1 in UTC.
    const dayD = await createDay([5]);
    const dayNext = await createDay([5]);
    const onD = await book(dayD.dayId, dayD.slots[0]?.slotId as string);
    const onNext = await book(dayNext.dayId, dayNext.slots[0]?.slotId as string);
    const [y, m, d] = dayD.date.split('-').map(Number) as [number, number, number];
    const at = fromShanghai(y, m, d, 0, 30);
    expect(at.toISOString().slice(0, 10) < dayD.date).toBe(true);

    // Act
    const run = await runJob(at);

    // Assess
    expect(run.result.date).toBe(dayNext.date);
    const { emails } = await remindersOf([onNext]);
    expect(emails.get(onNext.email as string)).toHaveLength(1);
    expect(emails.get(onD.email as string)).toBeUndefined();
  });

  it('computes the next day across a month and a year end in Beijing time', () => {
    // Assess: 23:59 Beijing on 31 Dec is 15:59 UTC; 00:00 Beijing on 1 Jan is 16:00 UTC on 31 Dec.
    expect(nextShanghaiDay(new Date('2026-12-31T15:59:00Z'))).toBe('2027-01-01');
    expect(nextShanghaiDay(new Date('2026-12-31T16:00:00Z'))).toBe('2027-01-02');
    expect(nextShanghaiDay(new Date('2026-02-28T10:00:00Z'))).toBe('2026-03-01');
  });
});
