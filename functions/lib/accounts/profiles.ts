import { GetCommand } from '@aws-sdk/lib-dynamodb';
import { keys } from '../../../shared/keys.ts';
import type { Role } from '../../../shared/roles.ts';
import { batchGet, db, tableName } from '../store/table.ts';

export interface UserProfile {
  readonly username: string;
  readonly displayName: string;
  readonly email: string;
  readonly role: Role;
  readonly jurisdiction: string;
}

export const getUserProfile = async (username: string): Promise<UserProfile | undefined> => {
  const out = await db().send(new GetCommand({ TableName: tableName(), Key: keys.user(username) }));
  if (!out.Item) return undefined;
  const { displayName, email, role, jurisdiction } = out.Item;
  return { username, displayName, email, role, jurisdiction };
};

/** Several staff profiles by username (one BatchGet per hundred). */
export const userProfiles = async (usernames: readonly string[]): Promise<Map<string, UserProfile>> =>
  new Map(
    (await batchGet([...new Set(usernames)].map((u) => keys.user(u)))).map((item) => [
      String(item.username),
      item as unknown as UserProfile,
    ]),
  );
