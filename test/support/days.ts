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
