import { mkdtempSync, rmSync } from 'node:fs';
import type { Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, GetCommand, PutCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Runtime, startRuntime } from '../../infra/local/runtime.ts';
import { table } from '../../shared/table.ts';
import { apiCaller, runLocalJob } from '../support/api.ts';
import { pairedWuzhongFirm } from '../support/firms.ts';
import { sentEmails } from '../support/outbox.ts';
import { startWecomRobot } from '../support/robot.ts';
import { distinctUsccs } from '../support/uscc.ts';

// Rule 11 for the `missed` job's outside channels, on the local runtime: 40 missed pairings in one
// county reach the county's WeCom robot as a few markdown posts within WeCom's 4,096 bytes, paced,
// and each person as one e-mail; two runs at once send each digest once; a robot that answers
// 45009 (WeCom's "too fast") is served by a later delivery round and no pairing is lost.
let runtime: Runtime;
let dataDir: string;
let robot: Server;
let robotOrigin: string;
/** What the robot answers: ok, or WeCom's rate-limit refusal. */
let robotAnswer: 'ok' | 'too-fast' = 'ok';
const posts: { at: number; ok: boolean; body: { msgtype: string; markdown: { content: string } } }[] = [];
const token: Record<string, string> = {};
const FIRMS = 40;
const names: string[] = [];
const pairings: string[] = [];
const HOSTILE = '恶意[点我](http://evil.example/x)**粗**<font color="warning">红</font>';
const ROBOT_PATH = '/cgi-bin/webhook/send?key=digesttestkey0123456789';

const call = apiCaller(() => runtime.url, token);

const runJob = async (name: 'nudges' | 'bookings', at: string) => {
  const out = await runLocalJob(runtime.url, name, at);
  // The monthly jobs answer the runs that fired at that time; any other job its one run.
  return (out.runs?.find((r) => r.job === 'missed')?.result ?? out.result) as Record<string, number>;
};

const emails = () => sentEmails();
const contentOf = (post: (typeof posts)[number]) => post.body.markdown.content;
/** How many of the posts list a firm. */
const listed = (list: typeof posts, name: string) => list.filter((p) => contentOf(p).includes(`**${name}**`)).length;

const doc = () =>
  DynamoDBDocumentClient.from(new DynamoDBClient({ endpoint: process.env.DYNAMODB_ENDPOINT, region: 'us-east-1' }));
const dueDigests = async () =>
  (
    await doc().send(
      new QueryCommand({
        TableName: table.logicalName,
        IndexName: 'byParent',
        KeyConditionExpression: 'parentPk = :p',
        ExpressionAttributeValues: { ':p': 'NUDGEDIGESTDUE' },
      }),
    )
  ).Items ?? [];

beforeAll(async () => {
  process.env.DELIVERY_BACKOFF_MS = '5';
  // Slots of 0.3 s instead of 3.53 s: the same pacing, ten times faster (the pacing test below
  // checks the limit in slot-scaled minutes).
  process.env.ROBOT_SLOT_MS = '300';
  process.env.POWERTOOLS_LOG_LEVEL = 'ERROR';
  ({ server: robot, origin: robotOrigin } = await startWecomRobot(
    () => robotAnswer,
    (post) => posts.push(post),
  ));

  dataDir = mkdtempSync(join(tmpdir(), 'eco-digests-'));
  runtime = await startRuntime({ port: 0, dataDir, siteDir: dataDir, scheduler: false, log: () => undefined });
  for (const username of ['lead.wuzhong', 'liaison.wuzhong']) {
    token[username] = (await runtime.issuer.signIn(username, 'demo'))?.token ?? '';
  }
  const usccs = distinctUsccs(FIRMS);
  for (const [i, uscc] of usccs.entries()) {
    const name = i === 7 ? HOSTILE : `苏州市吴中区绿色印染与环保材料科技摘要测试第${i + 1}号有限公司`;
    names.push(name);
    pairings.push(
      await pairedWuzhongFirm(call, uscc, { name, address: '吴中区', industry: '印染', contacts: [] }, '2026-09-01'),
    );
  }
  const saved = await call('PUT', '/api/staff/webhooks/320506', 'lead.wuzhong', {
    kind: 'wecom',
    url: `${robotOrigin}${ROBOT_PATH}`,
  });
  expect(saved.status).toBe(200);
}, 120_000);

