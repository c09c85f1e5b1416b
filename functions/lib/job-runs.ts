import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { PutCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { keys } from '../../shared/keys.ts';
import { db, tableName } from './aws.ts';

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
  const out = await db().send(
    new QueryCommand({
      TableName: tableName(),
      KeyConditionExpression: 'pk = :pk AND begins_with(sk, :sk)',
      ExpressionAttributeValues: { ':pk': pk, ':sk': skPrefix },
      ScanIndexForward: false,
      Limit: 1,
    }),
  );
  const item = out.Items?.[0];
  return item ? { job: item.job, scheduledTime: item.scheduledTime, startedAt: item.startedAt } : undefined;
};
