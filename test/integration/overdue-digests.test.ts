import { mkdtempSync, rmSync } from 'node:fs';
import type { Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, PutCommand, QueryCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Runtime, startRuntime } from '../../infra/local/runtime.ts';
import { keys } from '../../shared/keys.ts';
import { table } from '../../shared/table.ts';
import { apiCaller, runLocalJob } from '../support/api.ts';
import { pairedWuzhongFirm } from '../support/firms.ts';
import { sentEmails } from '../support/outbox.ts';
import { startWecomRobot } from '../support/robot.ts';
import { distinctUsccs } from '../support/uscc.ts';

// Rule 11 for the ledger's `overdue` job, on the local runtime: 30 items of one liaison falling
// overdue on one day reach the liaison as one e-mail listing all 30 and the county's robot as one
// digest (in parts within WeCom's size, paced), once under runs at the same time and again; a run
// that stopped after making some of the nudges is finished by the next run of the day, still one
// e-mail. The digests stand on the deliveries page like any message, and are retried from there.
let runtime: Runtime;
let dataDir: string;
let robot: Server;
let robotAnswer: 'ok' | 'too-fast' = 'ok';
const posts: { ok: boolean; content: string }[] = [];
const token: Record<string, string> = {};
const ITEMS = 30;
const ROBOT_PATH = '/cgi-bin/webhook/send?key=overduedigestkey0123456';
let firm = '';

const call = apiCaller(() => runtime.url, token);

const runJob = async (name: 'overdue' | 'bookings', at: string) =>
  (await runLocalJob(runtime.url, name, at)).result as Record<string, number>;

const doc = () =>
  DynamoDBDocumentClient.from(new DynamoDBClient({ endpoint: process.env.DYNAMODB_ENDPOINT, region: 'us-east-1' }));

/** The overdue e-mails of a day sent to the liaison. */
const overdueMails = (day: string) =>
  sentEmails().filter(
    (e) => e.to.includes('liaison.wuzhong@demo.eco-liaison.local') && e.subject.includes(`【服务台账·已逾期】${day}`),
  );
const numbered = (text: string) => text.split('\n').filter((l) => /^\d+\. /.test(l));

const raiseMany = async (prefix: string, dueOn: string) => {
  const ids: string[] = [];
  for (let i = 1; i <= ITEMS; i++) {
    const raised = await call('POST', '/api/staff/ledger-items', 'lead.wuzhong', {
      uscc: firm,
      title: `${prefix}第${i}项`,
      detail: `${prefix}第${i}项，需跟进办理`,
      source: 'contact',
      severity: 'medium',
      dueOn,
      ownerDepartment: '水环境科',
    });
    expect(raised.status).toBe(201);
    ids.push(raised.body.item.itemId);
  }
  return ids;
};

beforeAll(async () => {
  process.env.DELIVERY_BACKOFF_MS = '5';
  process.env.ROBOT_SLOT_MS = '300';
  process.env.POWERTOOLS_LOG_LEVEL = 'ERROR';
  let origin: string;
  ({ server: robot, origin } = await startWecomRobot(
    () => robotAnswer,
    ({ ok, body }) => posts.push({ ok, content: body.markdown?.content ?? '' }),
  ));
  dataDir = mkdtempSync(join(tmpdir(), 'eco-overdue-digests-'));
  runtime = await startRuntime({ port: 0, dataDir, siteDir: dataDir, scheduler: false, log: () => undefined });
  for (const username of ['lead.wuzhong', 'liaison.wuzhong', 'lead.jiangyin']) {
    token[username] = (await runtime.issuer.signIn(username, 'demo'))?.token ?? '';
  }
  [firm] = distinctUsccs(1) as [string];
  await pairedWuzhongFirm(call, firm, {
    name: '苏州台账逾期摘要测试有限公司',
    address: '吴中区',
    industry: '电镀',
    contacts: [],
  });
  const saved = await call('PUT', '/api/staff/webhooks/320506', 'lead.wuzhong', {
    kind: 'wecom',
    url: `${origin}${ROBOT_PATH}`,
  });
  expect(saved.status).toBe(200);
}, 120_000);

afterAll(async () => {
  await runtime?.stop();
  robot?.close();
  rmSync(dataDir, { recursive: true, force: true });
  delete process.env.ROBOT_SLOT_MS;
});

