import { describe, expect, it } from 'vitest';
import { mondayOf } from '../../functions/jobs/ledger-overdue.ts';
import { firesAt } from '../../shared/cron.ts';
import { schedules } from '../../shared/schedules.ts';

// The ledger's overdue schedules, in Asia/Shanghai: daily at 09:00, and the lead's digest on Mondays.
const cron = (name: string) => schedules.find((s) => s.name === name)?.cron ?? '';

describe('the overdue schedules', () => {
  it('fires the overdue nudge every day at 09:00 Beijing, whatever the UTC date', () => {
    expect(firesAt(cron('overdue'), new Date('2026-11-21T09:00:00+08:00'))).toBe(true);
    expect(firesAt(cron('overdue'), new Date('2027-01-01T01:00:00Z'))).toBe(true);
    expect(firesAt(cron('overdue'), new Date('2026-11-21T09:00:00Z'))).toBe(false);
  });

  it('fires the digest on Monday 09:00 Beijing only (Sunday 01:00 UTC is not a Monday)', () => {
    expect(firesAt(cron('ledger-digest'), new Date('2026-11-30T09:00:00+08:00'))).toBe(true);
    expect(firesAt(cron('ledger-digest'), new Date('2026-12-01T09:00:00+08:00'))).toBe(false);
    expect(firesAt(cron('ledger-digest'), new Date('2026-11-29T09:00:00+08:00'))).toBe(false);
  });

  it('fires the early-warning digest on Monday 09:00 Beijing only (issue 19)', () => {
    expect(firesAt(cron('warning-digest'), new Date('2026-12-07T09:00:00+08:00'))).toBe(true);
    expect(firesAt(cron('warning-digest'), new Date('2026-12-07T09:00:00Z'))).toBe(false);
    expect(firesAt(cron('warning-digest'), new Date('2026-12-06T09:00:00+08:00'))).toBe(false);
  });

  it('names a week by its Monday, across a month and a year end', () => {
    expect(mondayOf('2026-11-30')).toBe('2026-11-30');
    expect(mondayOf('2026-12-06')).toBe('2026-11-30');
    expect(mondayOf('2027-01-01')).toBe('2026-12-28');
    expect(mondayOf('2027-01-03')).toBe('2026-12-28');
  });
});
