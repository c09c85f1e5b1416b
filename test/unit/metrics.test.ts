import { SESv2Client, SendEmailCommand, TooManyRequestsException } from '@aws-sdk/client-sesv2';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { type Delivery, newRun, sendDue } from '../../functions/lib/messaging/deliveries.ts';
import { METRIC, METRICS_NAMESPACE, METRICS_SERVICE } from '../../shared/metrics.ts';

/** The EMF records Powertools wrote (through the global console, as POWERTOOLS_DEV asks; metrics kept on). */
const emfRecords = (lines: string[]) =>
  lines
    .filter((l) => l.includes('"_aws"'))
    .map((l) => JSON.parse(l) as Record<string, unknown> & { _aws: { CloudWatchMetrics: unknown[] } });

describe('delivery failures are counted for the operators’ alarm (Powertools Metrics, EMF)', () => {
  let lines: string[];
  beforeEach(() => {
    Object.assign(process.env, {
      POWERTOOLS_DEV: 'true',
      POWERTOOLS_METRICS_DISABLED: 'false',
      DELIVERY_BACKOFF_MS: '0',
      MAIL_FROM: 'no-reply@example.test',
    });
    delete process.env.OUTBOX_DIR;
    lines = [];
    vi.spyOn(console, 'log').mockImplementation((line: unknown) => void lines.push(String(line)));
  });
  afterEach(() => {
    vi.restoreAllMocks();
    delete process.env.POWERTOOLS_DEV;
  });

  const email = (to: string): Delivery => ({ channel: 'email', to, status: 'pending', attempts: 0 });

  it('a delivery that fails every attempt of a run counts one DeliveryFailed; one that goes out counts nothing', async () => {
    // Prepare: SES refuses one address (fault injection), accepts the other.
    const ses = mockClient(SESv2Client);
    ses
      .on(SendEmailCommand, { Destination: { ToAddresses: ['down@example.test'] } })
      .rejects(new TooManyRequestsException({ message: 'slow down', $metadata: {} }));
    ses.on(SendEmailCommand, { Destination: { ToAddresses: ['up@example.test'] } }).resolves({ MessageId: 'm-1' });

    // Act
    const outcomes = await sendDue(
      [email('down@example.test'), email('up@example.test')],
      { subject: 's', text: 't' },
      newRun(),
    );
    ses.restore();

    // Assess
    expect(outcomes.get(0)).toMatchObject({ status: 'failed', attempts: 3 });
    expect(outcomes.get(1)).toMatchObject({ status: 'sent' });
    const emf = emfRecords(lines);
    expect(emf).toHaveLength(1);
    expect(emf[0]?._aws.CloudWatchMetrics).toEqual([
      {
        Namespace: METRICS_NAMESPACE,
        Dimensions: [['service']],
        Metrics: [{ Name: METRIC.deliveryFailed, Unit: 'Count' }],
      },
    ]);
    expect(emf[0]).toMatchObject({ service: METRICS_SERVICE, [METRIC.deliveryFailed]: 1 });
  });
});