describe('overdue digests (rule 11)', () => {
  it('sends a liaison with 30 items falling overdue one e-mail listing all 30, and the robot one digest, once under two runs at once and a third', async () => {
    // Prepare: 30 items due 20 November.
    await raiseMany('废气治理逾期', '2026-11-20');

    // Act: two runs of 21 November at the same time, then a third.
    const [one, two] = await Promise.all([
      runJob('overdue', '2026-11-21T09:00:00+08:00'),
      runJob('overdue', '2026-11-21T09:00:00+08:00'),
    ]);
    const again = await runJob('overdue', '2026-11-21T09:00:00+08:00');

    // Assess: every item nudged once, in the liaison's inbox once each.
    expect((one?.nudgesCreated ?? 0) + (two?.nudgesCreated ?? 0)).toBe(ITEMS);
    const inbox = await call('GET', '/api/staff/inbox?limit=100', 'liaison.wuzhong');
    expect((inbox.body.messages as { title: string }[]).filter((m) => m.title.includes('废气治理逾期'))).toHaveLength(
      ITEMS,
    );
    // One e-mail, listing the 30.
    const mails = overdueMails('2026-11-21');
    expect(mails).toHaveLength(1);
    expect(numbered(mails[0]?.text ?? '')).toHaveLength(ITEMS);
    for (let i = 1; i <= ITEMS; i++) expect(mails[0]?.text).toContain(`废气治理逾期第${i}项（`);
    // The robot: its parts within WeCom's size, each sent once, every item listed once.
    expect(one?.robotDigests).toBe(two?.robotDigests);
    expect(posts).toHaveLength(one?.robotDigests ?? -1);
    for (const post of posts) expect(Buffer.byteLength(post.content, 'utf8')).toBeLessThanOrEqual(4096);
    for (let i = 1; i <= ITEMS; i++)
      expect(
        posts.filter((p) => p.content.includes(`废气治理逾期第${i}项（`)),
        `item ${i}`,
      ).toHaveLength(1);
    // Messages sent by the runs: one per recipient and robot digest.
    const sent = [one, two, again].reduce((n, r) => n + (r?.emailsSent ?? 0) + (r?.robotPostsSent ?? 0), 0);
    expect(sent).toBe(1 + (one?.robotDigests ?? 0));
    expect(again).toMatchObject({ nudgesCreated: 0, sent: 0, failed: 0 });
  });

  it('lists only the items newly overdue: the next day sends nothing for them again', async () => {
    // Act: 22 November; the 30 are still open and overdue.
    const run = await runJob('overdue', '2026-11-22T09:00:00+08:00');

    // Assess
    expect(run).toMatchObject({ overdue: ITEMS, nudgesCreated: 0, emailDigests: 0, robotDigests: 0, sent: 0 });
  });

  it('finishes the day of a run that stopped after making half the nudges: one e-mail listing all 30', async () => {
    // Prepare: 30 more items due 23 November, and the claims a run of the 24th left for 15 of
    // them when it stopped (round held, no inbox entries, no digest).
    const ids = await raiseMany('危废台账逾期', '2026-11-23');
    const at = new Date('2026-11-24T09:00:00+08:00').toISOString();
    for (const itemId of ids.slice(0, 15))
      await doc().send(
        new PutCommand({
          TableName: table.logicalName,
          Item: {
            ...keys.ledgerNudge(itemId, 'overdue'),
            messageId: `${itemId}:overdue`,
            createdAt: at,
            round: 'a-run-that-stopped',
            roundAt: new Date().toISOString(),
          },
        }),
      );
    const before = posts.length;

    // Act: the day's job again.
    const run = await runJob('overdue', '2026-11-24T09:00:00+08:00');

    // Assess: the other 15 made now, one e-mail listing all 30 of the 24th (not the 20th's).
    expect(run).toMatchObject({ overdue: 2 * ITEMS, nudgesCreated: 15, emailDigests: 1 });
    const mails = overdueMails('2026-11-24');
    expect(mails).toHaveLength(1);
    expect(numbered(mails[0]?.text ?? '')).toHaveLength(ITEMS);
    expect(mails[0]?.text).not.toContain('废气治理逾期');
    for (let i = 1; i <= ITEMS; i++)
      expect(
        posts.slice(before).filter((p) => p.content.includes(`危废台账逾期第${i}项（`)),
        `item ${i}`,
      ).toHaveLength(1);
  });
});

