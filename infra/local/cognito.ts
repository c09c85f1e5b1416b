import { createServer, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import * as z from 'zod/mini';
import { isRole, type Role } from '../../shared/roles.ts';
import type { AccountStore, LocalAccount } from './accounts.ts';

/**
 * The local stand-in for the user-pool administration the staff API and `admin:create` call
 * (AdminCreateUser, AdminAddUserToGroup, AdminRemoveUserFromGroup, AdminListGroupsForUser,
 * AdminUpdateUserAttributes, AdminDisableUser, AdminEnableUser, AdminUserGlobalSignOut,
 * AdminDeleteUser), speaking Cognito's JSON protocol so the callers run the same SDK calls as in
 * AWS. Accounts land in the local account store, which the local issuer signs in against; a user
 * becomes an account once its group (its role) is known. Like Cognito, an account made here has
 * to change its temporary password first (`mustChangePassword`, Cognito's FORCE_CHANGE_PASSWORD).
 */
const attributes = z.array(z.object({ Name: z.string(), Value: z.string() }));
const createUser = z.object({
  Username: z.string(),
  TemporaryPassword: z.string().check(z.minLength(8)),
  UserAttributes: attributes,
});
const addToGroup = z.object({ Username: z.string(), GroupName: z.string() });
const deleteUser = z.object({ Username: z.string() });
const oneUser = z.object({ UserPoolId: z.string(), Username: z.string() });
const updateAttributes = z.object({ UserPoolId: z.string(), Username: z.string(), UserAttributes: attributes });
/** The attributes the stand-in keeps, and the account field each lands in. */
const KEPT_ATTRIBUTES: Record<string, 'displayName' | 'email' | 'jurisdiction' | 'mobile'> = {
  name: 'displayName',
  email: 'email',
  'custom:jurisdiction': 'jurisdiction',
  phone_number: 'mobile',
};

class CognitoError extends Error {
  readonly type: string;
  constructor(type: string, message: string) {
    super(message);
    this.type = type;
  }
}

const readJson = async (req: IncomingMessage): Promise<unknown> => {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  try {
    return JSON.parse(Buffer.concat(chunks).toString('utf8')) as unknown;
  } catch {
    throw new CognitoError('InvalidParameterException', 'Malformed JSON');
  }
};

const parse = <S extends z.core.$ZodType>(schema: S, value: unknown): z.output<S> => {
  const result = z.safeParse(schema, value);
  if (!result.success) throw new CognitoError('InvalidParameterException', result.error.message);
  return result.data;
};

export const startCognitoStandIn = async (accounts: AccountStore) => {
  const pending = new Map<
    string,
    { password: string; email: string; displayName: string; jurisdiction: string; mobile: string }
  >();
  const taken = (username: string) => Boolean(accounts.find(username)) || pending.has(username);
  const existing = (username: string) => {
    const account = accounts.find(username);
    if (!account) throw new CognitoError('UserNotFoundException', 'User does not exist.');
    return account;
  };
  const groupsOf = (account: LocalAccount): Role[] => account.groups ?? [account.role];
  /** Stores the groups: `role` is the first one; `groups` only when they are not exactly `[role]`. */
  const setGroups = (account: LocalAccount, groups: Role[]) => {
    const role = groups[0] ?? account.role;
    accounts.update(account.username, {
      role,
      groups: groups.length === 1 && groups[0] === role ? undefined : groups,
    });
  };

  const actions: Record<string, (body: unknown) => unknown> = {
    AdminCreateUser: (body) => {
      const input = parse(createUser, body);
      if (taken(input.Username)) throw new CognitoError('UsernameExistsException', 'User account already exists');
      const attr = (name: string) => input.UserAttributes.find((a) => a.Name === name)?.Value ?? '';
      pending.set(input.Username, {
        password: input.TemporaryPassword,
        email: attr('email'),
        displayName: attr('name'),
        jurisdiction: attr('custom:jurisdiction'),
        mobile: attr('phone_number'),
      });
      return {
        User: {
          Username: input.Username,
          Attributes: input.UserAttributes,
          Enabled: true,
          UserStatus: 'FORCE_CHANGE_PASSWORD',
          UserCreateDate: Date.now() / 1000,
        },
      };
    },
    AdminAddUserToGroup: (body) => {
      const input = parse(addToGroup, body);
      if (!isRole(input.GroupName)) throw new CognitoError('ResourceNotFoundException', 'Group not found');
      const user = pending.get(input.Username);
      if (!user) {
        // An account already: one more group (Cognito keeps a set; adding twice changes nothing).
        const account = existing(input.Username);
        const groups = groupsOf(account);
        if (!groups.includes(input.GroupName)) setGroups(account, [...groups, input.GroupName]);
        return {};
      }
      accounts.add(
        {
          username: input.Username,
          displayName: user.displayName,
          email: user.email,
          role: input.GroupName,
          jurisdiction: user.jurisdiction,
          ...(user.mobile ? { mobile: user.mobile } : {}),
          // FORCE_CHANGE_PASSWORD, as Cognito has it: the issuer asks for a new password first.
          mustChangePassword: true,
        },
        user.password,
      );
      pending.delete(input.Username);
      return {};
    },
    AdminRemoveUserFromGroup: (body) => {
      const input = parse(addToGroup, body);
      if (!isRole(input.GroupName)) throw new CognitoError('ResourceNotFoundException', 'Group not found');
      const account = existing(input.Username);
      setGroups(
        account,
        groupsOf(account).filter((g) => g !== input.GroupName),
      );
      return {};
    },
    AdminListGroupsForUser: (body) => {
      const input = parse(oneUser, body);
      const account = existing(input.Username);
      return {
        Groups: groupsOf(account).map((GroupName) => ({ GroupName, UserPoolId: input.UserPoolId })),
      };
    },
    AdminUpdateUserAttributes: (body) => {
      const input = parse(updateAttributes, body);
      existing(input.Username);
      const changes: Partial<LocalAccount> = {};
      for (const { Name, Value } of input.UserAttributes) {
        const field = KEPT_ATTRIBUTES[Name];
        if (!field) continue;
        if (field === 'jurisdiction' && !/^\d{6}$/.test(Value))
          throw new CognitoError('InvalidParameterException', 'custom:jurisdiction must have 6 characters');
        changes[field] = Value;
      }
      accounts.update(input.Username, changes);
      return {};
    },
    AdminDisableUser: (body) => {
      const input = parse(oneUser, body);
      existing(input.Username);
      accounts.update(input.Username, { enabled: false });
      return {};
    },
    AdminEnableUser: (body) => {
      const input = parse(oneUser, body);
      existing(input.Username);
      accounts.update(input.Username, { enabled: undefined });
      return {};
    },
    AdminUserGlobalSignOut: (body) => {
      const input = parse(oneUser, body);
      existing(input.Username);
      accounts.update(input.Username, { signedOutAt: new Date().toISOString() });
      return {};
    },
    AdminDeleteUser: (body) => {
      const input = parse(deleteUser, body);
      if (!pending.delete(input.Username) && !accounts.remove(input.Username))
        throw new CognitoError('UserNotFoundException', 'User does not exist');
      return {};
    },
  };

  const server = createServer(async (req, res) => {
    const target =
      String(req.headers['x-amz-target'] ?? '')
        .split('.')
        .pop() ?? '';
    const send = (status: number, body: unknown, type?: string) => {
      res.writeHead(status, {
        'content-type': 'application/x-amz-json-1.1',
        ...(type ? { 'x-amzn-errortype': type } : {}),
      });
      res.end(JSON.stringify(body));
    };
    try {
      const action = actions[target];
      if (req.method !== 'POST' || !action) throw new CognitoError('UnknownOperationException', `No ${target}`);
      send(200, action(await readJson(req)));
    } catch (error) {
      if (error instanceof CognitoError) send(400, { __type: error.type, message: error.message }, error.type);
      else send(500, { __type: 'InternalErrorException', message: String(error) }, 'InternalErrorException');
    }
  });
  await new Promise<void>((ok, fail) => {
    server.once('error', fail);
    server.listen(0, '127.0.0.1', () => ok());
  });
  const { port } = server.address() as AddressInfo;
  return {
    endpoint: `http://127.0.0.1:${port}`,
    stop: () =>
      new Promise<void>((ok) => {
        server.closeAllConnections();
        server.close(() => ok());
      }),
  };
};
