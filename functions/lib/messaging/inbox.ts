import { QueryCommand } from '@aws-sdk/lib-dynamodb';
import { keys } from '../../../shared/keys.ts';
import type { Identity } from '../http/identity.ts';
import { auditPut } from '../store/audit.ts';
import { db, getRecord, tableName } from '../store/table.ts';
import { transact } from '../store/transact.ts';

/**
 * A person's inbox: the entries job messages write (job-messages.ts), one partition per person,
 * sorted by `<ISO time>#<message id>`. Only its owner reads it or marks an entry read.
 */

/** One page of a person's inbox, newest first, with how many entries are unread (a COUNT Query). */
export const inboxPage = async (
  username: string,
  page: { limit: number; start: Record<string, unknown> | undefined },
) => {
  const pk = keys.inboxOf(username).pk;
  const [entries, unread] = await Promise.all([
    db().send(
      new QueryCommand({
        TableName: tableName(),
        KeyConditionExpression: 'pk = :pk',
        ExpressionAttributeValues: { ':pk': pk },
        ScanIndexForward: false,
        Limit: page.limit,
        ExclusiveStartKey: page.start,
      }),
    ),
    db().send(
      new QueryCommand({
        TableName: tableName(),
        KeyConditionExpression: 'pk = :pk',
        FilterExpression: '#read = :no',
        ExpressionAttributeNames: { '#read': 'read' },
        ExpressionAttributeValues: { ':pk': pk, ':no': false },
        Select: 'COUNT',
      }),
    ),
  ]);
  return { items: entries.Items ?? [], lastKey: entries.LastEvaluatedKey, unread: unread.Count ?? 0 };
};

/** One entry of the caller's own inbox, if it exists. */
export const getInboxEntry = (username: string, sk: string) =>
  getRecord<{ read?: boolean }>({ pk: keys.inboxOf(username).pk, sk });

/** Marks an entry of the caller's own inbox read, with its audit event (`id` is the entry's id in URLs). */
export const markInboxEntryRead = async (me: Identity, sk: string, id: string) => {
  const at = new Date().toISOString();
  await transact([
    {
      Update: {
        TableName: tableName(),
        Key: { pk: keys.inboxOf(me.username).pk, sk },
        UpdateExpression: 'SET #read = :yes, readAt = :at',
        ConditionExpression: 'attribute_exists(pk)',
        ExpressionAttributeNames: { '#read': 'read' },
        ExpressionAttributeValues: { ':yes': true, ':at': at },
      },
    },
    auditPut(
      me,
      { entity: `inbox:${me.username}`, jurisdiction: me.jurisdiction, action: 'inbox.read', after: { id } },
      at,
    ),
  ]);
};
