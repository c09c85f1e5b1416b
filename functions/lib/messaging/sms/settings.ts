import * as z from 'zod/mini';
import { ENV } from '../../../../shared/config.ts';
import type { Sms } from '../../../../shared/outbox.ts';
import { SMS_PROVIDERS, type SmsProviderName } from '../../../../shared/sms.ts';

/**
 * A text message that was not sent. Its message is a short code of ours (and at most the
 * provider's own error code, checked to be a plain identifier), never the provider's text: it is
 * kept on deliveries and shown to staff. The caller retries.
 */
export class SmsError extends Error {
  override readonly name = 'SmsError';
}

/** A provider's code, when it is a plain identifier (e.g. isv.BUSINESS_LIMIT_CONTROL); else nothing of it. */
export const providerCode = (code: unknown): string =>
  typeof code === 'string' && /^[\w.-]{1,64}$/.test(code) ? code : 'unknown';

/** This deployment's SMS settings, as CDK set them (checked there; read defensively here). */
export interface SmsSettings {
  readonly provider: SmsProviderName;
  readonly signName: string | undefined;
  readonly templates: Readonly<Record<string, string>>;
  readonly secretArn: string | undefined;
  readonly appId: string | undefined;
  readonly region: string | undefined;
  readonly endpoint: string | undefined;
}

const templatesSchema = z.record(z.string(), z.string());

export const smsSettings = (): SmsSettings => {
  const provider = process.env[ENV.smsProvider] || 'sns';
  if (!(SMS_PROVIDERS as readonly string[]).includes(provider)) throw new SmsError('SMS provider unknown');
  let templates: Record<string, string> = {};
  const raw = process.env[ENV.smsTemplates];
  if (raw) {
    let parsed: unknown;
    try {
      parsed = JSON.parse(raw);
    } catch {
      throw new SmsError('SMS templates setting unreadable');
    }
    const result = z.safeParse(templatesSchema, parsed);
    if (!result.success) throw new SmsError('SMS templates setting unreadable');
    templates = result.data;
  }
  return {
    provider: provider as SmsProviderName,
    signName: process.env[ENV.smsSignName] || undefined,
    templates,
    secretArn: process.env[ENV.smsSecretArn] || undefined,
    appId: process.env[ENV.smsAppId] || undefined,
    region: process.env[ENV.smsRegion] || undefined,
    endpoint: process.env[ENV.smsEndpoint] || undefined,
  };
};

/** The registered template for this kind; a template-only provider cannot send without one. */
export const templateOf = (settings: SmsSettings, sms: Sms): string => {
  const id = settings.templates[sms.kind];
  if (!id) throw new SmsError(`SMS template missing for ${sms.kind}`);
  return id;
};

/** The number in E.164: a mainland mobile gets +86; one already in E.164 stays. */
export const e164 = (to: string): string => (to.startsWith('+') ? to : `+86${to}`);

/** `http://host:port` or `host` → the host and protocol the Aliyun and Tencent SDKs take apart. */
export const endpointParts = (endpoint: string): { host: string; https: boolean } => {
  if (!/^https?:\/\//.test(endpoint)) return { host: endpoint, https: true };
  const url = new URL(endpoint);
  return { host: url.host, https: url.protocol === 'https:' };
};
