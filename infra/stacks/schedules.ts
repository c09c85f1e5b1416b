import { Duration, Stack, type StackProps, TimeZone, Validations } from 'aws-cdk-lib';
import type { CronOptions } from 'aws-cdk-lib/aws-events';
import { Role, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import { FilterCriteria, StartingPosition } from 'aws-cdk-lib/aws-lambda';
import { SqsDestination } from 'aws-cdk-lib/aws-lambda-destinations';
import { DynamoEventSource, SqsDlq } from 'aws-cdk-lib/aws-lambda-event-sources';
import { ContextAttribute, Schedule, ScheduleExpression, ScheduleTargetInput } from 'aws-cdk-lib/aws-scheduler';
import { LambdaInvoke } from 'aws-cdk-lib/aws-scheduler-targets';
import { Queue, QueueEncryption } from 'aws-cdk-lib/aws-sqs';
import type { Construct } from 'constructs';
import { parseCron } from '../../shared/cron.ts';
import { type FunctionDef, type FunctionName, functionNames, functions } from '../../shared/functions.ts';
import { jobPayload, SCHEDULE_TIME_ZONE, schedules, schedulesFor } from '../../shared/schedules.ts';
import { AppFunction, type FunctionContext } from '../constructs/function.ts';
import { wildcardResourceId } from '../constructs/nag.ts';
import { alarmOnDeadLetters } from './alarms.ts';

export interface SchedulesStackProps extends StackProps {
  readonly functionContext: FunctionContext;
  /** Day of the monthly reminder (CDK context `reminderDay`), default 20. */
  readonly reminderDay?: number | undefined;
}

/** The functions that at least one schedule of `shared/schedules.ts` fires. */
export const scheduledFunctions = (): FunctionName[] => [...new Set(schedules.map((s) => s.fn))];

/** The functions the table's stream invokes (`stream` in `shared/functions.ts`). */
export const streamedFunctions = (): FunctionName[] =>
  functionNames.filter((name) => (functions[name] as FunctionDef).stream !== undefined);

/**
 * A six-field EventBridge Scheduler cron (`min hour day-of-month month day-of-week year`)
 * as CDK cron options; the `?` field is left out, so CDK writes it back as `?`.
 */
export const cronOptions = (cron: string): CronOptions => {
  parseCron(cron); // refuses what Scheduler (or the local scheduler) would not run
  const [minute, hour, day, month, weekDay, year] = cron.trim().split(/\s+/);
  return { minute, hour, month, year, ...(day === '?' ? { weekDay } : { day }) };
};

/**
 * The scheduled jobs: their function(s) and one EventBridge Scheduler schedule per entry of
 * `shared/schedules.ts`, in Asia/Shanghai. The payload carries Scheduler's scheduled time,
 * which is the job's "now". Invocations that fail after the retries land in a dead-letter queue.
 */
export class SchedulesStack extends Stack {
  readonly functions: Partial<Record<FunctionName, AppFunction>> = {};
  readonly deadLetters: Queue;

  constructor(scope: Construct, id: string, props: SchedulesStackProps) {
    super(scope, id, props);

    this.deadLetters = new Queue(this, 'DeadLetters', {
      encryption: QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
      retentionPeriod: Duration.days(14),
    });
    Validations.of(this.deadLetters).acknowledge({
      id: 'AwsSolutions-SQS3',
      reason: 'This queue is itself the dead-letter queue of the schedules and of the job function.',
    });

    alarmOnDeadLetters(
      this,
      this.deadLetters,
      props.functionContext.alarmAction,
      'the schedules and the jobs function',
    );

    for (const name of scheduledFunctions()) {
      const fn = new AppFunction(this, `Fn-${name}`, { name, context: props.functionContext });
      // Scheduler invokes asynchronously: a job that throws is retried by Lambda, then parked here.
      fn.fn.configureAsyncInvoke({
        retryAttempts: 2,
        maxEventAge: Duration.hours(1),
        onFailure: new SqsDestination(this.deadLetters),
      });
      this.functions[name] = fn;
    }

    // Woken by the table's stream, filtered to their records; a batch that keeps failing is halved
    // and retried, then its position (not its data) lands in the dead-letter queue.
    for (const name of streamedFunctions()) {
      const trigger = (functions[name] as FunctionDef).stream as NonNullable<FunctionDef['stream']>;
      const fn = new AppFunction(this, `Fn-${name}`, { name, context: props.functionContext });
      fn.fn.addEventSource(
        new DynamoEventSource(props.functionContext.table, {
          startingPosition: StartingPosition.TRIM_HORIZON,
          batchSize: trigger.batchSize,
          bisectBatchOnError: true,
          retryAttempts: trigger.retryAttempts,
          maxRecordAge: Duration.seconds(trigger.maxRecordAgeSeconds),
          reportBatchItemFailures: true,
          onFailure: new SqsDlq(this.deadLetters),
          filters: [FilterCriteria.filter(trigger.filter as Record<string, unknown>)],
        }),
      );
      Validations.of(fn).acknowledge({
        id: 'AwsSolutions-IAM5[Resource::*]',
        reason: 'dynamodb:ListStreams has no resource-level permission; reading is granted on the table stream alone.',
      });
      this.functions[name] = fn;
    }

    // One role for all schedules, assumable by Scheduler on behalf of this account only.
    const schedulerRole = new Role(this, 'SchedulerRole', {
      assumedBy: new ServicePrincipal('scheduler.amazonaws.com', {
        conditions: { StringEquals: { 'aws:SourceAccount': this.account } },
      }),
    });
    for (const def of schedulesFor({ reminderDay: props.reminderDay })) {
      const fn = this.functions[def.fn] as AppFunction;
      const target = new LambdaInvoke(fn.fn, {
        role: schedulerRole,
        input: ScheduleTargetInput.fromObject(
          jobPayload(
            def.name,
            ContextAttribute.scheduledTime,
            ContextAttribute.executionId,
            ContextAttribute.attemptNumber,
          ),
        ),
        retryAttempts: 3,
        maxEventAge: Duration.hours(1),
        deadLetterQueue: this.deadLetters,
      });
      new Schedule(this, `Schedule-${def.name}`, {
        description: def.description,
        schedule: ScheduleExpression.cron({ ...cronOptions(def.cron), timeZone: TimeZone.of(SCHEDULE_TIME_ZONE) }),
        target,
      });
    }
    for (const fn of Object.values(this.functions)) {
      Validations.of(schedulerRole).acknowledge({
        id: wildcardResourceId(schedulerRole, `${fn.fn.functionArn}:*`),
        reason: 'LambdaInvoke grants invoke on the job function and its versions / aliases (`<arn>:*`); nothing else.',
      });
    }
  }
}
