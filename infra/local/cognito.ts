import * as z from 'zod/mini';
import { isRole, type Role } from '../../shared/roles.ts';
import type { AccountStore, LocalAccount } from './accounts.ts';
import { type AwsJsonActions, AwsJsonError, parseInput, startAwsJsonStandIn } from './aws-json.ts';

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

export const startCognitoStandIn = async (accounts: AccountStore) => {
  const pending = new Map<
    string,
    { password: string; email: string; displayName: string; jurisdiction: string; mobile: string }
  >();
  const taken = (username: string) => Boolean(accounts.find(username)) || pending.has(username);
  const existing = (username: string) => {
    const account = accounts.find(username);
    if (!account) throw new AwsJsonError('UserNotFoundException', 'User does not exist.');
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

  const actions: AwsJsonActions = {
    AdminCreateUser: (body) => {
      const input = parseInput(createUser, body);
      if (taken(input.Username)) throw new AwsJsonError('UsernameExistsException', 'User account already exists');
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
      const input = parseInput(addToGroup, body);
      if (!isRole(input.GroupName)) throw new AwsJsonError('ResourceNotFoundException', 'Group not found');
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
      const input = parseInput(addToGroup, body);
      if (!isRole(input.GroupName)) throw new AwsJsonError('ResourceNotFoundException', 'Group not found');
      const account = existing(input.Username);
      setGroups(
        account,
        groupsOf(account).filter((g) => g !== input.GroupName),
      );
      return {};
    },
    AdminListGroupsForUser: (body) => {
      const input = parseInput(oneUser, body);
      const account = existing(input.Username);
      return {
        Groups: groupsOf(account).map((GroupName) => ({ GroupName, UserPoolId: input.UserPoolId })),
      };
    },
    AdminUpdateUserAttributes: (body) => {
      const input = parseInput(updateAttributes, body);
      existing(input.Username);
      const changes: Partial<LocalAccount> = {};
      for (const { Name, Value } of input.UserAttributes) {
        const field = KEPT_ATTRIBUTES[Name];
        if (!field) continue;
        if (field === 'jurisdiction' && !/^\d{6}$/.test(Value))
          throw new AwsJsonError('InvalidParameterException', 'custom:jurisdiction must have 6 characters');
        changes[field] = Value;
      }
      accounts.update(input.Username, changes);
      return {};
    },
    AdminDisableUser: (body) => {
      const input = parseInput(oneUser, body);
      existing(input.Username);
      accounts.update(input.Username, { enabled: false });
      return {};
    },
    AdminEnableUser: (body) => {
      const input = parseInput(oneUser, body);
      existing(input.Username);
      accounts.update(input.Username, { enabled: undefined });
      return {};
    },
    AdminUserGlobalSignOut: (body) => {
      const input = parseInput(oneUser, body);
      existing(input.Username);
      accounts.update(input.Username, { signedOutAt: new Date().toISOString() });
      return {};
    },
    AdminDeleteUser: (body) => {
      const input = parseInput(deleteUser, body);
      if (!pending.delete(input.Username) && !accounts.remove(input.Username))
        throw new AwsJsonError('UserNotFoundException', 'User does not exist');
      return {};
    },
  };

  return startAwsJsonStandIn(actions);
};
