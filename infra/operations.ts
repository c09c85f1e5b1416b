import { RetentionDays } from 'aws-cdk-lib/aws-logs';

/**
 * What a deployment must say about its operation, checked before any stack is built so a missing
 * or wrong value fails the synth with the setting's name, never a deployment that mails from an
 * unverified address, alarms nobody, or drops logs the law says to keep.
 */
export const OPERATIONS_CONTEXT = {
  /** SES-verified address (or an address of a verified domain) that e-mails come from. Required. */
  mailFrom: 'mailFrom',
  /** Who the alarms reach: an e-mail subscription of the alarm topic (confirm it once). Required. */
  alarmEmail: 'alarmEmail',
  /** Days every log group keeps its logs; default 180, never fewer (网络安全法 §21: at least six months). */
  logRetentionDays: 'logRetentionDays',
} as const;

export interface OperationsSettings {
  readonly mailFrom: string;
  readonly alarmEmail: string;
  readonly logRetention: RetentionDays;
}

/** 网络安全法 §21 (3): network logs kept no less than six months. */
export const MIN_LOG_RETENTION_DAYS = 180;
export const DEFAULT_LOG_RETENTION_DAYS = 180;

/** The retention periods CloudWatch Logs accepts (no "never expire": logs hold personal data). */
const RETENTIONS = Object.values(RetentionDays).filter(
  (days): days is RetentionDays => typeof days === 'number' && days !== RetentionDays.INFINITE,
);

/** A plain address (no display name, spaces or list): SES's FromAddress condition compares it exactly. */
const ADDRESS = /^[^\s@"<>,;:\\]{1,64}@[A-Za-z0-9-]+(\.[A-Za-z0-9-]+)+$/;

const fail = (key: string, problem: string): never => {
  throw new Error(`CDK context ${key}: ${problem}`);
};

const addressFrom = (key: string, value: unknown, example: string, purpose: string): string => {
  if (value === undefined || value === null || value === '')
    return fail(key, `is required: ${purpose}. Pass it with -c ${key}=${example} (or in cdk.context.json).`);
  if (typeof value !== 'string' || !ADDRESS.test(value.trim()))
    return fail(key, `must be one plain e-mail address such as ${example} (got ${JSON.stringify(value)}).`);
  return value.trim();
};

const retentionFrom = (value: unknown): RetentionDays => {
  if (value === undefined || value === null || value === '') return DEFAULT_LOG_RETENTION_DAYS as RetentionDays;
  const days = Number(value);
  const allowed = RETENTIONS.filter((d) => d >= MIN_LOG_RETENTION_DAYS).sort((a, b) => a - b);
  if (!Number.isInteger(days) || days < MIN_LOG_RETENTION_DAYS)
    return fail(
      OPERATIONS_CONTEXT.logRetentionDays,
      `must be at least ${MIN_LOG_RETENTION_DAYS} days (网络安全法 §21: logs kept no less than six months), got ${JSON.stringify(value)}.`,
    );
  if (!allowed.includes(days as RetentionDays))
    return fail(
      OPERATIONS_CONTEXT.logRetentionDays,
      `must be a period CloudWatch Logs offers: ${allowed.join(', ')} (got ${days}).`,
    );
  return days as RetentionDays;
};

/** Reads and checks the operation settings from CDK context. */
export const operationsSettingsFrom = (context: (key: string) => unknown): OperationsSettings => ({
  mailFrom: addressFrom(
    OPERATIONS_CONTEXT.mailFrom,
    context(OPERATIONS_CONTEXT.mailFrom),
    'no-reply@eco.example.gov.cn',
    'the SES-verified sender of every e-mail',
  ),
  alarmEmail: addressFrom(
    OPERATIONS_CONTEXT.alarmEmail,
    context(OPERATIONS_CONTEXT.alarmEmail),
    'ops@eco.example.gov.cn',
    'the person the alarms (failed jobs, dead letters, a stale heartbeat, failed deliveries) reach',
  ),
  logRetention: retentionFrom(context(OPERATIONS_CONTEXT.logRetentionDays)),
});
