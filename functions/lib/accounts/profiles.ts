import { DeleteCommand, GetCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { keys } from '../../../shared/keys.ts';
import type { Role } from '../../../shared/roles.ts';
import type { StaffUserInput } from '../../../shared/staff-user.ts';
import { ConflictError } from '../http/errors.ts';
import type { Identity } from '../http/identity.ts';
import { auditPut } from '../store/audit.ts';
import { batchGet, db, tableName } from '../store/table.ts';
import { transact } from '../store/transact.ts';

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

/** The stored profiles of the staff inside a jurisdiction prefix (one Query on byScope). */
export const profilesUnder = async (prefix: string) => {
  const out = await db().send(
    new QueryCommand({
      TableName: tableName(),
      IndexName: 'byScope',
      KeyConditionExpression: 'scopePk = :p AND begins_with(scopeSk, :prefix)',
      ExpressionAttributeValues: { ':p': keys.usersScopePk(), ':prefix': prefix },
    }),
  );
  return out.Items ?? [];
};

/**
 * Writes a new staff profile with its audit event in one transaction; a taken username is
 * 409 USERNAME_TAKEN and writes nothing.
 */
export const createProfile = async (
  me: Identity,
  user: StaffUserInput,
  now: string,
  /** More writes of the same transaction (the person's invitation). */
  extra: readonly Record<string, unknown>[] = [],
) => {
  const profile = { ...user, version: 1, createdAt: now, createdBy: me.username };
  const result = await transact([
    {
      Put: {
        TableName: tableName(),
        Item: {
          ...keys.user(user.username),
          ...keys.userScope(user.jurisdiction, user.username),
          type: 'user',
          ...profile,
        },
        ConditionExpression: 'attribute_not_exists(pk)',
      },
    },
    auditPut(
      me,
      { entity: `user:${user.username}`, jurisdiction: user.jurisdiction, action: 'user.create', after: profile },
      now,
    ),
    ...extra,
  ]);
  if (!result.ok) throw new ConflictError('USERNAME_TAKEN', 'An account with this username exists already');
};

/** Removes a profile again, when its sign-in account could not be made. */
export const deleteProfile = async (username: string) => {
  await db().send(new DeleteCommand({ TableName: tableName(), Key: keys.user(username) }));
};
