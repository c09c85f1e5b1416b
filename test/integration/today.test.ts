import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { healthItem } from '../../functions/lib/ledger/checkups.ts';
import { batchPut } from '../../functions/lib/store/table.ts';
import { type Runtime, startRuntime } from '../../infra/local/runtime.ts';
import { DEFAULT_TEMPLATE } from '../../shared/checkups.ts';
import { shanghaiDate } from '../../shared/time.ts';
import type { TodayView } from '../../shared/today.ts';
import { apiCaller } from '../support/api.ts';
import { uploadSignature } from '../support/evidence.ts';
import { givenUpMessage } from '../support/given-up.ts';
import { distinctUsccs } from '../support/uscc.ts';

// The console home's answer (issue 18, GET /api/staff/today): each part for the caller's own scope:
// a liaison's firms, a lead's unit. Everything through the local gateway with real tokens; the one
// given-up message is written as the deliveries function leaves one (its rounds are tried elsewhere).
let runtime: Runtime;
let dataDir: string;
const token: Record<string, string> = {};
const call = apiCaller(() => runtime.url, token);
const today = (who: string, query = '') =>
  call('GET', `/api/staff/today${query}`, who) as Promise<{ status: number; body: TodayView & Record<string, never> }>;

const [paired, unpaired, jiangyin] = distinctUsccs(3) as [string, string, string];
const dayIn = (days: number) => shanghaiDate(new Date(Date.now() + days * 86_400_000));
const allPass = Object.fromEntries(DEFAULT_TEMPLATE.items.map((i) => [i.itemId, { result: 'pass' }]));
const mostFail = Object.fromEntries(DEFAULT_TEMPLATE.items.map((i) => [i.itemId, { result: 'fail' }]));

const firm = (uscc: string, name: string, county: string, who: string) =>
  call('POST', '/api/staff/enterprises', who, {
    uscc,
    name,
    county,
    address: '测试路 1 号',
    industry: '电镀',
    size: 'small',
    tier: 'county',
    contacts: [],
  });

const raise = async (uscc: string, title: string, dueOn: string, who: string) => {
  const res = await call('POST', '/api/staff/ledger-items', who, {
    uscc,
    title,
    detail: `${title}，需跟进`,
    source: 'contact',
    severity: 'medium',
    dueOn,
    ownerDepartment: '环境监察科',
  });
  expect(res.status).toBe(201);
  return res.body.item.itemId as string;
};

/** A submitted check-up of `uscc` with these answers, by its liaison: the firm's band. */
const checkup = async (uscc: string, answers: Record<string, { result: string }>) => {
  const created = await call('POST', '/api/staff/checkups', 'lead.wuzhong', {
    uscc,
    at: new Date().toISOString(),
    inspectors: ['王工'],
  });
  const { checkupId } = created.body.checkup as { checkupId: string };
  await call('PATCH', `/api/staff/checkups/${checkupId}`, 'lead.wuzhong', { version: 1, answers });
  const done = await call('POST', `/api/staff/checkups/${checkupId}/submit`, 'lead.wuzhong', {
    version: 2,
    signature: await uploadSignature(runtime.url, token['lead.wuzhong'] ?? ''),
  });
  expect(done.status).toBe(200);
  return done.body.checkup.band as string;
};

const day = (date: string, jurisdiction: string, who: string) =>
  call('POST', '/api/staff/consultation-days', who, {
    date,
    jurisdiction,
    venue: '局三楼会议室',
    mode: 'onsite',
    topics: ['排污许可'],
    slots: [{ startsAt: `${date}T09:00:00+08:00`, endsAt: `${date}T10:00:00+08:00`, capacity: 5 }],
  });

let items: { mine: string; unpaired: string; notYet: string; jiangyin: string };
let messages: { wuzhong: string; jiangyin: string };
let days: { soon: string; late: string; jiangyin: string };

