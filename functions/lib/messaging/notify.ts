import type { SESv2Client } from '@aws-sdk/client-sesv2';
import { ENV } from '../../../shared/config.ts';
import type { Email, Sms, Webhook } from '../../../shared/outbox.ts';
import type { SmsProviderName } from '../../../shared/sms.ts';
import { type RobotPolicy, robotHostsFrom, robotUrlProblem, type WebhookKind } from '../../../shared/webhooks.ts';
import { env } from '../store/table.ts';
import { SmsError, type SmsSettings, smsSettings } from './sms/settings.ts';

export { SmsError };

/**
 * Outgoing messages: e-mail through SES v2, text messages through the deployment's SMS provider,
 * robots over HTTPS. The same calls run everywhere; the local runtime and the tests point the SDK
 * clients at stand-ins speaking the same protocols (AWS_ENDPOINT_URL_SESV2, AWS_ENDPOINT_URL_SNS)
 * and robots at a stand-in on this machine.
 */
let ses: SESv2Client | undefined;

/** Sends an e-mail; resolves with the message id, rejects when the channel fails (callers retry). */
export const sendEmail = async (email: Email): Promise<string> => {
  // Loaded on first use: most invocations send no mail, so cold starts skip the SES client.
  const { SESv2Client, SendEmailCommand } = await import('@aws-sdk/client-sesv2');
  ses ??= new SESv2Client({});
  const out = await ses.send(
    new SendEmailCommand({
      FromEmailAddress: env(ENV.mailFrom),
      Destination: { ToAddresses: [...email.to] },
      Content: {
        Simple: {
          Subject: { Data: email.subject, Charset: 'UTF-8' },
          Body: { Text: { Data: email.text, Charset: 'UTF-8' } },
          Attachments: email.attachments?.map((a) => ({
            FileName: a.fileName,
            ContentType: a.contentType,
            RawContent: Buffer.from(a.content),
          })),
        },
      },
    }),
  );
  return out.MessageId ?? '';
};

type SmsProvider = { send(sms: Sms, settings: SmsSettings): Promise<string> };
/**
 * Each provider's module (and its SDK) is loaded only when the deployment chose it, on the first
 * message: a function that sends nothing, or sends by SNS, never loads the Aliyun or Tencent SDKs.
 * Bundled for Lambda, `process.env.BUNDLE_SMS_<PROVIDER>` is replaced at build time ("0" for the
 * providers not chosen, infra/constructs/function.ts), so the bundle does not even carry their
 * SDKs (megabytes to parse at every cold start); unbundled, each stays loadable.
 */
const providers: Record<SmsProviderName, (() => Promise<SmsProvider>) | undefined> = {
  sns: process.env.BUNDLE_SMS_SNS !== '0' ? () => import('./sms/sns.ts') : undefined,
  aliyun: process.env.BUNDLE_SMS_ALIYUN !== '0' ? () => import('./sms/aliyun.ts') : undefined,
  tencent: process.env.BUNDLE_SMS_TENCENT !== '0' ? () => import('./sms/tencent.ts') : undefined,
};

/**
 * Sends a text message through this deployment's provider (`smsProvider`: SNS with the full text,
 * or Aliyun / Tencent Cloud with the kind's registered template and its parameters). Resolves
 * with the provider's message id; rejects with an SmsError (a short code, never the provider's
 * text) when it is not sent, so the caller retries.
 */
export const sendSms = async (sms: Sms): Promise<string> => {
  const settings = smsSettings();
  const load = providers[settings.provider];
  if (!load) throw new SmsError('SMS provider not in this bundle');
  return (await load()).send(sms, settings);
};

/** Where robots may be, as this deployment says (`robotHosts`; loopback only where the local runtime allows it). */
export const robotPolicy = (): RobotPolicy => ({
  hosts: robotHostsFrom(process.env[ENV.robotHosts]),
  allowLoopback: process.env[ENV.robotLoopback] === '1',
});

/**
 * A robot call that failed. Its message is ours alone: the HTTP status or the platform's numeric
 * errcode at most, never text of the answer (a message is shown to staff and kept on deliveries,
 * and an answer's text is whatever the far side chose to put there).
 */
export class WebhookError extends Error {
  override readonly name = 'WebhookError';
}

const ROBOT_TIMEOUT_MS = 5000;
/** The platforms answer `{"errcode":0,"errmsg":"ok"}`: a few dozen bytes; more is read as a failure. */
const ROBOT_ANSWER_BYTES = 4096;

const isTimeout = (error: unknown) => error instanceof Error && error.name === 'TimeoutError';

/** The answer's body as text, at most `cap` bytes; the request's timeout bounds the reading too. */
const readCapped = async (response: Response, cap: number): Promise<string> => {
  if (Number(response.headers.get('content-length') ?? 0) > cap) {
    await response.body?.cancel().catch(() => undefined);
    throw new WebhookError(`Webhook answer over ${cap} bytes`);
  }
  const reader = response.body?.getReader();
  if (!reader) return '';
  const chunks: Uint8Array[] = [];
  let size = 0;
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      size += value.byteLength;
      if (size > cap) {
        await reader.cancel().catch(() => undefined);
        throw new WebhookError(`Webhook answer over ${cap} bytes`);
      }
      chunks.push(value);
    }
  } catch (error) {
    if (error instanceof WebhookError) throw error;
    throw new WebhookError(isTimeout(error) ? 'Webhook timed out' : 'Webhook answer broken off');
  }
  return Buffer.concat(chunks).toString('utf8');
};

/**
 * Posts JSON to a robot; rejects (WebhookError) on an address the policy refuses (checked here,
 * at the one place that calls out, so an address stored before a rule existed is never called), on
 * a non-2xx answer (a redirect included: never followed), on a robot's own error code, on a
 * timeout or an oversized answer, so the caller can retry. Always a real call: locally the robots
 * are the local robot stand-in or a test's own endpoint on 127.0.0.1 (allowed there only).
 */
export const postWebhook = async (kind: WebhookKind, hook: Webhook): Promise<string> => {
  const problem = robotUrlProblem(kind, hook.url, robotPolicy());
  if (problem) throw new WebhookError(`Robot address not allowed: ${problem}`);
  let response: Response;
  try {
    response = await fetch(hook.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(hook.body),
      redirect: 'manual',
      signal: AbortSignal.timeout(ROBOT_TIMEOUT_MS),
    });
  } catch (error) {
    throw new WebhookError(isTimeout(error) ? 'Webhook timed out' : 'Webhook unreachable');
  }
  if (!response.ok) {
    await response.body?.cancel().catch(() => undefined);
    throw new WebhookError(`Webhook answered ${response.status}`);
  }
  // WeCom and DingTalk answer 200 with {"errcode": …} when they refuse a message.
  const text = await readCapped(response, ROBOT_ANSWER_BYTES);
  let errcode: unknown;
  try {
    errcode = (JSON.parse(text) as { errcode?: unknown } | null)?.errcode;
  } catch {
    errcode = undefined;
  }
  if (typeof errcode === 'number' && errcode !== 0)
    throw new WebhookError(Number.isSafeInteger(errcode) ? `Webhook refused: errcode ${errcode}` : 'Webhook refused');
  return String(response.status);
};
