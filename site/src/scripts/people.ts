/**
 * Staff shown by name, never by username (issue 18): the accounts in the caller's scope, read once per
 * page (`GET /api/staff/users`, leads and admins), give each username its display name. An account
 * outside the scope, or one without a name, shows the username as the last resort.
 */
import type { TypedConsole } from './console.ts';
import { staffUsers } from './pairings-common.ts';

let names: Promise<Map<string, string>> | undefined;

/** The display name of a username (read with the page's first call). */
export const personName = async (c: TypedConsole, username: string): Promise<string> => {
  names ??= staffUsers(c).then(
    (users) => new Map((users ?? []).filter((u) => u.displayName).map((u) => [u.username, u.displayName as string])),
  );
  return (await names).get(username) ?? username;
};

/** Fills an element with a person's name once known; empty until then, so no username flashes by. */
export const showPerson = (c: TypedConsole, target: HTMLElement, username: string): void => {
  target.textContent = '';
  void personName(c, username).then((name) => {
    target.textContent = name;
    target.title = username; // the account, for whoever needs it, behind the name
  });
};
