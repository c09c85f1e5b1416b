import type { Sms } from '../../../../shared/outbox.ts';
import { providerSecret, secretField } from './secret.ts';
import { endpointParts, providerCode, SmsError, type SmsSettings, templateOf } from './settings.ts';

/** Aliyun's SMS API in the mainland (its SDK's default endpoint is the same host). */
const DEFAULT_ENDPOINT = 'dysmsapi.aliyuncs.com';

type ClientClass = typeof import('@alicloud/dysmsapi20170525')['default'];
type Client = InstanceType<ClientClass>;
let client: { key: string; client: Client } | undefined;

/**
 * Aliyun SMS SendSms: the registered template of the message's kind under the registered
 * signature, its variables by name (TemplateParam JSON). The API key (secret: accessKeyId,
 * accessKeySecret) comes from Secrets Manager. Aliyun answers 200 with Code ≠ "OK" when it refuses.
 */
export const send = async (sms: Sms, settings: SmsSettings): Promise<string> => {
  const templateCode = templateOf(settings, sms);
  if (!settings.signName) throw new SmsError('SMS signature not configured');
  const secret = await providerSecret(settings.secretArn);
  const accessKeyId = secretField(secret, 'accessKeyId');
  const accessKeySecret = secretField(secret, 'accessKeySecret');
  const { host, https } = endpointParts(settings.endpoint ?? DEFAULT_ENDPOINT);
  const key = `${accessKeyId}\n${accessKeySecret}\n${host}\n${https}`;
  const sdk = await import('@alicloud/dysmsapi20170525');
  if (client?.key !== key) {
    const { $OpenApiUtil } = await import('@alicloud/openapi-core');
    // A CommonJS module compiled from ESM: Node's import gives its exports as `default`, a bundler its `default`.
    const loaded = (sdk as unknown as { default: ClientClass | { default: ClientClass } }).default;
    const Client = 'default' in loaded ? loaded.default : loaded;
    client = {
      key,
      client: new Client(
        new $OpenApiUtil.Config({
          accessKeyId,
          accessKeySecret,
          endpoint: host,
          protocol: https ? 'HTTPS' : 'HTTP',
          connectTimeout: 3000,
          readTimeout: 5000,
        }),
      ),
    };
  }
  let body: { code?: string; bizId?: string } | undefined;
  try {
    const out = await client.client.sendSms(
      new sdk.SendSmsRequest({
        phoneNumbers: sms.to.replace(/^\+86/, ''),
        signName: settings.signName,
        templateCode,
        templateParam: JSON.stringify(sms.params),
      }),
    );
    body = out.body;
  } catch (error) {
    throw new SmsError(`SMS refused: aliyun ${providerCode((error as { code?: unknown } | undefined)?.code)}`);
  }
  if (body?.code !== 'OK') throw new SmsError(`SMS refused: aliyun ${providerCode(body?.code)}`);
  return body.bizId ?? '';
};
