import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, GetCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Runtime, startRuntime } from '../../infra/local/runtime.ts';
import { keys } from '../../shared/keys.ts';
import { table } from '../../shared/table.ts';
import { addStaffAccount } from '../support/accounts.ts';
import { sentEmails } from '../support/outbox.ts';
import { distinctUsccs } from '../support/uscc.ts';

// The leaders' quarterly field service (issue 19) end to end on the local runtime: field services
// logged through the API, `leader-missed` and `leader-reminder` run as the scheduler would fire
// them (their "now" is the scheduled time), nudges, inbox, e-mails in the outbox, counters and
// their recount. Held to it: city and province leads (the default), from their role's first day.
let runtime: Runtime;
let dataDir: string;
let doc: DynamoDBDocumentClient;
const token: Record<string, string> = {};
let wuzhongFirm = '';
let jiangyinFirm = '';

const call = async (method: string, path: string, who: string, body?: unknown) => {
  const res = await fetch(`${runtime.url}${path}`, {
    method,
    headers: { authorization: `Bearer ${token[who]}`, 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  return { status: res.status, body: (await res.json()) as Record<string, unknown> };
};

const runJob = async (name: string, at: string) => {
  const res = await fetch(`${runtime.url}/api/local/jobs/${name}`, { method: 'POST', body: JSON.stringify({ at }) });
  return ((await res.json()) as { result: Record<string, number> }).result;
};

const visit = (who: string, at: string, target: Record<string, string>) =>
  call('POST', '/api/staff/leader-visits', who, {
    at,
    target,
    participants: ['局领导', '执法支队'],
    summary: '领导带队开展环保服务，现场了解企业诉求',
  });

const emailsTo = (username: string) => sentEmails().filter((e) => e.to.includes(`${username}@leaders.test`));

/** A lead with a sign-in account and a profile that took its role on `since`. */
const addLead = async (username: string, jurisdiction: string, since: string) => {
  token[username] = await addStaffAccount(runtime, {
    username,
    role: 'lead',
    jurisdiction,
    email: `${username}@leaders.test`,
    roleSince: since,
  });
};

beforeAll(async () => {
  process.env.DELIVERY_BACKOFF_MS = '5';
  process.env.POWERTOOLS_LOG_LEVEL = 'ERROR';
  dataDir = mkdtempSync(join(tmpdir(), 'eco-leaders-'));
  runtime = await startRuntime({ port: 0, dataDir, siteDir: dataDir, scheduler: false, log: () => undefined });
  doc = DynamoDBDocumentClient.from(
    new DynamoDBClient({ endpoint: process.env.DYNAMODB_ENDPOINT, region: 'us-east-1' }),
  );
  for (const username of ['lead.suzhou', 'lead.wuzhong', 'lead.jiangyin', 'liaison.wuzhong', 'admin'])
    token[username] = (await runtime.issuer.signIn(username, 'demo'))?.token ?? '';
  // Wuxi's city lead and the province's lead since 2025; a second Suzhou lead only since 2 January 2026.
  await addLead('lead.wuxi', '320200', '2025-06-01');
  await addLead('lead.jiangsu', '320000', '2025-06-01');
  await addLead('lead.suzhou2', '320500', '2026-01-02');
  const [a, b] = distinctUsccs(2) as [string, string];
  for (const [uscc, county] of [
    [a, '320506'],
    [b, '320281'],
  ] as const) {
    const res = await call('POST', '/api/staff/enterprises', 'admin', {
      uscc,
      name: `领导带队测试${county}有限公司`,
      county,
      address: '测试路 1 号',
      industry: '印染',
      size: 'medium',
      tier: 'city',
      contacts: [],
    });
    expect(res.status).toBe(201);
  }
  wuzhongFirm = a;
  jiangyinFirm = b;
}, 60_000);

afterAll(async () => {
  await runtime?.stop();
  rmSync(dataDir, { recursive: true, force: true });
});

describe('logging a field service', () => {
  it('counts 23:59 on 31 March (Beijing) for Q1 and 00:00 on 1 April for Q2', async () => {
    // Act
    const suzhou = await visit('lead.suzhou', '2026-03-31T23:59:00+08:00', { uscc: wuzhongFirm });
    const wuxi = await visit('lead.wuxi', '2026-04-01T00:00:00+08:00', { jurisdiction: '320281' });
    const jiangsu = await visit('lead.jiangsu', '2026-02-10T10:00:00+08:00', { jurisdiction: '320500' });

    // Assess
    expect(suzhou.status).toBe(201);
    expect(suzhou.body.visit).toMatchObject({ quarter: '2026-Q1', held: true });
    expect((suzhou.body.visit as { target: { firmName: string } }).target.firmName).toContain('领导带队测试');
    expect(wuxi.body.visit).toMatchObject({ quarter: '2026-Q2', held: true });
    expect(jiangsu.body.visit).toMatchObject({ quarter: '2026-Q1', held: true });
  });

  it('keeps a lead inside its own subtree: a firm elsewhere is not found, a jurisdiction elsewhere forbidden', async () => {
    expect((await visit('lead.suzhou', '2026-11-02T10:00:00+08:00', { uscc: jiangyinFirm })).status).toBe(404);
    expect((await visit('lead.suzhou', '2026-11-02T10:00:00+08:00', { uscc: '91350100M000100Y43' })).status).toBe(404);
    expect((await visit('lead.suzhou', '2026-11-02T10:00:00+08:00', { jurisdiction: '320200' })).status).toBe(403);
    expect((await visit('liaison.wuzhong', '2026-11-02T10:00:00+08:00', { uscc: wuzhongFirm })).status).toBe(403);
    expect((await visit('admin', '2026-11-02T10:00:00+08:00', { uscc: wuzhongFirm })).status).toBe(403);
    const future = await visit('lead.suzhou', '2099-01-01T10:00:00+08:00', { uscc: wuzhongFirm });
    expect(future.status).toBe(400);
    expect((future.body.error as { fields: Record<string, string> }).fields.at).toBeDefined();
  });

  it("counts a lead's concurrent first field services of a quarter once as visited, each as a visit", async () => {
    // Act: three at once, the quarter's first.
    const results = await Promise.all(
      ['10', '11', '12'].map((day) => visit('lead.suzhou', `2026-11-${day}T10:00:00+08:00`, { uscc: wuzhongFirm })),
    );

    // Assess
    expect(results.map((r) => r.status)).toEqual([201, 201, 201]);
    const q4 = await call('GET', '/api/staff/leader-compliance?quarter=2026-Q4&jurisdiction=320500', 'lead.suzhou');
    expect(q4.status).toBe(200);
    expect(q4.body.totals).toMatchObject({ visited: 1, visits: 3 });
    const leads = q4.body.leads as { username: string; visits: number }[];
    // lead.suzhou2 took its role on 2 January 2026: held from Q2 (its first day came after).
    expect(leads.map((l) => [l.username, l.visits])).toEqual([
      ['lead.suzhou', 3],
      ['lead.suzhou2', 0],
    ]);
    const recount = await call('POST', '/api/staff/leader-compliance/recount', 'admin', { quarter: '2026-Q4' });
    expect(recount.body.differences).toEqual([]);
  });

  it('does not count the field service of a lead not held to the quarter (a county lead, by default)', async () => {
    const res = await visit('lead.wuzhong', '2026-11-03T10:00:00+08:00', { uscc: wuzhongFirm });
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({ counted: false, visit: { held: false } });
    const q4 = await call('GET', '/api/staff/leader-compliance?quarter=2026-Q4&jurisdiction=320506', 'lead.wuzhong');
    expect(q4.body.totals).toMatchObject({ held: 0, visited: 0, visits: 0 });
  });
});

describe('the leader-missed job', () => {
  it('runs twice at the same time for Q1: the lead who missed it nudged once, the next level up once', async () => {
    // Act: two runs of the same slot at once (1 April, 09:00 Beijing), then a third later.
    const [one, two] = await Promise.all([
      runJob('leader-missed', '2026-04-01T09:00:00+08:00'),
      runJob('leader-missed', '2026-04-01T09:00:00+08:00'),
    ]);
    const three = await runJob('leader-missed', '2026-04-01T09:00:00+08:00');

    // Assess: held to Q1 were lead.suzhou, lead.wuxi and lead.jiangsu (lead.suzhou2 only from Q2);
    // lead.wuxi's field service fell on 1 April, so it missed Q1.
    for (const r of [one, two, three])
      expect(r).toMatchObject({ quarter: '2026-Q1', held: 3, missed: 1, escalations: 1 });
    expect([one, two, three].reduce((sum, r) => sum + (r?.nudgesCreated ?? 0), 0)).toBe(2);
    expect(emailsTo('lead.wuxi')).toHaveLength(1);
    expect(emailsTo('lead.wuxi')[0]?.subject).toContain('2026年第1季度');
    // The next level up: the province's lead, told about Wuxi's.
    expect(emailsTo('lead.jiangsu')).toHaveLength(1);
    expect(emailsTo('lead.jiangsu')[0]?.text).toContain('lead.wuxi 领导');
    expect(sentEmails().filter((e) => e.to.includes('lead.suzhou@'))).toHaveLength(0);
  });

  it("fills the missed lead's inbox and the province lead's with one message each", async () => {
    const wuxi = await call('GET', '/api/staff/inbox', 'lead.wuxi');
    const jiangsu = await call('GET', '/api/staff/inbox', 'lead.jiangsu');
    expect((wuxi.body.messages as { kind: string }[]).map((m) => m.kind)).toEqual(['missed']);
    expect((jiangsu.body.messages as { kind: string }[]).map((m) => m.kind)).toEqual(['escalation']);
  });

  it('serves the closed quarter from counters for the province and the units below, equal to a recount', async () => {
    const q1 = await call('GET', '/api/staff/leader-compliance?quarter=2026-Q1&jurisdiction=320000', 'lead.jiangsu');
    expect(q1.body.totals).toMatchObject({ held: 3, visited: 2, missed: 1 });
    const children = q1.body.children as { code: string; held: number; visited: number; missed: number }[];
    expect(children.map((c) => [c.code, c.held, c.visited, c.missed])).toEqual([
      ['320200', 1, 0, 1],
      ['320500', 1, 1, 0],
    ]);
    expect(
      (await call('POST', '/api/staff/leader-compliance/recount', 'admin', { quarter: '2026-Q1' })).body.differences,
    ).toEqual([]);
  });

  it('recounts the counters from the facts and reports (and mends) any difference', async () => {
    // Prepare: a counter gone wrong.
    await doc.send(
      new UpdateCommand({
        TableName: table.logicalName,
        Key: keys.leaderCounts('2026-Q1', '320500'),
        UpdateExpression: 'SET visited = :n, visits = :n',
        ExpressionAttributeValues: { ':n': 7 },
      }),
    );

    // Act
    const found = await call('POST', '/api/staff/leader-compliance/recount', 'admin', { quarter: '2026-Q1' });
    const fixed = await call('POST', '/api/staff/leader-compliance/recount', 'admin', {
      quarter: '2026-Q1',
      fix: true,
    });
    const after = await call('POST', '/api/staff/leader-compliance/recount', 'admin', { quarter: '2026-Q1' });

    // Assess
    expect(found.body.differences).toEqual([
      { code: '320500', field: 'visited', stored: 7, recounted: 1 },
      { code: '320500', field: 'visits', stored: 7, recounted: 1 },
    ]);
    expect(fixed.body.fixed).toBe(2);
    expect(after.body.differences).toEqual([]);
  });

  it('closes Q2: the lead whose role began in January is held now and missed it; a province lead has nobody above', async () => {
    // Act
    const run = await runJob('leader-missed', '2026-07-01T09:00:00+08:00');

    // Assess: held lead.suzhou, lead.suzhou2, lead.wuxi, lead.jiangsu; only lead.wuxi held one in Q2.
    expect(run).toMatchObject({ quarter: '2026-Q2', held: 4, missed: 3, escalations: 2 });
    const q2 = await call('GET', '/api/staff/leader-compliance?quarter=2026-Q2&jurisdiction=320500', 'lead.suzhou');
    expect(q2.body.totals).toMatchObject({ held: 2, visited: 0, missed: 2 });
    const item = await doc.send(
      new GetCommand({
        TableName: table.logicalName,
        Key: keys.nudge(keys.leaderSubject('lead.jiangsu'), '2026-Q2', 'escalation'),
      }),
    );
    expect(item.Item).toBeUndefined();
  });
});

describe('the leader-reminder job, and the year closing', () => {
  it("reminds each held lead without a field service in the quarter's last month, once", async () => {
    // Act: the reminder day of December, twice at once.
    const [one, two] = await Promise.all([
      runJob('leader-reminder', '2026-12-20T09:00:00+08:00'),
      runJob('leader-reminder', '2026-12-20T09:00:00+08:00'),
    ]);

    // Assess: in Q4 lead.suzhou held field services; lead.suzhou2, lead.wuxi, lead.jiangsu did not.
    expect(one).toMatchObject({ quarter: '2026-Q4', open: 3 });
    expect((one?.nudgesCreated ?? 0) + (two?.nudgesCreated ?? 0)).toBe(3);
    const reminders = sentEmails().filter((e) => e.subject.includes('还没有领导带队服务记录'));
    expect(reminders.flatMap((e) => e.to).sort()).toEqual([
      'lead.jiangsu@leaders.test',
      'lead.suzhou2@leaders.test',
      'lead.wuxi@leaders.test',
    ]);
  });

  it('closes Q4 through the local jobs route on 1 January at 09:00 Beijing (01:00 UTC)', async () => {
    // Act
    const res = await fetch(`${runtime.url}/api/local/jobs/leader-missed`, {
      method: 'POST',
      body: JSON.stringify({ at: '2027-01-01T01:00:00Z' }),
    });

    // Assess: lead.suzhou held three field services in Q4; the other three held leads none.
    expect(res.status).toBe(200);
    const { result } = (await res.json()) as { result: Record<string, unknown> };
    expect(result).toMatchObject({ quarter: '2026-Q4', held: 4, missed: 3 });
    const q4 = await call('GET', '/api/staff/leader-compliance?quarter=2026-Q4&jurisdiction=320000', 'lead.jiangsu');
    expect(q4.body.totals).toMatchObject({ held: 4, visited: 1, visits: 3, missed: 3, rate: 0.25 });
  });
});
