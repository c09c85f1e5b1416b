import { type DynamoDBDocumentClient, GetCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { keys } from '../../shared/keys.ts';
import { httpEvent, invoke } from '../support/events.ts';
import { type Handler, useFunctions } from '../support/table.ts';

// A deployment that trusts a province's own OpenID Connect issuer: no user pool (USER_POOL_ID
// unset, as CDK leaves it) and its own claim names, set as CDK sets them from context.
let staffFn: Handler;
let doc: DynamoDBDocumentClient;
let tableName: string;
const ENV_SET = { GROUPS_CLAIM: 'roles', JURISDICTION_CLAIM: 'https://id.example.gov.cn/district' };
const saved: Record<string, string | undefined> = {};

beforeAll(async () => {
  for (const name of [...Object.keys(ENV_SET), 'USER_POOL_ID']) saved[name] = process.env[name];
  Object.assign(process.env, ENV_SET);
  delete process.env.USER_POOL_ID;
  ({ staffFn, doc, tableName } = await useFunctions());
});

afterAll(() => {
  for (const [name, value] of Object.entries(saved)) {
    if (value === undefined) delete process.env[name];
    else process.env[name] = value;
  }
});

/** Claims as a province's issuer sends them: no Cognito names at all. */
const provinceClaims = (username: string, roles: string[], district: string) => ({
  sub: `f3a1-${username}`,
  preferred_username: username,
  email: `${username}@example.gov.cn`,
  roles,
  'https://id.example.gov.cn/district': district,
});

describe('staff routes behind an external issuer', () => {
  it('serves a staff route to a token whose role and jurisdiction are in the configured claims', async () => {
    // Act
    const res = await invoke(
      staffFn,
      httpEvent('GET', '/api/staff/users', { claims: provinceClaims('lead.wuzhong', ['lead'], '320506') }),
    );

    // Assess
    expect(res.status).toBe(200);
    expect(res.json).toEqual({ users: [] });
  });

  it('refuses a token carrying only the Cognito claim names, and a user in two staff groups', async () => {
    // Prepare
    const cognitoStyle = {
      sub: 'abc',
      'cognito:username': 'admin',
      'cognito:groups': ['admin'],
      'custom:jurisdiction': '320000',
    };

    // Act
    const viaDefaults = await invoke(staffFn, httpEvent('GET', '/api/staff/users', { claims: cognitoStyle }));
    const twoGroups = await invoke(
      staffFn,
      httpEvent('GET', '/api/staff/users', { claims: provinceClaims('x.y', ['lead', 'admin'], '320506') }),
    );

    // Assess
    expect(viaDefaults.status).toBe(403);
    expect(twoGroups.status).toBe(403);
  });

  it('answers 409 ACCOUNTS_AT_ISSUER to creating an account, and writes no profile', async () => {
    // Prepare
    const body = {
      username: 'liaison.mudu',
      displayName: '木渎镇联络员',
      email: 'mudu@example.test',
      role: 'liaison',
      jurisdiction: '320506',
    };

    // Act
    const res = await invoke(
      staffFn,
      httpEvent('POST', '/api/staff/users', {
        body: JSON.stringify(body),
        claims: provinceClaims('admin', ['admin'], '320000'),
      }),
    );

    // Assess
    expect(res.status).toBe(409);
    expect(res.json.error.code).toBe('ACCOUNTS_AT_ISSUER');
    const profile = await doc.send(new GetCommand({ TableName: tableName, Key: keys.user('liaison.mudu') }));
    expect(profile.Item).toBeUndefined();
  });
});
