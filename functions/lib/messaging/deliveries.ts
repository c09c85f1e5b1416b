import { randomUUID } from 'node:crypto';
import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { functions } from '../../../shared/functions.ts';
import type { Key } from '../../../shared/keys.ts';
import { METRIC } from '../../../shared/metrics.ts';
import type { Email, Sms } from '../../../shared/outbox.ts';
import type { WebhookConfig } from '../../../shared/webhooks.ts';
import { logger } from '../http/log.ts';
import { countMetric } from '../http/metrics.ts';
import { db, tableName } from '../store/table.ts';
import { sendEmail, sendSms } from './notify.ts';
import { runDeadline, sendPacedMarkdown } from './robot-pacing.ts';
import { sendToRobot } from './webhooks.ts';

/**
 * The outside channels of a message (a nudge, a digest), recorded on the message's item. A run
 * takes the message's delivery round (`round`) before sending: the run that created the message
 * holds it from the creating transaction on, any other run claims it with a conditional update.
 * So a job run twice, or twice at once, sends each channel at most once; a failing channel is
 * retried with backoff within the run and again by a later run, and recorded, without resending
 * the channels that went out. In-app inbox messages are written with the message itself.
 */
export type DeliveryStatus = 'pending' | 'sent' | 'failed';

interface Tracked {
  status: DeliveryStatus;
  attempts: number;
  lastError?: string;
  sentAt?: string;
  failedAt?: string;
}

export type Delivery =
  | { readonly channel: 'inbox'; readonly to: string; status: 'sent' }
  | ({ readonly channel: 'email'; readonly to: string } & Tracked)
  /** A text message to a mainland mobile number (a firm that gave no e-mail, or both when it gave both). */
  | ({ readonly channel: 'sms'; readonly to: string } & Tracked)
  | ({
      readonly channel: 'webhook';
      /** The jurisdiction whose robot it is. */
      readonly to: string;
      readonly webhook: WebhookConfig;
    } & Tracked);

/**
 * A round older than this is taken for a crashed run and may be taken over: longer than the jobs
 * function may run, so a run can no longer be working on a round that another takes over.
 */
const ROUND_STALE_MS = (functions.jobs.timeoutSeconds + 60) * 1000;
const ATTEMPTS_PER_RUN = 3;
const backoffMs = () => Number(process.env.DELIVERY_BACKOFF_MS ?? 200);

export interface Content {
  readonly subject: string;
  readonly text: string;
  /** E-mail only: files attached (a booking's .ics). */
  readonly attachments?: Email['attachments'];
  /** What the `sms` channel sends: the template's kind and parameters, and the text in full. */
  readonly sms?: Omit<Sms, 'to'>;
  /** A robot digest's markdown (robot-pacing.ts paces it); without it a robot gets subject and text as text. */
  readonly markdown?: { readonly title: string; readonly text: string };
}

/** A run of a job: its id (holds delivery rounds) and when it began (wall clock). */
export interface Run {
  readonly id: string;
  readonly startedAt: string;
}
export const newRun = (): Run => ({ id: randomUUID(), startedAt: new Date().toISOString() });

/** The attributes a message is created with when its creator holds the first round. */
export const heldRound = (run: Run) => ({ round: run.id, roundAt: new Date().toISOString() });

/** Deliveries, as they leave the record: the webhook's address and secret, and an SMS's text, stay inside. */
export const publicDeliveries = (deliveries: readonly Delivery[]) =>
  deliveries.map((d) => {
    if (d.channel !== 'webhook') return d;
    const { webhook, ...rest } = d;
    return { ...rest, kind: webhook.kind };
  });

/**
 * Takes the round; answers the record's deliveries as they stand now (another run may have settled
 * some; none on a claim whose creator stopped before writing the message whole), or undefined when
 * another run holds it.
 */
export const claimRound = async (
  key: Key,
  run: Run,
): Promise<{ deliveries?: Delivery[]; item: Record<string, unknown> } | undefined> => {
  try {
    const out = await db().send(
      new UpdateCommand({
        TableName: tableName(),
        Key: key,
        // `wake` is what the table's stream hands to the deliveries function (outgoing.ts): taken
        // with the round, so the writes of this round wake nobody.
        UpdateExpression: 'SET #round = :run, roundAt = :now REMOVE wake',
        ConditionExpression: 'attribute_exists(pk) AND (attribute_not_exists(#round) OR roundAt < :stale)',
        ExpressionAttributeNames: { '#round': 'round' },
        ExpressionAttributeValues: {
          ':run': run.id,
          ':now': new Date().toISOString(),
          ':stale': new Date(Date.now() - ROUND_STALE_MS).toISOString(),
        },
        ReturnValues: 'ALL_NEW',
      }),
    );
    return { deliveries: out.Attributes?.deliveries as Delivery[] | undefined, item: out.Attributes ?? {} };
  } catch (error) {
    if (error instanceof ConditionalCheckFailedException) return undefined;
    throw error;
  }
};

type Outcomes = Map<number, Record<string, unknown>>;

/** More of the record to change when a round is settled (e.g. its place in a queue of due messages). */
export interface SettleExtra {
  readonly set?: Readonly<Record<string, unknown>>;
  readonly remove?: readonly string[];
}

/**
 * The Update that records what a round did and hands the round back, only if this run still holds
 * it; `extra` changes more of the record in the same write.
 */
