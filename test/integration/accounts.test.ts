import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AdminDisableUserCommand, CognitoIdentityProviderClient } from '@aws-sdk/client-cognito-identity-provider';
import { type DynamoDBDocumentClient, GetCommand, QueryCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { AccountStore } from '../../infra/local/accounts.ts';
import { startCognitoStandIn } from '../../infra/local/cognito.ts';
import { seedDemoData } from '../../infra/local/seed.ts';
import { keys } from '../../shared/keys.ts';
import { claimsFor, httpEvent, invoke } from '../support/events.ts';
import { type Handler, useFreshTable } from '../support/table.ts';

/**
 * Account lifecycle (issue 14): who may change which account, what a change does to the pool (the
 * local stand-in speaking Cognito's protocol), and that a token outliving its account's change is
 * refused or narrowed within the cache's time.
 */
let staffFn: Handler;
let doc: DynamoDBDocumentClient;
let tableName: string;
let store: AccountStore;
let dataDir: string;
let stopCognito: () => Promise<void>;
// biome-ignore lint/suspicious/noExplicitAny: the module's test hooks, loaded after the environment is set
let accountCheck: any;
const realNow = Date.now;

const as = (username: string) => {
  const account = store.find(username);
  if (!account) throw new Error(`no account ${username}`);
  return claimsFor(username, account.role, account.jurisdiction);
};

/** Calls a route with the claims a token issued now would carry for `who` (or the claims given). */
const call = (method: string, path: string, who: string | ReturnType<typeof claimsFor>, body?: unknown) =>
  invoke(
    staffFn,
    httpEvent(method, path, {
      claims: typeof who === 'string' ? as(who) : who,
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    }),
  );

const versionOf = async (username: string): Promise<number> => {
  const out = await doc.send(new GetCommand({ TableName: tableName, Key: keys.user(username) }));
  return Number(out.Item?.version);
};

const patch = async (who: string, username: string, changes: Record<string, unknown>) =>
  call('PATCH', `/api/staff/users/${username}`, who, { version: await versionOf(username), ...changes });

beforeAll(async () => {
  dataDir = mkdtempSync(join(tmpdir(), 'eco-accounts-'));
  store = new AccountStore(dataDir);
  store.seedDemo();
  const cognito = await startCognitoStandIn(store);
  stopCognito = cognito.stop;
  const { client } = await useFreshTable();
  Object.assign(process.env, { USER_POOL_ID: 'local_staff', COGNITO_ENDPOINT: cognito.endpoint });
  tableName = process.env.TABLE_NAME as string;
  await seedDemoData(client, tableName, store.all());
  const { DynamoDBDocumentClient } = await import('@aws-sdk/lib-dynamodb');
  doc = DynamoDBDocumentClient.from(client);
  staffFn = ((await import('../../functions/staff/index.ts')) as { handler: Handler }).handler;
  ({ accountCheck } = await import('../../functions/lib/http/account-check.ts'));
});

afterEach(() => {
  accountCheck.now = realNow;
});

afterAll(async () => {
  await stopCognito?.();
  rmSync(dataDir, { recursive: true, force: true });
  delete process.env.USER_POOL_ID;
  delete process.env.COGNITO_ENDPOINT;
});

describe('the account list', () => {
  it('carries version, enabled and mobile of each account', async () => {
    // Act
    const res = await call('GET', '/api/staff/users', 'lead.jiangyin');

    // Assess
    expect(res.status).toBe(200);
    expect(res.json.users).toContainEqual({
      username: 'liaison.jiangyin',
      displayName: '江阴市联络员 Jiangyin liaison',
      email: 'liaison.jiangyin@demo.eco-liaison.local',
      role: 'liaison',
      jurisdiction: '320281',
      enabled: true,
      mobile: null,
      version: 1,
    });
  });

  it('finds accounts by a part of their name or username, of one role, inside the caller’s subtree only', async () => {
    // Act: "wuzhong" names a liaison, a second liaison and a lead of Wuzhong, none of them under Suzhou's
    // sibling Wuxi; a Jiangyin lead searching for it finds nothing of Wuzhong.
    const byName = await call('GET', '/api/staff/users?q=Wuzhong&role=liaison', 'lead.suzhou');
    const byChinese = await call('GET', `/api/staff/users?q=${encodeURIComponent('吴中区联络员二')}`, 'lead.suzhou');
    const outside = await call('GET', '/api/staff/users?q=wuzhong', 'lead.jiangyin');
    const bounded = await call('GET', '/api/staff/users?q=liaison&limit=2', 'admin');

    // Assess
    expect(byName.status).toBe(200);
    expect(byName.json.users.map((u: { username: string }) => u.username).sort()).toEqual([
      'liaison.wuzhong',
      'liaison2.wuzhong',
    ]);
    expect(byChinese.json.users.map((u: { username: string }) => u.username)).toEqual(['liaison2.wuzhong']);
    expect(outside.status).toBe(200);
    expect(outside.json.users).toEqual([]);
    expect(bounded.json.users).toHaveLength(2);
  });

  it('answers 400 to a search too long or a role it does not know', async () => {
    // Act
    const long = await call('GET', `/api/staff/users?q=${'x'.repeat(41)}`, 'admin');
    const role = await call('GET', '/api/staff/users?role=firm', 'admin');

    // Assess
    expect(long.status).toBe(400);
    expect(long.json.error.fields).toHaveProperty('q');
    expect(role.status).toBe(400);
    expect(role.json.error.fields).toHaveProperty('role');
  });

  it('creates an account with a mobile, and the pool makes it change its temporary password first', async () => {
    // Act
    const res = await call('POST', '/api/staff/users', 'admin', {
      username: 'liaison.mobile',
      displayName: '带手机号的联络员',
      email: 'liaison.mobile@example.test',
      role: 'liaison',
      jurisdiction: '320506',
      mobile: '13912345678',
    });

    // Assess
    expect(res.status).toBe(201);
    expect(res.json.user).toMatchObject({ mobile: '13912345678', enabled: true, version: 1 });
    expect(store.find('liaison.mobile')).toMatchObject({ mustChangePassword: true, role: 'liaison' });
  });
});

describe('PATCH /api/staff/users/{username}: who manages whom', () => {
  it('lets an admin change anyone, and the pool follows (group, jurisdiction, name)', async () => {
    // Prepare
    const before = await versionOf('liaison.xiangcheng');

    // Act
    const res = await patch('admin', 'liaison.xiangcheng', {
      role: 'lead',
      jurisdiction: '320507',
      displayName: '相城区联系领导',
      mobile: '13800001111',
    });

    // Assess
    expect(res.status).toBe(200);
    expect(res.json.user).toMatchObject({ role: 'lead', version: before + 1, mobile: '13800001111' });
    expect(store.find('liaison.xiangcheng')).toMatchObject({ role: 'lead', displayName: '相城区联系领导' });
    expect(store.find('liaison.xiangcheng')?.groups).toBeUndefined();
    const audit = await doc.send(
      new QueryCommand({
        TableName: tableName,
        KeyConditionExpression: 'pk = :pk',
        ExpressionAttributeValues: { ':pk': keys.audit('user:liaison.xiangcheng', '', '').pk },
      }),
    );
    expect(audit.Items?.map((i) => i.action)).toContain('user.update');
  });

  it('lets a city lead change a county lead and liaisons of its subtree', async () => {
    // Act
    const lead = await patch('lead.suzhou', 'lead.wuzhong', { displayName: '吴中区联系领导（新）' });
    const liaison = await patch('lead.suzhou', 'liaison.wuzhong', { mobile: '13700002222' });

    // Assess
    expect(lead.status).toBe(200);
    expect(liaison.status).toBe(200);
  });

  it('lets a county lead disable a liaison of its own county', async () => {
    // Act
    const off = await patch('lead.wuzhong', 'liaison.mobile', { enabled: false });
    const on = await patch('lead.wuzhong', 'liaison.mobile', { enabled: true });

    // Assess
    expect(off.status).toBe(200);
    expect(on.status).toBe(200);
    expect(store.find('liaison.mobile')?.enabled).toBeUndefined();
  });

  it('answers 404 to a lead for an account outside its subtree, as if it did not exist', async () => {
    // Act
    const other = await patch('lead.wuzhong', 'liaison.jiangyin', { displayName: 'x' });
    const above = await patch('lead.wuzhong', 'lead.suzhou', { enabled: false });
    const admin = await patch('lead.suzhou', 'admin', { enabled: false });

    // Assess
    expect([other.status, above.status, admin.status]).toEqual([404, 404, 404]);
    expect(store.find('lead.suzhou')?.enabled).toBeUndefined();
  });

  it('refuses a lead an account of its own level, and a change lifting an account to or beyond it', async () => {
    // Prepare: a second lead of Wuzhong, made by the admin.
    const made = await call('POST', '/api/staff/users', 'admin', {
      username: 'lead.wuzhong2',
      displayName: '吴中区副组长',
      email: 'lead.wuzhong2@example.test',
      role: 'lead',
      jurisdiction: '320506',
    });
    expect(made.status).toBe(201);

    // Act
    const peer = await patch('lead.wuzhong', 'lead.wuzhong2', { enabled: false });
    const promote = await patch('lead.wuzhong', 'liaison.wuzhong', { role: 'lead' });
    const makeAdmin = await patch('lead.suzhou', 'lead.wuzhong', { role: 'admin' });
    const moveOut = await patch('lead.suzhou', 'liaison.wuzhong', { jurisdiction: '320281' });

    // Assess
    expect([peer.status, promote.status, makeAdmin.status, moveOut.status]).toEqual([403, 403, 403, 403]);
    expect(store.find('lead.wuzhong2')?.enabled).toBeUndefined();
    expect(store.find('liaison.wuzhong')?.role).toBe('liaison');
  });

  it('refuses anyone disabling itself or changing its own role or jurisdiction, but not its name', async () => {
    // Act
    const disable = await patch('admin', 'admin', { enabled: false });
    const role = await patch('lead.suzhou', 'lead.suzhou', { role: 'liaison' });
    const moved = await patch('admin', 'admin', { jurisdiction: '320500' });
    const name = await patch('lead.suzhou', 'lead.suzhou', { displayName: '苏州市专班负责人（新）' });

    // Assess
    expect([disable.status, role.status, moved.status]).toEqual([403, 403, 403]);
    expect(name.status).toBe(200);
    expect(store.find('admin')?.enabled).toBeUndefined();
  });

  it('answers 409 VERSION_CONFLICT to a change made at a stale version, and changes nothing', async () => {
    // Prepare
    const version = await versionOf('liaison.jiangyin');
    expect((await patch('admin', 'liaison.jiangyin', { displayName: '第一次' })).status).toBe(200);

    // Act
    const stale = await call('PATCH', '/api/staff/users/liaison.jiangyin', 'admin', { version, enabled: false });

    // Assess
    expect(stale.status).toBe(409);
    expect(stale.json.error.code).toBe('VERSION_CONFLICT');
    expect(store.find('liaison.jiangyin')?.enabled).toBeUndefined();
  });

  it('answers 404 for an unknown account and 400 for a bad mobile, an unknown field or a bad name', async () => {
    // Act
    const unknown = await call('PATCH', '/api/staff/users/nobody.here', 'admin', { version: 1, enabled: false });
    const badMobile = await patch('admin', 'liaison.jiangyin', { mobile: '12345678901' });
    const landline = await patch('admin', 'liaison.jiangyin', { mobile: '051265000000' });
    const extra = await patch('admin', 'liaison.jiangyin', { email: 'x@y.test' });
    const noVersion = await call('PATCH', '/api/staff/users/liaison.jiangyin', 'admin', { enabled: false });
    const badName = await call('PATCH', '/api/staff/users/USER%23x', 'admin', { version: 1 });

    // Assess
    expect(unknown.status).toBe(404);
    expect(badMobile.status).toBe(400);
    expect(badMobile.json.error.fields).toHaveProperty('mobile');
    expect([landline.status, extra.status, noVersion.status, badName.status]).toEqual([400, 400, 400, 400]);
  });
});

describe('a token outliving a change of its account', () => {
  it('disables in the pool (disabled, signed out) and refuses the token at once in this container', async () => {
    // Prepare
    const token = as('lead.jiangyin');
    expect((await call('GET', '/api/staff/users', token)).status).toBe(200);

    // Act
    const res = await patch('admin', 'lead.jiangyin', { enabled: false });
    const after = await call('GET', '/api/staff/users', token);

    // Assess
    expect(res.status).toBe(200);
    expect(store.find('lead.jiangyin')).toMatchObject({ enabled: false, signedOutAt: expect.any(String) });
    expect(after.status).toBe(401);
    expect(after.json.error.code).toBe('ACCOUNT_DISABLED');
    expect((await patch('admin', 'lead.jiangyin', { enabled: true })).status).toBe(200);
    expect(store.find('lead.jiangyin')?.enabled).toBeUndefined();
  });

  it('refuses a disabled account’s token within 60 s in a container that had read it enabled', async () => {
    // Prepare: this container reads the account as enabled at t0; another container disables it.
    const t0 = realNow();
    accountCheck.now = () => t0;
    const token = as('lead.wuzhong2');
    expect((await call('GET', '/api/staff/users', token)).status).toBe(200);
    await doc.send(
      new UpdateCommand({
        TableName: tableName,
        Key: keys.user('lead.wuzhong2'),
        UpdateExpression: 'SET enabled = :f',
        ExpressionAttributeValues: { ':f': false },
      }),
    );

    // Act
    accountCheck.now = () => t0 + 60_000;
    const res = await call('GET', '/api/staff/users', token);

    // Assess
    expect(accountCheck.ttlMs).toBeLessThanOrEqual(60_000);
    expect(res.status).toBe(401);
    expect(res.json.error.code).toBe('ACCOUNT_DISABLED');
  });

  it('acts with a narrower role or jurisdiction at once, and never beyond the token', async () => {
    // Prepare: tokens issued before the changes.
    const leadToken = claimsFor('lead.suzhou', 'lead', '320500');
    const wasLiaison = claimsFor('liaison.xiangcheng', 'liaison', '320507');

    // Act: the city lead becomes a liaison of Wuzhong; the token still says lead of Suzhou.
    expect((await patch('admin', 'lead.suzhou', { role: 'liaison', jurisdiction: '320506' })).status).toBe(200);
    const demoted = await call('GET', '/api/staff/users', leadToken);
    const me = await call('GET', '/api/staff/me', leadToken);
    // The liaison promoted to lead (earlier test): its old token may not act as a lead.
    const promoted = await call('GET', '/api/staff/users', wasLiaison);

    // Assess
    expect(demoted.status).toBe(403);
    expect(me.json.me).toMatchObject({ role: 'liaison', jurisdiction: { code: '320506' } });
    expect(promoted.status).toBe(401);
    expect(promoted.json.error.code).toBe('UNAUTHENTICATED');
    expect(store.find('lead.suzhou')).toMatchObject({ role: 'liaison', jurisdiction: '320506' });
  });
});

describe('a change the pool missed', () => {
  it('is enforced by the API at once, and a PATCH with only the version brings the pool in line', async () => {
    // Prepare: the pool fails to disable (the Lambda dies, or Cognito throttles) after the table changed.
    const mock = mockClient(CognitoIdentityProviderClient);
    mock.send.callThrough();
    mock.on(AdminDisableUserCommand).rejects(new Error('Task timed out'));
    let crashed: Awaited<ReturnType<typeof call>>;
    try {
      // Act
      crashed = await patch('admin', 'liaison.mobile', { enabled: false });
    } finally {
      mock.restore();
    }
    const token = await call('GET', '/api/staff/me', claimsFor('liaison.mobile', 'liaison', '320506'));
    const poolBefore = store.find('liaison.mobile')?.enabled;
    const repaired = await patch('admin', 'liaison.mobile', {});

    // Assess
    expect(crashed.status).toBe(500);
    expect(poolBefore).toBeUndefined();
    expect(token.status).toBe(401);
    expect(token.json.error.code).toBe('ACCOUNT_DISABLED');
    expect(repaired.status).toBe(200);
    expect(store.find('liaison.mobile')).toMatchObject({ enabled: false, signedOutAt: expect.any(String) });
  });
});

describe('a deployment whose accounts live at an external issuer', () => {
  it('still disables an account on its side, but leaves role and jurisdiction to the issuer', async () => {
    // Prepare
    const pool = process.env.USER_POOL_ID;
    delete process.env.USER_POOL_ID;
    try {
      // Act
      const role = await patch('admin', 'liaison.wuzhong', { role: 'lead' });
      const off = await patch('admin', 'liaison.wuzhong', { enabled: false });
      const token = await call('GET', '/api/staff/me', claimsFor('liaison.wuzhong', 'liaison', '320506'));

      // Assess
      expect(role.status).toBe(409);
      expect(role.json.error.code).toBe('ACCOUNTS_AT_ISSUER');
      expect(off.status).toBe(200);
      expect(token.status).toBe(401);
      expect(token.json.error.code).toBe('ACCOUNT_DISABLED');
      // No pool: the stand-in was not asked.
      expect(store.find('liaison.wuzhong')?.enabled).toBeUndefined();
    } finally {
      process.env.USER_POOL_ID = pool;
    }
  });

  it('records a staff member from its first token, follows the issuer’s role, and can disable it here', async () => {
    // Prepare: an external issuer's deployment, as CDK sets it (no pool, recording on).
    const pool = process.env.USER_POOL_ID;
    delete process.env.USER_POOL_ID;
    process.env.RECORD_ISSUER_ACCOUNTS = '1';
    const first = claimsFor('prov.zhang', 'lead', '320506');
    const employee = claimsFor('10023@gov', 'liaison', '320507');
    try {
      // Act
      const seen = await call('GET', '/api/staff/me', first);
      const recorded = await doc.send(new GetCommand({ TableName: tableName, Key: keys.user('prov.zhang') }));
      // The issuer makes it a liaison: the next token says so, and the record follows.
      accountCheck.now = () => realNow() + 60_000;
      const demoted = await call('GET', '/api/staff/me', claimsFor('prov.zhang', 'liaison', '320506'));
      const listed = await call('GET', '/api/staff/users', 'admin');
      const off = await patch('admin', 'prov.zhang', { enabled: false });
      const refused = await call('GET', '/api/staff/me', claimsFor('prov.zhang', 'liaison', '320506'));
      // A username from the issuer's claim, not the console's pattern for new accounts.
      await call('GET', '/api/staff/me', employee);
      const offByNumber = await call('PATCH', '/api/staff/users/10023%40gov', 'admin', { version: 1, enabled: false });

      // Assess
      expect(seen.status).toBe(200);
      expect(recorded.Item).toMatchObject({ role: 'lead', jurisdiction: '320506', enabled: true, version: 1 });
      expect(demoted.status).toBe(200);
      expect(listed.json.users).toContainEqual(
        expect.objectContaining({ username: 'prov.zhang', role: 'liaison', version: 2 }),
      );
      expect(off.status).toBe(200);
      expect(refused.status).toBe(401);
      expect(refused.json.error.code).toBe('ACCOUNT_DISABLED');
      expect(offByNumber.status).toBe(200);
    } finally {
      process.env.USER_POOL_ID = pool;
      delete process.env.RECORD_ISSUER_ACCOUNTS;
    }
  });
});
