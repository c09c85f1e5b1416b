import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { DeleteCommand, GetCommand, PutCommand, QueryCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { keys } from '../../../shared/keys.ts';
import type { Role } from '../../../shared/roles.ts';
import { type StaffUser, type StaffUserInput, staffUserOf, userItem } from '../../../shared/staff-user.ts';
import { shanghaiDate } from '../../../shared/time.ts';
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

/** The stored account, or undefined (strongly consistent: a change is seen by the next request). */
export const getStaffUser = async (username: string): Promise<StaffUser | undefined> => {
  const out = await db().send(
    new GetCommand({ TableName: tableName(), Key: keys.user(username), ConsistentRead: true }),
  );
  return out.Item ? staffUserOf(out.Item) : undefined;
};

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
  const item = userItem(user, { version: 1, at: now, by: me.username });
  const { pk: _pk, sk: _sk, scopePk: _scopePk, scopeSk: _scopeSk, type: _type, ...profile } = item;
  const result = await transact([
    { Put: { TableName: tableName(), Item: item, ConditionExpression: 'attribute_not_exists(pk)' } },
    auditPut(
      me,
      { entity: `user:${user.username}`, jurisdiction: user.jurisdiction, action: 'user.create', after: profile },
      now,
    ),
    ...extra,
  ]);
  if (!result.ok) throw new ConflictError('USERNAME_TAKEN', 'An account with this username exists already');
};

/**
 * Writes the account as `after` at the version the caller read, with its audit event, in one
 * transaction: a version changed meanwhile is 409 VERSION_CONFLICT and writes nothing. A new
 * jurisdiction moves the item in the byScope index too.
 */
export const updateProfile = async (me: Identity, before: StaffUser, after: StaffUser, now: string) => {
  const moved = before.role !== after.role || before.jurisdiction !== after.jurisdiction;
  const result = await transact([
    {
      Update: {
        TableName: tableName(),
        Key: keys.user(before.username),
        UpdateExpression:
          'SET displayName = :name, #role = :role, jurisdiction = :jurisdiction, scopeSk = :scopeSk, ' +
          'enabled = :enabled, version = :next, updatedAt = :now, updatedBy = :by' +
          // A new role or jurisdiction starts the day it is taken (the leaders' quarterly rule).
          (moved ? ', roleSince = :since' : '') +
          (after.mobile === null ? ' REMOVE mobile' : ', mobile = :mobile'),
        // Items written before versions existed count as version 1.
        ConditionExpression:
          'attribute_exists(pk) AND (version = :version OR (attribute_not_exists(version) AND :version = :one))',
        ExpressionAttributeNames: { '#role': 'role' },
        ExpressionAttributeValues: {
          ':name': after.displayName,
          ':role': after.role,
          ':jurisdiction': after.jurisdiction,
          ':scopeSk': keys.userScope(after.jurisdiction, after.username).scopeSk,
          ':enabled': after.enabled,
          ':next': after.version,
          ':now': now,
          ':by': me.username,
          ':version': before.version,
          ':one': 1,
          ...(after.mobile === null ? {} : { ':mobile': after.mobile }),
          ...(moved ? { ':since': shanghaiDate(new Date(now)) } : {}),
        },
      },
    },
    auditPut(
      me,
      {
        entity: `user:${before.username}`,
        jurisdiction: before.jurisdiction,
        action: 'user.update',
        before,
        after,
      },
      now,
    ),
  ]);
  if (!result.ok) throw new ConflictError('VERSION_CONFLICT', 'The account changed meanwhile; reload it');
};

/** Removes a profile again, when its sign-in account could not be made. */
export const deleteProfile = async (username: string) => {
  await db().send(new DeleteCommand({ TableName: tableName(), Key: keys.user(username) }));
};

/**
 * At an external issuer this side learns of a staff member from its tokens: the account is recorded
 * as the token says (first sight), and its role and jurisdiction follow the issuer's when a token
 * says otherwise; `enabled`, display name and mobile stay ours. Conditional writes: two containers
 * seeing the same first token write once; whoever loses reads the winner's item.
 */
export const recordIssuerAccount = async (identity: Identity, stored: StaffUser | undefined): Promise<StaffUser> => {
  const now = new Date().toISOString();
  try {
    if (!stored) {
      const { username, role, jurisdiction } = identity;
      const user = { username, displayName: username, email: identity.email ?? '', role, jurisdiction };
      await db().send(
        new PutCommand({
          TableName: tableName(),
          Item: userItem(user, { version: 1, at: now, by: 'issuer' }),
          ConditionExpression: 'attribute_not_exists(pk)',
        }),
      );
      return staffUserOf({ ...user, enabled: true, version: 1 });
    }
    const after = { ...stored, role: identity.role, jurisdiction: identity.jurisdiction, version: stored.version + 1 };
    await db().send(
      new UpdateCommand({
        TableName: tableName(),
        Key: keys.user(stored.username),
        UpdateExpression:
          'SET #role = :role, jurisdiction = :jurisdiction, scopeSk = :scopeSk, version = :next, updatedAt = :now, updatedBy = :by, roleSince = :since',
        ConditionExpression: 'version = :version OR (attribute_not_exists(version) AND :version = :one)',
        ExpressionAttributeNames: { '#role': 'role' },
        ExpressionAttributeValues: {
          ':role': after.role,
          ':jurisdiction': after.jurisdiction,
          ':scopeSk': keys.userScope(after.jurisdiction, after.username).scopeSk,
          ':next': after.version,
          ':now': now,
          ':by': 'issuer',
          ':since': shanghaiDate(new Date(now)),
          ':version': stored.version,
          ':one': 1,
        },
      }),
    );
    return after;
  } catch (error) {
    if (!(error instanceof ConditionalCheckFailedException)) throw error;
    return (await getStaffUser(identity.username)) ?? (stored as StaffUser);
  }
};
