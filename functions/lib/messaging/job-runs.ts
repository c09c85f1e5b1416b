import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { PutCommand } from '@aws-sdk/lib-dynamodb';
import { keys } from '../../../shared/keys.ts';
import { db, queryPartition, tableName } from '../store/table.ts';

export interface JobRun {
  readonly job: string;
  readonly scheduledTime: string;
  readonly startedAt: string;
}

/**
 * Records one run per (job, scheduled time) with a conditional put.
 * Returns false when that scheduled time was already recorded (a duplicate delivery).
 */
export const recordJobRun = async (run: JobRun): Promise<boolean> => {
  try {
    await db().send(
      new PutCommand({
        TableName: tableName(),
        Item: { ...keys.jobRun(run.job, run.scheduledTime), type: 'jobRun', ...run },
        ConditionExpression: 'attribute_not_exists(pk)',
      }),
    );
    return true;
  } catch (error) {
    if (error instanceof ConditionalCheckFailedException) return false;
    throw error;
  }
};

/** The newest recorded run of a job, by scheduled time. */
export const latestJobRun = async (job: string): Promise<JobRun | undefined> => {
  const { pk, skPrefix } = keys.jobRuns(job);
  const [item] = await queryPartition(pk, { skPrefix, newestFirst: true, limit: 1 });
  return item
    ? { job: String(item.job), scheduledTime: String(item.scheduledTime), startedAt: String(item.startedAt) }
    : undefined;
};
