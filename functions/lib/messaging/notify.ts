import { randomUUID } from 'node:crypto';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { SESv2Client } from '@aws-sdk/client-sesv2';
import { ENV } from '../../../shared/config.ts';
import type { Email, OutboxEntry, Sms, Webhook } from '../../../shared/outbox.ts';
import { type RobotPolicy, robotHostsFrom, robotUrlProblem, type WebhookKind } from '../../../shared/webhooks.ts';
import { env } from '../store/table.ts';

/**
 * Outgoing messages. In AWS, e-mail goes through SES and webhooks over HTTPS;
 * in the local runtime (OUTBOX_DIR set) each message is recorded as one JSON file
 * in the outbox instead, listed by `GET /api/local/outbox`.
 */
const record = async (entry: Omit<OutboxEntry, 'id' | 'at'>): Promise<string> => {
  const dir = process.env[ENV.outboxDir] as string;
  const at = new Date().toISOString();
  const id = randomUUID();
  // One file per message: concurrent writers never interleave. Written without blocking, as a job
  // records thousands while its other requests are under way; the folder made on first need.
  const file = join(dir, `${at.replace(/[:.]/g, '-')}-${id}.json`);
  const body = JSON.stringify({ ...entry, id, at });
  await writeFile(file, body).catch(async (error: NodeJS.ErrnoException) => {
    if (error.code !== 'ENOENT') throw error;
    await mkdir(dir, { recursive: true });
    await writeFile(file, body);
  });
  return id;
};

let ses: SESv2Client | undefined;

/** Sends an e-mail; resolves with the message id, rejects when the channel fails (callers retry). */
export const sendEmail = async (email: Email): Promise<string> => {
  if (process.env[ENV.outboxDir]) return record({ kind: 'email', message: email });
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

/** Sends a text message (SNS direct publish to a +86 number); rejects when the channel fails. */
export const sendSms = async (sms: Sms): Promise<string> => {
  if (process.env[ENV.outboxDir]) return record({ kind: 'sms', message: sms });
  const { SNSClient, PublishCommand } = await import('@aws-sdk/client-sns');
  const out = await new SNSClient({}).send(
    new PublishCommand({
      PhoneNumber: `+86${sms.to}`,
      Message: sms.text,
      MessageAttributes: { 'AWS.SNS.SMS.SMSType': { DataType: 'String', StringValue: 'Transactional' } },
    }),
  );
  return out.MessageId ?? '';
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

const isLoopback = (url: string): boolean => new URL(url).hostname === '127.0.0.1';

/**
 * Posts JSON to a robot; rejects (WebhookError) on an address the policy refuses (checked here,
 * at the one place that calls out, so an address stored before a rule existed is never called), on
 * a non-2xx answer (a redirect included: never followed), on a robot's own error code, on a
 * timeout or an oversized answer, so the caller can retry. Locally, robots on this machine
 * (127.0.0.1, when allowed) are really called, e.g. a test's failing endpoint; any other address is
 * recorded in the outbox, as the local runtime has no network.
 */
export const postWebhook = async (kind: WebhookKind, hook: Webhook): Promise<string> => {
  const problem = robotUrlProblem(kind, hook.url, robotPolicy());
  if (problem) throw new WebhookError(`Robot address not allowed: ${problem}`);
  if (process.env[ENV.outboxDir] && !isLoopback(hook.url)) return record({ kind: 'webhook', message: hook });
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
  if (process.env[ENV.outboxDir]) await record({ kind: 'webhook', message: hook });
  return String(response.status);
};
