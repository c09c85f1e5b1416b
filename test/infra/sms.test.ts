import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SMS_SECRET_ACTIONS } from '../../infra/constructs/grants.ts';
import { smsSettingsFrom } from '../../infra/sms.ts';
import { type FunctionDef, type FunctionName, functions } from '../../shared/functions.ts';
import { SMS_KINDS } from '../../shared/outbox.ts';
import { actionsOf, followOutput, type Json, type Resource, type Synthesized, synthesize, wiring } from './support.ts';

// Issue 15: SMS providers per deployment (CDK context). A mainland provider without its signature
// or a template for every kind fails the synth; its key lives in Secrets Manager, readable only by
// the functions that send text messages (grants.sms), which alone get the SMS settings.
const TEMPLATES = Object.fromEntries(SMS_KINDS.map((kind, i) => [kind, `SMS_4800${String(i).padStart(2, '0')}`]));
const ALIYUN = { smsProvider: 'aliyun', smsSignName: '环保服务联络', smsTemplates: JSON.stringify(TEMPLATES) };
const TENCENT_SECRET = 'arn:aws-cn:secretsmanager:cn-north-1:123456789012:secret:eco/sms-tencent-AbCdEf';
const TENCENT = {
  smsProvider: 'tencent',
  smsSignName: '环保服务联络',
  smsTemplates: TEMPLATES,
  smsAppId: '1400012345',
  smsSecretArn: TENCENT_SECRET,
};

const sends = (name: FunctionName) => Boolean((functions[name].grants as FunctionDef['grants']).sms);

describe('SMS settings (CDK context), checked before any stack is built', () => {
  const settings = (context: Record<string, unknown>) => smsSettingsFrom((key) => context[key]);

  it('defaults to Amazon SNS, which needs no signature, template or secret', () => {
    expect(settings({})).toMatchObject({ provider: 'sns', templates: {} });
  });

  it('fails the synth, naming the setting, when a mainland provider lacks its signature or a template', () => {
    // Prepare: one kind without a template.
    const { 'day-cancelled': _left, ...allButOne } = TEMPLATES;
    // Act / Assess
    expect(() => settings({ ...ALIYUN, smsSignName: undefined })).toThrow(
      /smsSignName: is required with smsProvider=aliyun/,
    );
    expect(() => settings({ ...ALIYUN, smsTemplates: JSON.stringify(allButOne) })).toThrow(
      /smsTemplates: smsProvider=aliyun sends registered templates only; no template id for day-cancelled/,
    );
    expect(() => settings({ ...TENCENT, smsTemplates: undefined })).toThrow(/no template id for booking-confirmed/);
    expect(() => settings({ ...TENCENT, smsAppId: undefined })).toThrow(
      /smsAppId: is required with smsProvider=tencent/,
    );
  });

  it('refuses an unknown provider, kind or template id, a malformed secret ARN or endpoint', () => {
    expect(() => settings({ smsProvider: 'twilio' })).toThrow(/smsProvider: must be one of sns, aliyun, tencent/);
    expect(() => settings({ ...ALIYUN, smsTemplates: '{"booking-confirmd":"SMS_1"}' })).toThrow(/unknown SMS kind/);
    expect(() => settings({ ...ALIYUN, smsTemplates: '{not json' })).toThrow(/smsTemplates: must be a JSON object/);
    expect(() => settings({ ...ALIYUN, smsTemplates: { ...TEMPLATES, 'firm-notice': 'SMS 1"' } })).toThrow(
      /template id of "firm-notice"/,
    );
    expect(() => settings({ ...ALIYUN, smsSecretArn: 'eco/sms' })).toThrow(/smsSecretArn: must be the full ARN/);
    expect(() => settings({ ...ALIYUN, smsEndpoint: 'http://dysmsapi.aliyuncs.com' })).toThrow(/smsEndpoint/);
    expect(() => settings({ ...ALIYUN, smsSignName: '环保\n服务' })).toThrow(/smsSignName/);
  });
});

