import { SMS_TEMPLATE_PARAMS, type Sms } from '../../../../shared/outbox.ts';
import { providerSecret, secretField } from './secret.ts';
import { e164, endpointParts, providerCode, SmsError, type SmsSettings, templateOf } from './settings.ts';

const DEFAULT_REGION = 'ap-guangzhou';

type Client = InstanceType<typeof import('tencentcloud-sdk-nodejs-sms')['sms']['v20210111']['Client']>;
let client: { key: string; client: Client } | undefined;

/**
 * Tencent Cloud SMS SendSms (API 2021-01-11): the registered template of the message's kind
 * under the registered signature, its variables by position in SMS_TEMPLATE_PARAMS's order. The
 * API key (secret: secretId, secretKey) comes from Secrets Manager. Tencent answers per number:
 * SendStatusSet[0].Code is "Ok" when it took the message.
 */
export const send = async (sms: Sms, settings: SmsSettings): Promise<string> => {
  const templateId = templateOf(settings, sms);
  if (!settings.signName) throw new SmsError('SMS signature not configured');
  if (!settings.appId) throw new SmsError('SMS application id not configured');
  const order = SMS_TEMPLATE_PARAMS[sms.kind];
  const params = order.map((name) => sms.params[name]);
  if (params.some((value) => value === undefined)) throw new SmsError(`SMS parameters incomplete for ${sms.kind}`);
  const secret = await providerSecret(settings.secretArn);
  const secretId = secretField(secret, 'secretId');
  const secretKey = secretField(secret, 'secretKey');
  const region = settings.region ?? DEFAULT_REGION;
  const endpoint = settings.endpoint ? endpointParts(settings.endpoint) : undefined;
  const key = `${secretId}\n${secretKey}\n${region}\n${settings.endpoint ?? ''}`;
  if (client?.key !== key) {
    const { sms: api } = await import('tencentcloud-sdk-nodejs-sms');
    client = {
      key,
      client: new api.v20210111.Client({
        credential: { secretId, secretKey },
        region,
        profile: {
          httpProfile: {
            reqTimeout: 5,
            ...(endpoint ? { endpoint: endpoint.host, protocol: endpoint.https ? 'https://' : 'http://' } : {}),
          },
        },
      }),
    };
  }
  let status: { Code?: string; SerialNo?: string } | undefined;
  try {
    const out = await client.client.SendSms({
      PhoneNumberSet: [e164(sms.to)],
      SmsSdkAppId: settings.appId,
      SignName: settings.signName,
      TemplateId: templateId,
      TemplateParamSet: params as string[],
    });
    status = out.SendStatusSet?.[0];
  } catch (error) {
    throw new SmsError(`SMS refused: tencent ${providerCode((error as { code?: unknown } | undefined)?.code)}`);
  }
  if (status?.Code !== 'Ok') throw new SmsError(`SMS refused: tencent ${providerCode(status?.Code)}`);
  return status.SerialNo ?? '';
};
