import { randomUUID } from 'node:crypto';
import { SESv2Client, SendEmailCommand } from '@aws-sdk/client-sesv2';
import { PublishCommand, SNSClient } from '@aws-sdk/client-sns';
import { TransactWriteCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { StreamPump } from '../../infra/local/streams.ts';
import { bookingCodeSms, bookingFindCodeSms } from '../../shared/messages/outgoing.ts';
import { jobPayload } from '../../shared/schedules.ts';
import { claimsFor, httpEvent, invoke } from '../support/events.ts';
import { messagesAbout } from '../support/outbox.ts';
import { type Handler, useFunctions } from '../support/table.ts';

// The deliveries page (issue 15): leads and admins see, in their subtree only, the messages whose
// e-mail or text is still due or was given up, and put a given-up one back in the queue; the
// deliveries function then sends what failed, once, and never what went out. SES and SNS are
// answered by aws-sdk-client-mock, for the fault only (the store, the stream and the function are real).
let staffFn: Handler;
let jobsFn: Handler;
let streams: StreamPump;
let outgoing: typeof import('../../functions/lib/messaging/outgoing.ts');
let aws: typeof import('../../functions/lib/store/table.ts');

const ses = mockClient(SESv2Client);
const sns = mockClient(SNSClient);
let outboxDir: string | undefined;

const suzhouLead = claimsFor('lead.suzhou', 'lead', '320500');
const wuzhongLead = claimsFor('lead.wuzhong', 'lead', '320506');
const jiangyinLead = claimsFor('lead.jiangyin', 'lead', '320281');
const wuzhongLiaison = claimsFor('liaison.wuzhong', 'liaison', '320506');

beforeAll(async () => {
  outboxDir = process.env.OUTBOX_DIR;
  delete process.env.OUTBOX_DIR;
  process.env.DELIVERY_BACKOFF_MS = '1';
  ({ staffFn, jobsFn, streams } = await useFunctions());
  outgoing = await import('../../functions/lib/messaging/outgoing.ts');
  aws = await import('../../functions/lib/store/table.ts');
});
afterAll(() => {
  process.env.OUTBOX_DIR = outboxDir;
  ses.restore();
  sns.restore();
});

const get = (path: string, claims: Record<string, unknown>) => invoke(staffFn, httpEvent('GET', path, { claims }));
const retry = (id: { about: string; kind: string; occasion: string }, claims: Record<string, unknown>) =>
  invoke(staffFn, httpEvent('POST', '/api/staff/deliveries/retry', { claims, body: JSON.stringify(id) }));
const sweep = () => jobsFn(jobPayload('bookings', new Date().toISOString(), randomUUID(), '1'), {});

/** Records a message as a fact's transaction does: an e-mail (after `attempts` failed tries) and a text already sent. */
const record = async (jurisdiction: string, email: string, attempts = 0) => {
  const id = { about: `booking:T${randomUUID().slice(0, 8).toUpperCase()}`, kind: 'confirmed', occasion: '' };
  await aws.db().send(
    new TransactWriteCommand({
      TransactItems: [
        outgoing.messagePut(
          {
            ...id,
            jurisdiction,
            content: { subject: '预约成功 / Booking confirmed', text: '您的预约已确认' },
            deliveries: [
              { channel: 'email', to: email, status: 'pending', attempts },
              { channel: 'sms', to: '13812345678', status: 'sent', attempts: 1 },
            ],
            expiresAt: Math.floor(Date.now() / 1000) + 86_400,
          },
          new Date(),
        ),
      ],
    }),
  );
  return id;
};

const waitFor = async <T>(read: () => Promise<T>, ok: (value: T) => boolean): Promise<T> => {
  const deadline = Date.now() + 8000;
  for (;;) {
    const value = await read();
    if (ok(value) || Date.now() > deadline) return value;
    await new Promise((r) => setTimeout(r, 50));
  }
};
const emailOf = (m: Record<string, unknown> | undefined) =>
  (m?.deliveries as { channel: string; status: string; attempts: number }[] | undefined)?.[0];

describe('a given-up message on the deliveries page', () => {
  it('is listed in its subtree only, masked, and a retry sends the failed e-mail once and never the sent text', async () => {
    // Prepare: SES refuses everything; a Wuzhong message with 21 failed tries gives up on its next round.
    ses.reset();
    sns.reset();
    ses.on(SendEmailCommand).rejects(new Error('MessageRejected: Email address is not verified'));
    const email = `wang-${randomUUID()}@example.test`;
    const id = await record('320506', email, 21);
    const given = await waitFor(
      async () => (await messagesAbout(id.about))[0],
      (m) => emailOf(m)?.status === 'failed' && !m?.parentPk,
    );
    expect(emailOf(given)).toMatchObject({ status: 'failed', attempts: 24 });
    expect(given).not.toHaveProperty('parentPk');

    // Act: the leads and the liaison look.
    const mine = await get('/api/staff/deliveries?status=failed', wuzhongLead);
    const city = await get('/api/staff/deliveries?status=failed&channel=email&kind=confirmed', suzhouLead);
    const other = await get('/api/staff/deliveries?status=failed', jiangyinLead);
    const liaison = await get('/api/staff/deliveries?status=failed', wuzhongLiaison);
    const count = await get('/api/staff/deliveries/summary', wuzhongLead);
    const otherCount = await get('/api/staff/deliveries/summary', jiangyinLead);

    // Assess: Wuzhong's and Suzhou's leads see it with its error, the address masked; Jiangyin's none; the liaison 403.
    expect(mine.status).toBe(200);
    const row = (mine.json.messages as Record<string, unknown>[]).find((m) => m.about === id.about);
    expect(row).toMatchObject({ kind: 'confirmed', status: 'failed', jurisdiction: '320506' });
    expect(row?.deliveries).toEqual([
      {
        channel: 'email',
        to: 'w***@example.test',
        status: 'failed',
        attempts: 24,
        lastError: expect.stringContaining('not verified'),
      },
      { channel: 'sms', to: '138****5678', status: 'sent', attempts: 1 },
    ]);
    expect(JSON.stringify(mine.json)).not.toContain(email);
    expect((city.json.messages as { about: string }[]).map((m) => m.about)).toContain(id.about);
    expect(other.status).toBe(200);
    expect(other.json.messages).toEqual([]);
    expect(liaison.status).toBe(403);
    expect(count.json).toMatchObject({ failed: 1 });
    expect(otherCount.json).toMatchObject({ pending: 0, failed: 0 });

    // Act: Jiangyin's lead tries to retry it; then SES recovers and Wuzhong's lead retries it, twice.
    const outside = await retry(id, jiangyinLead);
    ses.reset();
    ses.on(SendEmailCommand).resolves({ MessageId: 'ses-retried' });
    const first = await retry(id, wuzhongLead);
    const second = await retry(id, wuzhongLead);
    const done = await waitFor(
      async () => (await messagesAbout(id.about))[0],
      (m) => emailOf(m)?.status === 'sent',
    );
    await sweep();

    // Assess: outside its scope 404 (nothing changed); the retry 200 then 409; the mail went once, the text never.
    expect(outside.status).toBe(404);
    expect(first.status).toBe(200);
    expect(second.status).toBe(409);
    expect(emailOf(done)).toMatchObject({ status: 'sent', attempts: 1 });
    expect(ses.commandCalls(SendEmailCommand)).toHaveLength(1);
    expect(sns.commandCalls(PublishCommand)).toHaveLength(0);
    expect(done).not.toHaveProperty('scopePk');
    expect((await get('/api/staff/deliveries?status=failed', wuzhongLead)).json.messages).toEqual([]);
    const audit = await get(`/api/staff/audit?entity=${id.about}`, wuzhongLead);
    expect(audit.json.events).toEqual([
      expect.objectContaining({ action: 'message.retry', actor: 'lead.wuzhong', jurisdiction: '320506' }),
    ]);
  });

  it('refuses to retry a message that is still being tried or that never existed', async () => {
    // Prepare: a message recorded while its trigger is paused (pending).
    await streams.pause();
    const id = await record('320506', `li-${randomUUID()}@example.test`);

    // Act
    const pending = await retry(id, wuzhongLead);
    const missing = await retry({ ...id, kind: 'cancelled' }, wuzhongLead);
    const hostile = await retry({ about: 'booking:X#Y', kind: 'confirmed', occasion: '' }, wuzhongLead);
    streams.resume();

    // Assess
    expect(pending.status).toBe(409);
    expect(missing.status).toBe(404);
    expect(hostile.status).toBe(400);
  });
});

describe('a message that carries a secret', () => {
  // Each code as its function records it: its words are its subject and its text.
  const code = '482913';
  const signInSms = {
    kind: 'firm-sign-in-code' as const,
    params: { code },
    text: `【环保服务联络】您的登录验证码为 ${code}，5 分钟内有效。`,
  };
  it.each([
    { kind: 'sign-in-code', sms: signInSms },
    { kind: 'hold-code', sms: bookingCodeSms(code) },
    { kind: 'recovery-code', sms: bookingFindCodeSms(code) },
  ])('lists a $kind without its words and refuses to send it again', async ({ kind, sms }) => {
    // Prepare: the code's message recorded, trigger paused.
    await streams.pause();
    const words = sms.text;
    const id = { about: `firm:91320506MA${randomUUID().slice(0, 6)}`, kind, occasion: randomUUID() };
    await aws.db().send(
      new TransactWriteCommand({
        TransactItems: [
          outgoing.messagePut(
            {
              ...id,
              jurisdiction: '320506',
              content: {
                subject: words,
                text: words,
                sms,
              },
              deliveries: [{ channel: 'sms', to: '13912345678', status: 'pending', attempts: 0 }],
              expiresAt: Math.floor(Date.now() / 1000) + 86_400,
            },
            new Date(),
          ),
        ],
      }),
    );

    // …and given up, as 24 failed tries leave it.
    const keys = (await import('../../shared/keys.ts')).keys;
    await aws.db().send(
      new UpdateCommand({
        TableName: aws.tableName(),
        Key: keys.message(id),
        UpdateExpression:
          'SET scopePk = :f, deliveries[0].#s = :failed, deliveries[0].attempts = :n REMOVE parentPk, parentSk, wake',
        ExpressionAttributeNames: { '#s': 'status' },
        ExpressionAttributeValues: { ':f': 'MSGS#failed', ':failed': 'failed', ':n': 24 },
      }),
    );

    try {
      // Act
      const list = await get('/api/staff/deliveries?status=failed', wuzhongLead);
      const again = await retry(id, wuzhongLead);

      // Assess: listed (its channel, masked), without the code anywhere; not sent again.
      const row = (list.json.messages as { about: string; subject: string }[]).find((m) => m.about === id.about);
      expect(row).toMatchObject({ kind, subject: '' });
      expect(JSON.stringify(list.json)).not.toContain(code);
      expect(again.status).toBe(409);
    } finally {
      streams.resume();
    }
  });
});

describe('paging the deliveries page', () => {
  it('pages through every pending message of the subtree once, with a cursor bound to its filter', async () => {
    // Prepare: five messages in Xiangcheng recorded while the trigger is paused, so they stay pending.
    ses.reset();
    ses.on(SendEmailCommand).resolves({ MessageId: 'ses-paged' });
    await streams.pause();
    const ids: string[] = [];
    for (let i = 0; i < 5; i++) ids.push((await record('320507', `p${i}-${randomUUID()}@example.test`)).about);

    try {
      // Act: the city lead reads two at a time; then tries the cursor on the failed list.
      const seen: string[] = [];
      let cursor: string | undefined;
      let firstCursor: string | undefined;
      do {
        const page = await get(
          `/api/staff/deliveries?status=pending&limit=2${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`,
          suzhouLead,
        );
        expect(page.status).toBe(200);
        seen.push(...(page.json.messages as { about: string }[]).map((m) => m.about));
        cursor = page.json.nextCursor ?? undefined;
        firstCursor ??= cursor;
      } while (cursor);
      const crossed = await get(
        `/api/staff/deliveries?status=failed&limit=2&cursor=${encodeURIComponent(String(firstCursor))}`,
        suzhouLead,
      );
      const summary = await get('/api/staff/deliveries/summary', suzhouLead);

      // Assess
      expect(seen.filter((about) => ids.includes(about)).sort()).toEqual([...ids].sort());
      expect(new Set(seen).size).toBe(seen.length);
      expect(crossed.status).toBe(400);
      expect(summary.json.pending).toBeGreaterThanOrEqual(5);
    } finally {
      streams.resume();
    }
  });
});
