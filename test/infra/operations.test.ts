import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../infra/app-builder.ts';
import { MIN_LOG_RETENTION_DAYS } from '../../infra/operations.ts';
import { METRIC, METRICS_NAMESPACE, METRICS_SERVICE } from '../../shared/metrics.ts';
import { findSchedule } from '../../shared/schedules.ts';
import {
  fakeSiteDir,
  followOutput,
  type Json,
  REQUIRED_CONTEXT,
  readJson,
  type Synthesized,
  synthesize,
} from './support.ts';

/** Issue 15, Operations: alarms that reach a person, logs kept as the law says, a sender required. */

// Wiring only (app.test.ts checks the bundles): one synthesis with a retention other than the default.
let synth: Synthesized;
beforeAll(() => {
  synth = synthesize({ skipBundling: true, context: { logRetentionDays: '365' } });
});
afterAll(() => synth?.cleanup());

const topicRef = () => {
  const [topic, ...others] = synth.resources(synth.alarms, 'AWS::SNS::Topic');
  expect(others).toEqual([]);
  return { Ref: topic?.[0] };
};
const alarms = () => synth.everywhere('AWS::CloudWatch::Alarm');
const alarmOn = (metric: string) => {
  const found = alarms().filter(([, , a]) => a.Properties.MetricName === metric);
  expect(found, metric).toHaveLength(1);
  return (found[0] as (typeof found)[number])[2].Properties;
};

