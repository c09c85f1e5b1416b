import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import { ENV } from '../../../shared/config.ts';
import { keys } from '../../../shared/keys.ts';
import { table } from '../../../shared/table.ts';
import { db, tableName } from '../store/table.ts';
import { ValidationError } from './errors.ts';
import type { Identity } from './identity.ts';

/**
 * Paging cursors, sealed (rule 13: cursors are tamper-proof). A cursor is DynamoDB's
 * LastEvaluatedKey encrypted and authenticated with AES-256-GCM; the associated data names the
 * query it pages: the route, the caller (username, role, jurisdiction) and every parameter that
 * selects the rows. So a forged, truncated or edited cursor, or one from another route, another
 * partition (another day, firm, entity, inbox, jurisdiction, filter) or another user, fails to open
 * and answers 400 VALIDATION_FAILED {cursor} — never DynamoDB's ValidationException as a 500, and
 * never a page of a partition the route did not mean to read. The key's contents stay hidden too.
 *
 * Where the key lives: a random 256-bit secret in the table itself (`SECRET#cursor`), made once by
 * a conditional Put from whichever function first needs it and read once per cold start. Chosen
 * over an environment variable (readable by anyone who can read the function's configuration) and
 * over the repo; over SSM / Secrets Manager because the functions already hold exactly the table
 * grant this needs (no new client, permission or stand-in) and the local runtime then keeps it in
 * its data folder through the same DynamoDB protocol, like every other record. Whoever can read the
 * table can read the key, but such a reader already sees every row a cursor could lead to, so the
 * key protects nothing from them; against API callers it is out of reach (no route reads that
 * partition). To rotate: delete the item; open cursors then answer 400 and the list starts over.
 */

/** What a cursor is bound to: one query of one caller. */
export interface CursorScope {
  /** The route id it pages (shared/routes.ts). */
  readonly route: string;
  /** Who asks: a cursor continues its own caller's list only. */
  readonly caller: Identity;
  /** Everything else that selects the rows: path parameters and filters. */
  readonly query: Readonly<Record<string, string | undefined>>;
  /**
   * The key attributes the query fixes (its partition, or a sort-key prefix for a subtree): a
   * decoded key must carry them, checked again after the seal (defence in depth).
   */
  readonly partition: Readonly<Record<string, string | { readonly prefix: string }>>;
}

const INVALID = { cursor: 'Not a cursor from a previous page of this list' };

/**
 * The attributes a cursor may hold: a LastEvaluatedKey's (the table's keys and its indexes' keys),
 * or `before`, the position of the firm timeline that merges several queries.
 */
const KEY_ATTRIBUTES = new Set<string>([
  table.partitionKey,
  table.sortKey,
  ...table.indexes.flatMap((i) => [i.partitionKey, i.sortKey]),
  'before',
]);

let cached: { where: string; key: Promise<Buffer> } | undefined;

const readSecret = async (): Promise<Buffer | undefined> => {
  const out = await db().send(
    new GetCommand({ TableName: tableName(), Key: keys.cursorSecret(), ConsistentRead: true }),
  );
  const secret = out.Item?.secret;
  return typeof secret === 'string' ? Buffer.from(secret, 'base64') : undefined;
};

const loadSecret = async (): Promise<Buffer> => {
  const existing = await readSecret();
  if (existing?.length === 32) return existing;
  const fresh = randomBytes(32);
  try {
    await db().send(
      new PutCommand({
        TableName: tableName(),
        Item: {
          ...keys.cursorSecret(),
          type: 'secret',
          secret: fresh.toString('base64'),
          createdAt: new Date().toISOString(),
        },
        ConditionExpression: 'attribute_not_exists(pk)',
      }),
    );
    return fresh;
  } catch (error) {
    // Another cold start made it first: everyone uses that one.
    if (!(error instanceof ConditionalCheckFailedException)) throw error;
    const theirs = await readSecret();
    if (theirs?.length !== 32) throw new Error('The cursor key in the table is malformed');
    return theirs;
  }
};

/** The sealing key, read once per process and table (the local runtime may restart DynamoDB Local elsewhere). */
const secret = (): Promise<Buffer> => {
  const where = `${process.env[ENV.dynamoEndpoint] ?? ''}|${tableName()}`;
  if (cached?.where !== where) {
    const key = loadSecret();
    cached = { where, key };
    // A failed read is not remembered: the next request tries again.
    key.catch(() => {
      if (cached?.key === key) cached = undefined;
    });
  }
  return cached.key;
};

const associatedData = (scope: CursorScope): Buffer =>
  Buffer.from(
    JSON.stringify([
      'cursor/v1',
      scope.route,
      scope.caller.username,
      scope.caller.role,
      scope.caller.jurisdiction,
      Object.entries(scope.query)
        .filter(([, value]) => value !== undefined)
        .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)),
    ]),
  );

const IV_BYTES = 12;
const TAG_BYTES = 16;

/** Seals a page's LastEvaluatedKey for the next request of the same query; null on the last page. */
export const encodeCursor = async (
  key: Record<string, unknown> | undefined,
  scope: CursorScope,
): Promise<string | null> => {
  if (!key) return null;
  const iv = randomBytes(IV_BYTES);
  const cipher = createCipheriv('aes-256-gcm', await secret(), iv);
  cipher.setAAD(associatedData(scope));
  const sealed = Buffer.concat([cipher.update(JSON.stringify(key), 'utf8'), cipher.final()]);
  return Buffer.concat([iv, sealed, cipher.getAuthTag()]).toString('base64url');
};

const isKeyValue = (value: unknown): value is string => typeof value === 'string' && value.length <= 1024;

/** Opens a cursor of this very query, or answers 400 VALIDATION_FAILED {cursor}. */
export const decodeCursor = async (
  cursor: string | undefined,
  scope: CursorScope,
): Promise<Record<string, string> | undefined> => {
  if (cursor === undefined || cursor === '') return undefined;
  const bytes = /^[A-Za-z0-9_-]+$/.test(cursor) ? Buffer.from(cursor, 'base64url') : Buffer.alloc(0);
  if (bytes.length <= IV_BYTES + TAG_BYTES) throw new ValidationError(INVALID);
  let decoded: unknown;
  try {
    const decipher = createDecipheriv('aes-256-gcm', await secret(), bytes.subarray(0, IV_BYTES));
    decipher.setAAD(associatedData(scope));
    decipher.setAuthTag(bytes.subarray(bytes.length - TAG_BYTES));
    const plain = Buffer.concat([
      decipher.update(bytes.subarray(IV_BYTES, bytes.length - TAG_BYTES)),
      decipher.final(),
    ]);
    decoded = JSON.parse(plain.toString('utf8'));
  } catch {
    throw new ValidationError(INVALID);
  }
  // Sealed by us for this query, so well formed; checked all the same, should a bug ever seal a wrong key.
  if (typeof decoded !== 'object' || decoded === null || Array.isArray(decoded)) throw new ValidationError(INVALID);
  const entries = Object.entries(decoded);
  if (entries.length === 0 || !entries.every(([name, value]) => KEY_ATTRIBUTES.has(name) && isKeyValue(value))) {
    throw new ValidationError(INVALID);
  }
  const key = decoded as Record<string, string>;
  for (const [name, want] of Object.entries(scope.partition)) {
    const got = key[name];
    const ok = typeof want === 'string' ? got === want : got?.startsWith(want.prefix) === true;
    if (!ok) throw new ValidationError(INVALID);
  }
  return key;
};
