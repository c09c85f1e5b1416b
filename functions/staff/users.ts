import { QueryCommand } from '@aws-sdk/lib-dynamodb';
import { prefixOf } from '../../shared/jurisdictions.ts';
import { keys } from '../../shared/keys.ts';
import { db, tableName } from '../lib/aws.ts';
import { found } from '../lib/errors.ts';
import { defineRoute } from '../lib/http.ts';

/** GET /api/staff/users: staff accounts inside the caller's jurisdiction (Query on byScope). */
export const listUsers = defineRoute({
  handler: async ({ identity: caller }) => {
    const identity = found(caller);
    const out = await db().send(
      new QueryCommand({
        TableName: tableName(),
        IndexName: 'byScope',
        KeyConditionExpression: 'scopePk = :p AND begins_with(scopeSk, :prefix)',
        ExpressionAttributeValues: { ':p': keys.usersScopePk(), ':prefix': prefixOf(identity.jurisdiction) },
      }),
    );
    const users = (out.Items ?? []).map((u) => ({
      username: u.username,
      displayName: u.displayName,
      email: u.email,
      role: u.role,
      jurisdiction: u.jurisdiction,
    }));
    return { users };
  },
});
