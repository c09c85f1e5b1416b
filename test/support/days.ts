import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { expect } from 'vitest';
import { shanghaiDate } from '../../shared/time.ts';
import { claimsFor, httpEvent, invoke } from './events.ts';
import type { Handler } from './table.ts';

/** The Wuzhong lead, who makes the consultation days of the integration tests. */
export const wuzhongLead = claimsFor('lead.wuzhong', 'lead', '320506');

/**
 * A consultation day in Wuzhong `ahead` days from now with slots of the given capacities
 * (09:00, 10:00, …), made through the staff API as a lead would.
 */
export const createDay = async (
  staffFn: Handler,
  capacities: number[],
  { extra = {}, ahead = 10 }: { extra?: Record<string, unknown>; ahead?: number } = {},
) => {
  const date = shanghaiDate(new Date(Date.now() + ahead * 86_400_000));
  const slots = capacities.map((capacity, i) => ({
    startsAt: `${date}T${String(9 + i).padStart(2, '0')}:00:00+08:00`,
    endsAt: `${date}T${String(9 + i).padStart(2, '0')}:45:00+08:00`,
    capacity,
  }));
  const body = {
    date,
    jurisdiction: '320506',
    venue: '吴中区生态环境局三楼',
    mode: 'onsite',
    topics: ['排污许可'],
    slots,
  };
  const res = await invoke(
    staffFn,
    httpEvent('POST', '/api/staff/consultation-days', {
      claims: wuzhongLead,
      body: JSON.stringify({ ...body, ...extra }),
    }),
  );
  expect(res.status, JSON.stringify(res.json)).toBe(201);
  return res.json.day as { dayId: string; date: string; slots: { slotId: string }[] };
};

/**
 * Moves a stored day to another date (its slots keep their times of day), straight in the table the
 * handlers use: the API creates days only from today on, and a booking only before the cut-off, so a
 * test that needs a booked day that is today (or past) books it ahead and then moves it. The bookings
 * keep their own slot times (only the day's date decides what happens on the day).
 */
export const moveDayTo = async (
  dayId: string,
  date: string,
  /** A running product's table (e2e: `productTable`); else the one this process's handlers use. */
  store?: { doc: DynamoDBDocumentClient; name: string },
) => {
  // Loaded on use: the store reads its table's name from the environment a test sets first.
  const table = store ? undefined : await import('../../functions/lib/store/table.ts');
  const { QueryCommand, UpdateCommand } = await import('@aws-sdk/lib-dynamodb');
  const { keys } = await import('../../shared/keys.ts');
  const TableName = store?.name ?? (table?.tableName() as string);
  const client = store?.doc ?? (table?.db() as DynamoDBDocumentClient);
  const db = () => client;
  const items =
    (
      await db().send(
        new QueryCommand({
          TableName,
          KeyConditionExpression: 'pk = :pk',
          ExpressionAttributeValues: { ':pk': keys.dayPartition(dayId).pk },
          ConsistentRead: true,
        }),
      )
    ).Items ?? [];
  for (const item of items) {
    const key = { pk: String(item.pk), sk: String(item.sk) };
    if (item.sk === 'DAY') {
      await db().send(
        new UpdateCommand({
          TableName,
          Key: key,
          UpdateExpression: 'SET #date = :date, parentSk = :sk',
          ExpressionAttributeNames: { '#date': 'date' },
          ExpressionAttributeValues: { ':date': date, ':sk': keys.dayByDate(date, dayId).parentSk },
        }),
      );
    } else if (String(item.sk).startsWith('SLOT#')) {
      await db().send(
        new UpdateCommand({
          TableName,
          Key: key,
          UpdateExpression: 'SET startsAt = :s, endsAt = :e',
          ExpressionAttributeValues: {
            ':s': `${date}${String(item.startsAt).slice(10)}`,
            ':e': `${date}${String(item.endsAt).slice(10)}`,
          },
        }),
      );
    }
  }
};
