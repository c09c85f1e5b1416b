import { Duration, Stack, type StackProps, Validations } from 'aws-cdk-lib';
import {
  Alarm,
  ComparisonOperator,
  type IAlarmAction,
  Metric,
  Stats,
  TreatMissingData,
} from 'aws-cdk-lib/aws-cloudwatch';
import { SnsAction } from 'aws-cdk-lib/aws-cloudwatch-actions';
import { Topic } from 'aws-cdk-lib/aws-sns';
import { EmailSubscription } from 'aws-cdk-lib/aws-sns-subscriptions';
import type { IQueue } from 'aws-cdk-lib/aws-sqs';
import type { Construct } from 'constructs';
import { METRIC, METRICS_NAMESPACE, METRICS_SERVICE } from '../../shared/metrics.ts';

export interface AlarmsStackProps extends StackProps {
  /** CDK context `alarmEmail`: subscribed to the topic (AWS mails a confirmation link first). */
  readonly alarmEmail: string;
}

const productMetric = (name: string, period: Duration) =>
  new Metric({
    namespace: METRICS_NAMESPACE,
    metricName: name,
    dimensionsMap: { service: METRICS_SERVICE },
    statistic: Stats.SUM,
    period,
  });

/**
 * Where every alarm goes: one SNS topic with the operator's e-mail, and the alarms on the
 * product's own metrics (shared/metrics.ts). The other stacks add their alarms (function errors
 * and throttles, dead letters) with `alarmAction`. Created first, depending on nothing.
 */
export class AlarmsStack extends Stack {
  readonly topic: Topic;
  readonly alarmAction: IAlarmAction;

  constructor(scope: Construct, id: string, props: AlarmsStackProps) {
    super(scope, id, props);
    this.topic = new Topic(this, 'Alarms', { displayName: 'Eco Liaison alarms', enforceSSL: true });
    this.topic.addSubscription(new EmailSubscription(props.alarmEmail));
    Validations.of(this.topic).acknowledge({
      id: 'AwsSolutions-SNS2',
      reason:
        'Alarm notifications carry alarm names and metric values only, no personal data; CloudWatch cannot publish to a topic under the AWS managed SNS key, and a customer key would cost a monthly fee to protect nothing secret.',
    });
    this.alarmAction = new SnsAction(this.topic);

    // The heartbeat job runs hourly; two hours in a row without one means the scheduler, the jobs
    // function or its table is broken. Missing data is the failure itself, so it breaches.
    const heartbeat = new Alarm(this, 'HeartbeatStale', {
      alarmDescription: 'Eco Liaison: no heartbeat for 2 hours (scheduler or jobs function down)',
      metric: productMetric(METRIC.heartbeat, Duration.hours(1)),
      threshold: 1,
      comparisonOperator: ComparisonOperator.LESS_THAN_THRESHOLD,
      evaluationPeriods: 2,
      datapointsToAlarm: 2,
      treatMissingData: TreatMissingData.BREACHING,
    });
    heartbeat.addAlarmAction(this.alarmAction);

    // A delivery counted here failed every attempt of its run (it is retried by later runs).
    const deliveries = new Alarm(this, 'DeliveryFailures', {
      alarmDescription: 'Eco Liaison: a message (e-mail, SMS, robot) failed every attempt; see the deliveries page',
      metric: productMetric(METRIC.deliveryFailed, Duration.minutes(15)),
      threshold: 1,
      comparisonOperator: ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
      evaluationPeriods: 1,
      treatMissingData: TreatMissingData.NOT_BREACHING,
    });
    deliveries.addAlarmAction(this.alarmAction);
  }
}

/**
 * An alarm as soon as anything is parked in a dead-letter queue: each message there is a job run or
 * an event that failed all its retries and waits for a person (README runbook: draining the DLQ).
 */
export const alarmOnDeadLetters = (scope: Construct, queue: IQueue, action: IAlarmAction, what: string): Alarm => {
  const alarm = queue
    .metricApproximateNumberOfMessagesVisible({ period: Duration.minutes(5), statistic: Stats.MAXIMUM })
    .createAlarm(scope, `${queue.node.id}Depth`, {
      alarmDescription: `Eco Liaison: messages waiting in the dead-letter queue of ${what}`,
      threshold: 1,
      comparisonOperator: ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
      evaluationPeriods: 1,
      treatMissingData: TreatMissingData.NOT_BREACHING,
    });
  alarm.addAlarmAction(action);
  return alarm;
};
