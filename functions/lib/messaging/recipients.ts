import { QueryCommand } from '@aws-sdk/lib-dynamodb';
import { parentOf } from '../../../shared/jurisdictions.ts';
import { keys } from '../../../shared/keys.ts';
import { type UserProfile, userProfiles } from '../accounts/profiles.ts';
import { db, tableName } from '../store/table.ts';

/**
 * Who receives what, for jobs that address many people at once: staff profiles by username (one
 * BatchGet per hundred) and the leads of a jurisdiction (one Query each, remembered for the run).
 */
export const staffDirectory = () => {
  const leads = new Map<string, Promise<UserProfile[]>>();
  const leadsAt = (code: string): Promise<UserProfile[]> => {
    let pending = leads.get(code);
    if (!pending) {
      pending = db()
        .send(
          new QueryCommand({
            TableName: tableName(),
            IndexName: 'byScope',
            KeyConditionExpression: 'scopePk = :p AND begins_with(scopeSk, :code)',
            ExpressionAttributeValues: { ':p': keys.usersScopePk(), ':code': `${code}#` },
          }),
        )
        .then((out) => (out.Items ?? []).filter((u) => u.role === 'lead') as UserProfile[]);
      leads.set(code, pending);
    }
    return pending;
  };

  return {
    /** The leads of a jurisdiction, or of the nearest one above that has any. */
    nearestLeads: async (code: string | undefined): Promise<{ code: string; leads: UserProfile[] } | undefined> => {
      for (let at = code; at; at = parentOf(at)) {
        const found = await leadsAt(at);
        if (found.length > 0) return { code: at, leads: found };
      }
      return undefined;
    },
    profiles: userProfiles,
  };
};
