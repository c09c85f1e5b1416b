import { randomUUID } from 'node:crypto';
import { GetCommand, TransactWriteCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import type { StreamPump } from '../../infra/local/streams.ts';
import { keys } from '../../shared/keys.ts';
import { jobPayload } from '../../shared/schedules.ts';
import { shanghaiDate } from '../../shared/time.ts';
import { bookAndVerify, crowd } from '../support/bookings.ts';
import { createDay as createDayOf, moveDayTo } from '../support/days.ts';
import { claimsFor, httpEvent, invoke } from '../support/events.ts';
import { waitForOutbox } from '../support/outbox.ts';
import { type Handler, useFunctions } from '../support/table.ts';
import { distinctUsccs } from '../support/uscc.ts';

// Rule 12 (a day's cancellation is resumable) and rule 11 (each booker told once, by the job's
// delivery rounds, never inside the request), with faults injected into the real store's client:
// the Nth write of the cancellation throws, as a Lambda killed there would stop.
let publicFn: Handler;
let staffFn: Handler;
let jobsFn: Handler;
let aws: typeof import('../../functions/lib/store/table.ts');
let streams: StreamPump;

beforeAll(async () => {
  // The injected faults are logged as unhandled errors, as they would be: not worth reading here.
  process.env.POWERTOOLS_LOG_LEVEL = 'CRITICAL';
  ({ publicFn, staffFn, jobsFn, streams } = await useFunctions());
  aws = await import('../../functions/lib/store/table.ts');
});

afterEach(() => {
  vi.restoreAllMocks();
  streams.resume();
});

const lead = claimsFor('lead.wuzhong', 'lead', '320506');
const REASON = '场地临时维修, 改期另行通知';

const createDay = (capacities: number[]) => createDayOf(staffFn, capacities, { ahead: 12 });

const { bookMany } = crowd(() => publicFn, 10_000_000, '苏州测试企业');

const cancel = (dayId: string, version = 1) =>
  invoke(
    staffFn,
    httpEvent('POST', `/api/staff/consultation-days/${dayId}/cancel`, {
      claims: lead,
      body: JSON.stringify({ reason: REASON, version }),
    }),
  );

const runJob = (at = new Date()) =>
  jobsFn(jobPayload('bookings', at.toISOString(), randomUUID(), '1'), {}) as Promise<{
    result: { days: number; cancelled: number; sent: number; failed: number };
  }>;

const statusOf = async (code: string) =>
  (await invoke(publicFn, httpEvent('GET', `/api/public/bookings/${code}`))).json.booking.status as string;

const dayItem = async (dayId: string) =>
  (await aws.db().send(new GetCommand({ TableName: aws.tableName(), Key: keys.day(dayId) }))).Item ?? {};

type Booker = { code: string; email: string; mobile?: string };

/** Day-cancelled mails and texts in the outbox to these bookers (each test's have their own), by recipient. */
const cancelMessages = (bookings: Booker[], entries: Awaited<ReturnType<typeof waitForOutbox>>) => {
  const mine = new Set(bookings.flatMap((b) => [b.email, ...(b.mobile ? [b.mobile] : [])]));
  const byRecipient = new Map<string, string[]>();
  const add = (to: string, text: string) => byRecipient.set(to, [...(byRecipient.get(to) ?? []), text]);
  for (const entry of entries) {
    if (entry.channel === 'email' && entry.subject.startsWith('咨询日取消'))
      for (const to of entry.to.filter((t) => mine.has(t))) add(to, entry.text);
    // SNS carries free text only: a day-cancelled text is told by its words.
    const mobile = entry.channel === 'sms' ? entry.to.replace(/^\+86/, '') : '';
    if (entry.channel === 'sms' && entry.text.includes('咨询日已取消') && mine.has(mobile)) add(mobile, entry.text);
  }
  return byRecipient;
};
const cancelMails = async (bookings: Booker[]) => cancelMessages(bookings, await waitForOutbox(() => true));

/** Makes the `n`th command of `kind` the store receives from now on throw, as a process killed there. */
const killAt = (kind: typeof TransactWriteCommand | typeof UpdateCommand, n: number) => {
  const client = aws.db();
  const real = client.send.bind(client) as (command: unknown) => Promise<unknown>;
  let seen = 0;
  vi.spyOn(client, 'send').mockImplementation((async (command: unknown) => {
    if (command instanceof kind && ++seen === n) throw new Error('killed');
    return real(command);
  }) as never);
};

/** Every booking cancelled, and its booker told once by e-mail and once by text, after the request. */
const assertEveryBookerToldOnce = async (bookings: Booker[]) => {
  for (const { code } of bookings) expect(await statusOf(code)).toBe('cancelled');
  const recipients = bookings.flatMap((b) => [b.email, ...(b.mobile ? [b.mobile] : [])]);
  await waitForOutbox((entries) => {
    const told = cancelMessages(bookings, entries);
    return recipients.every((to) => told.has(to));
  });
  // A little longer: a second message would show now.
  await new Promise((r) => setTimeout(r, 500));
  const told = await cancelMails(bookings);
  for (const { code, email, mobile } of bookings) {
    for (const to of [email, ...(mobile ? [mobile] : [])]) {
      expect(told.get(to), to).toHaveLength(1);
      expect(told.get(to)?.[0]).toContain(code);
    }
    expect(told.get(email)?.[0]).toContain(REASON);
  }
};

describe('a day’s cancellation killed part-way loses nothing and tells each booker once (rules 11, 12)', () => {
  it.each([
    ['right after the day is marked cancelling', TransactWriteCommand, 2],
    ['in the middle of its bookings', TransactWriteCommand, 23],
    ['at the step that marks the day cancelled', UpdateCommand, 1],
  ] as const)('killed %s, a repeated request finishes it', async (_, kind, n) => {
    // Prepare: 40 bookings over three slots of 10 seats; the 10 beyond the seats are waitlisted.
    const day = await createDay([10, 10, 10]);
    const bookings = await bookMany(
      day.dayId,
      day.slots.map((s) => s.slotId),
      40,
    );
    // The trigger paused: what the faulty request alone did, with faults in its writes alone.
    await streams.pause();
    killAt(kind, n);

    // Act: the first request dies part-way.
    const first = await cancel(day.dayId);

    // Assess: it failed, nothing was sent inside it, and the day takes no booking any more.
    expect(first.status).toBe(500);
    vi.restoreAllMocks();
    expect((await cancelMails(bookings)).size).toBe(0);
    streams.resume();
    expect((await dayItem(day.dayId)).status).toBe('cancelling');
    expect((await dayItem(day.dayId)).cancelReason).toBe(REASON);
    const late = await bookAndVerify(publicFn, day.dayId, {
      slotId: day.slots[0]?.slotId,
      uscc: distinctUsccs(41)[40],
      companyName: '迟到的企业有限公司',
      contactName: '李四',
      mobile: '13700000999',
      topic: '排污许可',
      question: '我们的排污许可证明年到期，延续需要准备哪些材料？',
      consent: true,
    });
    expect(late.json.error.code).toBe('BOOKING_CLOSED');

    // Act: the same request again (with the version it read at first), then the delivery job, twice.
    const retry = await cancel(day.dayId, 1);
    const rounds = [await runJob(), await runJob()];

    // Assess: the day is cancelled, every booking with it, seats and guards freed, each booker told once.
    expect(retry.status, JSON.stringify(retry.json)).toBe(200);
    expect(retry.json.day.status).toBe('cancelled');
    await assertEveryBookerToldOnce(bookings);
    // The sweep finds nothing left to send: each message went out once, woken by its record.
    expect(rounds.map((r) => r.result.sent)).toEqual([0, 0]);
    expect(retry.json.day.slots.map((s: { confirmed: number; waitlisted: number }) => s)).toEqual(
      day.slots.map(() => expect.objectContaining({ confirmed: 0, waitlisted: 0 })),
    );
    const again = await cancel(day.dayId, 1);
    expect([again.status, again.json.cancelledBookings]).toEqual([200, 0]);
  });

  it('killed part-way and never retried, the scheduled job finishes it and tells each booker once', async () => {
    // Prepare
    const day = await createDay([5, 5]);
    const bookings = await bookMany(
      day.dayId,
      day.slots.map((s) => s.slotId),
      14,
    );
    await streams.pause();
    killAt(TransactWriteCommand, 6);
    expect((await cancel(day.dayId)).status).toBe(500);
    vi.restoreAllMocks();
    streams.resume();

    // Act: only the job, twice over (as a repeated or overlapping schedule would).
    const [a, b] = await Promise.all([runJob(), runJob()]);
    const c = await runJob();

    // Assess
    expect((await dayItem(day.dayId)).status).toBe('cancelled');
    expect((await dayItem(day.dayId)).scopePk).toBeUndefined();
    expect(a.result.cancelled + b.result.cancelled).toBe(14 - 4);
    await assertEveryBookerToldOnce(bookings);
    expect(c.result.cancelled).toBe(0);
  });

  it('finishes a day whose bookings were partly marked attended or no-show: those stay as marked, untold', async () => {
    // Prepare
    const day = await createDay([4]);
    const bookings = await bookMany(day.dayId, [day.slots[0]?.slotId as string], 3);
    const [attended, noShow, active] = bookings as [(typeof bookings)[0], (typeof bookings)[0], (typeof bookings)[0]];
    // Attendance is recorded from the day itself: the booked day moved to today.
    await moveDayTo(day.dayId, shanghaiDate(new Date()));
    for (const [{ code }, status] of [
      [attended, 'attended'],
      [noShow, 'no_show'],
    ] as const) {
      const marked = await invoke(
        staffFn,
        httpEvent('POST', `/api/staff/bookings/${code}/attendance`, {
          claims: lead,
          body: JSON.stringify({ status }),
        }),
      );
      expect(marked.status).toBe(200);
    }

    // Act
    const res = await cancel(day.dayId);
    await runJob();

    // Assess
    expect([res.status, res.json.day.status, res.json.cancelledBookings]).toEqual([200, 'cancelled', 1]);
    expect([await statusOf(attended.code), await statusOf(noShow.code)]).toEqual(['attended', 'no_show']);
    await assertEveryBookerToldOnce([active]);
    expect((await cancelMails([attended, noShow])).size).toBe(0);
  });

  it('a stale version on a day still open gets 409 VERSION_CONFLICT and cancels nothing', async () => {
    // Prepare
    const day = await createDay([3]);
    const [booking] = await bookMany(day.dayId, [day.slots[0]?.slotId as string], 1);
    // Act
    const stale = await cancel(day.dayId, 7);
    // Assess
    expect([stale.status, stale.json.error.code]).toEqual([409, 'VERSION_CONFLICT']);
    expect(await statusOf(booking?.code as string)).toBe('confirmed');
    expect((await dayItem(day.dayId)).status).toBe('open');
  });
});
