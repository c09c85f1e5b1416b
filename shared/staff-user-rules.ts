import { contains } from './jurisdictions.ts';
import type { Role } from './roles.ts';

// Usernames, who manages whom, and names in answers, without zod: the pages import these, and only a page that checks a form loads the schemas
// (shared/staff-user.ts, which re-exports this file), on first use (site/src/kit/lazy.ts).

/** A new staff account, as an admin (anywhere) or a lead (inside its subtree) creates it. */
export const USERNAME = /^[a-z][a-z0-9._-]{2,63}$/;

/**
 * Whether a manager manages an account (as it is, and as it would be after a change): an admin
 * anyone; a lead only accounts strictly below it, i.e. inside its subtree and either at a deeper
 * jurisdiction (a county's lead or liaison under a city's lead) or a liaison of its own
 * jurisdiction. Never an admin, never a lead of its own jurisdiction or above. The API enforces it;
 * the console uses it to offer "Edit" only where it would be accepted.
 */
export const manages = (
  me: { readonly role: Role; readonly jurisdiction: string },
  user: { readonly role: Role; readonly jurisdiction: string },
): boolean => {
  if (me.role === 'admin') return true;
  if (me.role !== 'lead' || user.role === 'admin' || !contains(me.jurisdiction, user.jurisdiction)) return false;
  return user.jurisdiction !== me.jurisdiction || user.role === 'liaison';
};

/**
 * A view with each person's display name beside its username (issue 18): `liaison` gains
 * `liaisonName`, `createdBy` gains `createdByName`. The server fills them for a whole answer
 * (functions/lib/accounts/names.ts), so a page never needs the staff list to show a person, and a
 * liaison (who may not read that list) sees names too. A name is the username itself when the
 * account has none or no longer exists; a field that is null or absent has its name the same.
 */
export type Named<T, K extends keyof T & string> = T & { [P in K as `${P}Name`]: T[P] };

/** The attributes of the user item (userItem above) a name lookup reads. */
export const NAME_ATTRIBUTES = ['username', 'displayName'] as const;

/** The name a stored user item gives its username ('' when it has none). */
export const displayNameOf = (item: Record<string, unknown>): string =>
  typeof item.displayName === 'string' ? item.displayName.trim() : '';
