import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { UpdateCommand } from '@aws-sdk/lib-dynamodb';
import type { Key } from '../../shared/keys.ts';
import type { Email } from '../../shared/outbox.ts';
import type { WebhookConfig } from '../../shared/webhooks.ts';
import { db, tableName } from './aws.ts';
import { logger } from './log.ts';
import { postWebhook, sendEmail } from './notify.ts';
import { signedUrl, textMessage } from './webhooks.ts';

/**
 * The outside channels of a message (a nudge, a digest), each recorded on the message's item:
 * claimed with a conditional update before it is sent, marked sent after, so a job run twice (or
 * twice at once) sends each at most once; a failing channel is retried with backoff and recorded,
 * without touching the others. In-app inbox messages are written with the message itself.
 */
export type Delivery =
  | { readonly channel: 'inbox'; readonly to: string; status: 'sent' }
  | {
      readonly channel: 'email';
      readonly to: string;
      status: DeliveryStatus;
      attempts: number;
      lastError?: string;
      sentAt?: string;
      claimedAt?: string;
      failedAt?: string;
    }
  | {
      readonly channel: 'webhook';
      /** The jurisdiction whose robot it is. */
      readonly to: string;
      readonly webhook: WebhookConfig;
      status: DeliveryStatus;
      attempts: number;
      lastError?: string;
      sentAt?: string;
      claimedAt?: string;
      failedAt?: string;
    };
export type DeliveryStatus = 'pending' | 'sending' | 'sent' | 'failed';

/** A claim older than this is taken for a crashed run and may be taken over. */
const CLAIM_STALE_MS = 5 * 60_000;
const ATTEMPTS_PER_RUN = 3;
const backoffMs = () => Number(process.env.DELIVERY_BACKOFF_MS ?? 200);

export interface Content {
  readonly subject: string;
  readonly text: string;
}

/** Deliveries, as they leave the record: the webhook's secret stays inside. */
export const publicDeliveries = (deliveries: readonly Delivery[]) =>
  deliveries.map((d) => {
    if (d.channel !== 'webhook') return d;
    const { webhook, ...rest } = d;
    return { ...rest, kind: webhook.kind };
  });

/**
 * Takes a delivery for this run: one never tried, one that failed in an earlier run (not in a run
 * going on at the same time: it already spent its attempts), or one whose claim went stale.
 */
const claim = async (key: Key, index: number, runStartedAt: string): Promise<string | undefined> => {
  const claimedAt = new Date().toISOString();
  try {
    await db().send(
      new UpdateCommand({
        TableName: tableName(),
        Key: key,
        UpdateExpression: `SET deliveries[${index}].#s = :sending, deliveries[${index}].claimedAt = :claimedAt`,
        ConditionExpression: `deliveries[${index}].#s = :pending OR (deliveries[${index}].#s = :failed AND deliveries[${index}].failedAt < :runStartedAt) OR (deliveries[${index}].#s = :sending AND deliveries[${index}].claimedAt < :stale)`,
        ExpressionAttributeNames: { '#s': 'status' },
        ExpressionAttributeValues: {
          ':sending': 'sending',
          ':pending': 'pending',
          ':failed': 'failed',
          ':claimedAt': claimedAt,
          ':runStartedAt': runStartedAt,
          ':stale': new Date(Date.now() - CLAIM_STALE_MS).toISOString(),
        },
      }),
    );
    return claimedAt;
  } catch (error) {
    if (error instanceof ConditionalCheckFailedException) return undefined;
    throw error;
  }
};

const settle = async (key: Key, index: number, claimedAt: string, outcome: Record<string, unknown>) => {
  const names: Record<string, string> = {};
  const values: Record<string, unknown> = { ':claimedAt': claimedAt };
  const sets = Object.entries(outcome).map(([name, value], i) => {
    names[`#f${i}`] = name;
    values[`:v${i}`] = value;
    return `deliveries[${index}].#f${i} = :v${i}`;
  });
  await db().send(
    new UpdateCommand({
      TableName: tableName(),
      Key: key,
      UpdateExpression: `SET ${sets.join(', ')}`,
      ConditionExpression: `deliveries[${index}].claimedAt = :claimedAt`,
      ExpressionAttributeNames: names,
      ExpressionAttributeValues: values,
    }),
  );
};

const send = (delivery: Delivery, content: Content): Promise<unknown> => {
  if (delivery.channel === 'email') {
    const email: Email = { to: [delivery.to], subject: content.subject, text: content.text };
    return sendEmail(email);
  }
  if (delivery.channel === 'webhook') {
    return postWebhook({ url: signedUrl(delivery.webhook), body: textMessage(`${content.subject}\n${content.text}`) });
  }
  return Promise.resolve();
};

/**
 * Sends every delivery of a record that is not sent yet and not being sent by another run.
 * `runStartedAt` is when this run began (wall clock). Answers how many were sent now and how many
 * failed after this run's attempts.
 */
export const deliver = async (key: Key, deliveries: readonly Delivery[], content: Content, runStartedAt: string) => {
  let sent = 0;
  let failed = 0;
  await Promise.all(
    deliveries.map(async (delivery, index) => {
      if (delivery.channel === 'inbox' || delivery.status === 'sent') return;
      const claimedAt = await claim(key, index, runStartedAt);
      if (!claimedAt) return;
      let lastError = '';
      for (let attempt = 1; attempt <= ATTEMPTS_PER_RUN; attempt++) {
        try {
          await send(delivery, content);
          await settle(key, index, claimedAt, {
            status: 'sent',
            sentAt: new Date().toISOString(),
            attempts: delivery.attempts + attempt,
          });
          sent++;
          return;
        } catch (error) {
          lastError = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
          logger.warn('delivery failed', { channel: delivery.channel, attempt, error: lastError });
          if (attempt < ATTEMPTS_PER_RUN) await new Promise((r) => setTimeout(r, backoffMs() * 2 ** (attempt - 1)));
        }
      }
      await settle(key, index, claimedAt, {
        status: 'failed',
        failedAt: new Date().toISOString(),
        attempts: delivery.attempts + ATTEMPTS_PER_RUN,
        lastError: lastError.slice(0, 300),
      });
      failed++;
    }),
  );
  return { sent, failed };
};
