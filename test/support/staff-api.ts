import { type DynamoDBDocumentClient, PutCommand } from '@aws-sdk/lib-dynamodb';
import type { JWTPayload } from 'jose';
import type { Role } from '../../shared/roles.ts';
import { userItem } from '../../shared/staff-user.ts';
import { claimsFor, httpEvent, invoke } from './events.ts';
import type { Handler } from './table.ts';

/**
 * The staff the integration files act as most often: a county lead (Wuzhong), its city's lead
 * (Suzhou), a county lead outside that city (Jiangyin, for the scope rule's 404s) and the province's
 * admin. Their profile items are not needed for claims-only calls.
 */
export const suzhouStaff = {
  lead: claimsFor('lead.wuzhong', 'lead', '320506'),
  leadCity: claimsFor('lead.suzhou', 'lead', '320500'),
  leadJiangyin: claimsFor('lead.jiangyin', 'lead', '320281'),
  admin: claimsFor('admin', 'admin', '320000'),
} as const;

/**
 * `call(method, path, claims, body?)` against the staff function, which a file's `beforeAll` makes:
 * hence the getter, read at call time.
 */
export const staffCaller = (fn: () => Handler) => (method: string, path: string, claims: JWTPayload, body?: unknown) =>
  invoke(fn(), httpEvent(method, path, { claims, ...(body === undefined ? {} : { body: JSON.stringify(body) }) }));

/** `[username, role, jurisdiction, enabled?]`: one staff profile a test needs in the table. */
export type StaffRow = readonly [username: string, role: Role, jurisdiction: string, enabled?: boolean];

/**
 * Writes staff profiles through the API's own `userItem` (keys, scope index, version), named
 * `<username> 名`, holding their role since the start of 2025.
 */
export const putStaff = async (doc: DynamoDBDocumentClient, tableName: string, rows: readonly StaffRow[]) => {
  for (const [username, role, jurisdiction, enabled = true] of rows) {
    await doc.send(
      new PutCommand({
        TableName: tableName,
        Item: userItem(
          { username, role, jurisdiction, enabled, displayName: `${username} 名`, email: `${username}@x.test` },
          { version: 1, at: '2025-01-01T00:00:00.000Z' },
        ),
      }),
    );
  }
};
