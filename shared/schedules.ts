import type { FunctionName } from './functions.ts';
import { DEFAULT_REMINDER_DAY } from './monthly.ts';

/** Every schedule runs in this time zone, in AWS and locally. */
export const SCHEDULE_TIME_ZONE = 'Asia/Shanghai';

/**
 * One scheduled job. `cron` uses EventBridge Scheduler's six fields
 * (minutes hours day-of-month month day-of-week year) in SCHEDULE_TIME_ZONE.
 */
export interface ScheduleDef {
  readonly name: string;
  readonly fn: FunctionName;
  readonly cron: string;
  readonly description: string;
}

/**
 * The schedule list of a deployment; the reminder day is a deployment's choice (CDK context
 * `reminderDay`, locally `REMINDER_DAY`), 1-28 so that every month has it.
 */
export const schedulesFor = (options: { reminderDay?: number | undefined } = {}) => {
  const day = options.reminderDay ?? DEFAULT_REMINDER_DAY;
  if (!Number.isInteger(day) || day < 1 || day > 28) throw new Error(`reminderDay must be 1-28, not ${day}`);
  return [
    {
      name: 'heartbeat',
      fn: 'jobs',
      // Hourly: the stale-heartbeat alarm fires when none arrived for two hours (720 small runs a month).
      cron: '0 * * * ? *',
      description:
        'Hourly proof that the scheduler reaches the jobs function; shown by /api/health, alarmed when stale',
    },
    {
      name: 'reminder',
      fn: 'jobs',
      cron: `0 9 ${day} * ? *`,
      description: 'Monthly on the reminder day, 09:00: one digest per liaison of the pairings not contacted yet',
    },
    {
      name: 'missed',
      fn: 'jobs',
      cron: '0 9 1 * ? *',
      description:
        'Monthly on day 1, 09:00: a nudge per judged pairing not contacted the month before; repeats escalate',
    },
    {
      name: 'leader-reminder',
      fn: 'jobs',
      cron: `0 9 ${day} 3,6,9,12 ? *`,
      description:
        "The reminder day of a quarter's last month, 09:00: each lead held to the quarterly field service without one yet is reminded",
    },
    {
      name: 'leader-missed',
      fn: 'jobs',
      cron: '0 9 1 1,4,7,10 ? *',
      description:
        "A quarter's first day, 09:00: each lead held to the quarter before without a field service is nudged, and the next level up",
    },
    {
      name: 'overdue',
      fn: 'jobs',
      cron: '0 9 * * ? *',
      description: 'Daily 09:00: each ledger item past its due date nudges its owner, once',
    },
    {
      name: 'ledger-digest',
      fn: 'jobs',
      cron: '0 9 ? * MON *',
      description: 'Mondays 09:00: one digest per lead of the overdue ledger items its unit holds',
    },
    {
      name: 'warning-digest',
      fn: 'jobs',
      cron: '0 9 ? * MON *',
      description:
        "Mondays 09:00: one digest per lead of its unit's early-warning board (red and worsened firms, overdue red findings, permits expiring), none when empty",
    },
    {
      name: 'bookings',
      fn: 'jobs',
      // Every 5 minutes: a day cancellation that stopped part-way goes on within minutes, and a
      // message whose delivery failed or stopped is retried (fresh ones are sent within seconds by
      // the deliveries function the table's stream wakes); an idle run is one Query per list.
      cron: '0/5 * * * ? *',
      description:
        'Every 5 minutes: goes on with day cancellations still under way, and retries outgoing messages whose delivery failed or stopped',
    },
    {
      name: 'booking-reminders',
      fn: 'jobs',
      cron: '0 18 * * ? *',
      description:
        'Daily 18:00: each confirmed booking of the next day gets one reminder (e-mail and/or SMS: where, when, code, how to cancel)',
    },
  ] as const satisfies readonly ScheduleDef[];
};

/** The default list (reminder on day 20). */
export const schedules = schedulesFor();

/** The jobs of the monthly-contact rule, run together by `POST /api/local/jobs/nudges` when they fire. */
export const NUDGE_JOBS = ['reminder', 'missed'] as const;

export type ScheduleName = (typeof schedules)[number]['name'];

export const findSchedule = (name: string, list: readonly ScheduleDef[] = schedules): ScheduleDef | undefined =>
  list.find((s) => s.name === name);

/**
 * The payload a job receives. In AWS, Scheduler fills `scheduledTime` from its
 * `<aws.scheduler.scheduled-time>` context attribute (UTC, e.g. `2026-12-01T01:00:00Z`);
 * the local scheduler sends the same shape.
 */
export interface JobEvent {
  readonly job: string;
  readonly scheduledTime: string;
  readonly executionId: string;
  readonly attemptNumber: number;
}

/** Builds the payload template; the CDK stack passes Scheduler's placeholders as values. */
export const jobPayload = (
  job: string,
  scheduledTime: string,
  executionId: string,
  attemptNumber: number | string,
): Record<string, unknown> => ({ job, scheduledTime, executionId, attemptNumber });
