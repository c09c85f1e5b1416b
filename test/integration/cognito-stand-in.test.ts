import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as sdk from '@aws-sdk/client-cognito-identity-provider';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AccountStore } from '../../infra/local/accounts.ts';
import { startCognitoStandIn } from '../../infra/local/cognito.ts';

/** The local stand-in answers the admin operations as Cognito does, through the real SDK. */
let dir: string;
let store: AccountStore;
let client: sdk.CognitoIdentityProviderClient;
let stop: () => Promise<void>;
const UserPoolId = 'local_staff';

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'eco-cognito-'));
  store = new AccountStore(dir);
  const started = await startCognitoStandIn(store);
  stop = started.stop;
  client = new sdk.CognitoIdentityProviderClient({
    endpoint: started.endpoint,
    region: 'us-east-1',
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
  });
  await client.send(
    new sdk.AdminCreateUserCommand({
      UserPoolId,
      Username: 'liaison.test',
      TemporaryPassword: 'Tmp-password-1a',
      MessageAction: 'SUPPRESS',
      UserAttributes: [
        { Name: 'email', Value: 'l@example.test' },
        { Name: 'name', Value: '联络员' },
        { Name: 'custom:jurisdiction', Value: '320506' },
      ],
    }),
  );
  await client.send(new sdk.AdminAddUserToGroupCommand({ UserPoolId, Username: 'liaison.test', GroupName: 'liaison' }));
});

afterAll(async () => {
  await stop?.();
  rmSync(dir, { recursive: true, force: true });
});

const groups = async (Username: string) =>
  ((await client.send(new sdk.AdminListGroupsForUserCommand({ UserPoolId, Username }))).Groups ?? []).map(
    (g) => g.GroupName,
  );

describe('the Cognito stand-in', () => {
  it('makes an account created by AdminCreateUser change its temporary password first', () => {
    expect(store.find('liaison.test')).toMatchObject({ role: 'liaison', mustChangePassword: true });
  });

  it('moves an account between groups: add keeps both, remove leaves the other', async () => {
    // Act
    await client.send(new sdk.AdminAddUserToGroupCommand({ UserPoolId, Username: 'liaison.test', GroupName: 'lead' }));
    const both = await groups('liaison.test');
    await client.send(
      new sdk.AdminRemoveUserFromGroupCommand({ UserPoolId, Username: 'liaison.test', GroupName: 'liaison' }),
    );

    // Assess
    expect(both).toEqual(['liaison', 'lead']);
    expect(await groups('liaison.test')).toEqual(['lead']);
    expect(store.find('liaison.test')).toMatchObject({ role: 'lead' });
    expect(store.find('liaison.test')?.groups).toBeUndefined();
  });

  it('updates the attributes it keeps, and refuses a jurisdiction that is not six digits', async () => {
    // Act
    await client.send(
      new sdk.AdminUpdateUserAttributesCommand({
        UserPoolId,
        Username: 'liaison.test',
        UserAttributes: [
          { Name: 'name', Value: '新名字' },
          { Name: 'custom:jurisdiction', Value: '320507' },
        ],
      }),
    );
    const bad = client.send(
      new sdk.AdminUpdateUserAttributesCommand({
        UserPoolId,
        Username: 'liaison.test',
        UserAttributes: [{ Name: 'custom:jurisdiction', Value: '32' }],
      }),
    );

    // Assess
    await expect(bad).rejects.toBeInstanceOf(sdk.InvalidParameterException);
    expect(store.find('liaison.test')).toMatchObject({ displayName: '新名字', jurisdiction: '320507' });
  });

  it('disables, signs out everywhere and enables again', async () => {
    // Act
    await client.send(new sdk.AdminDisableUserCommand({ UserPoolId, Username: 'liaison.test' }));
    await client.send(new sdk.AdminUserGlobalSignOutCommand({ UserPoolId, Username: 'liaison.test' }));
    const disabled = store.find('liaison.test');
    await client.send(new sdk.AdminEnableUserCommand({ UserPoolId, Username: 'liaison.test' }));

    // Assess
    expect(disabled).toMatchObject({ enabled: false, signedOutAt: expect.any(String) });
    expect(store.find('liaison.test')?.enabled).toBeUndefined();
  });

  it('answers UserNotFoundException for an unknown user on every operation', async () => {
    const Username = 'nobody';
    const commands = [
      new sdk.AdminDisableUserCommand({ UserPoolId, Username }),
      new sdk.AdminEnableUserCommand({ UserPoolId, Username }),
      new sdk.AdminUserGlobalSignOutCommand({ UserPoolId, Username }),
      new sdk.AdminListGroupsForUserCommand({ UserPoolId, Username }),
      new sdk.AdminAddUserToGroupCommand({ UserPoolId, Username, GroupName: 'lead' }),
      new sdk.AdminRemoveUserFromGroupCommand({ UserPoolId, Username, GroupName: 'lead' }),
      new sdk.AdminUpdateUserAttributesCommand({
        UserPoolId,
        Username,
        UserAttributes: [{ Name: 'name', Value: 'x' }],
      }),
    ];
    for (const command of commands)
      await expect(
        client.send(command as Parameters<typeof client.send>[0]),
        command.constructor.name,
      ).rejects.toBeInstanceOf(sdk.UserNotFoundException);
  });
});