describe('a deployment sending by Aliyun SMS, its key in a secret the stack makes', () => {
  let synth: Synthesized;
  beforeAll(() => {
    synth = synthesize({ context: ALIYUN, skipBundling: true });
  });
  afterAll(() => synth?.cleanup());

  it('passes cdk-nag and makes one secret, with the key’s field names and no value', () => {
    expect(synth.synthError).toBeUndefined();
    const secrets = synth.resources(synth.data, 'AWS::SecretsManager::Secret');
    expect(secrets).toHaveLength(1);
    const [, secret] = secrets[0] as [string, Resource];
    expect(secret.DeletionPolicy).toBe('Retain');
    expect(JSON.parse((secret.Properties.GenerateSecretString as Json).SecretStringTemplate as string)).toEqual({
      accessKeyId: '',
      accessKeySecret: '',
    });
  });

  it('lets only the sending functions read that secret, and gives them alone the SMS settings', () => {
    const [secretId] = synth.resources(synth.data, 'AWS::SecretsManager::Secret')[0] as [string, Resource];
    for (const fn of wiring(synth)) {
      // Act
      const reads = fn.statements.filter((s) => actionsOf(s).some((a) => a.startsWith('secretsmanager:')));
      // Assess
      if (sends(fn.name)) {
        expect(reads, fn.name).toHaveLength(1);
        expect(actionsOf(reads[0] as Json)).toEqual([...SMS_SECRET_ACTIONS]);
        expect(JSON.stringify(followOutput(synth.templates, (reads[0] as Json).Resource))).toContain(secretId);
        expect(fn.variables, fn.name).toMatchObject({ SMS_PROVIDER: 'aliyun', SMS_SIGN_NAME: '环保服务联络' });
        expect(JSON.parse(fn.variables.SMS_TEMPLATES as string)).toEqual(TEMPLATES);
        expect(JSON.stringify(followOutput(synth.templates, fn.variables.SMS_SECRET_ARN))).toContain(secretId);
      } else {
        expect(reads, fn.name).toEqual([]);
        expect(
          Object.keys(fn.variables).filter((v) => v.startsWith('SMS_')),
          fn.name,
        ).toEqual([]);
      }
      // No SNS publishing where SNS does not send.
      expect(
        fn.statements.filter((s) => actionsOf(s).includes('sns:Publish')),
        fn.name,
      ).toEqual([]);
    }
    expect(Object.keys(functions).filter((name) => sends(name as FunctionName))).toEqual(
      expect.arrayContaining(['jobs']),
    );
  });
});

describe('a deployment sending by Tencent Cloud SMS, its key in a secret it names', () => {
  let synth: Synthesized;
  beforeAll(() => {
    synth = synthesize({ context: TENCENT, skipBundling: true });
  });
  afterAll(() => synth?.cleanup());

  it('makes no secret and grants reading exactly the named one to the sending functions only', () => {
    expect(synth.synthError).toBeUndefined();
    expect(synth.everywhere('AWS::SecretsManager::Secret')).toEqual([]);
    for (const fn of wiring(synth)) {
      const reads = fn.statements.filter((s) => actionsOf(s).some((a) => a.startsWith('secretsmanager:')));
      expect(
        reads.map((s) => s.Resource),
        fn.name,
      ).toEqual(sends(fn.name) ? [TENCENT_SECRET] : []);
      if (sends(fn.name))
        expect(fn.variables, fn.name).toMatchObject({
          SMS_PROVIDER: 'tencent',
          SMS_APP_ID: '1400012345',
          SMS_SECRET_ARN: TENCENT_SECRET,
        });
    }
  });
});

describe('the default deployment (Amazon SNS)', () => {
  let synth: Synthesized;
  beforeAll(() => {
    synth = synthesize({ skipBundling: true });
  });
  afterAll(() => synth?.cleanup());

  it('keeps no SMS secret and grants SNS publishing to the sending functions only', () => {
    expect(synth.everywhere('AWS::SecretsManager::Secret')).toEqual([]);
    for (const fn of wiring(synth)) {
      expect(
        fn.statements.some((s) => actionsOf(s).includes('sns:Publish')),
        fn.name,
      ).toBe(sends(fn.name));
      expect(
        fn.statements.some((s) => actionsOf(s).some((a) => a.startsWith('secretsmanager:'))),
        fn.name,
      ).toBe(false);
      if (sends(fn.name)) expect(fn.variables.SMS_PROVIDER, fn.name).toBe('sns');
    }
  });
});
