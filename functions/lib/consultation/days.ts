import { randomUUID } from 'node:crypto';
import { QueryCommand } from '@aws-sdk/lib-dynamodb';
import type { DayInput, Mode } from '../../../shared/consultation.ts';
import { keys } from '../../../shared/keys.ts';
import { fromShanghai, toShanghaiIso } from '../../../shared/time.ts';
import type { Identity } from '../http/identity.ts';
import { auditPut } from '../store/audit.ts';
import { db, fromItem, queryPartition, tableName } from '../store/table.ts';
import { transact } from '../store/transact.ts';

/**
 * Consultation days and their slots in the single table (see shared/table.md): the records, their
 * creation and their reads. What changes a day and touches its bookings sits above bookings.ts:
 * day-edit.ts (a raised capacity promotes the waitlist) and day-cancellation.ts.
 */
export interface Slot {
  slotId: string;
  startsAt: string;
  endsAt: string;
  capacity: number;
  /** Seats taken: confirmed bookings and the holds among them (`held`), so capacity counts holds. */
  confirmed: number;
  waitlisted: number;
  /** Seats held by pending bookings awaiting their SMS code (absent: none yet). */
  held?: number;
}

/** A slot as stored: its key and type tag derived from the slot, written by create and edit alike. */
export const slotItem = (dayId: string, slot: Slot) => ({ ...keys.slot(dayId, slot.slotId), type: 'slot', ...slot });

export interface Day {
  dayId: string;
  date: string;
  jurisdiction: string;
  venue: string | null;
  onlineUrl: string | null;
  mode: Mode;
  topics: string[];
  bookingClosesAt: string;
  /** `cancelling` while a cancellation is under way (day-cancellation.ts): closed to bookings already. */
  status: 'open' | 'cancelling' | 'cancelled';
  /** Why the day was cancelled, recorded when its cancellation began. */
  cancelReason?: string;
  version: number;
  createdAt: string;
  createdBy: string;
}

/** Default cut-off: 17:00 Asia/Shanghai the day before. */
export const defaultCutoff = (date: string): string => {
  const [y, m, d] = date.split('-').map(Number) as [number, number, number];
  return toShanghaiIso(fromShanghai(y, m, d - 1, 17, 0));
};

/** Creates a day and its slots, with its audit event, in one transaction. */
export const createDay = async (
  input: DayInput,
  identity: Identity,
  now: Date,
): Promise<{ day: Day; slots: Slot[] }> => {
  const dayId = randomUUID();
  const createdAt = now.toISOString();
  const day: Day = {
    dayId,
    date: input.date,
    jurisdiction: input.jurisdiction,
    venue: input.venue ?? null,
    onlineUrl: input.onlineUrl ?? null,
    mode: input.mode,
    topics: input.topics,
    bookingClosesAt: input.bookingClosesAt ? toShanghaiIso(new Date(input.bookingClosesAt)) : defaultCutoff(input.date),
    status: 'open',
    version: 1,
    createdAt,
    createdBy: identity.username,
  };
  const slots: Slot[] = [...input.slots]
    .sort((a, b) => new Date(a.startsAt).getTime() - new Date(b.startsAt).getTime())
    .map((s, i) => ({
      slotId: `s${i + 1}`,
      startsAt: toShanghaiIso(new Date(s.startsAt)),
      endsAt: toShanghaiIso(new Date(s.endsAt)),
      capacity: s.capacity,
      confirmed: 0,
      waitlisted: 0,
    }));
  const TableName = tableName();
  await transact([
    {
      Put: {
        TableName,
        Item: { ...keys.day(dayId), ...keys.dayByDate(day.date, dayId), type: 'day', ...day },
        ConditionExpression: 'attribute_not_exists(pk)',
      },
    },
    ...slots.map((slot) => ({ Put: { TableName, Item: slotItem(dayId, slot) } })),
    auditPut(
      identity,
      { entity: `day:${dayId}`, jurisdiction: day.jurisdiction, action: 'day.create', after: { day, slots } },
      createdAt,
    ),
  ]);
  return { day, slots };
};

/** A day and its slots (one Query), or undefined. */
export const getDay = async (dayId: string): Promise<{ day: Day; slots: Slot[] } | undefined> => {
  const items = await queryPartition(keys.dayPartition(dayId).pk);
  const day = items.find((i) => i.sk === 'DAY');
  if (!day) return undefined;
  const slots = items.filter((i) => String(i.sk).startsWith('SLOT#')).map((i) => fromItem<Slot>(i));
  slots.sort((a, b) => a.startsAt.localeCompare(b.startsAt));
  return { day: fromItem<Day>(day), slots };
};

/** Days with a date in [from, to], in date order (Query on byParent; never a Scan). */
export const listDays = async (from: string, to: string, limit = 200): Promise<{ day: Day; slots: Slot[] }[]> => {
  const days = await Promise.all((await daysOnly(from, to, limit)).map((day) => getDay(day.dayId)));
  return days.filter((d): d is { day: Day; slots: Slot[] } => d !== undefined);
};

/**
 * The days (without their slots) with a date in [from, to], in date order: the index entries alone
 * (byParent projects the whole day), so a fortnight of a province's days is one Query.
 */
export const daysOnly = async (from: string, to: string, limit = 200): Promise<Day[]> => {
  const out = await db().send(
    new QueryCommand({
      TableName: tableName(),
      IndexName: 'byParent',
      KeyConditionExpression: 'parentPk = :p AND parentSk BETWEEN :from AND :to',
      ExpressionAttributeValues: { ':p': keys.daysParent().parentPk, ':from': `${from}#`, ':to': `${to}#~` },
      Limit: limit,
    }),
  );
  return (out.Items ?? []).map((i) => fromItem<Day>(i));
};

export const isClosed = (day: Day, now: Date): boolean =>
  day.status !== 'open' || now.getTime() >= new Date(day.bookingClosesAt).getTime();
