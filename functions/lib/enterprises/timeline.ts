import { QueryCommand } from '@aws-sdk/lib-dynamodb';
import type { TimelineEntry, TimelineItem } from '../../../shared/answers.ts';
import { keys } from '../../../shared/keys.ts';
import { staffNames } from '../accounts/names.ts';
import type { Booking } from '../consultation/bookings.ts';
import { decodeCursor, encodeCursor } from '../http/cursor.ts';
import { ValidationError } from '../http/errors.ts';
import type { Identity } from '../http/identity.ts';
import type { Checkup } from '../ledger/checkups.ts';
import type { LedgerItem } from '../ledger/ledger.ts';
import type { Contact } from '../pairings/pairings.ts';
import { db, fromItem, tableName } from '../store/table.ts';

/**
 * A firm's timeline: several collections, each kept in time order by an index whose sort key starts
 * with the UTC time (`<iso>#<id>`), merged newest first. The cursor is the sort key of the last item
 * shown, so every collection resumes strictly before it: one Query per collection per page.
 * Check-ups and ledger items are two more collections.
 */
interface Collection {
  readonly index: 'byScope' | 'byParent';
  readonly partition: { name: string; value: string };
  readonly sortName: string;
  readonly toItem: (item: Record<string, unknown>) => TimelineItem;
}

const collections = (uscc: string): Collection[] => [
  {
    index: 'byParent',
    partition: { name: 'parentPk', value: keys.checkupsOfFirm(uscc).parentPk },
    sortName: 'parentSk',
    toItem: (item) => {
      const c = fromItem<Checkup>(item);
      const { at, checkupId, state, score, band, inspectors, ledgerItemIds } = c;
      return { kind: 'checkup', at, checkupId, state, score, band, inspectors, ledgerItemIds };
    },
  },
  {
    index: 'byParent',
    partition: { name: 'parentPk', value: keys.ledgersOfFirm(uscc).parentPk },
    sortName: 'parentSk',
    toItem: (item) => {
      const l = fromItem<LedgerItem>(item);
      const { itemId, title, state, severity, dueOn, source } = l;
      return { kind: 'ledger', at: l.createdAt, itemId, title, state, severity, dueOn, source };
    },
  },
  {
    index: 'byParent',
    partition: { name: 'parentPk', value: keys.contactsOfFirm(uscc).parentPk },
    sortName: 'parentSk',
    toItem: (item) => {
      const c = fromItem<Contact>(item);
      return {
        kind: 'contact',
        at: c.at,
        contactId: c.contactId,
        pairingId: c.pairingId,
        liaison: c.liaison ?? c.loggedBy,
        loggedBy: c.loggedBy,
        mode: c.mode,
        summary: c.summary,
        participants: c.participants,
        evidence: c.evidence ?? [],
      };
    },
  },
  {
    index: 'byScope',
    partition: { name: 'scopePk', value: keys.bookingsOfFirm(uscc).scopePk },
    sortName: 'scopeSk',
    toItem: (item) => {
      const b = fromItem<Booking>(item);
      return {
        kind: 'booking',
        at: b.startsAt,
        code: b.code,
        dayId: b.dayId,
        slotId: b.slotId,
        status: b.status,
        topic: b.topic,
        outcome: b.outcome,
      };
    },
  },
];

const POSITION = /^\d{4}-\d{2}-\d{2}T[\d:.]+Z#[\w-]+$/;

export const firmTimeline = async (uscc: string, limit: number, cursor: string | undefined, caller: Identity) => {
  const cursorScope = { route: 'enterprises.timeline', caller, query: { uscc }, partition: {} };
  const position = (await decodeCursor(cursor, cursorScope))?.before;
  if (cursor && !(position && POSITION.test(position)))
    throw new ValidationError({ cursor: 'Not a cursor from a previous page' });
  const pages = await Promise.all(
    collections(uscc).map(async (c) => {
      const out = await db().send(
        new QueryCommand({
          TableName: tableName(),
          IndexName: c.index,
          KeyConditionExpression: position ? '#p = :p AND #s < :before' : '#p = :p',
          ExpressionAttributeNames: { '#p': c.partition.name, ...(position ? { '#s': c.sortName } : {}) },
          ExpressionAttributeValues: { ':p': c.partition.value, ...(position ? { ':before': position } : {}) },
          ScanIndexForward: false,
          Limit: limit,
        }),
      );
      const items = (out.Items ?? []).map((item) => ({ sort: String(item[c.sortName]), item: c.toItem(item) }));
      return { items, more: Boolean(out.LastEvaluatedKey) };
    }),
  );
  const merged = pages.flatMap((p) => p.items).sort((a, b) => (a.sort < b.sort ? 1 : a.sort > b.sort ? -1 : 0));
  const shown = merged.slice(0, limit);
  const more = merged.length > limit || pages.some((p) => p.more);
  const last = shown.at(-1);
  // Contacts name their liaison and who logged them (issue 18): one lookup for the page.
  const personOf = await staffNames(
    shown.flatMap(({ item }) => (item.kind === 'contact' ? [item.liaison, item.loggedBy] : [])),
  );
  return {
    items: shown.map(
      ({ item }): TimelineEntry =>
        item.kind === 'contact'
          ? { ...item, liaisonName: personOf(item.liaison), loggedByName: personOf(item.loggedBy) }
          : item,
    ),
    nextCursor: more && last ? await encodeCursor({ before: last.sort }, cursorScope) : null,
  };
};
