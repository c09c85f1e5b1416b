import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { SMS_TEMPLATE_PARAMS, type Sms } from '../../shared/outbox.ts';
import { readOutbox, robotPosts, sentEmails, sentTexts } from '../support/outbox.ts';
import {
  type ProviderEndpoint,
  startAliyunSms,
  startSecretsManager,
  startTencentSms,
} from '../support/sms-providers.ts';

// Issue 15: every message really leaves through its channel's protocol, locally too (no file in
// functions/ knows it runs locally): e-mail through SES v2, text messages through the deployment's
// provider (SNS by default; Aliyun or Tencent Cloud with registered templates and a key from
// Secrets Manager), robots over HTTP. The stand-ins of channels-setup.ts (SES, SNS, robot) and the
// provider endpoints of sms-providers.ts receive what the SDKs send.
let notify: typeof import('../../functions/lib/messaging/notify.ts');
let secretCache: typeof import('../../functions/lib/messaging/sms/secret.ts');
let aliyun: ProviderEndpoint;
let tencent: ProviderEndpoint;
let secrets: ProviderEndpoint;

const ALIYUN_SECRET = 'arn:aws:secretsmanager:cn-north-1:123456789012:secret:sms-aliyun-AbCdEf';
const TENCENT_SECRET = 'arn:aws:secretsmanager:cn-north-1:123456789012:secret:sms-tencent-AbCdEf';
const TEMPLATES = { 'booking-confirmed': 'SMS_480001', 'ledger-confirmation': 'SMS_480002' };

const confirmed: Sms = {
  to: '13912345678',
  kind: 'booking-confirmed',
  params: { code: 'K7Q2M9', place: '区政务中心三楼', time: '09:30', date: '12月8日' },
  text: '【环保服务联络】您已预约12月8日09:30咨询（区政务中心三楼），预约码K7Q2M9。',
};

const providerEnv = ['SMS_PROVIDER', 'SMS_SIGN_NAME', 'SMS_TEMPLATES', 'SMS_SECRET_ARN', 'SMS_APP_ID', 'SMS_ENDPOINT'];
const useProvider = (settings: Record<string, string>) => {
  for (const name of providerEnv) delete process.env[name];
  Object.assign(process.env, settings);
};

beforeAll(async () => {
  Object.assign(process.env, {
    AWS_REGION: 'us-east-1',
    AWS_ACCESS_KEY_ID: 'local',
    AWS_SECRET_ACCESS_KEY: 'local',
    MAIL_FROM: 'no-reply@example.test',
    ROBOT_LOOPBACK: '1',
  });
  aliyun = await startAliyunSms();
  tencent = await startTencentSms();
  secrets = await startSecretsManager({
    [ALIYUN_SECRET]: { accessKeyId: 'LTAI-test', accessKeySecret: 'aliyun-secret-value' },
    [TENCENT_SECRET]: { secretId: 'AKID-test', secretKey: 'tencent-secret-value' },
  });
  process.env.AWS_ENDPOINT_URL_SECRETS_MANAGER = secrets.url;
  notify = await import('../../functions/lib/messaging/notify.ts');
  secretCache = await import('../../functions/lib/messaging/sms/secret.ts');
});
afterAll(async () => {
  await Promise.all([aliyun.stop(), tencent.stop(), secrets.stop()]);
});
beforeEach(() => {
  secretCache.forgetSecrets();
  useProvider({ SMS_PROVIDER: 'sns' });
});

describe('e-mail goes through SES v2', () => {
  it('reaches SES with subject, text and the .ics attachment byte for byte', async () => {
    // Prepare: a booking mail with its calendar.
    const ics = 'BEGIN:VCALENDAR\r\nVERSION:2.0\r\nSUMMARY:环保咨询\r\nEND:VCALENDAR\r\n';
    // Act
    const id = await notify.sendEmail({
      to: ['ics@example.test'],
      subject: '预约确认 Booking confirmed',
      text: '预约码 K7Q2M9',
      attachments: [{ fileName: 'consultation.ics', contentType: 'text/calendar', content: ics }],
    });
    // Assess: the SES stand-in has it under the id SES answered.
    const mail = sentEmails().find((e) => e.id === id);
    expect(mail).toMatchObject({
      to: ['ics@example.test'],
      subject: '预约确认 Booking confirmed',
      text: '预约码 K7Q2M9',
    });
    expect(mail?.attachments).toEqual([{ fileName: 'consultation.ics', contentType: 'text/calendar', content: ics }]);
  });
});

