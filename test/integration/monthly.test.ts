import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Runtime, startRuntime } from '../../infra/local/runtime.ts';
import { table } from '../../shared/table.ts';
import { readOutbox } from '../support/outbox.ts';
import { distinctUsccs } from '../support/uscc.ts';

// Rules 4-7 end to end on the local runtime: contacts logged through the API, the `missed` and
// `reminder` jobs run as the scheduler would (their "now" is the scheduled time), nudges, inbox,
// e-mails in the outbox, a group robot on this machine that fails and then recovers, counters.
let runtime: Runtime;
let dataDir: string;
let robot: Server;
let robotUrl: string;
let robotFails = true;
const robotCalls: { url: string; body: unknown }[] = [];
const token: Record<string, string> = {};

const call = async (method: string, path: string, who: string, body?: unknown) => {
  const res = await fetch(`${runtime.url}${path}`, {
    method,
    headers: { authorization: `Bearer ${token[who]}`, 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  return { status: res.status, body: (await res.json()) as Record<string, unknown> };
};

const runJob = async (at: string) => {
  const res = await fetch(`${runtime.url}/api/local/jobs/nudges`, { method: 'POST', body: JSON.stringify({ at }) });
  return (await res.json()) as { runs?: { result: Record<string, number> }[]; error?: { code: string } };
};

const emails = () => readOutbox().filter((e) => e.channel === 'email');

/** Pairings of the test, by the story each tells (all with liaison.wuzhong, in Wuzhong). */
const p: Record<'A' | 'B' | 'C' | 'D' | 'F' | 'G', string> = { A: '', B: '', C: '', D: '', F: '', G: '' };

const contact = async (pairing: string, at: string, mode: string) => {
  const res = await call('POST', `/api/staff/pairings/${pairing}/contacts`, 'liaison.wuzhong', {
    at,
    mode,
    participants: ['企业环保负责人'],
    summary: '了解企业环保设施运行情况',
  });
  expect(res.status).toBe(201);
};

beforeAll(async () => {
  process.env.DELIVERY_BACKOFF_MS = '5';
  // The failing robot is the point of one test: its warnings need not fill the test output.
  process.env.POWERTOOLS_LOG_LEVEL = 'ERROR';
  robot = createServer((req, res) => {
    let body = '';
    req.on('data', (chunk) => {
      body += chunk;
    });
    req.on('end', () => {
      robotCalls.push({ url: req.url ?? '', body: JSON.parse(body) });
      res.writeHead(robotFails ? 500 : 200, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ errcode: 0, errmsg: 'ok' }));
    });
  });
  await new Promise<void>((ok) => robot.listen(0, '127.0.0.1', () => ok()));
  robotUrl = `http://127.0.0.1:${(robot.address() as AddressInfo).port}/robot/send?access_token=testtoken123456`;

  dataDir = mkdtempSync(join(tmpdir(), 'eco-monthly-'));
  runtime = await startRuntime({ port: 0, dataDir, siteDir: dataDir, scheduler: false, log: () => undefined });
  for (const username of ['lead.wuzhong', 'liaison.wuzhong', 'lead.suzhou', 'lead.jiangyin', 'admin']) {
    token[username] = (await runtime.issuer.signIn(username, 'demo'))?.token ?? '';
  }
  const usccs = distinctUsccs(6);
  for (const [i, name] of (['A', 'B', 'C', 'D', 'F', 'G'] as const).entries()) {
    const uscc = usccs[i] as string;
    expect(
      (
        await call('POST', '/api/staff/enterprises', 'lead.wuzhong', {
          uscc,
          name: `苏州月度规则测试${name}有限公司`,
          county: '320506',
          address: '吴中区',
          industry: '印染',
          size: 'small',
          tier: 'county',
          contacts: [],
        })
      ).status,
    ).toBe(201);
    const paired = await call('POST', '/api/staff/pairings', 'lead.wuzhong', {
      uscc,
      liaison: 'liaison.wuzhong',
      serviceYear: 2026,
      startsOn: name === 'G' ? '2026-10-05' : '2026-09-01',
    });
    p[name] = (paired.body.pairing as { pairingId: string }).pairingId;
  }
  // A: September and the last half hour of October. B: September, then 00:10 on 1 November.
  // C: only a phone call in October. D: video both months. F: nothing. G: started 5 October.
  await contact(p.A, '2026-09-10T10:00:00+08:00', 'visit');
  await contact(p.A, '2026-10-31T23:30:00+08:00', 'visit');
  await contact(p.B, '2026-09-11T10:00:00+08:00', 'visit');
  await contact(p.B, '2026-11-01T00:10:00+08:00', 'visit');
  await contact(p.C, '2026-10-12T10:00:00+08:00', 'phone');
  await contact(p.D, '2026-09-15T15:00:00+08:00', 'video');
  await contact(p.D, '2026-10-15T15:00:00+08:00', 'video');
  // Wuzhong's group robot: a server on this machine, failing until the test says otherwise.
  expect(
    (
      await call('PUT', '/api/staff/webhooks/320506', 'lead.wuzhong', {
        kind: 'dingtalk',
        url: robotUrl,
        secret: 'SEC0123456789abcdef0123456789abcdef',
      })
    ).status,
  ).toBe(200);
}, 60_000);

afterAll(async () => {
  await runtime?.stop();
  robot?.close();
  rmSync(dataDir, { recursive: true, force: true });
});

describe('the missed job (rules 4-7)', () => {
  it('runs twice at the same time for September: each missed pairing nudged once, each e-mail sent once', async () => {
    // Act: two runs of the same schedule slot at once.
    const [one, two] = await Promise.all([runJob('2026-10-01T09:00:00+08:00'), runJob('2026-10-01T09:00:00+08:00')]);

    // Assess: C and F had no qualifying contact in September; nobody was judged in August.
    const results = [one, two].map((r) => r.runs?.[0]?.result as Record<string, number>);
    expect(results.map((r) => r.missed)).toEqual([2, 2]);
    expect(results.reduce((sum, r) => sum + (r.nudgesCreated ?? 0), 0)).toBe(2);
    expect(results.map((r) => r.escalations)).toEqual([0, 0]);
    const september = await call('GET', '/api/staff/nudges?month=2026-09', 'lead.wuzhong');
    const nudges = september.body.nudges as { pairingId: string; kind: string }[];
    expect(nudges.map((n) => n.pairingId).sort()).toEqual([p.C, p.F].sort());
    // Liaison and lead, one e-mail each listing both nudges (rule 11: one message per recipient and run).
    expect(emails()).toHaveLength(2);
    expect(emails().flatMap((e) => (e.channel === 'email' ? e.to : []))).toEqual(
      expect.arrayContaining(['liaison.wuzhong@demo.eco-liaison.local', 'lead.wuzhong@demo.eco-liaison.local']),
    );
  });

  it('retries a failing robot with backoff, records it as failed, and leaves the e-mails alone', async () => {
    // The two September runs shared one robot digest (both nudges): one run tried it, three times.
    expect(robotCalls).toHaveLength(3);
    const { body } = await call('GET', '/api/staff/nudges?month=2026-09', 'lead.wuzhong');
    const deliveries = (body.nudges as { deliveries: Record<string, unknown>[] }[]).flatMap((n) => n.deliveries);
    // A nudge keeps its inbox entries; e-mail and robot carry it in the run's digests.
    expect(deliveries.map((d) => d.channel)).toEqual(['inbox', 'inbox', 'inbox', 'inbox']);

    // Act: the robot recovers; the job is run again for the same slot.
    robotFails = false;
    const again = await runJob('2026-10-01T09:00:00+08:00');

    // Assess: no new nudge, the robot digest goes out (signed, markdown), no e-mail is sent again.
    expect(again.runs?.[0]?.result).toMatchObject({ nudgesCreated: 0, sent: 1, robotPostsSent: 1, failed: 0 });
    expect(robotCalls).toHaveLength(4);
    expect(robotCalls.at(-1)?.url).toMatch(/timestamp=\d+&sign=/);
    expect(robotCalls.at(-1)?.body).toMatchObject({ msgtype: 'markdown', markdown: { title: expect.any(String) } });
    expect(JSON.stringify(robotCalls.at(-1)?.body)).toContain('2026年9月');
    expect(JSON.stringify(robotCalls.at(-1)?.body)).not.toContain('SEC0123456789');
    expect(emails()).toHaveLength(2);
  });

  it('closes October: the half hour before midnight counts, ten past midnight does not; repeats escalate', async () => {
    const result = (await runJob('2026-11-01T09:00:00+08:00')).runs?.[0]?.result as Record<string, number>;

    // A (23:30 on 31 October) and D were contacted; B (00:10 on 1 November) was not; G started late.
    expect(result).toMatchObject({ judged: 5, missed: 3, escalations: 2, nudgesCreated: 5 });
    const { body } = await call('GET', '/api/staff/nudges?month=2026-10', 'lead.wuzhong');
    const nudges = body.nudges as { pairingId: string; kind: string; deliveries: { channel: string; to: string }[] }[];
    const of = (kind: string) =>
      nudges
        .filter((n) => n.kind === kind)
        .map((n) => n.pairingId)
        .sort();
    expect(of('missed')).toEqual([p.B, p.C, p.F].sort());
    // Missed in September and in October: C and F, not B.
    expect(of('escalation')).toEqual([p.C, p.F].sort());
    // The escalation goes one level up: the city's lead.
    const escalation = nudges.find((n) => n.kind === 'escalation');
    expect(escalation?.deliveries.filter((d) => d.channel === 'inbox').map((d) => d.to)).toEqual(['lead.suzhou']);
    // Run twice in a row: nothing new.
    const again = (await runJob('2026-11-01T09:00:00+08:00')).runs?.[0]?.result as Record<string, number>;
    expect(again).toMatchObject({ nudgesCreated: 0, sent: 0 });
  });

  it('serves compliance from counters, for the county and the city above it, with a 12-month trend', async () => {
    const county = (await call('GET', '/api/staff/compliance?month=2026-10&jurisdiction=320506', 'lead.wuzhong')).body;
    expect(county.totals).toEqual({ judged: 5, contacted: 2, missed: 3, rate: 0.4 });
    expect((county.missed as { pairingId: string; kind: string }[]).filter((m) => m.kind === 'missed')).toHaveLength(3);
    const city = (await call('GET', '/api/staff/compliance?month=2026-10&jurisdiction=320500', 'lead.suzhou')).body;
    expect(city.children).toEqual([expect.objectContaining({ code: '320506', judged: 5, contacted: 2, missed: 3 })]);
    const trend = city.trend as { month: string; judged: number; contacted: number; missed: number }[];
    expect(trend).toHaveLength(12);
    expect(trend.find((t) => t.month === '2026-09')).toMatchObject({ judged: 5, contacted: 3, missed: 2 });
    // November opened with the pairings active on its first day, G included.
    const november = (await call('GET', '/api/staff/compliance?month=2026-11&jurisdiction=320506', 'lead.wuzhong'))
      .body;
    expect(november.totals).toMatchObject({ judged: 6, contacted: 1 });
    expect((await call('GET', '/api/staff/compliance?month=2026-10&jurisdiction=320506', 'lead.jiangyin')).status).toBe(
      404,
    );
  });

  it('recounts the counters from the facts and reports (and mends) any difference', async () => {
    const clean = await call('POST', '/api/staff/compliance/recount', 'admin', { month: '2026-10' });
    expect(clean.body).toMatchObject({ differences: [] });

    // A counter that drifted (written behind the product's back):
    const doc = DynamoDBDocumentClient.from(
      new DynamoDBClient({ endpoint: process.env.DYNAMODB_ENDPOINT, region: 'us-east-1' }),
    );
    await doc.send(
      new UpdateCommand({
        TableName: table.logicalName,
        Key: { pk: 'COUNTS#2026-10', sk: '320506' },
        UpdateExpression: 'SET contacted = :n',
        ExpressionAttributeValues: { ':n': 9 },
      }),
    );
    const found = await call('POST', '/api/staff/compliance/recount', 'admin', { month: '2026-10', fix: true });
    expect(found.body.differences).toEqual([{ code: '320506', field: 'contacted', stored: 9, recounted: 2 }]);
    expect(
      (await call('POST', '/api/staff/compliance/recount', 'admin', { month: '2026-10' })).body.differences,
    ).toEqual([]);
  });

  it('fills the inbox of the liaison and the lead, with an unread count that reading lowers', async () => {
    const inbox = (await call('GET', '/api/staff/inbox', 'liaison.wuzhong')).body;
    // Two missed nudges for September, three for October.
    expect(inbox.unread).toBe(5);
    const [first] = inbox.messages as { id: string; title: string; link: string }[];
    expect(first?.title).toContain('未走访或视频连线');
    expect(first?.link).toContain('/staff/pairings/contact/?id=');
    expect((await call('POST', `/api/staff/inbox/${first?.id}/read`, 'liaison.wuzhong')).status).toBe(200);
    expect((await call('POST', `/api/staff/inbox/${first?.id}/read`, 'liaison.wuzhong')).status).toBe(200);
    expect((await call('GET', '/api/staff/inbox', 'liaison.wuzhong')).body.unread).toBe(4);
    // Someone else's message is not there for another caller.
    expect((await call('POST', `/api/staff/inbox/${first?.id}/read`, 'lead.jiangyin')).status).toBe(404);
    // A liaison sees only its own nudges.
    const own = (await call('GET', '/api/staff/nudges?month=2026-10&kind=missed', 'liaison.wuzhong')).body;
    expect((own.nudges as unknown[]).length).toBe(3);
  });
});

describe('the reminder job', () => {
  it('sends one digest per liaison on day 20 listing the pairings not contacted yet, once', async () => {
    const before = emails().length;
    const result = (await runJob('2026-11-20T09:00:00+08:00')).runs?.[0]?.result as Record<string, number>;
    // B was visited on 1 November; A, C, D, F and G (started 5 October) were not yet.
    expect(result).toMatchObject({ open: 5, liaisons: 1, digestsCreated: 1, nudgesCreated: 5 });
    const digest = emails().slice(before);
    expect(digest).toHaveLength(1);
    expect(digest[0]?.text.split('\n').filter((l) => /^\d\. /.test(l))).toHaveLength(5);
    const again = (await runJob('2026-11-20T09:00:00+08:00')).runs?.[0]?.result as Record<string, number>;
    expect(again).toMatchObject({ digestsCreated: 0, nudgesCreated: 0, sent: 0 });
    expect(emails()).toHaveLength(before + 1);
  });

  it('runs only what is due at the given time', async () => {
    expect((await runJob('2026-11-05T09:00:00+08:00')).error?.code).toBe('NOTHING_DUE');
  });
});