export const settleRound = async (key: Key, run: Run, outcomes: Outcomes, extra: SettleExtra = {}) => {
  const names: Record<string, string> = { '#round': 'round' };
  const values: Record<string, unknown> = { ':run': run.id };
  const sets: string[] = [];
  for (const [field, value] of Object.entries(extra.set ?? {})) {
    names[`#x${field}`] = field;
    values[`:x${field}`] = value;
    sets.push(`#x${field} = :x${field}`);
  }
  const removes = ['#round', 'roundAt', ...(extra.remove ?? []).map((field) => `#x${field}`)];
  for (const field of extra.remove ?? []) names[`#x${field}`] = field;
  for (const [index, outcome] of outcomes) {
    for (const [field, value] of Object.entries(outcome)) {
      const n = `#${field}`;
      const v = `:d${index}${field}`;
      names[n] = field;
      values[v] = value;
      sets.push(`deliveries[${index}].${n} = ${v}`);
    }
  }
  await db().send(
    new UpdateCommand({
      TableName: tableName(),
      Key: key,
      UpdateExpression: `${sets.length > 0 ? `SET ${sets.join(', ')} ` : ''}REMOVE ${removes.join(', ')}`,
      ConditionExpression: '#round = :run',
      ExpressionAttributeNames: names,
      ExpressionAttributeValues: values,
    }),
  );
};

/** The deliveries with a round's outcomes written into them. */
export const withOutcomes = (deliveries: readonly Delivery[], outcomes: Outcomes): Delivery[] =>
  deliveries.map((d, index) => ({ ...d, ...outcomes.get(index) }) as Delivery);

const send = async (delivery: Delivery, content: Content, run: Run): Promise<unknown> => {
  if (delivery.channel === 'email') {
    const email: Email = {
      to: [delivery.to],
      subject: content.subject,
      text: content.text,
      ...(content.attachments ? { attachments: content.attachments } : {}),
    };
    return sendEmail(email);
  }
  if (delivery.channel === 'sms') {
    // Recorded as this delivery's failure: a message with an sms channel and no text is a bug to see.
    if (!content.sms) throw new Error('No text message was recorded for this message');
    return sendSms({ to: delivery.to, ...content.sms });
  }
  if (delivery.channel === 'webhook') {
    if (content.markdown) return sendPacedMarkdown(delivery.webhook, content.markdown, runDeadline(run));
    return sendToRobot(delivery.webhook, `${content.subject}\n${content.text}`);
  }
  return Promise.resolve();
};

/** Whether this run should try a delivery: never sent, or failed in an earlier run (not a concurrent one). */
export const due = (delivery: Delivery, run: Run): delivery is Exclude<Delivery, { channel: 'inbox' }> =>
  delivery.channel !== 'inbox' &&
  (delivery.status === 'pending' || (delivery.status === 'failed' && (delivery.failedAt ?? '') < run.startedAt));

/**
 * A wait of about `ms`, spread over ±50 % so that many messages failing together (a throttled
 * provider) do not all come back at the same moment.
 */
export const jittered = (ms: number) => Math.round(ms * (0.5 + Math.random()));

/**
 * Sends the deliveries that are due, each retried with jittered backoff; answers what happened to each (by
 * index), for the caller to settle.
 */
export const sendDue = async (deliveries: readonly Delivery[], content: Content, run: Run): Promise<Outcomes> => {
  const outcomes: Outcomes = new Map();
  await Promise.all(
    deliveries.map(async (delivery, index) => {
      if (!due(delivery, run)) return;
      let lastError = '';
      for (let attempt = 1; attempt <= ATTEMPTS_PER_RUN; attempt++) {
        try {
          await send(delivery, content, run);
          outcomes.set(index, {
            status: 'sent',
            sentAt: new Date().toISOString(),
            attempts: delivery.attempts + attempt,
          });
          return;
        } catch (error) {
          lastError = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
          logger.warn('delivery failed', { channel: delivery.channel, attempt, error: lastError });
          if (attempt < ATTEMPTS_PER_RUN)
            await new Promise((r) => setTimeout(r, jittered(backoffMs() * 2 ** (attempt - 1))));
        }
      }
      await countMetric(METRIC.deliveryFailed); // the operators' alarm (infra/stacks/alarms.ts)
      outcomes.set(index, {
        status: 'failed',
        failedAt: new Date().toISOString(),
        attempts: delivery.attempts + ATTEMPTS_PER_RUN,
        lastError: lastError.slice(0, 300),
      });
    }),
  );
  return outcomes;
};

/** How many deliveries went out and how many failed, from a round's outcomes. */
export const tallyOf = (outcomes: Outcomes) => {
  const all = [...outcomes.values()];
  return {
    sent: all.filter((o) => o.status === 'sent').length,
    failed: all.filter((o) => o.status === 'failed').length,
  };
};

/**
 * Sends the deliveries of a stored message that are due, once this run has claimed its round, and
 * records what happened. Answers how many were sent now and how many failed after this run's attempts.
 */
export const deliver = async (
  key: Key,
  known: readonly Delivery[],
  content: Content,
  run: Run,
): Promise<{ sent: number; failed: number }> => {
  if (!known.some((d) => due(d, run))) return { sent: 0, failed: 0 };
  // Work from the state claimed, not from what was read before.
  const claimed = await claimRound(key, run);
  if (!claimed) return { sent: 0, failed: 0 };
  const outcomes = await sendDue(claimed.deliveries ?? [], content, run);
  await settleRound(key, run, outcomes);
  return tallyOf(outcomes);
};
