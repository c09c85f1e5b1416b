import { describe, expect, it } from 'vitest';
import { addMonths, monthOf, monthWeeks } from '../../site/src/scripts/console-days/calendar.ts';

// The console's month calendar (issue 20) lays out calendar dates, Monday first, whatever the
// browser's time zone: plain date arithmetic, tried here on the months that break naive code.
describe('the days calendar: weeks of a month, Monday first', () => {
  it('starts December 2026 on its Tuesday and ends on Thursday the 31st, in whole weeks', () => {
    // Act
    const weeks = monthWeeks('2026-12');
    // Assess
    expect(weeks[0]).toEqual([
      null,
      '2026-12-01',
      '2026-12-02',
      '2026-12-03',
      '2026-12-04',
      '2026-12-05',
      '2026-12-06',
    ]);
    expect(weeks.at(-1)).toEqual(['2026-12-28', '2026-12-29', '2026-12-30', '2026-12-31', null, null, null]);
    expect(weeks.every((week) => week.length === 7)).toBe(true);
  });

  it('puts a month that starts on a Sunday in its last column (February 2026) and knows leap years', () => {
    expect(monthWeeks('2026-02')[0]?.[6]).toBe('2026-02-01');
    expect(monthWeeks('2026-02').flat().filter(Boolean)).toHaveLength(28);
    expect(monthWeeks('2028-02').flat().filter(Boolean)).toHaveLength(29);
  });

  it('moves across a year and refuses a month that is not one (the URL is typed by anyone)', () => {
    expect(addMonths('2026-12', 1)).toBe('2027-01');
    expect(addMonths('2027-01', -1)).toBe('2026-12');
    expect(monthOf('2026-12')).toBe('2026-12');
    for (const bad of ['2026-13', '2026-00', '26-12', '2026-1', '<b>', '', null]) expect(monthOf(bad)).toBeUndefined();
  });
});
