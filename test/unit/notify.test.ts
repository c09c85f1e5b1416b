import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SESv2Client, SendEmailCommand, TooManyRequestsException } from '@aws-sdk/client-sesv2';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { postWebhook, sendEmail } from '../../functions/lib/messaging/notify.ts';
import { readOutbox } from '../../infra/local/outbox.ts';

describe('outgoing messages', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'outbox-'));
  });
  afterEach(() => {
    delete process.env.OUTBOX_DIR;
    rmSync(dir, { recursive: true, force: true });
  });

  it('records e-mails and webhook calls in the local outbox, one entry each, in order', async () => {
    process.env.OUTBOX_DIR = dir;
    await sendEmail({ to: ['a@example.test'], subject: '预约确认', text: 'hello' });
    await postWebhook('wecom', {
      url: 'https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=outbox-test',
      body: { msgtype: 'text' },
    });
    const entries = readOutbox(dir);
    expect(entries.map((e) => e.kind)).toEqual(['email', 'webhook']);
    expect(entries[0]?.message).toMatchObject({ subject: '预约确认', to: ['a@example.test'] });
  });

  it('rejects when SES is throttled so the caller can retry (fault injection)', async () => {
    process.env.MAIL_FROM = 'no-reply@example.test';
    const ses = mockClient(SESv2Client);
    ses.on(SendEmailCommand).rejects(new TooManyRequestsException({ message: 'slow down', $metadata: {} }));
    await expect(sendEmail({ to: ['a@example.test'], subject: 's', text: 't' })).rejects.toThrow('slow down');
    ses.on(SendEmailCommand).resolves({ MessageId: 'm-1' });
    await expect(sendEmail({ to: ['a@example.test'], subject: 's', text: 't' })).resolves.toBe('m-1');
    ses.restore();
  });
});
