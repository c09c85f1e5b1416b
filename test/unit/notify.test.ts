import { SESv2Client, SendEmailCommand, TooManyRequestsException } from '@aws-sdk/client-sesv2';
import { PublishCommand, SNSClient, ThrottledException } from '@aws-sdk/client-sns';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, describe, expect, it } from 'vitest';
import { SmsError, sendEmail, sendSms } from '../../functions/lib/messaging/notify.ts';

// Channel faults (aws-sdk-client-mock for fault injection only; the channels' real protocols are
// exercised against the stand-ins in test/integration/channels.test.ts).
describe('outgoing messages', () => {
  afterEach(() => {
    delete process.env.SMS_PROVIDER;
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

  it('a throttled SNS send fails with SNS’s error code only, never its text, and succeeds when retried', async () => {
    // Prepare
    process.env.AWS_REGION = 'us-east-1';
    const sns = mockClient(SNSClient);
    sns
      .on(PublishCommand)
      .rejectsOnce(new ThrottledException({ message: 'Rate exceeded for +8613900000000', $metadata: {} }))
      .resolves({ MessageId: 'sns-1' });
    const sms = {
      to: '13900000000',
      kind: 'booking-verify-code',
      params: { code: '123456' },
      text: '验证码123456',
    } as const;
    // Act
    const failure = await sendSms(sms).catch((error: unknown) => error);
    // Assess
    expect(failure).toBeInstanceOf(SmsError);
    expect((failure as Error).message).toBe('SMS refused: sns ThrottledException');
    await expect(sendSms(sms)).resolves.toBe('sns-1');
    expect(sns.commandCalls(PublishCommand)[1]?.args[0].input).toMatchObject({
      PhoneNumber: '+8613900000000',
      Message: '验证码123456',
    });
    sns.restore();
  });

  it('an unknown provider setting sends nothing', async () => {
    process.env.SMS_PROVIDER = 'carrier-pigeon';
    await expect(sendSms({ to: '13900000000', kind: 'firm-notice', params: {}, text: 't' })).rejects.toThrow(
      'SMS provider unknown',
    );
  });
});
