import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { fromShanghai, shanghaiDate, shanghaiMonth, toShanghaiIso } from '../../shared/time.ts';

describe('Asia/Shanghai time (rule 4)', () => {
  it('counts 23:30 on 30 November for November and 00:10 on 1 December for December', () => {
    // Prepare
    const lateNovember = new Date('2026-11-30T23:30:00+08:00');
    const earlyDecember = new Date('2026-12-01T00:10:00+08:00');
    // Act + Assess: both instants are 30 November in UTC, yet fall in different Shanghai months
    expect(lateNovember.toISOString().slice(0, 10)).toBe('2026-11-30');
    expect(earlyDecember.toISOString().slice(0, 10)).toBe('2026-11-30');
    expect(shanghaiMonth(lateNovember)).toBe('2026-11');
    expect(shanghaiMonth(earlyDecember)).toBe('2026-12');
  });

  it('formats with the +08:00 offset and crosses the year boundary', () => {
    expect(toShanghaiIso(new Date('2026-12-31T16:00:00Z'))).toBe('2027-01-01T00:00:00+08:00');
    expect(shanghaiDate(new Date('2026-12-31T15:59:59Z'))).toBe('2026-12-31');
  });

  it('round-trips any instant through its Shanghai wall time', () => {
    fc.assert(
      fc.property(fc.date({ min: new Date('2000-01-01'), max: new Date('2100-01-01'), noInvalidDate: true }), (d) => {
        const whole = new Date(Math.floor(d.getTime() / 60_000) * 60_000);
        const iso = toShanghaiIso(whole);
        expect(new Date(iso).getTime()).toBe(whole.getTime());
        const [y, m, day, h, min] = iso.match(/\d+/g)?.map(Number) ?? [];
        expect(fromShanghai(y ?? 0, m ?? 0, day ?? 0, h, min).getTime()).toBe(whole.getTime());
      }),
    );
  });
});
