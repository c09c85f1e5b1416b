import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, PutCommand } from '@aws-sdk/lib-dynamodb';
import type { Runtime } from '../../infra/local/runtime.ts';
import type { Role } from '../../shared/roles.ts';
import { userItem } from '../../shared/staff-user.ts';
import { table } from '../../shared/table.ts';

export interface TestAccount {
  readonly username: string;
  readonly role: Role;
  readonly jurisdiction: string;
  readonly displayName?: string;
  readonly email?: string;
  /** The Beijing day its role began (the quarter rule holds a lead to quarters it held the role on day one). */
  readonly roleSince?: string;
}

/**
 * A staff member the demo lacks (a province lead, a second city's lead…), as a deployment has one: a sign-in
 * account at the local issuer (password `demo`) and the profile item the API reads, written by the same
 * `userItem` the API writes. Answers the account's ID token.
 */
export const addStaffAccount = async (runtime: Runtime, account: TestAccount): Promise<string> => {
  const { roleSince, ...rest } = account;
  const profile = {
    displayName: `${account.username} 领导`,
    email: `${account.username}@accounts.test`,
    ...rest,
  };
  runtime.accounts.add(profile, 'demo');
  const doc = DynamoDBDocumentClient.from(
    new DynamoDBClient({ endpoint: process.env.DYNAMODB_ENDPOINT, region: 'us-east-1' }),
  );
  await doc.send(
    new PutCommand({
      TableName: table.logicalName,
      Item: userItem(
        { ...profile, ...(roleSince ? { roleSince } : {}) },
        { version: 1, at: '2025-01-01T00:00:00.000Z' },
      ),
    }),
  );
  doc.destroy();
  return (await runtime.issuer.signIn(account.username, 'demo'))?.token ?? '';
};