describe('digests on the deliveries page', () => {
  const digestRows = async (status: 'pending' | 'failed', who = 'lead.wuzhong') =>
    (
      (await call('GET', `/api/staff/deliveries?status=${status}&kind=overdue-digest`, who)).body.messages as {
        about: string;
        kind: string;
        occasion: string;
        jurisdiction: string;
        nudges: number;
        deliveries: { channel: string; to: string; status: string; attempts: number; lastError?: string }[];
      }[]
    ).filter((m) => m.about.startsWith('digest:2026-11-26:'));

  it('lists a robot digest that failed with its robot and error, counts it, and sends it once after a retry', async () => {
    // Prepare: one item due 25 November; the robot says "too fast" to everything.
    const [itemId] = await (async () => {
      const raised = await call('POST', '/api/staff/ledger-items', 'lead.wuzhong', {
        uscc: firm,
        title: '噪声扰民投诉回访',
        detail: '噪声扰民投诉回访，需跟进办理',
        source: 'contact',
        severity: 'medium',
        dueOn: '2026-11-25',
        ownerDepartment: '水环境科',
      });
      return [raised.body.item.itemId as string];
    })();
    expect(itemId).toBeDefined();
    robotAnswer = 'too-fast';

    // Act: the 26th's run; the robot refuses its post.
    const run = await runJob('overdue', '2026-11-26T09:00:00+08:00');

    // Assess: the e-mail went; the robot's digest is listed as pending, with its error.
    expect(run).toMatchObject({ emailsSent: 1, robotPostsSent: 0, failed: 1 });
    const pending = await digestRows('pending');
    expect(pending).toHaveLength(1);
    expect(pending[0]).toMatchObject({ jurisdiction: '320506', kind: 'overdue-digest', nudges: 1 });
    expect(pending[0]?.deliveries).toEqual([
      expect.objectContaining({ channel: 'webhook', to: '320506', status: 'failed', attempts: 3 }),
    ]);
    expect(pending[0]?.deliveries[0]?.lastError).toContain('45009');
    // Outside the county's subtree it is not listed.
    expect(await digestRows('pending', 'lead.jiangyin')).toEqual([]);

    // Prepare: it has failed for many rounds; one more round gives it up.
    const row = pending[0] as NonNullable<(typeof pending)[number]>;
    await doc().send(
      new UpdateCommand({
        TableName: table.logicalName,
        Key: keys.message(row),
        UpdateExpression: 'SET deliveries[0].attempts = :n',
        ExpressionAttributeValues: { ':n': 27 },
      }),
    );
    const countBefore = (await call('GET', '/api/staff/deliveries/summary', 'lead.wuzhong')).body;
    await runJob('bookings', '2026-11-26T09:05:00+08:00');

    // Assess: given up: listed as failed, counted as failed, out of the later rounds.
    const failed = await digestRows('failed');
    expect(failed).toHaveLength(1);
    expect(failed[0]?.deliveries[0]).toMatchObject({ status: 'failed', attempts: 30 });
    expect(await digestRows('pending')).toEqual([]);
    const countAfter = (await call('GET', '/api/staff/deliveries/summary', 'lead.wuzhong')).body;
    expect(countAfter.failed).toBe(countBefore.failed + 1);
    expect(countAfter.pending).toBe(countBefore.pending - 1);
    const postsBefore = posts.length;
    await runJob('bookings', '2026-11-26T09:10:00+08:00');
    expect(posts).toHaveLength(postsBefore);

    // Act: the robot recovers; the lead retries it (twice: the second finds it pending already);
    // the next delivery round.
    robotAnswer = 'ok';
    const id = { about: row.about, kind: row.kind, occasion: row.occasion };
    const retried = await call('POST', '/api/staff/deliveries/retry', 'lead.wuzhong', id);
    const twice = await call('POST', '/api/staff/deliveries/retry', 'lead.wuzhong', id);
    const elsewhere = await call('POST', '/api/staff/deliveries/retry', 'lead.jiangyin', id);
    const round = await runJob('bookings', '2026-11-26T09:15:00+08:00');
    const later = await runJob('bookings', '2026-11-26T09:20:00+08:00');

    // Assess: posted once, then off the page.
    expect(retried.status).toBe(200);
    expect(twice.status).toBe(409);
    expect(elsewhere.status).toBe(404);
    expect(round).toMatchObject({ digestsSent: 1 });
    expect(later).toMatchObject({ digestsSent: 0 });
    const delivered = posts.slice(postsBefore).filter((p) => p.ok);
    expect(delivered).toHaveLength(1);
    expect(delivered[0]?.content).toContain('噪声扰民投诉回访');
    expect(await digestRows('failed')).toEqual([]);
    expect(await digestRows('pending')).toEqual([]);
    const due = await doc().send(
      new QueryCommand({
        TableName: table.logicalName,
        IndexName: 'byParent',
        KeyConditionExpression: 'parentPk = :p',
        ExpressionAttributeValues: { ':p': keys.nudgeDigestsDue().parentPk },
      }),
    );
    expect(due.Items ?? []).toEqual([]);
  });
});
