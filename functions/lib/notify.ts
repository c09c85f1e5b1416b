import { randomUUID } from 'node:crypto';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { SESv2Client } from '@aws-sdk/client-sesv2';
import { ENV } from '../../shared/config.ts';
import type { Email, OutboxEntry, Sms, Webhook } from '../../shared/outbox.ts';
import { env } from './aws.ts';

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

const isLoopback = (url: string): boolean => {
  try {
    return new URL(url).hostname === '127.0.0.1';
  } catch {
    return false;
  }
};

/**
 * Posts JSON to a webhook; rejects on a non-2xx answer (or a robot's own error code) so the caller
 * can retry. Locally, robots on this machine (127.0.0.1) are really called, e.g. a test's failing
 * endpoint; any other address is recorded in the outbox, as the local runtime has no network.
 */
export const postWebhook = async (hook: Webhook): Promise<string> => {
  if (process.env[ENV.outboxDir] && !isLoopback(hook.url)) return record({ kind: 'webhook', message: hook });
  const response = await fetch(hook.url, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(hook.body),
    signal: AbortSignal.timeout(5000),
  });
  if (!response.ok) throw new Error(`Webhook answered ${response.status}`);
  // WeCom and DingTalk answer 200 with {"errcode": …} when they refuse a message.
  const answer = (await response.json().catch(() => ({}))) as { errcode?: unknown; errmsg?: unknown };
  if (typeof answer.errcode === 'number' && answer.errcode !== 0)
    throw new Error(`Webhook refused: ${answer.errcode} ${String(answer.errmsg ?? '')}`);
  if (process.env[ENV.outboxDir]) await record({ kind: 'webhook', message: hook });
  return String(response.status);
};
