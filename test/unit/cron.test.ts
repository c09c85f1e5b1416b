import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { nextFire, parseCron } from '../../shared/cron.ts';
import { schedules } from '../../shared/schedules.ts';
import { shanghaiParts, toShanghaiIso } from '../../shared/time.ts';

const next = (cron: string, after: string) => {
  const at = nextFire(cron, new Date(after));
  return at && toShanghaiIso(at);
};

describe('cron in Asia/Shanghai', () => {
  it('fires at 08:00 Shanghai, which is midnight UTC', () => {
    expect(next('0 8 * * ? *', '2026-11-23T07:59:00+08:00')).toBe('2026-11-23T08:00:00+08:00');
    expect(next('0 8 * * ? *', '2026-11-23T08:00:00+08:00')).toBe('2026-11-24T08:00:00+08:00');
  });

  it('fires on day 1 of the next month across a year boundary', () => {
    expect(next('0 9 1 * ? *', '2026-12-20T09:00:00+08:00')).toBe('2027-01-01T09:00:00+08:00');
  });

  it('fires on day 20 at 09:00 even when that is the 20th in Shanghai but the 20th 01:00 UTC', () => {
    expect(next('0 9 20 * ? *', '2026-11-19T23:00:00Z')).toBe('2026-11-20T09:00:00+08:00');
  });

  it('handles day-of-week names, ranges, lists and steps', () => {
    // Monday to Friday at 18:30: Saturday 2026-11-28 → Monday 2026-11-30
    expect(next('30 18 ? * MON-FRI *', '2026-11-27T19:00:00+08:00')).toBe('2026-11-30T18:30:00+08:00');
    expect(next('0/15 * * * ? *', '2026-11-23T10:16:00+08:00')).toBe('2026-11-23T10:30:00+08:00');
    expect(next('0 9 1,15 JAN,JUL ? *', '2026-07-02T00:00:00+08:00')).toBe('2026-07-15T09:00:00+08:00');
  });

  it('refuses expressions it cannot evaluate exactly', () => {
    expect(() => parseCron('0 9 * * *')).toThrow(/6 fields/);
    expect(() => parseCron('0 9 L * ? *')).toThrow();
    expect(() => parseCron('0 9 * * * *')).toThrow(/"\?"/);
    expect(() => parseCron('61 9 * * ? *')).toThrow(/outside/);
  });

  it('parses every shared schedule', () => {
    for (const s of schedules) expect(() => parseCron(s.cron)).not.toThrow();
  });

  it('always answers a later instant that matches the expression', () => {
    fc.assert(
      fc.property(
        fc.date({ min: new Date('2020-01-01'), max: new Date('2040-01-01'), noInvalidDate: true }),
        fc.integer({ min: 0, max: 23 }),
        fc.integer({ min: 1, max: 28 }),
        (after, hour, day) => {
          const at = nextFire(`0 ${hour} ${day} * ? *`, after);
          expect(at).toBeDefined();
          expect(at?.getTime()).toBeGreaterThan(after.getTime());
          const p = shanghaiParts(at as Date);
          expect([p.day, p.hour, p.minute]).toEqual([day, hour, 0]);
          // Every month has such a day, so the answer is never more than a month away.
          expect((at as Date).getTime() - after.getTime()).toBeLessThanOrEqual(31 * 86_400_000);
        },
      ),
      { numRuns: 200 },
    );
  });
});
