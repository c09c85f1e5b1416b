import { randomUUID } from 'node:crypto';
import { GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import type { StreamPump } from '../../infra/local/streams.ts';
import { keys } from '../../shared/keys.ts';
import { jobPayload } from '../../shared/schedules.ts';
import { shanghaiDate } from '../../shared/time.ts';
import { type CrowdBooker, crowd } from '../support/bookings.ts';
import { createDay, moveDayTo, wuzhongLead } from '../support/days.ts';
import { claimsFor, httpEvent, invoke } from '../support/events.ts';
import { messagesAbout, type SentEmail, type SentText, waitForOutbox } from '../support/outbox.ts';
import { type Handler, useFunctions } from '../support/table.ts';

// Issue 20, a lead's message to all bookers of a day: one message per booker of a seat, recorded by
// the request and delivered by the deliveries rounds (rule 11), idempotent by the request's id, and
// resumable when the request dies part-way (rule 12), never telling anyone twice.
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

const { person, bookOne, bookMany } = crowd(() => publicFn, 30_000_000, '苏州通知测试');

const message = (dayId: string, body: Record<string, unknown>, claims: Record<string, unknown> = wuzhongLead) =>
  invoke(
    staffFn,
    httpEvent('POST', `/api/staff/consultation-days/${dayId}/messages`, { claims, body: JSON.stringify(body) }),
  );

const runJob = () =>
  jobsFn(jobPayload('bookings', new Date().toISOString(), randomUUID(), '1'), {}) as Promise<{
    result: { noticed: number };
  }>;

const NOTICE =
  '因三楼会议室检修，咨询改在二楼 203 室进行，请携带排污许可证副本及近三个月的自行监测报告，提前十分钟到场签到。';

/** The day notices in the outbox to these bookers, by address (e-mail) or mobile (text). */
const noticesTo = (bookers: CrowdBooker[], entries: Awaited<ReturnType<typeof waitForOutbox>>) => {
  const mine = new Set(bookers.flatMap((b) => [b.email, b.mobile]));
  const told = new Map<string, string[]>();
  const add = (to: string, text: string) => told.set(to, [...(told.get(to) ?? []), text]);
  for (const entry of entries) {
    if (entry.channel === 'email' && entry.subject.startsWith('咨询日通知'))
      for (const to of (entry as SentEmail).to.filter((t) => mine.has(t))) add(to, entry.text);
    // SNS carries free text only: a notice is told by its words.
    const mobile = entry.channel === 'sms' ? (entry as SentText).to.replace(/^\+86/, '') : '';
    if (entry.channel === 'sms' && entry.text.includes('环保咨询日（') && mine.has(mobile)) add(mobile, entry.text);
  }
  return told;
};

/** Each of `bookers` told once by e-mail (the full text) and once by text message (the cut one); nobody else of `others`. */
const assertToldOnce = async (bookers: CrowdBooker[], others: CrowdBooker[] = []) => {
  await waitForOutbox(
    (entries) => {
      const told = noticesTo(bookers, entries);
      return bookers.every((b) => told.has(b.email) && told.has(b.mobile));
    },
    { timeoutMs: 15_000 },
  );
  // A little longer: a second message would show now.
  await new Promise((r) => setTimeout(r, 500));
  const entries = await waitForOutbox(() => true);
  const told = noticesTo(bookers, entries);
  for (const b of bookers) {
    expect(told.get(b.email), b.email).toHaveLength(1);
    expect(told.get(b.mobile), b.mobile).toHaveLength(1);
    expect(told.get(b.email)?.[0]).toContain(NOTICE);
    expect(told.get(b.email)?.[0]).toContain(b.code);
  }
  expect(noticesTo(others, entries).size).toBe(0);
};

/** Makes the `n`th message Put the store receives from now on throw, as a process killed there. */
const killAtPut = (n: number) => {
  const client = aws.db();
  const real = client.send.bind(client) as (command: unknown) => Promise<unknown>;
  let seen = 0;
  vi.spyOn(client, 'send').mockImplementation((async (command: unknown) => {
    if (command instanceof PutCommand && String(command.input.Item?.kind) === 'dayNotice' && ++seen === n)
      throw new Error('killed');
    return real(command);
  }) as never);
};

const recordOf = async (dayId: string, requestId: string) =>
  (await aws.db().send(new GetCommand({ TableName: aws.tableName(), Key: keys.dayMessage(dayId, requestId) }))).Item;

describe('a message to all bookers of a day (issue 20)', () => {
  it('reaches exactly the bookers of a seat (confirmed, attended); not the waitlisted, a hold or a cancelled booking', async () => {
    // Prepare: slot 1 (2 seats) full with one waitlisted; slot 2 with one booking, one cancelled, one unverified hold.
    const day = await createDay(staffFn, [2, 5]);
    const [s1, s2] = day.slots.map((s) => s.slotId) as [string, string];
    const [a, b, waitlisted] = [
      await bookOne(day.dayId, s1),
      await bookOne(day.dayId, s1),
      await bookOne(day.dayId, s1),
    ];
    expect(waitlisted?.status).toBe('waitlisted');
    const [c, cancelled] = [await bookOne(day.dayId, s2), await bookOne(day.dayId, s2)];
    expect((await invoke(publicFn, httpEvent('POST', `/api/public/bookings/${cancelled.code}/cancel`))).status).toBe(
      200,
    );
    const hold = await invoke(
      publicFn,
      httpEvent('POST', `/api/public/consultation-days/${day.dayId}/bookings`, {
        body: JSON.stringify({ ...person(), slotId: s2 }),
      }),
    );
    expect(hold.json.booking.status).toBe('pending');
    // One booker already marked attended: the day moved to today, as the desk marks it.
    await moveDayTo(day.dayId, shanghaiDate(new Date()));
    expect(
      (
        await invoke(
          staffFn,
          httpEvent('POST', `/api/staff/bookings/${a.code}/attendance`, {
            claims: wuzhongLead,
            body: JSON.stringify({ status: 'attended' }),
          }),
        )
      ).status,
    ).toBe(200);

    // Act
    const res = await message(day.dayId, { requestId: randomUUID(), text: NOTICE });

    // Assess
    expect(res.status, JSON.stringify(res.json)).toBe(202);
    expect(res.json).toEqual({ messageId: expect.any(String), recipients: 3, complete: true });
    await assertToldOnce([a, b, c], [waitlisted as CrowdBooker, cancelled]);
    expect(await messagesAbout(`booking:${hold.json.booking.code}`)).not.toContainEqual(
      expect.objectContaining({ kind: 'dayNotice' }),
    );
    // The text message is the registered template: date, venue, the text cut to 35 characters.
    const [stored] = (await messagesAbout(`booking:${c.code}`)).filter((m) => m.kind === 'dayNotice');
    expect(stored).toMatchObject({ occasion: res.json.messageId });
    const sms = stored?.sms as { kind: string; params: Record<string, string> } | undefined;
    if (sms) {
      // Still waiting (its text is dropped once all went out): the template's variables as stored.
      expect(sms.kind).toBe('day-notice');
      expect(Object.keys(sms.params)).toEqual(['date', 'place', 'text']);
      expect(sms.params.text?.length).toBeLessThanOrEqual(35);
    }
    const told = noticesTo([c], await waitForOutbox(() => true));
    expect(told.get(c.mobile)?.[0]).toContain(`${NOTICE.slice(0, 34)}…`);
    expect(told.get(c.mobile)?.[0]).not.toContain(NOTICE);
  });

  it('answers a retry of the same request the same and records nothing twice, even at the same time', async () => {
    // Prepare
    const day = await createDay(staffFn, [5]);
    const bookers = await bookMany(day.dayId, [day.slots[0]?.slotId as string], 3);
    const requestId = randomUUID();

    // Act: twice at once, then once more later.
    const [first, second] = await Promise.all([
      message(day.dayId, { requestId, text: NOTICE }),
      message(day.dayId, { requestId, text: NOTICE }),
    ]);
    const third = await message(day.dayId, { requestId, text: NOTICE });
    const other = await message(day.dayId, { requestId, text: '另一条通知' });

    // Assess
    expect([first.status, second.status, third.status]).toEqual([202, 202, 202]);
    expect(second.json).toEqual(first.json);
    expect(third.json).toEqual({ ...first.json, recipients: 3, complete: true });
    expect([other.status, other.json.error?.code]).toEqual([409, 'ALREADY_EXISTS']);
    await assertToldOnce(bookers);
  });

  // 105 bookings and two rounds of writes: about 9 s alone, more than the tier's 30 s on a loaded 2-core CI.
  it('a request killed part-way through 105 bookers (more than one transaction or page holds) finishes on retry, each told once', async () => {
    // Prepare: 105 seats booked over three slots.
    const day = await createDay(staffFn, [40, 40, 40]);
    const bookers = await bookMany(
      day.dayId,
      day.slots.map((s) => s.slotId),
      105,
    );
    const requestId = randomUUID();
    await streams.pause();
    killAtPut(40);

    // Act: the first request dies part-way.
    const first = await message(day.dayId, { requestId, text: NOTICE });

    // Assess: it failed, and nothing went out inside it.
    expect(first.status).toBe(500);
    vi.restoreAllMocks();
    expect(noticesTo(bookers, await waitForOutbox(() => true)).size).toBe(0);
    expect(await recordOf(day.dayId, requestId)).toMatchObject({ status: 'recording' });
    streams.resume();

    // Act: the same request again.
    const retry = await message(day.dayId, { requestId, text: NOTICE });

    // Assess
    expect(retry.status, JSON.stringify(retry.json)).toBe(202);
    expect(retry.json).toMatchObject({ recipients: 105, complete: true });
    expect(await recordOf(day.dayId, requestId)).toMatchObject({ status: 'recorded', recipients: 105 });
    await assertToldOnce(bookers);
  }, 90_000);

  it('a request killed part-way and never retried is finished by the bookings job, each told once', async () => {
    // Prepare
    const day = await createDay(staffFn, [10]);
    const bookers = await bookMany(day.dayId, [day.slots[0]?.slotId as string], 8);
    const requestId = randomUUID();
    killAtPut(3);
    expect((await message(day.dayId, { requestId, text: NOTICE })).status).toBe(500);
    vi.restoreAllMocks();

    // Act: the scheduled job, twice.
    const rounds = [await runJob(), await runJob()];

    // Assess
    expect(rounds[0]?.result.noticed).toBeGreaterThanOrEqual(8);
    expect(rounds[1]?.result.noticed).toBe(0);
    expect(await recordOf(day.dayId, requestId)).toMatchObject({ status: 'recorded', recipients: 8 });
    await assertToldOnce(bookers);
    const retry = await message(day.dayId, { requestId, text: NOTICE });
    expect(retry.json).toMatchObject({ recipients: 8, complete: true });
  });

  it('keeps to the day routes’ scope (404 outside it, 403 for a liaison) and refuses bad input with the field at fault', async () => {
    // Prepare
    const day = await createDay(staffFn, [3]);
    const body = { requestId: randomUUID(), text: NOTICE };

    // Act
    const outside = await message(day.dayId, body, claimsFor('lead.jiangyin', 'lead', '320281'));
    const liaison = await message(day.dayId, body, claimsFor('liaison.wuzhong', 'liaison', '320506'));
    const empty = await message(day.dayId, { ...body, text: '   ' });
    const long = await message(day.dayId, { ...body, text: '长'.repeat(501) });
    const badId = await message(day.dayId, { ...body, requestId: 'x' });

    // Assess
    expect([outside.status, outside.json.error?.code]).toEqual([404, 'NOT_FOUND']);
    expect(liaison.status).toBe(403);
    for (const [res, field] of [
      [empty, 'text'],
      [long, 'text'],
      [badId, 'requestId'],
    ] as const) {
      expect([res.status, Object.keys(res.json.error?.fields ?? {})]).toEqual([400, [field]]);
    }
    expect(await recordOf(day.dayId, body.requestId)).toBeUndefined();
  });
});