describe('alarms reach a person (context alarmEmail)', () => {
  it('every alarm in every stack notifies the one alarm topic, and nothing else', () => {
    // Act
    const all = alarms();

    // Assess: cross-stack references followed to the topic itself.
    expect(all.length).toBeGreaterThanOrEqual(8);
    for (const [stack, id, alarm] of all) {
      const actions = (alarm.Properties.AlarmActions as unknown[] | undefined) ?? [];
      expect(
        actions.map((a) => followOutput(synth.templates, a)),
        `${stack.stackName}/${id}`,
      ).toEqual([topicRef()]);
    }
  });

  it('subscribes the alarmEmail address to the topic, which accepts TLS only', () => {
    // Act
    const subscriptions = synth.resources(synth.alarms, 'AWS::SNS::Subscription').map(([, s]) => s.Properties);
    const policies = synth.resources(synth.alarms, 'AWS::SNS::TopicPolicy').map(([, p]) => JSON.stringify(p));

    // Assess
    expect(subscriptions).toEqual([{ Protocol: 'email', Endpoint: REQUIRED_CONTEXT.alarmEmail, TopicArn: topicRef() }]);
    expect(policies.some((p) => p.includes('"aws:SecureTransport":"false"'))).toBe(true);
  });

  it('alarms as soon as one message waits in any dead-letter queue', () => {
    // Prepare: every queue something parks its failures in (Lambda on-failure, Scheduler, SQS redrive).
    const deadLetterIds = new Set<string>();
    const collect = (value: unknown): void => {
      if (Array.isArray(value)) value.forEach(collect);
      else if (value && typeof value === 'object') {
        for (const [key, inner] of Object.entries(value as Json)) {
          if (['DeadLetterConfig', 'OnFailure', 'RedrivePolicy'].includes(key)) {
            const json = JSON.stringify(inner);
            for (const [, id] of json.matchAll(/"(?:Fn::GetAtt|Ref)":\["?([A-Za-z0-9]+)/g))
              deadLetterIds.add(id as string);
            for (const [, id] of json.matchAll(/"Ref":"([A-Za-z0-9]+)"/g)) deadLetterIds.add(id as string);
          } else collect(inner);
        }
      }
    };
    for (const template of Object.values(synth.templates)) collect(template.Resources);
    const queues = synth.everywhere('AWS::SQS::Queue').filter(([, id]) => deadLetterIds.has(id));

    // Act / Assess
    expect(queues.length).toBeGreaterThanOrEqual(1);
    for (const [stack, id] of queues) {
      const depth = synth
        .resources(stack, 'AWS::CloudWatch::Alarm')
        .map(([, a]) => a.Properties)
        .filter(
          (a) =>
            a.MetricName === 'ApproximateNumberOfMessagesVisible' && JSON.stringify(a.Dimensions).includes(`"${id}"`),
        );
      expect(depth, `${stack.stackName}/${id}`).toHaveLength(1);
      expect(depth[0]).toMatchObject({
        Namespace: 'AWS/SQS',
        Threshold: 1,
        ComparisonOperator: 'GreaterThanOrEqualToThreshold',
      });
    }
  });

  it('alarms when no heartbeat arrived for two hours, missing data counting as none', () => {
    // Act
    const alarm = alarmOn(METRIC.heartbeat);

    // Assess: the job runs at least hourly, so two empty hours are a failure, not a gap.
    expect(findSchedule('heartbeat')?.cron).toBe('0 * * * ? *');
    expect(alarm).toMatchObject({
      Namespace: METRICS_NAMESPACE,
      Dimensions: [{ Name: 'service', Value: METRICS_SERVICE }],
      Statistic: 'Sum',
      Period: 3600,
      EvaluationPeriods: 2,
      DatapointsToAlarm: 2,
      Threshold: 1,
      ComparisonOperator: 'LessThanThreshold',
      TreatMissingData: 'breaching',
    });
  });

  it('alarms on a delivery that failed every attempt of a run', () => {
    // Act
    const alarm = alarmOn(METRIC.deliveryFailed);

    // Assess
    expect(alarm).toMatchObject({
      Namespace: METRICS_NAMESPACE,
      Dimensions: [{ Name: 'service', Value: METRICS_SERVICE }],
      Statistic: 'Sum',
      Threshold: 1,
      ComparisonOperator: 'GreaterThanOrEqualToThreshold',
      TreatMissingData: 'notBreaching',
    });
  });
});

describe('log retention (context logRetentionDays; 网络安全法 §21: at least six months)', () => {
  it("keeps every function's logs and the API's access logs for the days the context says", () => {
    // Act
    const groups = [
      ...synth.resources(synth.api, 'AWS::Logs::LogGroup'),
      ...synth.resources(synth.schedules, 'AWS::Logs::LogGroup'),
    ];
    const functions = [
      ...synth.resources(synth.api, 'AWS::Lambda::Function'),
      ...synth.resources(synth.schedules, 'AWS::Lambda::Function'),
    ];

    // Assess: one group per function plus the access logs, all 365 days.
    expect(groups).toHaveLength(functions.length + 1);
    for (const [id, group] of groups) expect(group.Properties.RetentionInDays, id).toBe(365);
  });

  it("keeps the site deployment handler's logs as long, in a group of its own", () => {
    // Act
    const groups = synth.resources(synth.site, 'AWS::Logs::LogGroup');
    const handlers = synth
      .resources(synth.site, 'AWS::Lambda::Function')
      .filter(([, fn]) => JSON.stringify(fn.Properties).includes('s3-deployment') || fn.Properties.Layers);

    // Assess
    expect(groups.length).toBeGreaterThanOrEqual(1);
    for (const [id, group] of groups) expect(group.Properties.RetentionInDays, id).toBe(365);
    for (const [id, fn] of handlers) {
      const target = (fn.Properties.LoggingConfig as Json | undefined)?.LogGroup as { Ref?: string } | undefined;
      expect(
        groups.map(([groupId]) => groupId),
        id,
      ).toContain(target?.Ref);
    }
  });

  it('defaults to 180 days and refuses fewer, or a period CloudWatch does not offer', () => {
    // Prepare
    const siteDir = fakeSiteDir();
    const build = (logRetentionDays: unknown) =>
      buildApp({ siteDir, context: { ...REQUIRED_CONTEXT, logRetentionDays } });

    // Act / Assess
    expect(MIN_LOG_RETENTION_DAYS).toBe(180);
    const app = buildApp({ siteDir, context: REQUIRED_CONTEXT });
    const accessLogs = app.api.node.findChild('AccessLogs').node.defaultChild as { retentionInDays?: number };
    expect(accessLogs.retentionInDays).toBe(180);
    expect(() => build('30')).toThrow(/logRetentionDays: must be at least 180 days \(网络安全法 §21/);
    expect(() => build('179')).toThrow(/at least 180/);
    expect(() => build('200')).toThrow(/logRetentionDays: must be a period CloudWatch Logs offers/);
    expect(() => build('9999')).toThrow(/logRetentionDays/);
    expect(() => build('half a year')).toThrow(/logRetentionDays/);
  });
});

describe('required settings fail the synth by name', () => {
  const siteDir = fakeSiteDir();

  it('refuses a synth without mailFrom, saying how to pass it', () => {
    // Act / Assess
    expect(() => buildApp({ siteDir, context: { alarmEmail: REQUIRED_CONTEXT.alarmEmail } })).toThrow(
      /CDK context mailFrom: is required.*-c mailFrom=/,
    );
  });

  it('refuses a synth without alarmEmail, so no deployment has alarms that reach nobody', () => {
    // Act / Assess
    expect(() => buildApp({ siteDir, context: { mailFrom: REQUIRED_CONTEXT.mailFrom } })).toThrow(
      /CDK context alarmEmail: is required.*-c alarmEmail=/,
    );
  });

  it('refuses addresses that are not one plain address', () => {
    // Act / Assess
    for (const bad of ['ops', 'Ops <ops@example.gov.cn>', 'a@b.cn,c@d.cn', 'a b@c.cn', 'ops@localhost']) {
      expect(() => buildApp({ siteDir, context: { ...REQUIRED_CONTEXT, alarmEmail: bad } }), bad).toThrow(/alarmEmail/);
      expect(() => buildApp({ siteDir, context: { ...REQUIRED_CONTEXT, mailFrom: bad } }), bad).toThrow(/mailFrom/);
    }
  });
});

describe('cdk-nag (AwsSolutions) on the alarms', () => {
  it('finds nothing that is not acknowledged with a reason', () => {
    // Act
    const report = readJson(join(synth.outdir, 'validation-report.json')) as {
      pluginReports: { pluginName?: string; violations?: { severity: string; ruleName: string }[] }[];
    };

    // Assess
    expect(report.pluginReports.flatMap((p) => p.violations ?? [])).toEqual([]);
    expect(synth.synthError).toBeUndefined();
  });
});