describe('text messages go through the chosen provider', () => {
  it('sns (the default): a transactional publish to +86…, the full text', async () => {
    // Act
    const id = await notify.sendSms(confirmed);
    // Assess
    expect(sentTexts().find((e) => e.id === id)).toMatchObject({ to: '+8613912345678', text: confirmed.text });
  });

  it('aliyun: SendSms with the kind’s template, the signature and the parameters by name; key from Secrets Manager', async () => {
    // Prepare
    useProvider({
      SMS_PROVIDER: 'aliyun',
      SMS_SIGN_NAME: '环保服务联络',
      SMS_TEMPLATES: JSON.stringify(TEMPLATES),
      SMS_SECRET_ARN: ALIYUN_SECRET,
      SMS_ENDPOINT: aliyun.url,
    });
    const before = { sent: aliyun.requests.length, secretReads: secrets.requests.length };
    // Act: two messages.
    await notify.sendSms(confirmed);
    const id = await notify.sendSms({ ...confirmed, to: '13800000000' });
    // Assess: the request as Aliyun documents it, signed with the key from the secret, read once.
    const [first, second] = aliyun.requests.slice(before.sent);
    expect(first?.headers['x-acs-action']).toBe('SendSms');
    expect(first?.headers.authorization).toMatch(/^ACS3-HMAC-SHA256 Credential=LTAI-test,/);
    expect(first?.query).toMatchObject({
      PhoneNumbers: '13912345678',
      SignName: '环保服务联络',
      TemplateCode: 'SMS_480001',
    });
    expect(JSON.parse(first?.query.TemplateParam ?? '')).toEqual(confirmed.params);
    expect(second?.query.PhoneNumbers).toBe('13800000000');
    expect(id).toMatch(/^biz-/);
    expect(secrets.requests.length - before.secretReads).toBe(1);
    expect(secrets.requests.at(-1)?.body).toEqual({ SecretId: ALIYUN_SECRET });
  });

  it('tencent: SendSms with the template id and the parameters in the table’s order', async () => {
    // Prepare
    useProvider({
      SMS_PROVIDER: 'tencent',
      SMS_SIGN_NAME: '环保服务联络',
      SMS_TEMPLATES: JSON.stringify({ 'booking-confirmed': '1840001' }),
      SMS_SECRET_ARN: TENCENT_SECRET,
      SMS_APP_ID: '1400012345',
      SMS_ENDPOINT: tencent.url,
    });
    const before = tencent.requests.length;
    // Act
    const id = await notify.sendSms(confirmed);
    // Assess
    const [request] = tencent.requests.slice(before);
    expect(request?.headers['x-tc-action']).toBe('SendSms');
    expect(request?.headers.authorization).toMatch(/^TC3-HMAC-SHA256 Credential=AKID-test\//);
    expect(request?.body).toEqual({
      PhoneNumberSet: ['+8613912345678'],
      SmsSdkAppId: '1400012345',
      SignName: '环保服务联络',
      TemplateId: '1840001',
      TemplateParamSet: SMS_TEMPLATE_PARAMS['booking-confirmed'].map((name) => confirmed.params[name]),
    });
    expect(request?.body.TemplateParamSet).toEqual(['12月8日', '09:30', '区政务中心三楼', 'K7Q2M9']);
    expect(id).toMatch(/^serial-/);
  });

  it('a provider’s refusal fails the send (to be retried) with its code, never its text', async () => {
    // Prepare: Aliyun refuses in a 200 answer, Tencent per number and then for the whole request.
    useProvider({
      SMS_PROVIDER: 'aliyun',
      SMS_SIGN_NAME: '环保服务联络',
      SMS_TEMPLATES: JSON.stringify(TEMPLATES),
      SMS_SECRET_ARN: ALIYUN_SECRET,
      SMS_ENDPOINT: aliyun.url,
    });
    aliyun.answer({
      status: 200,
      body: { Code: 'isv.BUSINESS_LIMIT_CONTROL', Message: '<script>触发分钟级流控', RequestId: 'r' },
    });
    // Act + Assess
    const refused = await notify.sendSms(confirmed).catch((error: Error) => error);
    expect(refused).toBeInstanceOf(notify.SmsError);
    expect((refused as Error).message).toBe('SMS refused: aliyun isv.BUSINESS_LIMIT_CONTROL');

    useProvider({
      SMS_PROVIDER: 'tencent',
      SMS_SIGN_NAME: '环保服务联络',
      SMS_TEMPLATES: JSON.stringify({ 'booking-confirmed': '1840001' }),
      SMS_SECRET_ARN: TENCENT_SECRET,
      SMS_APP_ID: '1400012345',
      SMS_ENDPOINT: tencent.url,
    });
    tencent.answer(
      {
        status: 200,
        body: {
          Response: {
            SendStatusSet: [{ Code: 'LimitExceeded.PhoneNumberDailyLimit', Message: 'daily limit <b>' }],
            RequestId: 'r',
          },
        },
      },
      {
        status: 200,
        body: {
          Response: {
            Error: {
              Code: 'AuthFailure.SignatureFailure',
              Message: 'The provided credentials could not be validated.',
            },
            RequestId: 'r',
          },
        },
      },
    );
    await expect(notify.sendSms(confirmed)).rejects.toThrow(
      /^SMS refused: tencent LimitExceeded\.PhoneNumberDailyLimit$/,
    );
    await expect(notify.sendSms(confirmed)).rejects.toThrow(/^SMS refused: tencent AuthFailure\.SignatureFailure$/);
  });

  it('a template provider without the kind’s template, or with an unreadable secret, sends nothing', async () => {
    // Prepare
    useProvider({
      SMS_PROVIDER: 'aliyun',
      SMS_SIGN_NAME: '环保服务联络',
      SMS_TEMPLATES: JSON.stringify(TEMPLATES),
      SMS_SECRET_ARN: ALIYUN_SECRET,
      SMS_ENDPOINT: aliyun.url,
    });
    const before = aliyun.requests.length;
    // Act + Assess: no template for day-cancelled.
    await expect(
      notify.sendSms({ ...confirmed, kind: 'day-cancelled', params: { date: '12月8日', reason: '停电' } }),
    ).rejects.toThrow('SMS template missing for day-cancelled');
    // Secrets Manager fails: a short code, nothing of its answer.
    secrets.answer({
      status: 400,
      body: { __type: 'AccessDeniedException', message: 'User arn:aws:iam::123 is not authorized' },
    });
    await expect(notify.sendSms(confirmed)).rejects.toThrow(/^SMS secret unavailable$/);
    expect(aliyun.requests.length).toBe(before);
  });
});

describe('robots are really called', () => {
  it('a post reaches the robot, which records it and answers errcode 0', async () => {
    // Prepare: the local robot stand-in, as the local runtime gives it.
    const { startLocalChannels } = await import('../../infra/local/channels.ts');
    const channels = await startLocalChannels();
    try {
      const url = channels.robotUrl('wecom', 'channels-test');
      // Act
      const status = await notify.postWebhook('wecom', {
        url,
        body: { msgtype: 'markdown', markdown: { content: '**2** 个未联系' } },
      });
      // Assess
      expect(status).toBe('200');
      expect(robotPosts().filter((p) => p.to === url)).toMatchObject([{ text: '**2** 个未联系' }]);
    } finally {
      await channels.stop();
    }
  });

  it('lists every channel in one outbox, in the order sent', async () => {
    const before = readOutbox().length;
    await notify.sendEmail({ to: ['order@example.test'], subject: '1', text: 'one' });
    await notify.sendSms({ ...confirmed, text: 'two' });
    expect(
      readOutbox()
        .slice(before)
        .map((e) => [e.channel, e.text]),
    ).toEqual([
      ['email', 'one'],
      ['sms', 'two'],
    ]);
  });
});
