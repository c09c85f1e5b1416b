import { createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { signedUrl } from '../../functions/lib/messaging/webhooks.ts';
import { missedEntry } from '../../functions/lib/pairings/compliance.ts';
import { firesAt } from '../../shared/cron.ts';
import { isJudged, lastDayOf, MISSED_FIELDS, monthBefore, monthOf, type NudgeRecord } from '../../shared/monthly.ts';
import { qualifyingModesFrom } from '../../shared/pairing.ts';
import { schedules, schedulesFor } from '../../shared/schedules.ts';

describe('months in Asia/Shanghai (rule 4)', () => {
  it('puts 23:30 on 30 November in November and 00:10 on 1 December in December', () => {
    expect(monthOf(new Date('2026-11-30T23:30:00+08:00'))).toBe('2026-11');
    expect(monthOf(new Date('2026-12-01T00:10:00+08:00'))).toBe('2026-12');
    // The same instants in UTC fall on the other side: the offset is what decides.
    expect(new Date('2026-12-01T00:10:00+08:00').toISOString().slice(0, 7)).toBe('2026-11');
  });

  it('steps months across the year and knows their last days', () => {
    expect(monthBefore('2027-01')).toBe('2026-12');
    expect(monthBefore('2026-03', 11)).toBe('2025-04');
    expect(monthBefore('2026-12', -1)).toBe('2027-01');
    expect(['2026-02', '2028-02', '2026-04', '2026-12'].map(lastDayOf)).toEqual([
      '2026-02-28',
      '2028-02-29',
      '2026-04-30',
      '2026-12-31',
    ]);
  });
});

describe('judging a pairing for a month (rule 5)', () => {
  const pairing = { startsOn: '2026-09-01', endedOn: null, pauses: [] };

  it('judges a pairing active on the first day; one started on 5 November is not judged for November', () => {
    expect(isJudged(pairing, '2026-11')).toBe(true);
    expect(isJudged({ ...pairing, startsOn: '2026-11-05' }, '2026-11')).toBe(false);
    expect(isJudged({ ...pairing, startsOn: '2026-11-05' }, '2026-12')).toBe(true);
    expect(isJudged({ ...pairing, startsOn: '2026-11-01' }, '2026-11')).toBe(true);
  });

  it('does not judge a month paused from start to end, but does one paused for part of it', () => {
    expect(isJudged({ ...pairing, pauses: [{ from: '2026-10-20', to: null }] }, '2026-11')).toBe(false);
    expect(isJudged({ ...pairing, pauses: [{ from: '2026-10-20', to: '2026-12-02' }] }, '2026-11')).toBe(false);
    expect(isJudged({ ...pairing, pauses: [{ from: '2026-10-20', to: '2026-11-10' }] }, '2026-11')).toBe(true);
    expect(isJudged({ ...pairing, pauses: [{ from: '2026-11-10', to: null }] }, '2026-11')).toBe(true);
  });

  it('does not judge a month in which the pairing ended (the firm moved on)', () => {
    expect(isJudged({ ...pairing, endedOn: '2026-11-15' }, '2026-11')).toBe(false);
    expect(isJudged({ ...pairing, endedOn: '2026-12-01' }, '2026-11')).toBe(true);
  });
});

describe('a missed pairing in the compliance views', () => {
  it("shows the nudge's listed fields, each as stored, and none of its bookkeeping", () => {
    // Prepare
    const nudge: NudgeRecord = {
      nudgeId: 'n1',
      pairingId: 'p1',
      uscc: '91350100M000100Y43',
      firmName: '示例企业',
      county: '320506',
      liaison: 'liaison.wuzhong',
      month: '2026-11',
      kind: 'missed',
      createdAt: '2026-12-01T00:05:00.000Z',
      lastQualifyingContactAt: null,
      deliveries: [{ channel: 'email', to: 'someone@example.com' }],
    };

    // Act
    const entry = missedEntry(nudge);

    // Assess: the one field list decides, so the answer's type and the projection cannot drift apart.
    expect(Object.keys(entry).sort()).toEqual([...MISSED_FIELDS].sort());
    for (const field of MISSED_FIELDS) expect(entry[field]).toBe(nudge[field]);
    expect(entry).not.toHaveProperty('deliveries');
    expect(entry).not.toHaveProperty('createdAt');
  });
});

describe('the nudge schedules', () => {
  const cron = (name: string) => schedules.find((s) => s.name === name)?.cron ?? '';

  it('fire at 09:00 Beijing on day 1 (missed) and on the reminder day (reminder), and not otherwise', () => {
    expect(firesAt(cron('missed'), new Date('2026-12-01T09:00:00+08:00'))).toBe(true);
    expect(firesAt(cron('missed'), new Date('2026-12-01T01:00:00Z'))).toBe(true);
    expect(firesAt(cron('missed'), new Date('2026-12-01T09:01:00+08:00'))).toBe(false);
    expect(firesAt(cron('missed'), new Date('2026-12-02T09:00:00+08:00'))).toBe(false);
    expect(firesAt(cron('reminder'), new Date('2026-12-20T09:00:00+08:00'))).toBe(true);
    expect(firesAt(cron('reminder'), new Date('2026-12-19T09:00:00+08:00'))).toBe(false);
  });
});

describe('the modes a province counts', () => {
  it('defaults to visit and video, takes a list, refuses unknown modes', () => {
    expect(qualifyingModesFrom(undefined)).toEqual(['visit', 'video']);
    expect(qualifyingModesFrom('visit, meeting')).toEqual(['visit', 'meeting']);
    expect(() => qualifyingModesFrom('visit,email')).toThrow('email');
  });
});

describe('the reminder day of a deployment', () => {
  it('moves the reminder schedule and refuses a day some months lack', () => {
    const reminder = (day?: number) => schedulesFor({ reminderDay: day }).find((s) => s.name === 'reminder')?.cron;
    expect(reminder()).toBe('0 9 20 * ? *');
    expect(reminder(15)).toBe('0 9 15 * ? *');
    expect(() => reminder(29)).toThrow('1-28');
    expect(() => reminder(0)).toThrow('1-28');
  });
});

describe('DingTalk robot signing', () => {
  it('adds timestamp and the HMAC-SHA256 of "timestamp\\nsecret", base64 and URL-encoded', () => {
    const secret = 'SEC0123456789abcdef0123456789abcdef';
    const url = new URL(
      signedUrl(
        { kind: 'dingtalk', url: 'https://oapi.dingtalk.com/robot/send?access_token=t', secret },
        1_700_000_000_000,
      ),
    );
    const expected = createHmac('sha256', secret).update(`1700000000000\n${secret}`).digest('base64');
    expect(url.searchParams.get('access_token')).toBe('t');
    expect(url.searchParams.get('timestamp')).toBe('1700000000000');
    expect(url.searchParams.get('sign')).toBe(expected);
    expect(url.search).toContain(`sign=${encodeURIComponent(expected)}`);
  });

  it('leaves WeCom and unsigned DingTalk robots as given', () => {
    const wecom = 'https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=k';
    expect(signedUrl({ kind: 'wecom', url: wecom })).toBe(wecom);
    expect(signedUrl({ kind: 'dingtalk', url: wecom })).toBe(wecom);
  });
});
