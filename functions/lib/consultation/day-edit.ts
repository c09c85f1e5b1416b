import { type DayPatch, slotProblems } from '../../../shared/consultation.ts';
import { keys } from '../../../shared/keys.ts';
import { toShanghaiIso } from '../../../shared/time.ts';
import { ConflictError, NotFoundError, ValidationError } from '../http/errors.ts';
import type { Identity } from '../http/identity.ts';
import { auditPut } from '../store/audit.ts';
import { tableName } from '../store/table.ts';
import { transact } from '../store/transact.ts';
import { promoteWaitlisted } from './bookings.ts';
import { type Day, getDay, type Slot } from './days.ts';

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
  const result = await transact([
    {
      Update: {
        TableName,
        Key: keys.day(dayId),
        UpdateExpression:
          'SET venue = :venue, onlineUrl = :url, topics = :topics, bookingClosesAt = :cutoff, version = :next',
        ConditionExpression: 'version = :version',
        ExpressionAttributeValues: {
          ':venue': after.venue,
          ':url': after.onlineUrl,
          ':topics': after.topics,
          ':cutoff': after.bookingClosesAt,
          ':next': after.version,
          ':version': day.version,
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
        Item: { ...keys.slot(dayId, slot.slotId), type: 'slot', ...slot },
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
  return (await getDay(dayId)) as { day: Day; slots: Slot[] };
};
