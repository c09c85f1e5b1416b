import { randomUUID } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { SESv2Client } from '@aws-sdk/client-sesv2';
import { ENV } from '../../shared/config.ts';
import type { Email, OutboxEntry, Webhook } from '../../shared/outbox.ts';
import { env } from './aws.ts';

/**
 * Outgoing messages. In AWS, e-mail goes through SES and webhooks over HTTPS;
 * in the local runtime (OUTBOX_DIR set) each message is recorded as one JSON file
 * in the outbox instead, listed by `GET /api/local/outbox`.
 */
const record = (entry: Omit<OutboxEntry, 'id' | 'at'>): string => {
  const dir = process.env[ENV.outboxDir] as string;
  mkdirSync(dir, { recursive: true });
  const at = new Date().toISOString();
  const id = randomUUID();
  // One file per message: concurrent writers never interleave.
  writeFileSync(join(dir, `${at.replace(/[:.]/g, '-')}-${id}.json`), JSON.stringify({ ...entry, id, at }));
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

/** Posts JSON to a webhook; rejects on a non-2xx answer so the caller can retry. */
export const postWebhook = async (hook: Webhook): Promise<string> => {
  if (process.env[ENV.outboxDir]) return record({ kind: 'webhook', message: hook });
  const response = await fetch(hook.url, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(hook.body),
    signal: AbortSignal.timeout(5000),
  });
  if (!response.ok) throw new Error(`Webhook answered ${response.status}`);
  return String(response.status);
};
