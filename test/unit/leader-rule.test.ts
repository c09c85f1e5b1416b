import { describe, expect, it } from 'vitest';
import { firesAt } from '../../shared/cron.ts';
import { isLeadHeld, leaderLevelsFrom, leaderVisitInput } from '../../shared/leader-visits.ts';
import {
  firstDayOf,
  isJudged,
  lastDayOf,
  monthBefore,
  monthsOf,
  periodBefore,
  quarterOf,
  quarterOfMonth,
} from '../../shared/monthly.ts';
import { findSchedule, schedulesFor } from '../../shared/schedules.ts';

// The leaders' quarterly field service runs on the monthly rule's period functions with a quarter.

describe('quarters in Asia/Shanghai', () => {
  it('puts 23:59 on 31 March (Beijing) in Q1 and 00:00 on 1 April in Q2', () => {
    expect(quarterOf(new Date('2026-03-31T23:59:00+08:00'))).toBe('2026-Q1');
    expect(quarterOf(new Date('2026-04-01T00:00:00+08:00'))).toBe('2026-Q2');
    // The same instant in UTC is still 31 March: the offset is what decides.
    expect(new Date('2026-04-01T00:00:00+08:00').toISOString().slice(0, 10)).toBe('2026-03-31');
    expect(quarterOf(new Date('2026-12-31T23:59:59+08:00'))).toBe('2026-Q4');
    expect(quarterOf(new Date('2027-01-01T00:00:00+08:00'))).toBe('2027-Q1');
  });

  it('steps quarters across years and knows their first and last days and months', () => {
    expect(periodBefore('2027-Q1')).toBe('2026-Q4');
    expect(periodBefore('2026-Q4', 5)).toBe('2025-Q3');
    expect(periodBefore('2026-Q4', -1)).toBe('2027-Q1');
    expect(['2026-Q1', '2028-Q1', '2026-Q2', '2026-Q3', '2026-Q4'].map(lastDayOf)).toEqual([
      '2026-03-31',
      '2028-03-31',
      '2026-06-30',
      '2026-09-30',
      '2026-12-31',
    ]);
    expect(firstDayOf('2026-Q4')).toBe('2026-10-01');
    expect(monthsOf('2026-Q2')).toEqual(['2026-04', '2026-05', '2026-06']);
    expect(['2026-01', '2026-03', '2026-04', '2026-12'].map(quarterOfMonth)).toEqual([
      '2026-Q1',
      '2026-Q1',
      '2026-Q2',
      '2026-Q4',
    ]);
    // The months keep their own arithmetic.
    expect(monthBefore('2027-01')).toBe('2026-12');
    expect(lastDayOf('2028-02')).toBe('2028-02-29');
  });

  it('judges by the quarter with the same rule as a month: active on its first day', () => {
    const pairing = { startsOn: '2026-10-01', endedOn: null, pauses: [] };
    expect(isJudged(pairing, '2026-Q4')).toBe(true);
    expect(isJudged({ ...pairing, startsOn: '2026-10-02' }, '2026-Q4')).toBe(false);
    expect(isJudged({ ...pairing, endedOn: '2026-12-31' }, '2026-Q4')).toBe(false);
  });
});

describe('which leads are held to a quarter', () => {
  const levels = leaderLevelsFrom(undefined);
  const city = { role: 'lead', jurisdiction: '320500', roleSince: '2026-10-01' } as const;

  it('holds city and province leads by default, from the quarter their role had begun by its first day', () => {
    expect(levels).toEqual(['city', 'province']);
    expect(isLeadHeld(city, '2026-Q4', levels)).toBe(true);
    expect(isLeadHeld({ ...city, roleSince: '2026-10-02' }, '2026-Q4', levels)).toBe(false);
    expect(isLeadHeld({ ...city, roleSince: '2026-10-02' }, '2027-Q1', levels)).toBe(true);
    expect(isLeadHeld({ ...city, jurisdiction: '320000' }, '2026-Q4', levels)).toBe(true);
    expect(isLeadHeld({ ...city, jurisdiction: '320506' }, '2026-Q4', levels)).toBe(false);
  });

  it('never holds a liaison, an admin or a disabled account; a setting may add county leads', () => {
    expect(isLeadHeld({ ...city, role: 'liaison' }, '2026-Q4', levels)).toBe(false);
    expect(isLeadHeld({ ...city, role: 'admin' }, '2026-Q4', levels)).toBe(false);
    expect(isLeadHeld({ ...city, enabled: false }, '2026-Q4', levels)).toBe(false);
    const all = leaderLevelsFrom('county, city,province');
    expect(isLeadHeld({ ...city, jurisdiction: '320506' }, '2026-Q4', all)).toBe(true);
    expect(() => leaderLevelsFrom('city,village')).toThrow(/village/);
  });
});

describe('the field service request', () => {
  const base = {
    at: '2026-11-10T10:00:00+08:00',
    participants: ['市局领导'],
    summary: '带队走访企业，了解治污设施运行',
  };

  it('takes a firm or a jurisdiction as its target, never both or another shape', () => {
    expect(leaderVisitInput.safeParse({ ...base, target: { uscc: '91350100M000100Y43' } }).success).toBe(true);
    expect(leaderVisitInput.safeParse({ ...base, target: { jurisdiction: '320506' } }).success).toBe(true);
    expect(
      leaderVisitInput.safeParse({ ...base, target: { uscc: '91350100M000100Y43', jurisdiction: '320506' } }).success,
    ).toBe(false);
    expect(leaderVisitInput.safeParse({ ...base, target: { uscc: '91350100M000100Y44' } }).success).toBe(false);
    expect(leaderVisitInput.safeParse({ ...base, target: { jurisdiction: '320599' } }).success).toBe(false);
    expect(
      leaderVisitInput.safeParse({ ...base, at: '2026-11-10 10:00', target: { jurisdiction: '320506' } }).success,
    ).toBe(false);
  });
});

describe('the schedules of the quarter rule (Asia/Shanghai)', () => {
  it('fires leader-missed at 09:00 on the first day of each quarter only', () => {
    const cron = findSchedule('leader-missed')?.cron ?? '';
    expect(firesAt(cron, new Date('2027-01-01T09:00:00+08:00'))).toBe(true);
    expect(firesAt(cron, new Date('2026-10-01T09:00:00+08:00'))).toBe(true);
    expect(firesAt(cron, new Date('2026-12-01T09:00:00+08:00'))).toBe(false);
    expect(firesAt(cron, new Date('2027-01-01T08:00:00+08:00'))).toBe(false);
  });

  it("fires leader-reminder on the reminder day of a quarter's last month only", () => {
    const cron = findSchedule('leader-reminder', schedulesFor({ reminderDay: 15 }))?.cron ?? '';
    expect(firesAt(cron, new Date('2026-12-15T09:00:00+08:00'))).toBe(true);
    expect(firesAt(cron, new Date('2026-11-15T09:00:00+08:00'))).toBe(false);
    expect(firesAt(cron, new Date('2026-03-15T09:00:00+08:00'))).toBe(true);
  });
});