afterAll(async () => {
  await runtime?.stop();
  robot?.close();
  rmSync(dataDir, { recursive: true, force: true });
  delete process.env.ROBOT_SLOT_MS;
});

describe('nudge digests (rule 11)', () => {
  it('lists all 40 missed pairings of a county in a few robot posts within WeCom’s size and one e-mail per person, once under two runs at once', async () => {
    // Act: two runs of the September slot at the same time, then a third.
    const [one, two] = await Promise.all([
      runJob('nudges', '2026-10-01T09:00:00+08:00'),
      runJob('nudges', '2026-10-01T09:00:00+08:00'),
    ]);
    const again = await runJob('nudges', '2026-10-01T09:00:00+08:00');

    // Assess: every pairing nudged once, with an inbox entry each for the liaison.
    expect((one?.nudgesCreated ?? 0) + (two?.nudgesCreated ?? 0)).toBe(FIRMS);
    const inbox = await call('GET', '/api/staff/inbox?limit=100', 'liaison.wuzhong');
    expect(inbox.body.messages as unknown[]).toHaveLength(FIRMS);
    // The robot: split into parts, each within WeCom's limit, every pairing listed exactly once.
    expect(one?.robotDigests).toBe(two?.robotDigests);
    expect(one?.robotDigests).toBeGreaterThanOrEqual(2);
    expect(posts).toHaveLength(one?.robotDigests ?? -1);
    for (const post of posts) {
      expect(post.body.msgtype).toBe('markdown');
      expect(Buffer.byteLength(contentOf(post), 'utf8')).toBeLessThanOrEqual(4096);
    }
    for (const name of names.filter((n) => n !== HOSTILE)) expect(listed(posts, name), name).toBe(1);
    // A firm's name can only be text: no link, no HTML of its own.
    expect(posts.filter((p) => contentOf(p).includes('恶意'))).toHaveLength(1);
    expect(posts.map(contentOf).join('\n')).not.toMatch(/evil\.example\/x\)|<font/);
    // E-mail: the liaison and the county's lead, one each, listing all 40.
    const sent = emails();
    expect(sent.flatMap((e) => e.to).sort()).toEqual([
      'lead.wuzhong@demo.eco-liaison.local',
      'liaison.wuzhong@demo.eco-liaison.local',
    ]);
    for (const mail of sent) expect(mail.text.split('\n').filter((l) => /^\d+\. /.test(l))).toHaveLength(FIRMS);
    // Messages sent by the runs: no more than distinct recipients + robot digests.
    const messages = [one, two, again].reduce((n, r) => n + (r?.emailsSent ?? 0) + (r?.robotPostsSent ?? 0), 0);
    expect(one?.recipients).toBe(2);
    expect(messages).toBe((one?.recipients ?? 0) + (one?.robotDigests ?? 0));
    expect(again).toMatchObject({ nudgesCreated: 0, sent: 0, failed: 0 });
    // Nothing left in the queue of later rounds.
    expect(await dueDigests()).toEqual([]);
  });

  it('shows "contacted on" on an inbox nudge once its pairing has had a visit since', async () => {
    // Prepare: a visit to the first pairing on 5 October.
    const visited = await call('POST', `/api/staff/pairings/${pairings[0]}/contacts`, 'liaison.wuzhong', {
      at: '2026-10-05T10:00:00+08:00',
      mode: 'visit',
      participants: ['企业环保负责人'],
      summary: '补上九月未走访的情况',
    });
    expect(visited.status).toBe(201);

    // Act
    const inbox = await call('GET', '/api/staff/inbox?limit=100', 'lead.wuzhong');

    // Assess: that one nudge says so, the others do not.
    const messages = inbox.body.messages as { messageId: string; contactedOn?: string }[];
    const contacted = messages.filter((m) => m.contactedOn);
    expect(contacted.map((m) => [m.messageId, m.contactedOn])).toEqual([
      [`${pairings[0]}:2026-09:missed`, '2026-10-05'],
    ]);
  });

  it('leaves posts a robot refuses with 45009 to a later round, which sends every part once and loses no pairing', async () => {
    // Prepare: the robot says "too fast" to everything for now.
    robotAnswer = 'too-fast';
    const before = posts.length;
    const mailsBefore = emails().length;

    // Act: October closes: 39 pairings missed again (the one visited on 5 October is not),
    // escalated to the city's lead.
    const run = await runJob('nudges', '2026-11-01T09:00:00+08:00');

    // Assess: the robot digests failed and wait in the queue; the e-mails went.
    expect(run).toMatchObject({ missed: FIRMS - 1, escalations: FIRMS - 1, robotPostsSent: 0 });
    expect(run?.failed).toBe(run?.robotDigests);
    expect(posts.slice(before).every((p) => !p.ok)).toBe(true);
    expect((await dueDigests()).map((d) => d.channel)).toEqual(Array(run?.robotDigests).fill('robot'));
    // They stand on the deliveries page like any message, with their robot and error.
    const board = await call('GET', '/api/staff/deliveries?status=pending&kind=missed-digest', 'lead.wuzhong');
    const rows = board.body.messages as { jurisdiction: string; deliveries: { to: string; lastError?: string }[] }[];
    expect(rows).toHaveLength(run?.robotDigests ?? -1);
    for (const row of rows) {
      expect(row.jurisdiction).toBe('320506');
      expect(row.deliveries).toEqual([expect.objectContaining({ channel: 'webhook', to: '320506', status: 'failed' })]);
      expect(row.deliveries[0]?.lastError).toContain('45009');
    }
    // The city's lead hears of all 39 escalations in one e-mail.
    const suzhou = emails()
      .slice(mailsBefore)
      .filter((e) => e.to.includes('lead.suzhou@demo.eco-liaison.local'));
    expect(suzhou).toHaveLength(1);
    expect(suzhou[0]?.text.split('\n').filter((l) => /^\d+\. /.test(l))).toHaveLength(FIRMS - 1);

    // Act: the robot recovers; a later delivery round (the `bookings` job, every five minutes).
    robotAnswer = 'ok';
    const mailsAfterRun = emails().length;
    const round = await runJob('bookings', '2026-11-01T09:05:00+08:00');
    const later = await runJob('bookings', '2026-11-01T09:10:00+08:00');

    // Assess: each part once, every October pairing listed once, no e-mail again, the queue empty.
    const delivered = posts.slice(before).filter((p) => p.ok);
    expect(round).toMatchObject({ digestsSent: run?.robotDigests, digestsFailed: 0 });
    expect(later).toMatchObject({ digestsSent: 0 });
    expect(delivered).toHaveLength(run?.robotDigests ?? -1);
    for (const name of names.slice(1).filter((n) => n !== HOSTILE)) expect(listed(delivered, name), name).toBe(1);
    expect(listed(delivered, names[0] as string)).toBe(0);
    expect(emails()).toHaveLength(mailsAfterRun);
    expect(await dueDigests()).toEqual([]);
    // Sent: off the deliveries page.
    const after = await call('GET', '/api/staff/deliveries?status=pending&kind=missed-digest', 'lead.wuzhong');
    expect(after.body.messages).toEqual([]);
  });
});

