import { SMS_KINDS } from '../shared/outbox.ts';
import { SMS_PROVIDERS, type SmsProviderName, TEMPLATE_PROVIDERS } from '../shared/sms.ts';

/**
 * How this deployment sends text messages, from CDK context, checked before any stack is built so
 * a missing template or signature fails the synth with the setting's name, not the first message.
 * `sns` (default): Amazon SNS, AWS's global regions, free text. `aliyun` / `tencent`: the mainland
 * providers (AWS's China regions have no SNS SMS), which send registered templates only: a
 * signature (`smsSignName`) and a template id for every kind (`smsTemplates`) are required; their
 * API key lives in Secrets Manager, in a secret the stack creates or the one `smsSecretArn` names.
 */
export interface SmsDeploymentSettings {
  readonly provider: SmsProviderName;
  readonly signName?: string;
  /** kind → template id, every kind present for a template provider. */
  readonly templates: Readonly<Record<string, string>>;
  /** An existing secret holding the provider's key; unset (template providers): the stack creates one. */
  readonly secretArn?: string;
  /** Tencent Cloud's SmsSdkAppId. */
  readonly appId?: string;
  readonly region?: string;
  readonly endpoint?: string;
}

export const SMS_CONTEXT = {
  provider: 'smsProvider',
  signName: 'smsSignName',
  templates: 'smsTemplates',
  secretArn: 'smsSecretArn',
  appId: 'smsAppId',
  region: 'smsRegion',
  endpoint: 'smsEndpoint',
} as const;

const fail = (key: string, problem: string, value: unknown): never => {
  throw new Error(`CDK context ${key}: ${problem} (got ${JSON.stringify(value)}).`);
};

/** Printable, no control characters: these go into request parameters and Lambda environment. */
const PLAIN = /^[^\p{Cc}]{1,128}$/u;

export const smsSettingsFrom = (context: (key: string) => unknown): SmsDeploymentSettings => {
  const text = (key: string): string | undefined => {
    const value = context(key);
    if (value === undefined) return undefined;
    if (typeof value !== 'string' || !PLAIN.test(value.trim()))
      return fail(key, 'must be a non-empty string without control characters, at most 128 characters', value);
    return value.trim();
  };
  const provider = (text(SMS_CONTEXT.provider) ?? 'sns') as SmsProviderName;
  if (!SMS_PROVIDERS.includes(provider))
    fail(SMS_CONTEXT.provider, `must be one of ${SMS_PROVIDERS.join(', ')}`, provider);

  // `-c smsTemplates='{"booking-confirmed":"SMS_1",…}'` arrives as text; cdk.json may give an object.
  let templates: unknown = context(SMS_CONTEXT.templates) ?? {};
  if (typeof templates === 'string') {
    try {
      templates = JSON.parse(templates);
    } catch {
      fail(SMS_CONTEXT.templates, 'must be a JSON object of SMS kind → template id', templates);
    }
  }
  if (typeof templates !== 'object' || templates === null || Array.isArray(templates))
    return fail(SMS_CONTEXT.templates, 'must be an object of SMS kind → template id', templates);
  const entries = Object.entries(templates as Record<string, unknown>);
  for (const [kind, id] of entries) {
    if (!(SMS_KINDS as readonly string[]).includes(kind))
      fail(SMS_CONTEXT.templates, `unknown SMS kind "${kind}"; the kinds are ${SMS_KINDS.join(', ')}`, templates);
    if (typeof id !== 'string' || !/^[\w.-]{1,64}$/.test(id))
      fail(SMS_CONTEXT.templates, `template id of "${kind}" must be a plain id such as SMS_123456789 or 1234567`, id);
  }

  const settings: SmsDeploymentSettings = {
    provider,
    signName: text(SMS_CONTEXT.signName),
    templates: Object.fromEntries(entries) as Record<string, string>,
    secretArn: text(SMS_CONTEXT.secretArn),
    appId: text(SMS_CONTEXT.appId),
    region: text(SMS_CONTEXT.region),
    endpoint: text(SMS_CONTEXT.endpoint),
  };
  if (
    settings.secretArn &&
    !/^arn:aws[a-z-]*:secretsmanager:[a-z0-9-]+:\d{12}:secret:[\w/+=.@-]+$/.test(settings.secretArn)
  )
    fail(SMS_CONTEXT.secretArn, 'must be the full ARN of a Secrets Manager secret', settings.secretArn);
  if (settings.endpoint && !/^https:\/\/[a-z0-9.-]+(:\d+)?\/?$/.test(settings.endpoint))
    fail(SMS_CONTEXT.endpoint, 'must be an https:// host, e.g. https://dysmsapi.aliyuncs.com', settings.endpoint);

  if (TEMPLATE_PROVIDERS.includes(provider)) {
    if (!settings.signName)
      fail(
        SMS_CONTEXT.signName,
        `is required with smsProvider=${provider}: the signature registered with the provider`,
        undefined,
      );
    const missing = SMS_KINDS.filter((kind) => !settings.templates[kind]);
    if (missing.length > 0)
      fail(
        SMS_CONTEXT.templates,
        `smsProvider=${provider} sends registered templates only; no template id for ${missing.join(', ')}`,
        settings.templates,
      );
    if (provider === 'tencent' && !settings.appId)
      fail(SMS_CONTEXT.appId, 'is required with smsProvider=tencent: the SMS application id (SmsSdkAppId)', undefined);
  }
  return settings;
};
