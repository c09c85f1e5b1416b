import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, PutCommand } from '@aws-sdk/lib-dynamodb';
import { userItem } from '../../shared/staff-user.ts';
import { shanghaiDate } from '../../shared/time.ts';
import type { LocalAccount } from './accounts.ts';

/**
 * Puts the demo data that is missing. Safe to run on every start: it never
 * overwrites what a user changed since.
 */
export const seedDemoData = async (
  client: DynamoDBClient,
  tableName: string,
  accounts: readonly LocalAccount[],
): Promise<number> => {
  const doc = DynamoDBDocumentClient.from(client);
  let created = 0;
  const now = new Date();
  // The demo accounts have held their roles since a year before the first start, so the leaders'
  // quarterly rule (held from a quarter's first day) has something to show on `npm start`.
  const yearBefore = shanghaiDate(new Date(now.getTime() - 366 * 86_400_000));
  for (const account of accounts) {
    try {
      await doc.send(
        new PutCommand({
          TableName: tableName,
          Item: userItem({ ...account, roleSince: yearBefore }, { version: 1, at: now.toISOString() }),
          ConditionExpression: 'attribute_not_exists(pk)',
        }),
      );
      created++;
    } catch (error) {
      if (!(error instanceof ConditionalCheckFailedException)) throw error;
    }
  }
  return created;
};
