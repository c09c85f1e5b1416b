import { describe, expect, it } from 'vitest';
import { fromShanghai } from '../../shared/time.ts';
import { calendarKnown, isWorkingDay, workingDaysAfter, workingDaysBetween } from '../../shared/working-days.ts';

// The State Council's 2026 notice: National Day 1–7 October off, Sunday 20 September and Saturday
// 10 October worked; Spring Festival 15–23 February off, Saturdays 14 and 28 February worked.
describe('working days on the mainland calendar', () => {
  it('counts 调休 weekend days as working and holidays on weekdays as off', () => {
    expect(isWorkingDay('2026-09-20')).toBe(true); // Sunday, worked
    expect(isWorkingDay('2026-10-10')).toBe(true); // Saturday, worked
    expect(isWorkingDay('2026-02-14')).toBe(true); // Saturday, worked
    expect(isWorkingDay('2026-10-01')).toBe(false); // Thursday, National Day
    expect(isWorkingDay('2026-02-16')).toBe(false); // Monday, Spring Festival
    expect(isWorkingDay('2026-10-17')).toBe(false); // an ordinary Saturday
    expect(isWorkingDay('2026-10-08')).toBe(true); // the Thursday after the holiday
  });

  it('does not count the day a request is raised, and counts a worked Sunday', () => {
    // Raised Friday 18 September 2026 at 20:00: Saturday off, Sunday 20th worked (1), Monday 21st (2).
    const limit = workingDaysAfter(fromShanghai(2026, 9, 18, 20), 2);
    expect(limit.lastDay).toBe('2026-09-21');
    expect(limit.dueAt.toISOString()).toBe('2026-09-21T16:00:00.000Z'); // midnight in Shanghai
    expect(limit.calendarKnown).toBe(true);
  });

  it('carries a limit over the National Day week and onto the worked Saturday', () => {
    const raised = fromShanghai(2026, 9, 30, 9);
    expect(workingDaysAfter(raised, 2).lastDay).toBe('2026-10-09');
    expect(workingDaysAfter(raised, 3).lastDay).toBe('2026-10-10');
    expect(workingDaysBetween(raised, fromShanghai(2026, 10, 10, 12))).toBe(3);
  });

  it('takes the day in Shanghai, not in UTC', () => {
    // 16:30 UTC on 30 September is 00:30 on 1 October in Shanghai: the holiday has begun.
    const raised = new Date('2026-09-30T16:30:00Z');
    expect(workingDaysAfter(raised, 1).lastDay).toBe('2026-10-08');
  });

  it('marks a limit in a year the calendar does not carry yet as an estimate (weekends only)', () => {
    const year = Number(new Date().getUTCFullYear()) + 3;
    expect(calendarKnown(`${year}-03-02`)).toBe(false);
    const limit = workingDaysAfter(fromShanghai(year, 3, 2, 10), 1);
    expect(limit.calendarKnown).toBe(false);
    expect(isWorkingDay(limit.lastDay)).toBe(true);
  });

  it('refuses limits and dates that make no sense', () => {
    expect(() => workingDaysAfter(new Date(), 0)).toThrow(RangeError);
    expect(() => workingDaysAfter(new Date(), 1.5)).toThrow(RangeError);
    expect(() => workingDaysAfter(new Date(), 10_000)).toThrow(RangeError);
    expect(() => isWorkingDay('2026-02-30')).toThrow(RangeError);
    expect(() => isWorkingDay('20261001')).toThrow(RangeError);
  });
});
