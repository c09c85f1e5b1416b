import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DynamoDBDocumentClient, GetCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { AccountStore, verifyPassword } from '../../infra/local/accounts.ts';
import { startCognitoStandIn } from '../../infra/local/cognito.ts';
import { ROOT } from '../../infra/local/runtime.ts';
import { keys } from '../../shared/keys.ts';
import { useFreshTable } from '../support/table.ts';

/**
 * `npm run admin:create` as an operator runs it: a child process with credentials and the standard
 * endpoint variables pointing at the Cognito stand-in and DynamoDB Local.
 */
let dir: string;
let store: AccountStore;
let doc: DynamoDBDocumentClient;
let tableName: string;
let endpoint: string;
let stop: () => Promise<void>;

const run = (args: string[], cwd = ROOT) =>
  new Promise<{ code: number; out: string; err: string }>((done) => {
    execFile(
      process.execPath,
      [join(ROOT, 'scripts/admin-create.ts'), ...args],
      {
        cwd,
        env: {
          PATH: process.env.PATH,
          AWS_REGION: 'us-east-1',
          AWS_ACCESS_KEY_ID: 'local',
          AWS_SECRET_ACCESS_KEY: 'local',
          AWS_ENDPOINT_URL_COGNITO_IDENTITY_PROVIDER: endpoint,
          AWS_ENDPOINT_URL_DYNAMODB: inject('dynamoEndpoint'),
        },
      },
      (error, out, err) => done({ code: error ? Number(error.code ?? 1) : 0, out, err }),
    );
  });

const required = ['--username', 'admin.jiangsu', '--email', 'ops@example.test', '--jurisdiction', '320000'];

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'eco-admin-create-'));
  store = new AccountStore(dir);
  ({ endpoint, stop } = await startCognitoStandIn(store));
  const fresh = await useFreshTable();
  tableName = fresh.tableName;
  doc = DynamoDBDocumentClient.from(fresh.client);
});

afterAll(async () => {
  await stop?.();
  rmSync(dir, { recursive: true, force: true });
});

describe('npm run admin:create', () => {
  it('creates the first admin: pool account in group admin that must change its password, and the user item', async () => {
    // Act
    const res = await run([
      ...required,
      '--mobile',
      '13912340000',
      '--user-pool-id',
      'local_staff',
      '--table-name',
      tableName,
    ]);

    // Assess
    expect(res.err).toBe('');
    expect(res.code).toBe(0);
    const password = /Temporary password[^:]*: (\S+)/.exec(res.out)?.[1] ?? '';
    const account = store.find('admin.jiangsu');
    expect(account).toMatchObject({ role: 'admin', jurisdiction: '320000', mustChangePassword: true });
    expect(verifyPassword(password, account?.passwordHash ?? '')).toBe(true);
    const item = await doc.send(new GetCommand({ TableName: tableName, Key: keys.user('admin.jiangsu') }));
    expect(item.Item).toMatchObject({
      role: 'admin',
      jurisdiction: '320000',
      enabled: true,
      mobile: '13912340000',
      version: 1,
    });
    const audit = await doc.send(
      new QueryCommand({
        TableName: tableName,
        KeyConditionExpression: 'pk = :pk',
        ExpressionAttributeValues: { ':pk': keys.audit('user:admin.jiangsu', '', '').pk },
      }),
    );
    expect(audit.Items?.[0]).toMatchObject({ action: 'user.create', actor: 'operator:admin-create' });
  });

  it('refuses a second run for the same username, changing nothing', async () => {
    // Prepare
    const before = store.find('admin.jiangsu')?.passwordHash;

    // Act
    const res = await run([...required, '--user-pool-id', 'local_staff', '--table-name', tableName]);

    // Assess
    expect(res.code).toBe(2);
    expect(res.err).toMatch(/exists already/);
    expect(store.find('admin.jiangsu')?.passwordHash).toBe(before);
  });

  it('reads pool and table from the outputs file cdk deploy wrote', async () => {
    // Prepare
    const cwd = mkdtempSync(join(tmpdir(), 'eco-outputs-'));
    writeFileSync(
      join(cwd, 'cdk-outputs.json'),
      JSON.stringify({ 'EcoLiaison-Auth': { UserPoolId: 'local_staff' }, 'EcoLiaison-Data': { TableName: tableName } }),
    );

    // Act
    const res = await run(['--username', 'admin.two', '--email', 'two@example.test', '--jurisdiction', '320500'], cwd);

    // Assess
    expect(res.code).toBe(0);
    expect(store.find('admin.two')).toMatchObject({ role: 'admin', jurisdiction: '320500' });
    rmSync(cwd, { recursive: true, force: true });
  });

  it('answers bad arguments with what to fix, and writes nothing', async () => {
    // Act
    const none = await run([]);
    const bad = await run([
      '--username',
      'Admin#1',
      '--email',
      'not-mail',
      '--jurisdiction',
      '999999',
      '--mobile',
      '123',
      '--user-pool-id',
      'local_staff',
      '--table-name',
      tableName,
    ]);
    const unknown = await run([...required, '--role', 'lead']);
    const noDeployment = await run([...required, '--outputs-file', join(dir, 'missing.json')]);

    // Assess
    expect(none.code).toBe(2);
    expect(none.err).toMatch(/Missing --username, --email, --jurisdiction/);
    expect(bad.code).toBe(2);
    for (const flag of ['--username', '--email', '--jurisdiction', '--mobile']) expect(bad.err).toContain(flag);
    expect(unknown.code).toBe(2);
    expect(unknown.err).toMatch(/--role/);
    expect(noDeployment.code).toBe(2);
    expect(noDeployment.err).toMatch(/--user-pool-id/);
    expect(
      store
        .all()
        .map((a) => a.username)
        .sort(),
    ).toEqual(['admin.jiangsu', 'admin.two']);
  });
});
