import { beforeAll, describe, expect, it } from 'vitest';
import { shanghaiDate } from '../../shared/time.ts';
import { bookAndVerify } from '../support/bookings.ts';
import { createDay, wuzhongLead } from '../support/days.ts';
import { claimsFor, httpEvent, invoke } from '../support/events.ts';
import { type Handler, useFunctions } from '../support/table.ts';
import { randomUscc } from '../support/uscc.ts';

// Copy a past day (issue 20): the lead runs the same consultation day every month; a copy takes its
// place, topics and slots to another date, with no bookings.
let staffFn: Handler;
let publicFn: Handler;

beforeAll(async () => {
  ({ staffFn, publicFn } = await useFunctions());
});

const copy = (dayId: string, date: string, claims = wuzhongLead) =>
  invoke(
    staffFn,
    httpEvent('POST', `/api/staff/consultation-days/${dayId}/copy`, { claims, body: JSON.stringify({ date }) }),
  );
const dayAhead = (days: number) => shanghaiDate(new Date(Date.now() + days * 86_400_000));

describe('copying a consultation day', () => {
  it('makes an open day on the new date with the same place, topics, slot times and capacities, and no bookings', async () => {
    // Prepare: a day of two slots (3 and 5 seats), one seat booked
    const source = await createDay(staffFn, [3, 5], { extra: { topics: ['排污许可', '环评审批'] } });
    const booked = await bookAndVerify(publicFn, source.dayId, {
      slotId: source.slots[0]?.slotId,
      uscc: randomUscc(),
      companyName: '苏州复制测试有限公司',
      contactName: '王小明',
      mobile: '13955501234',
      topic: '排污许可',
      question: '排污许可证延续需要准备哪些材料？',
      consent: true,
    });
    expect(booked.status).toBe(200);
    const date = dayAhead(40);
    // Act
    const made = await copy(source.dayId, date);
    // Assess
    expect(made.status, JSON.stringify(made.json)).toBe(201);
    const day = made.json.day;
    expect(day.dayId).not.toBe(source.dayId);
    expect(made.json.copiedFrom).toBe(source.dayId);
    expect(day).toMatchObject({
      date,
      jurisdiction: { code: '320506' },
      venue: '吴中区生态环境局三楼',
      mode: 'onsite',
      topics: ['排污许可', '环评审批'],
      status: 'open',
    });
    expect(day.bookingClosesAt.startsWith(dayAhead(39))).toBe(true);
    expect(
      day.slots.map((s: { startsAt: string; endsAt: string; capacity: number; confirmed: number }) => [
        s.startsAt,
        s.endsAt,
        s.capacity,
        s.confirmed,
      ]),
    ).toEqual([
      [`${date}T09:00:00+08:00`, `${date}T09:45:00+08:00`, 3, 0],
      [`${date}T10:00:00+08:00`, `${date}T10:45:00+08:00`, 5, 0],
    ]);
    // The source keeps its booking
    const again = await invoke(
      staffFn,
      httpEvent('GET', `/api/staff/consultation-days/${source.dayId}`, { claims: wuzhongLead }),
    );
    expect(again.json.day.slots[0].confirmed).toBe(1);
  });

  it('refuses a date in the past or not a date, and a day outside the caller’s area as if absent', async () => {
    // Prepare
    const source = await createDay(staffFn, [2]);
    const otherCounty = claimsFor('lead.xiangcheng', 'lead', '320507');
    // Act
    const past = await copy(source.dayId, dayAhead(-1));
    const notADate = await copy(source.dayId, '2026-02-30');
    const outside = await copy(source.dayId, dayAhead(30), otherCounty);
    const missing = await copy('no-such-day', dayAhead(30));
    // Assess
    expect(past.status).toBe(400);
    expect(past.json.error.fields).toHaveProperty('date');
    expect(notADate.status).toBe(400);
    expect(outside.status).toBe(404);
    expect(missing.status).toBe(404);
  });
});
