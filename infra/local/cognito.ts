import { createServer, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import * as z from 'zod/mini';
import { isRole } from '../../shared/roles.ts';
import type { AccountStore } from './accounts.ts';

/**
 * The local stand-in for the user-pool administration the staff API calls (AdminCreateUser,
 * AdminAddUserToGroup, AdminDeleteUser), speaking Cognito's JSON protocol so the handler runs the
 * same SDK calls as in AWS. Accounts land in the local account store, which the local issuer signs
 * in against; a user becomes an account once its group (its role) is known.
 */
const attributes = z.array(z.object({ Name: z.string(), Value: z.string() }));
const createUser = z.object({
  Username: z.string(),
  TemporaryPassword: z.string().check(z.minLength(8)),
  UserAttributes: attributes,
});
const addToGroup = z.object({ Username: z.string(), GroupName: z.string() });
const deleteUser = z.object({ Username: z.string() });

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
  const pending = new Map<string, { password: string; email: string; displayName: string; jurisdiction: string }>();
  const taken = (username: string) => Boolean(accounts.find(username)) || pending.has(username);

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
      const user = pending.get(input.Username);
      if (!user) throw new CognitoError('UserNotFoundException', 'User does not exist');
      if (!isRole(input.GroupName)) throw new CognitoError('ResourceNotFoundException', 'Group not found');
      accounts.add(
        {
          username: input.Username,
          displayName: user.displayName,
          email: user.email,
          role: input.GroupName,
          jurisdiction: user.jurisdiction,
          // FORCE_CHANGE_PASSWORD, as Cognito has it: the issuer asks for a new password first.
          mustChangePassword: true,
        },
        user.password,
      );
      pending.delete(input.Username);
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