beforeAll(async () => {
  dataDir = mkdtempSync(join(tmpdir(), 'eco-today-'));
  runtime = await startRuntime({ port: 0, dataDir, siteDir: dataDir, scheduler: false, log: () => undefined });
  for (const username of ['liaison.wuzhong', 'liaison2.wuzhong', 'lead.wuzhong', 'lead.suzhou', 'lead.jiangyin']) {
    token[username] = (await runtime.issuer.signIn(username, 'demo'))?.token ?? '';
  }
  expect((await firm(paired, '今日测试结对有限公司', '320506', 'lead.wuzhong')).status).toBe(201);
  expect((await firm(unpaired, '今日测试未结对有限公司', '320506', 'lead.wuzhong')).status).toBe(201);
  expect((await firm(jiangyin, '今日测试江阴有限公司', '320281', 'lead.jiangyin')).status).toBe(201);
  const pairing = await call('POST', '/api/staff/pairings', 'lead.wuzhong', {
    uscc: paired,
    liaison: 'liaison.wuzhong',
    serviceYear: Number(dayIn(0).slice(0, 4)),
    startsOn: `${dayIn(0).slice(0, 4)}-01-01`,
  });
  expect(pairing.status).toBe(201);
  items = {
    mine: await raise(paired, '危废标识不规范', dayIn(-10), 'lead.wuzhong'),
    unpaired: await raise(unpaired, '雨污分流未完成', dayIn(-3), 'lead.wuzhong'),
    notYet: await raise(paired, '台账记录不全', dayIn(5), 'lead.wuzhong'),
    jiangyin: await raise(jiangyin, '江阴逾期事项', dayIn(-20), 'lead.jiangyin'),
  };
  messages = {
    wuzhong: (await givenUpMessage('320506')).about,
    jiangyin: (await givenUpMessage('320281')).about,
  };
  const soon = await day(dayIn(5), '320506', 'lead.wuzhong');
  const late = await day(dayIn(20), '320506', 'lead.wuzhong');
  const other = await day(dayIn(3), '320281', 'lead.jiangyin');
  expect([soon.status, late.status, other.status]).toEqual([201, 201, 201]);
  days = { soon: soon.body.day.dayId, late: late.body.day.dayId, jiangyin: other.body.day.dayId };
}, 120_000);

afterAll(async () => {
  await runtime?.stop();
  rmSync(dataDir, { recursive: true, force: true });
});

const ids = <T>(part: { first: T[] }, pick: (x: T) => string) => part.first.map(pick);

