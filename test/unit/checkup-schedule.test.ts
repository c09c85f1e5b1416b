import { describe, expect, it } from 'vitest';
import { addMonths, checkupIntervalFrom, daysFromTo } from '../../shared/checkups.ts';

// Issue 19: a check-up is due a number of calendar months after the last one's Shanghai day.
describe('the check-up interval', () => {
  it('adds calendar months, a day the month lacks becoming its last', () => {
    expect(addMonths('2025-12-06', 12)).toBe('2026-12-06');
    expect(addMonths('2026-01-31', 1)).toBe('2026-02-28');
    expect(addMonths('2024-02-29', 12)).toBe('2025-02-28');
    expect(addMonths('2026-11-30', 3)).toBe('2027-02-28');
    expect(addMonths('2026-12-06', -12)).toBe('2025-12-06');
  });

  it('counts whole days between Shanghai dates, across a year', () => {
    expect(daysFromTo('2026-12-31', '2027-01-01')).toBe(1);
    expect(daysFromTo('2026-12-06', '2026-12-05')).toBe(-1);
    expect(daysFromTo('2026-01-01', '2027-01-01')).toBe(365);
  });

  it('reads the setting as whole months from 1 to 60, default 12, and refuses anything else', () => {
    expect(checkupIntervalFrom(undefined)).toBe(12);
    expect(checkupIntervalFrom(' ')).toBe(12);
    expect(checkupIntervalFrom('6')).toBe(6);
    for (const bad of ['0', '61', '1.5', 'x', '-1']) expect(() => checkupIntervalFrom(bad), bad).toThrow(/months/);
  });
});
