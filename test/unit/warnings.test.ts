import { describe, expect, it } from 'vitest';
import { childUnitOf, childUnits, permitWarning, permitWindowEnd } from '../../shared/warnings.ts';

// The board's pure rules (issue 19): a permit's standing by Beijing dates, and the unit one level down.
describe('a discharge permit on the board', () => {
  it('warns from 60 days before its expiry, the 60th day included, across a year end', () => {
    expect(permitWarning('2027-02-05', '2026-12-07')).toEqual({ days: 60, expired: false });
    expect(permitWarning('2027-02-06', '2026-12-07')).toBeNull();
    expect(permitWindowEnd('2026-12-07')).toBe('2027-02-05');
  });

  it('is valid on its last day and expired the day after', () => {
    expect(permitWarning('2026-12-07', '2026-12-07')).toEqual({ days: 0, expired: false });
    expect(permitWarning('2026-12-06', '2026-12-07')).toEqual({ days: -1, expired: true });
  });
});

describe('the units one level down', () => {
  it('finds the city of a county under a province, the county under a city, nothing outside', () => {
    expect(childUnitOf('320000', '320506')).toBe('320500');
    expect(childUnitOf('320500', '320506')).toBe('320506');
    expect(childUnitOf('320500', '320281')).toBeUndefined();
    expect(childUnits('320500')).toEqual(['320506', '320507']);
    expect(childUnits('320506')).toEqual([]);
  });
});