describe('what needs me today', () => {
  it('gives a liaison the overdue items of the firms it serves, not the unit’s, and no deliveries', async () => {
    // Act
    const res = await today('liaison.wuzhong');
    const other = await today('liaison2.wuzhong');

    // Assess: its firm's item past due; not the unpaired firm's, nor the one due in five days.
    expect(res.status).toBe(200);
    expect(res.body.today).toBe(dayIn(0));
    expect(ids(res.body.overdue, (i) => i.itemId)).toEqual([items.mine]);
    expect(res.body.overdue.count).toBe(1);
    expect(res.body.overdue.first[0]).toMatchObject({
      uscc: paired,
      firmName: '今日测试结对有限公司',
      dueOn: dayIn(-10),
    });
    expect(res.body.undelivered).toBeNull();
    expect(typeof res.body.unread).toBe('number');
    expect(ids(other.body.overdue, (i) => i.itemId)).not.toContain(items.mine);
  });

  it('gives a lead its unit’s overdue items, most overdue first, counted from the counters', async () => {
    // Act
    const wuzhong = await today('lead.wuzhong');
    const suzhou = await today('lead.suzhou');
    const jiangyinLead = await today('lead.jiangyin');

    // Assess
    expect(ids(wuzhong.body.overdue, (i) => i.itemId)).toEqual([items.mine, items.unpaired]);
    expect(wuzhong.body.overdue.count).toBe(2);
    expect(suzhou.body.overdue.count).toBe(2);
    expect(ids(jiangyinLead.body.overdue, (i) => i.itemId)).toEqual([items.jiangyin]);
    expect(jiangyinLead.body.overdue.count).toBe(1);
  });

  it('drops an item from the count once it is cancelled', async () => {
    // Prepare: the unpaired firm's item is cancelled.
    const item = (await call('GET', `/api/staff/ledger-items/${items.unpaired}`, 'lead.wuzhong')).body.item;
    const moved = await call('POST', `/api/staff/ledger-items/${items.unpaired}/transitions`, 'lead.wuzhong', {
      to: 'cancelled',
      note: '企业已关停',
      version: item.version,
    });
    expect(moved.status).toBe(200);

    // Act
    const res = await today('lead.wuzhong');

    // Assess
    expect(res.body.overdue.count).toBe(1);
    expect(ids(res.body.overdue, (i) => i.itemId)).toEqual([items.mine]);
  });

  it('lists the consultation days of the next fourteen days in scope', async () => {
    // Act
    const lead = await today('lead.wuzhong');
    const liaison = await today('liaison.wuzhong');
    const other = await today('lead.jiangyin');

    // Assess: the day in five days; not the one in twenty, nor Jiangyin's.
    expect(ids(lead.body.days, (d) => d.dayId)).toEqual([days.soon]);
    expect(lead.body.days.first[0]).toMatchObject({ date: dayIn(5), jurisdiction: '320506', venue: '局三楼会议室' });
    expect(ids(liaison.body.days, (d) => d.dayId)).toEqual([days.soon]);
    expect(ids(other.body.days, (d) => d.dayId)).toEqual([days.jiangyin]);
  });

  it('lists the unit’s given-up messages to its leads only', async () => {
    // Act
    const wuzhong = await today('lead.wuzhong');
    const suzhou = await today('lead.suzhou');
    const jiangyinLead = await today('lead.jiangyin');

    // Assess
    expect(wuzhong.body.undelivered?.count).toBe(1);
    expect(wuzhong.body.undelivered?.first[0]).toMatchObject({
      about: messages.wuzhong,
      kind: 'confirmed',
      jurisdiction: '320506',
      channels: ['email'],
    });
    expect(ids(suzhou.body.undelivered ?? { first: [] }, (m) => m.about)).toEqual([messages.wuzhong]);
    expect(ids(jiangyinLead.body.undelivered ?? { first: [] }, (m) => m.about)).toEqual([messages.jiangyin]);
  });

  it('lists a firm banded red until a later check-up is not', async () => {
    // Prepare: a red check-up of the paired firm.
    expect(await checkup(paired, mostFail)).toBe('red');

    // Act
    const lead = await today('lead.wuzhong');
    const liaison = await today('liaison.wuzhong');
    const other = await today('lead.jiangyin');

    // Assess
    expect(lead.body.redBand.count).toBe(1);
    expect(lead.body.redBand.first[0]).toMatchObject({ uscc: paired, name: '今日测试结对有限公司', county: '320506' });
    expect(ids(liaison.body.redBand, (f) => f.uscc)).toEqual([paired]);
    expect(other.body.redBand.count).toBe(0);

    // Act: a green check-up after it.
    expect(await checkup(paired, allPass)).toBe('green');
    const after = await today('lead.wuzhong');
    const liaisonAfter = await today('liaison.wuzhong');

    // Assess
    expect(after.body.redBand.count).toBe(0);
    expect(liaisonAfter.body.redBand.count).toBe(0);
  });

  it('counts red firms exactly behind more than 200 other warnings, up to its cap of 200', async () => {
    // Prepare: 210 Xiangcheng firms worse than before but not red and three red ones after them in
    // the index's order (county, then USCC), stored as a check-up's submit stores them. A Query's
    // Limit counts entries before the red filter, so a count of one 200-entry page saw none of the reds.
    const usccs = distinctUsccs(213).sort();
    const health = (uscc: string, latestBand: 'red' | 'yellow', n: number) =>
      healthItem({
        uscc,
        latestBand,
        latestScore: latestBand === 'red' ? 40 : 70,
        previousBand: 'green',
        worsened: true,
        checkupId: `seeded-${n}`,
        at: new Date().toISOString(),
        county: '320507',
        firmName: `预警测试${n}号有限公司`,
      });
    const reds = usccs.slice(210);
    await batchPut(usccs.map((uscc, n) => health(uscc, n < 210 ? 'yellow' : 'red', n)));

    // Act
    const few = await today('lead.suzhou', '?jurisdiction=320507');

    // Assess: all three, not capped.
    expect(few.body.redBand).toMatchObject({ count: 3, capped: false });
    expect(ids(few.body.redBand, (f) => f.uscc)).toEqual(reds);

    // Act: 200 more red firms (203 in all).
    await batchPut(distinctUsccs(200).map((uscc, n) => health(uscc, 'red', 1000 + n)));
    const many = await today('lead.suzhou', '?jurisdiction=320507');

    // Assess: the cap, shown as more than it.
    expect(many.body.redBand).toMatchObject({ count: 200, capped: true });
  });

  it('answers a unit below the lead’s, and 404 for one outside it', async () => {
    // Act
    const below = await today('lead.suzhou', '?jurisdiction=320506');
    const outside = await today('lead.wuzhong', '?jurisdiction=320281');
    const bad = await today('lead.wuzhong', '?jurisdiction=999999');

    // Assess
    expect(below.status).toBe(200);
    expect(ids(below.body.overdue, (i) => i.itemId)).toEqual([items.mine]);
    expect(outside.status).toBe(404);
    expect(bad.status).toBe(400);
  });
});
