import { SESv2Client, SendEmailCommand, TooManyRequestsException } from '@aws-sdk/client-sesv2';
import { GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { useFreshTable } from '../support/table.ts';

// The delivery ledger against DynamoDB Local, with SES answered by aws-sdk-client-mock (fault
// injection only: the store is real). No outbox here: e-mail goes to "SES" as in production.
let deliveries: typeof import('../../functions/lib/messaging/deliveries.ts');
let aws: typeof import('../../functions/lib/store/table.ts');
const ses = mockClient(SESv2Client);

beforeAll(async () => {
  await useFreshTable();
  delete process.env.OUTBOX_DIR;
  process.env.DELIVERY_BACKOFF_MS = '1';
  process.env.POWERTOOLS_LOG_LEVEL = 'ERROR';
  deliveries = await import('../../functions/lib/messaging/deliveries.ts');
  aws = await import('../../functions/lib/store/table.ts');
});

afterAll(() => ses.restore());

const key = { pk: 'NUDGE#test', sk: 'NUDGE' };
const content = { subject: '主题', text: '正文' };

const stored = async () =>
  ((await aws.db().send(new GetCommand({ TableName: aws.tableName(), Key: key }))).Item?.deliveries ?? []) as Record<
    string,
    unknown
  >[];

describe('deliveries', () => {
  it('retries a throttled SES with backoff and sends each e-mail once; a dead robot does not hold the e-mails back', async () => {
    // Prepare: two e-mails and a robot address nothing listens on; SES throttles the first two calls.
    const list = [
      { channel: 'inbox', to: 'liaison.a', status: 'sent' },
      { channel: 'email', to: 'a@example.test', status: 'pending', attempts: 0 },
      { channel: 'email', to: 'b@example.test', status: 'pending', attempts: 0 },
      {
        channel: 'webhook',
        to: '320506',
        webhook: { kind: 'wecom', url: 'http://127.0.0.1:9/send' },
        status: 'pending',
        attempts: 0,
      },
    ];
    await aws.db().send(new PutCommand({ TableName: aws.tableName(), Item: { ...key, deliveries: list } }));
    ses
      .on(SendEmailCommand)
      .rejectsOnce(new TooManyRequestsException({ message: 'Maximum sending rate exceeded', $metadata: {} }))
      .rejectsOnce(new TooManyRequestsException({ message: 'Maximum sending rate exceeded', $metadata: {} }))
      .resolves({ MessageId: 'ok' });

    // Act
    const first = await deliveries.deliver(key, list as never, content, deliveries.newRun());

    // Assess
    expect(first).toEqual({ sent: 2, failed: 1 });
    expect(ses.commandCalls(SendEmailCommand)).toHaveLength(4);
    const after = await stored();
    expect(after.filter((d) => d.channel === 'email').map((d) => d.status)).toEqual(['sent', 'sent']);
    expect(after.find((d) => d.channel === 'webhook')).toMatchObject({ status: 'failed', attempts: 3 });

    // Act again, as a later re-run: only the robot is tried; no e-mail goes out twice.
    const second = await deliveries.deliver(key, after as never, content, deliveries.newRun());
    expect(second).toEqual({ sent: 0, failed: 1 });
    expect(ses.commandCalls(SendEmailCommand)).toHaveLength(4);
    expect((await stored()).find((d) => d.channel === 'webhook')).toMatchObject({ status: 'failed', attempts: 6 });
  });

  it('lets only one of two runs at once take a message’s round', async () => {
    const item = { pk: 'NUDGE#race', sk: 'NUDGE' };
    const list = [{ channel: 'email', to: 'c@example.test', status: 'pending', attempts: 0 }];
    await aws.db().send(new PutCommand({ TableName: aws.tableName(), Item: { ...item, deliveries: list } }));
    ses.reset();
    ses.on(SendEmailCommand).callsFake(async () => {
      await new Promise((r) => setTimeout(r, 50));
      return { MessageId: 'ok' };
    });
    const results = await Promise.all(
      Array.from({ length: 5 }, () => deliveries.deliver(item, list as never, content, deliveries.newRun())),
    );
    expect(results.reduce((sum, r) => sum + r.sent, 0)).toBe(1);
    expect(ses.commandCalls(SendEmailCommand)).toHaveLength(1);
  });
});
