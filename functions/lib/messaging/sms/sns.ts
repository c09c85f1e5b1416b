import type { SNSClient } from '@aws-sdk/client-sns';
import type { Sms } from '../../../../shared/outbox.ts';
import { e164, providerCode, SmsError } from './settings.ts';

let client: SNSClient | undefined;

/** Amazon SNS direct publish (AWS's global regions): the full text, as a transactional message. */
export const send = async (sms: Sms): Promise<string> => {
  const { SNSClient, PublishCommand } = await import('@aws-sdk/client-sns');
  client ??= new SNSClient({});
  try {
    const out = await client.send(
      new PublishCommand({
        PhoneNumber: e164(sms.to),
        Message: sms.text,
        MessageAttributes: { 'AWS.SNS.SMS.SMSType': { DataType: 'String', StringValue: 'Transactional' } },
      }),
    );
    return out.MessageId ?? '';
  } catch (error) {
    // The SDK's error name is SNS's error code (e.g. ThrottledException); its message is not ours to show.
    throw new SmsError(`SMS refused: sns ${providerCode((error as Error | undefined)?.name)}`);
  }
};
