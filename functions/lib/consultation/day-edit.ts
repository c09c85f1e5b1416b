import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { GetCommand, PutCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { ACTIVE_STATUSES, type DayPatch, slotProblems } from '../../../shared/consultation.ts';
import { keys } from '../../../shared/keys.ts';
import { toShanghaiIso } from '../../../shared/time.ts';
import { ConflictError, NotFoundError, ValidationError } from '../http/errors.ts';
import type { Identity } from '../http/identity.ts';
import { auditPut } from '../store/audit.ts';
import { db, queryAll, tableName } from '../store/table.ts';
import { transact } from '../store/transact.ts';
import { bookerContent, bookerMessagePut } from './booker-messages.ts';
import { listBookings, personalExpiresAt, promoteWaitlisted } from './bookings.ts';
import { type Day, getDay, type Slot, slotItem } from './days.ts';

// A day's edit sits above bookings.ts, as its cancellation does (day-cancellation.ts): a raised
// capacity promotes the waitlist, and bookings.ts reads days.ts, so in days.ts it would be a cycle.

/**
 * Edits a day: venue, link, topics, cut-off, new slots, capacities. Stale versions get 409
 * VERSION_CONFLICT (rule 9); a capacity below the seats already confirmed gets 409
 * CAPACITY_BELOW_BOOKED. Raised capacity goes to the waitlist first.
 */
export const updateDay = async (dayId: string, patch: DayPatch, identity: Identity, now: Date) => {
  const found = await getDay(dayId);
  if (!found) throw new NotFoundError();
  const { day, slots } = found;
  if (day.status !== 'open') throw new ConflictError('INVALID_TRANSITION', `A ${day.status} day cannot be edited`);
  if (patch.version !== day.version)
    throw new ConflictError('VERSION_CONFLICT', 'The day changed meanwhile; reload it');
  const capacities = Object.entries(patch.capacities ?? {});
  for (const [slotId] of capacities) {
    if (!slots.some((s) => s.slotId === slotId))
      throw new ValidationError({ [`capacities.${slotId}`]: 'No such slot' });
  }
  const added: Slot[] = (patch.addSlots ?? []).map((s, i) => ({
    slotId: `s${slots.length + i + 1}`,
    startsAt: toShanghaiIso(new Date(s.startsAt)),
    endsAt: toShanghaiIso(new Date(s.endsAt)),
    capacity: s.capacity,
    confirmed: 0,
    waitlisted: 0,
  }));
  const problems = slotProblems(day.date, [...slots, ...added]);
  if (Object.keys(problems).length > 0) {
    throw new ValidationError(
      Object.fromEntries(
        Object.entries(problems).map(([k, v]) => [
          k.replace(/^slots\.(\d+)/, (_, n) => `addSlots.${Number(n) - slots.length}`),
          v,
        ]),
      ),
    );
  }
  const after: Day = {
    ...day,
    venue: patch.venue ?? day.venue,
    onlineUrl: patch.onlineUrl ?? day.onlineUrl,
    topics: patch.topics ?? day.topics,
    bookingClosesAt: patch.bookingClosesAt ? toShanghaiIso(new Date(patch.bookingClosesAt)) : day.bookingClosesAt,
    version: day.version + 1,
  };
  const TableName = tableName();
  // Where or how it takes place changed: its bookers are owed a message, recorded as owed with the
  // edit (rule 11) and written per booking after it (`tellBookersOfChange`; the job resumes it).
  const changed = after.venue !== day.venue || after.onlineUrl !== day.onlineUrl;
  const notice = changed
    ? {
        set: ', changeNotice = :next, changeNoticeAt = :now, scopePk = :scopePk, scopeSk = :scopeSk',
        values: {
          ':now': now.toISOString(),
          ':scopePk': keys.dayChanged(day.jurisdiction, dayId).scopePk,
          ':scopeSk': keys.dayChanged(day.jurisdiction, dayId).scopeSk,
        },
      }
    : { set: '', values: {} };
  const result = await transact([
    {
      Update: {
        TableName,
        Key: keys.day(dayId),
        UpdateExpression: `SET venue = :venue, onlineUrl = :url, topics = :topics, bookingClosesAt = :cutoff, version = :next${notice.set}`,
        ConditionExpression: 'version = :version',
        ExpressionAttributeValues: {
          ':venue': after.venue,
          ':url': after.onlineUrl,
          ':topics': after.topics,
          ':cutoff': after.bookingClosesAt,
          ':next': after.version,
          ':version': day.version,
          ...notice.values,
        },
      },
    },
    ...capacities.map(([slotId, capacity]) => ({
      Update: {
        TableName,
        Key: keys.slot(dayId, slotId),
        UpdateExpression: 'SET #capacity = :capacity',
        ConditionExpression: 'confirmed <= :capacity',
        ExpressionAttributeNames: { '#capacity': 'capacity' },
        ExpressionAttributeValues: { ':capacity': capacity },
      },
    })),
    ...added.map((slot) => ({
      Put: {
        TableName,
        Item: slotItem(dayId, slot),
        ConditionExpression: 'attribute_not_exists(pk)',
      },
    })),
    auditPut(
      identity,
      {
        entity: `day:${dayId}`,
        jurisdiction: day.jurisdiction,
        action: 'day.update',
        before: { day, slots },
        after: { day: after, patch },
      },
      now.toISOString(),
    ),
  ]);
  if (!result.ok) {
    if (result.failed.includes(0)) throw new ConflictError('VERSION_CONFLICT', 'The day changed meanwhile; reload it');
    throw new ConflictError('CAPACITY_BELOW_BOOKED', 'A capacity cannot go below the seats already booked');
  }
  for (const [slotId, capacity] of capacities) {
    const before = slots.find((s) => s.slotId === slotId);
    for (let free = capacity - (before?.confirmed ?? capacity); free > 0; free--) {
      if (!(await promoteWaitlisted(dayId, slotId))) break;
    }
  }
  if (changed) await tellBookersOfChange(dayId);
  return (await getDay(dayId)) as { day: Day; slots: Slot[] };
};

/**
 * Records the "booking changed" message of every active booking of a day whose venue or link
 * changed (`changeNotice`: the version of that edit), once per booking and edit, then clears the
 * notice. Resumable: a crash part-way leaves the notice, and the next call (the `bookings` job)
 * records only the messages still missing. Bookings made after the edit saw it and are not told.
 */
export const tellBookersOfChange = async (dayId: string): Promise<number> => {
  const out = await db().send(new GetCommand({ TableName: tableName(), Key: keys.day(dayId), ConsistentRead: true }));
  const day = out.Item as (Day & { changeNotice?: number; changeNoticeAt?: string }) | undefined;
  if (!day || day.changeNotice === undefined) return 0;
  const version = day.changeNotice;
  const slots = (await getDay(dayId))?.slots ?? [];
  const now = new Date();
  let told = 0;
  // A day being cancelled tells its bookers that instead.
  if (day.status === 'open') {
    let cursor: Record<string, unknown> | undefined;
    do {
      const page = await listBookings(dayId, 100, cursor);
      for (const { personal, ...booking } of page.items) {
        const slot = slots.find((s) => s.slotId === booking.slotId);
        if (!ACTIVE_STATUSES.includes(booking.status) || !slot || booking.createdAt > (day.changeNoticeAt ?? ''))
          continue;
        const { Put } = bookerMessagePut(
          {
            code: booking.code,
            kind: 'changed',
            occasion: String(version),
            email: personal?.email ?? null,
            mobile: personal?.mobile ?? null,
            jurisdiction: day.jurisdiction,
            content: bookerContent('changed', booking, day, slot),
            expiresAt: personalExpiresAt(day.date),
          },
          now,
        );
        try {
          await db().send(new PutCommand(Put));
          told++;
        } catch (error) {
          if (!(error instanceof ConditionalCheckFailedException)) throw error;
        }
      }
      cursor = page.next;
    } while (cursor);
  }
  await db()
    .send(
      new UpdateCommand({
        TableName: tableName(),
        Key: keys.day(dayId),
        // The scope keys are the notice's only while the day is open (a cancellation takes them over).
        UpdateExpression:
          day.status === 'open'
            ? 'REMOVE changeNotice, changeNoticeAt, scopePk, scopeSk'
            : 'REMOVE changeNotice, changeNoticeAt',
        ConditionExpression: `changeNotice = :version${day.status === 'open' ? ' AND #status = :open' : ''}`,
        ...(day.status === 'open' ? { ExpressionAttributeNames: { '#status': 'status' } } : {}),
        ExpressionAttributeValues: { ':version': version, ...(day.status === 'open' ? { ':open': 'open' } : {}) },
      }),
    )
    .catch((error: unknown) => {
      // A later edit owes its own notice, or the day began its cancellation: theirs to finish.
      if (!(error instanceof ConditionalCheckFailedException)) throw error;
    });
  return told;
};

/** The days whose bookers are still to be told of an edit (for the `bookings` job). */
export const daysWithChangeNotice = async (): Promise<string[]> =>
  (
    await queryAll({
      IndexName: 'byScope',
      KeyConditionExpression: 'scopePk = :p',
      ExpressionAttributeValues: { ':p': keys.daysChangedPk() },
    })
  ).map((i) => String(i.dayId));
