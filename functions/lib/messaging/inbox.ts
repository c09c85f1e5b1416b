import { QueryCommand } from '@aws-sdk/lib-dynamodb';
import { keys } from '../../../shared/keys.ts';
import { MONTH, monthOf } from '../../../shared/monthly.ts';
import { shanghaiDate } from '../../../shared/time.ts';
import type { Identity } from '../http/identity.ts';
import { auditPut } from '../store/audit.ts';
import { batchGet, db, getRecord, tableName } from '../store/table.ts';
import { transact } from '../store/transact.ts';

/**
 * A person's inbox: the entries job messages write (job-messages.ts), one partition per person,
 * sorted by `<ISO time>#<message id>`. Only its owner reads it or marks an entry read.
 */

/** What an inbox entry says: written by job messages, rating callbacks and self-inspection alerts. */
export interface InboxEntry {
  readonly username: string;
  /** When it arrived: with the message id, its sort key, so writing it again writes the same item. */
  readonly at: string;
  readonly messageId: string;
  readonly kind: string;
  readonly title: string;
  readonly text: string;
  readonly link: string;
}

/** Whether its owner read it, and when (set by `markInboxEntryRead`). */
export interface InboxState {
  readonly read: boolean;
  readonly readAt?: string;
}

/** An inbox entry as stored, unread: its key derived from its person, time and message. */
export const inboxItem = (entry: InboxEntry) => ({
  ...keys.inbox(entry.username, entry.at, entry.messageId),
  type: 'inbox',
  ...entry,
  read: false,
});

/** One page of a person's inbox, newest first, with how many entries are unread (a COUNT Query). */
export const inboxPage = async (
  username: string,
  page: { limit: number; start: Record<string, unknown> | undefined },
) => {
  const pk = keys.inboxOf(username).pk;
  const [entries, unread] = await Promise.all([
    db().send(
      new QueryCommand({
        TableName: tableName(),
        KeyConditionExpression: 'pk = :pk',
        ExpressionAttributeValues: { ':pk': pk },
        ScanIndexForward: false,
        Limit: page.limit,
        ExclusiveStartKey: page.start,
      }),
    ),
    db().send(
      new QueryCommand({
        TableName: tableName(),
        KeyConditionExpression: 'pk = :pk',
        FilterExpression: '#read = :no',
        ExpressionAttributeNames: { '#read': 'read' },
        ExpressionAttributeValues: { ':pk': pk, ':no': false },
        Select: 'COUNT',
      }),
    ),
  ]);
  return { items: entries.Items ?? [], lastKey: entries.LastEvaluatedKey, unread: unread.Count ?? 0 };
};

/** One entry of the caller's own inbox, if it exists. */
export const getInboxEntry = (username: string, sk: string) =>
  getRecord<{ read?: boolean }>({ pk: keys.inboxOf(username).pk, sk });

/** Marks an entry of the caller's own inbox read, with its audit event (`id` is the entry's id in URLs). */
export const markInboxEntryRead = async (me: Identity, sk: string, id: string) => {
  const at = new Date().toISOString();
  await transact([
    {
      Update: {
        TableName: tableName(),
        Key: { pk: keys.inboxOf(me.username).pk, sk },
        UpdateExpression: 'SET #read = :yes, readAt = :at',
        ConditionExpression: 'attribute_exists(pk)',
        ExpressionAttributeNames: { '#read': 'read' },
        ExpressionAttributeValues: { ':yes': true, ':at': at },
      },
    },
    auditPut(
      me,
      { entity: `inbox:${me.username}`, jurisdiction: me.jurisdiction, action: 'inbox.read', after: { id } },
      at,
    ),
  ]);
};

/** The pairing and month a nudge's inbox entry is about (its message id is `<pairingId>:<month>:<kind>`). */
const nudgeOf = (entry: Record<string, unknown>): { pairingId: string; month: string } | undefined => {
  if (entry.kind !== 'missed' && entry.kind !== 'escalation') return undefined;
  const parts = String(entry.messageId ?? '').split(':');
  const month = parts.at(-2) ?? '';
  const pairingId = parts.slice(0, -2).join(':');
  return pairingId !== '' && MONTH.test(month) ? { pairingId, month } : undefined;
};

/**
 * "Contacted on": for the nudge entries of an inbox page, the Beijing day of their pairing's latest
 * qualifying contact (visit or video) when it falls in the nudge's month or later, by inbox sort
 * key. Derived when the inbox is read, from the pairing (the fact itself, one BatchGetItem of at
 * most a page's pairings), rather than marked on every entry when a contact is logged: a contact
 * would otherwise have to find and update the entries of every person each nudge of its pairing
 * went to, and the mark could drift from the fact.
 */
export const contactsAfterNudges = async (entries: readonly Record<string, unknown>[]) => {
  const nudges = entries.flatMap((entry) => {
    const nudge = nudgeOf(entry);
    return nudge ? [{ sk: String(entry.sk), ...nudge }] : [];
  });
  const pairings = new Map(
    (await batchGet(nudges.map((n) => keys.pairing(n.pairingId)))).map((p) => [String(p.pairingId), p]),
  );
  const contacted = new Map<string, string>();
  for (const nudge of nudges) {
    const at = pairings.get(nudge.pairingId)?.lastQualifyingContactAt;
    if (typeof at !== 'string' || Number.isNaN(Date.parse(at))) continue;
    if (monthOf(new Date(at)) >= nudge.month) contacted.set(nudge.sk, shanghaiDate(new Date(at)));
  }
  return contacted;
};
