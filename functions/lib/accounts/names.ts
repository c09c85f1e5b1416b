/**
 * People by name in every answer (issue 18). A route collects the usernames of its whole answer and
 * asks once: one BatchGetItem of the accounts' user items (`USER#<username>/PROFILE`, the record of
 * `userItem` in shared/staff-user.ts), a hundred keys a request (`batchGet`), only the name read.
 * Never a read per row. An account without a name, or deleted, answers its username: the answer
 * still says who, and nothing fails for a person who left.
 */
import { keys } from '../../../shared/keys.ts';
import { displayNameOf, NAME_ATTRIBUTES, type Named } from '../../../shared/staff-user.ts';
import { batchGet } from '../store/table.ts';

/** A username's display name (the username when none is known). */
export type PersonOf = (username: string) => string;

/**
 * Not an account: a firm's move (`firm:<uscc>`), a job (`job:nudges`) or the system. Looking these
 * up would only cost reads; they answer as they are and the page words them.
 */
const isAccountName = (value: string): boolean => value !== '' && !value.includes(':');

/** The names of these usernames, read at once (duplicates, nulls and non-accounts skipped). */
export const staffNames = async (usernames: Iterable<string | null | undefined>): Promise<PersonOf> => {
  const wanted = new Set<string>();
  for (const u of usernames) if (typeof u === 'string' && isAccountName(u)) wanted.add(u);
  const names = new Map<string, string>();
  if (wanted.size > 0) {
    const items = await batchGet(
      [...wanted].map((u) => keys.user(u)),
      { attributes: NAME_ATTRIBUTES },
    );
    for (const item of items) {
      const name = displayNameOf(item);
      if (name) names.set(String(item.username), name);
    }
  }
  return (username) => names.get(username) ?? username;
};

/** One row with `<field>Name` beside each of its username fields. */
export const nameRow = <T extends object, K extends keyof T & string>(
  row: T,
  fields: readonly K[],
  personOf: PersonOf,
): Named<T, K> => {
  const named = { ...row } as unknown as Record<string, unknown>;
  for (const field of fields) {
    const value = row[field];
    // null stays null and an absent field stays absent: the name says no more than the username.
    if (typeof value === 'string') named[`${field}Name`] = personOf(value);
    else if (value === null) named[`${field}Name`] = null;
  }
  return named as Named<T, K>;
};

/** Rows with their people named: one lookup for every username of every row. */
export const withNames = async <T extends object, K extends keyof T & string>(
  rows: readonly T[],
  fields: readonly K[],
): Promise<Named<T, K>[]> => {
  const personOf = await staffNames(rows.flatMap((row) => fields.map((f) => row[f] as string | null | undefined)));
  return rows.map((row) => nameRow(row, fields, personOf));
};

/** One record with its people named (an answer of one pairing, one contact, one catalogue). */
export const withNamesOne = async <T extends object, K extends keyof T & string>(
  row: T,
  fields: readonly K[],
): Promise<Named<T, K>> =>
  nameRow(row, fields, await staffNames(fields.map((f) => row[f] as string | null | undefined)));