describe('robot pacing', () => {
  it('never lets more than 18 posts reach one robot in any (slot-scaled) minute, however many wait', async () => {
    // Prepare: 25 markdown posts for the same robot at once; slots of 250 ms stand for 3.53 s
    // (long enough that a post's few milliseconds on the way do not blur the slots).
    process.env.ROBOT_SLOT_MS = '250';
    const { sendPacedMarkdown } = await import('../../functions/lib/messaging/robot-pacing.ts');
    const config = { kind: 'wecom' as const, url: `${robotOrigin}${ROBOT_PATH}&pacing=1` };
    const before = posts.length;

    // Act
    await Promise.all(
      Array.from({ length: 25 }, (_, i) =>
        sendPacedMarkdown(config, { title: `t${i}`, text: `第 ${i} 条` }, Date.now() + 60_000),
      ),
    );

    // Assess: a minute is 17 slots (60 s / 3.53 s); no window that long holds more than 18 posts.
    const times = posts.slice(before).map((p) => p.at);
    expect(times).toHaveLength(25);
    for (const start of times)
      expect(times.filter((t) => t >= start && t < start + 1700).length).toBeLessThanOrEqual(18);
    expect(Math.max(...times) - Math.min(...times)).toBeGreaterThanOrEqual(2000);
    process.env.ROBOT_SLOT_MS = '300';
  });

  it('leaves a post for a later round, unsent, when no slot is free before its run’s deadline', async () => {
    // Prepare: a run that began longer ago than the jobs function may run, and a digest of it.
    const { sendDigests } = await import('../../functions/lib/messaging/nudge-digests.ts');
    const { ROBOT_MARKDOWN_BYTES } = await import('../../functions/lib/messaging/nudge-digests.ts');
    expect(ROBOT_MARKDOWN_BYTES.wecom).toBeLessThanOrEqual(4096);
    const key = { pk: 'NUDGEDIGEST#2026-01#robot#320506#late', sk: 'DIGEST' };
    const webhook = { kind: 'wecom' as const, url: `${robotOrigin}${ROBOT_PATH}` };
    const content = { subject: '迟到', text: '迟到', markdown: { title: '迟到', text: '### 迟到' } };
    const deliveries = [
      { channel: 'webhook' as const, to: '320506', webhook, status: 'pending' as const, attempts: 0 },
    ];
    const item = {
      ...key,
      parentPk: 'NUDGEDIGESTDUE',
      parentSk: `2026-02-01T01:00:00.000Z#${key.pk}`,
      type: 'nudgeDigest',
      channel: 'robot',
      subject: content.subject,
      text: content.text,
      markdown: content.markdown,
      createdAt: '2026-02-01T01:00:00.000Z',
      deliveries,
    };
    const before = posts.length;
    const late = { id: 'late-run', startedAt: new Date(Date.now() - 3_600_000).toISOString() };

    // Act
    const tally = await sendDigests([{ key, item, content, deliveries, channel: 'robot' }], late);

    // Assess: nothing posted, recorded as failed, still due.
    expect(tally).toMatchObject({ created: 1, robotPostsSent: 0, failed: 1 });
    expect(posts).toHaveLength(before);
    const stored = await doc().send(new GetCommand({ TableName: table.logicalName, Key: key, ConsistentRead: true }));
    expect(stored.Item?.deliveries[0]).toMatchObject({ status: 'failed', lastError: expect.stringMatching(/busy/) });
    expect((await dueDigests()).map((d) => d.pk)).toEqual([key.pk]);

    // Act: the next round of the `bookings` job.
    const round = await runJob('bookings', '2026-11-01T09:15:00+08:00');

    // Assess
    expect(round).toMatchObject({ digestsSent: 1 });
    expect(posts.slice(before).map(contentOf)).toEqual(['### 迟到']);
    expect(await dueDigests()).toEqual([]);
  });

  it('takes over the round of a run that stopped after claiming a digest, and sends it once', async () => {
    // Prepare: a digest whose round a run took ten minutes ago and never settled.
    const key = { pk: 'NUDGEDIGEST#2026-01#email#lead.wuzhong#stopped', sk: 'DIGEST' };
    await doc().send(
      new PutCommand({
        TableName: table.logicalName,
        Item: {
          ...key,
          parentPk: 'NUDGEDIGESTDUE',
          parentSk: `2026-02-01T02:00:00.000Z#${key.pk}`,
          type: 'nudgeDigest',
          channel: 'email',
          subject: '中断后继续',
          text: '中断后继续的摘要',
          createdAt: '2026-02-01T02:00:00.000Z',
          deliveries: [{ channel: 'email', to: 'stopped@example.test', status: 'pending', attempts: 0 }],
          round: 'a-run-that-stopped',
          roundAt: new Date(Date.now() - 10 * 60_000).toISOString(),
        },
      }),
    );

    // Act: two later rounds.
    await runJob('bookings', '2026-11-01T09:20:00+08:00');
    await runJob('bookings', '2026-11-01T09:25:00+08:00');

    // Assess: sent once, settled, out of the queue.
    expect(emails().filter((e) => e.to.includes('stopped@example.test'))).toHaveLength(1);
    const stored = await doc().send(new GetCommand({ TableName: table.logicalName, Key: key, ConsistentRead: true }));
    expect(stored.Item?.deliveries[0]).toMatchObject({ status: 'sent' });
    expect(stored.Item?.round).toBeUndefined();
    expect(await dueDigests()).toEqual([]);
  });
});
