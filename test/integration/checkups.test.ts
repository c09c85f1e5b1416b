import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { db } from '../../functions/lib/store/table.ts';
import { type Runtime, startRuntime } from '../../infra/local/runtime.ts';
import { CATEGORIES, DEFAULT_TEMPLATE, MAX_TEMPLATE_ITEMS } from '../../shared/checkups.ts';
import { apiCaller } from '../support/api.ts';
import { uploadEvidence } from '../support/evidence.ts';
import { distinctUsccs } from '../support/uscc.ts';

// Check-ups through the local gateway: the default template, autosaved answers, a submit that scores,
// bands and turns each failed item into a ledger item in one transaction, exactly once.
let runtime: Runtime;
let dataDir: string;
let uscc: string;
const token: Record<string, string> = {};

const call = apiCaller(() => runtime.url, token);

const allPass = Object.fromEntries(DEFAULT_TEMPLATE.items.map((i) => [i.itemId, { result: 'pass' }]));

// A lead starts the check-up; the firm's liaison (paired in beforeAll) fills it in.
const draft = async () =>
  (
    await call('POST', '/api/staff/checkups', 'lead.wuzhong', {
      uscc,
      at: '2026-11-10T09:30:00+08:00',
      inspectors: ['王工', '李工'],
    })
  ).body.checkup as { checkupId: string; version: number; templateVersion: number };

beforeAll(async () => {
  dataDir = mkdtempSync(join(tmpdir(), 'eco-checkups-'));
  runtime = await startRuntime({ port: 0, dataDir, siteDir: dataDir, scheduler: false, log: () => undefined });
  for (const username of ['liaison.wuzhong', 'liaison.xiangcheng', 'lead.wuzhong', 'admin']) {
    token[username] = (await runtime.issuer.signIn(username, 'demo'))?.token ?? '';
  }
  [uscc] = distinctUsccs(1) as [string];
  await call('POST', '/api/staff/enterprises', 'lead.wuzhong', {
    uscc,
    name: '苏州体检测试有限公司',
    county: '320506',
    address: '吴中区',
    industry: '电镀',
    size: 'small',
    tier: 'county',
    contacts: [],
  });
  await call('POST', '/api/staff/pairings', 'lead.wuzhong', {
    uscc,
    liaison: 'liaison.wuzhong',
    serviceYear: 2026,
    startsOn: '2026-01-01',
  });
});

afterAll(async () => {
  await runtime?.stop();
  rmSync(dataDir, { recursive: true, force: true });
});

describe('check-ups', () => {
  it('offers the default template: three categories, fourteen weighted items', async () => {
    const { template } = (await call('GET', '/api/staff/checkup-templates/current', 'liaison.wuzhong')).body;
    expect(template.version).toBe(1);
    expect(new Set(template.items.map((i: { category: string }) => i.category)).size).toBe(3);
    expect(template.items).toHaveLength(14);
  });

  it('refuses to submit with unanswered items, naming each', async () => {
    const c = await draft();
    const saved = await call('PATCH', `/api/staff/checkups/${c.checkupId}`, 'liaison.wuzhong', {
      version: c.version,
      answers: { M1: { result: 'pass' }, M2: { result: 'fail', note: '验收手续缺失' } },
    });
    expect(saved.body.checkup.version).toBe(2);
    const res = await call('POST', `/api/staff/checkups/${c.checkupId}/submit`, 'liaison.wuzhong', { version: 2 });
    expect(res.status).toBe(400);
    expect(Object.keys(res.body.error.fields)).toHaveLength(12);
    const unknown = await call('PATCH', `/api/staff/checkups/${c.checkupId}`, 'liaison.wuzhong', {
      version: 2,
      answers: { Z9: { result: 'pass' } },
    });
    expect(unknown.body.error.fields).toEqual({ 'answers.Z9': 'Not an item of this template' });
  });

  it('scores, bands and raises a ledger item per failed item, exactly once when submitted twice at once', async () => {
    // Prepare: two failures (M3 weight 10, F4 weight 10) and one not applicable (R4 weight 5).
    const c = await draft();
    const answers = {
      ...allPass,
      M3: { result: 'fail', note: '排污许可证已过期' },
      F4: { result: 'fail', note: '危废台账不全' },
      R4: { result: 'na' },
    };
    await call('PATCH', `/api/staff/checkups/${c.checkupId}`, 'liaison.wuzhong', { version: 1, answers });

    // Act
    const results = await Promise.all([
      call('POST', `/api/staff/checkups/${c.checkupId}/submit`, 'liaison.wuzhong', { version: 2 }),
      call('POST', `/api/staff/checkups/${c.checkupId}/submit`, 'lead.wuzhong', { version: 2 }),
    ]);

    // Assess: one submit wins; (100 - 5 - 20) / (100 - 5) → 79: yellow.
    expect(results.map((r) => r.status).sort()).toEqual([200, 409]);
    const done = results.find((r) => r.status === 200)?.body.checkup;
    expect(done).toMatchObject({ state: 'submitted', score: 79, band: 'yellow' });
    const items = (await call('GET', `/api/staff/ledger-items?uscc=${uscc}`, 'lead.wuzhong')).body.items as {
      source: string;
      severity: string;
      sourceRef: string;
      state: string;
      dueOn: string;
    }[];
    expect(items.map((i) => i.sourceRef).sort()).toEqual([`${c.checkupId}:F4`, `${c.checkupId}:M3`]);
    expect(items.every((i) => i.source === 'checkup' && i.severity === 'high' && i.state === 'collected')).toBe(true);
    expect(items[0]?.dueOn).toBe('2026-12-10');
    const health = (await call('GET', `/api/staff/enterprises/${uscc}/health`, 'liaison.wuzhong')).body;
    expect(health.health).toMatchObject({ latestBand: 'yellow', latestScore: 79, worsened: false });
    // A submitted check-up does not change any more.
    const late = await call('PATCH', `/api/staff/checkups/${c.checkupId}`, 'liaison.wuzhong', { version: 3, answers });
    expect(late.body.error.code).toBe('INVALID_TRANSITION');
  });

  it('warns when the band gets worse; a new template version leaves earlier check-ups on theirs', async () => {
    const c = await draft();
    const answers = {
      ...allPass,
      M2: { result: 'fail' },
      M3: { result: 'fail' },
      F1: { result: 'fail' },
      F2: { result: 'fail' },
      F4: { result: 'fail' },
    };
    await call('PATCH', `/api/staff/checkups/${c.checkupId}`, 'liaison.wuzhong', { version: 1, answers });
    const red = await call('POST', `/api/staff/checkups/${c.checkupId}/submit`, 'liaison.wuzhong', { version: 2 });
    expect(red.body.checkup.band).toBe('red');
    const health = (await call('GET', `/api/staff/enterprises/${uscc}/health`, 'liaison.wuzhong')).body;
    expect(health.warnings.map((w: { code: string }) => w.code)).toEqual(['BAND_WORSE']);

    const v2 = await call('POST', '/api/staff/checkup-templates', 'admin', {
      thresholds: { green: 90, yellow: 70 },
      items: DEFAULT_TEMPLATE.items.slice(0, 3),
    });
    expect(v2.body.template.version).toBe(2);
    expect((await draft()).templateVersion).toBe(2);
    const old = (await call('GET', `/api/staff/checkups/${c.checkupId}`, 'lead.wuzhong')).body;
    expect(old.checkup.templateVersion).toBe(1);
    expect(old.template.items).toHaveLength(14);
  });

  it('attaches photos per item on autosave; sending them again keeps them once; others’ files are refused', async () => {
    // Prepare: a draft and two uploads of the inspector, one of someone else.
    const c = await draft();
    const mine = await uploadEvidence(runtime.url, token['liaison.wuzhong'] ?? '', { fileName: '危废间.png' });
    const theirs = await uploadEvidence(runtime.url, token['lead.wuzhong'] ?? '');

    // Act: save M2 (the current template, version 2, keeps M1-M3) with the photo, then save it again with the same id and a changed note.
    const first = await call('PATCH', `/api/staff/checkups/${c.checkupId}`, 'liaison.wuzhong', {
      version: c.version,
      answers: { M2: { result: 'fail', note: '危废标签缺失', evidenceIds: [mine] } },
    });
    const again = await call('PATCH', `/api/staff/checkups/${c.checkupId}`, 'liaison.wuzhong', {
      version: first.body.checkup.version,
      answers: { M2: { result: 'fail', note: '危废标签缺失，贮存台账不全', evidenceIds: [mine] } },
    });
    const refused = await call('PATCH', `/api/staff/checkups/${c.checkupId}`, 'liaison.wuzhong', {
      version: again.body.checkup.version,
      answers: { M3: { result: 'pass', evidenceIds: [theirs] } },
    });

    // Assess
    expect(first.body).toMatchObject({ checkup: { version: c.version + 1 } });
    expect(first.body.checkup.answers.M2.evidence).toEqual([
      { evidenceId: mine, fileName: '危废间.png', contentType: 'image/png' },
    ]);
    expect(again.status).toBe(200);
    expect(again.body.checkup.answers.M2.evidence).toHaveLength(1);
    expect(again.body.checkup.answers.M2.note).toContain('贮存台账不全');
    expect(refused.status).toBe(400);
    expect(Object.keys(refused.body.error.fields)).toEqual(['evidenceIds.0']);
    // A photo taken off an item and put back is still this check-up's.
    const removed = await call('PATCH', `/api/staff/checkups/${c.checkupId}`, 'liaison.wuzhong', {
      version: again.body.checkup.version,
      answers: { M2: { result: 'fail', note: '危废标签缺失', evidenceIds: [] } },
    });
    expect(removed.body.checkup.answers.M2.evidence).toEqual([]);
    const back = await call('PATCH', `/api/staff/checkups/${c.checkupId}`, 'liaison.wuzhong', {
      version: removed.body.checkup.version,
      answers: { M2: { result: 'fail', note: '危废标签缺失', evidenceIds: [mine] } },
    });
    expect(back.body.checkup.answers.M2.evidence).toEqual([
      { evidenceId: mine, fileName: '危废间.png', contentType: 'image/png' },
    ]);
    const stored = (await call('GET', `/api/staff/checkups/${c.checkupId}`, 'lead.wuzhong')).body.checkup;
    expect(stored.version).toBe(back.body.checkup.version);
    expect(stored.answers.M2.evidence[0].evidenceId).toBe(mine);
    expect(stored.answers.M3).toBeUndefined();
  });

  it('lists each firm with its latest band and score', async () => {
    const { enterprises } = (await call('GET', '/api/staff/enterprises?county=320506', 'lead.wuzhong')).body as {
      enterprises: { uscc: string; health: { band: string; score: number } | null }[];
    };
    const health = (await call('GET', `/api/staff/enterprises/${uscc}/health`, 'lead.wuzhong')).body.health;
    expect(enterprises.find((e) => e.uscc === uscc)?.health).toEqual({
      band: health.latestBand,
      score: health.latestScore,
    });
  });

  it('shows check-ups and their ledger items on the firm timeline, newest first', async () => {
    const { items } = (await call('GET', `/api/staff/enterprises/${uscc}/timeline?limit=100`, 'liaison.wuzhong'))
      .body as {
      items: { kind: string; at: string; band?: string }[];
    };
    const kinds = new Set(items.map((i) => i.kind));
    expect(kinds).toEqual(new Set(['checkup', 'ledger']));
    // Five check-ups (two submitted, three drafts) and the seven failed items the two submits raised.
    expect(items.filter((i) => i.kind === 'checkup')).toHaveLength(5);
    expect(items.filter((i) => i.kind === 'ledger')).toHaveLength(7);
    const times = items.map((i) => new Date(i.at).getTime());
    expect(times).toEqual([...times].sort((a, b) => b - a));
  });
});

/**
 * Rule 12: a submit raises one ledger item per failed item, and a DynamoDB transaction holds at most
 * 100 writes, so a large template's submit spans several transactions. A crash between them leaves a
 * `submitting` check-up that a repeated submit finishes: every finding exactly once, counters exact.
 */
describe('a check-up with more findings than one transaction holds', () => {
  const firms = distinctUsccs(5).slice(1) as [string, string, string, string];
  let largest: number;

  beforeAll(async () => {
    for (const [i, firm] of firms.entries()) {
      await call('POST', '/api/staff/enterprises', 'lead.wuzhong', {
        uscc: firm,
        name: `苏州体检大模板测试企业${i}`,
        county: '320506',
        address: '吴中区',
        industry: '化工',
        size: 'medium',
        tier: 'county',
        contacts: [],
      });
      await call('POST', '/api/staff/pairings', 'lead.wuzhong', {
        uscc: firm,
        liaison: 'liaison.wuzhong',
        serviceYear: 2026,
        startsOn: '2026-01-01',
      });
    }
    // The largest template the admin may store: MAX_TEMPLATE_ITEMS items over the three categories.
    const stored = await call('POST', '/api/staff/checkup-templates', 'admin', {
      thresholds: { green: 85, yellow: 60 },
      items: Array.from({ length: MAX_TEMPLATE_ITEMS }, (_, n) => ({
        itemId: `${'MFR'[n % 3]}${Math.floor(n / 3) + 1}`,
        category: CATEGORIES[n % 3],
        text: { zh: `第${n + 1}项检查内容`, en: `Check number ${n + 1}` },
        weight: 1 + (n % 9),
        failSeverity: (['high', 'medium', 'low'] as const)[n % 3],
      })),
    });
    expect(stored.status).toBe(201);
    largest = stored.body.template.version;
  });

  /** A note of the longest length an answer takes (1,000 characters, 3 bytes each in UTF-8). */
  const longest = (itemId: string) => `${itemId}：${'危废贮存间防渗漏措施不到位'.repeat(100)}`.slice(0, 1000);

  /** A draft of the largest template with every item answered `fail`, each with the longest note. */
  const allFailed = async (firm: string) => {
    const started = await call('POST', '/api/staff/checkups', 'lead.wuzhong', {
      uscc: firm,
      templateVersion: largest,
      at: '2026-11-12T10:00:00+08:00',
      inspectors: ['王工'],
    });
    expect(started.status).toBe(201);
    const items = started.body.template.items as { itemId: string }[];
    expect(items).toHaveLength(MAX_TEMPLATE_ITEMS);
    const saved = await call('PATCH', `/api/staff/checkups/${started.body.checkup.checkupId}`, 'liaison.wuzhong', {
      version: started.body.checkup.version,
      answers: Object.fromEntries(items.map((i) => [i.itemId, { result: 'fail', note: longest(i.itemId) }])),
    });
    expect(saved.status).toBe(200);
    return { checkupId: saved.body.checkup.checkupId as string, version: saved.body.checkup.version as number, items };
  };

  const ledgerOf = async (firm: string) =>
    (await call('GET', `/api/staff/ledger-items?uscc=${firm}`, 'lead.wuzhong')).body.items as {
      itemId: string;
      sourceRef: string;
    }[];

  /** Each failed item has exactly one ledger item, and the counters agree with a recount of the items. */
  const assessExactlyOnce = async (firm: string, checkupId: string, items: { itemId: string }[]) => {
    const ledger = await ledgerOf(firm);
    expect(ledger.map((i) => i.sourceRef).sort()).toEqual(items.map((i) => `${checkupId}:${i.itemId}`).sort());
    const stored = (await call('GET', `/api/staff/checkups/${checkupId}`, 'lead.wuzhong')).body.checkup;
    expect(stored.state).toBe('submitted');
    expect([...stored.ledgerItemIds].sort()).toEqual(ledger.map((i) => i.itemId).sort());
    const recount = await call('POST', '/api/staff/ledger-stats/recount', 'admin');
    expect(recount.status).toBe(200);
    expect(recount.body.differences).toEqual([]);
  };

  it('refuses a template with more items than the limit, or two items of one id', async () => {
    const item = (itemId: string) => ({
      itemId,
      category: 'risk',
      text: { zh: '检查内容', en: 'A check' },
      weight: 1,
      failSeverity: 'low',
    });
    const tooMany = await call('POST', '/api/staff/checkup-templates', 'admin', {
      thresholds: { green: 85, yellow: 60 },
      items: Array.from({ length: MAX_TEMPLATE_ITEMS + 1 }, (_, n) => item(`R${n}`)),
    });
    const twice = await call('POST', '/api/staff/checkup-templates', 'admin', {
      thresholds: { green: 85, yellow: 60 },
      items: [item('R1'), item('R2'), item('R1')],
    });
    expect(tooMany.status).toBe(400);
    expect(Object.keys(tooMany.body.error.fields)).toEqual(['items']);
    expect(twice.status).toBe(400);
    expect(twice.body.error.fields).toEqual({ items: 'Each item needs its own id' });
    const current = (await call('GET', '/api/staff/checkup-templates/current', 'admin')).body.template;
    expect(current.version).toBe(largest);
  });

  it('submits a check-up of the largest template with every item failed, each finding once', async () => {
    // Prepare
    const c = await allFailed(firms[0]);

    // Act
    const res = await call('POST', `/api/staff/checkups/${c.checkupId}/submit`, 'liaison.wuzhong', {
      version: c.version,
    });

    // Assess
    expect(res.status).toBe(200);
    expect(res.body.checkup).toMatchObject({ state: 'submitted', score: 0, band: 'red' });
    await assessExactlyOnce(firms[0], c.checkupId, c.items);
  });

  it('finishes a submit that crashed between its transactions when it is sent again, each finding once', async () => {
    // Prepare: the submit's second transaction never reaches DynamoDB (the Lambda dies before it).
    const c = await allFailed(firms[1]);
    const client = db();
    const realSend = client.send.bind(client);
    const mock = mockClient(client);
    mock.send.callThrough();
    let transactions = 0;
    mock.on(TransactWriteCommand).callsFake(async (input) => {
      transactions += 1;
      if (transactions === 2) throw new Error('Task timed out');
      return realSend(new TransactWriteCommand(input));
    });
    let crashed: { status: number; body: Record<string, unknown> };
    try {
      crashed = await call('POST', `/api/staff/checkups/${c.checkupId}/submit`, 'liaison.wuzhong', {
        version: c.version,
      });
    } finally {
      mock.restore();
    }
    expect(crashed.status).toBe(500);
    expect(transactions).toBe(2);
    const half = (await call('GET', `/api/staff/checkups/${c.checkupId}`, 'lead.wuzhong')).body.checkup;
    expect(half.state).toBe('submitting');
    const written = (await ledgerOf(firms[1])).length;
    expect(written).toBeGreaterThan(0);
    expect(written).toBeLessThan(MAX_TEMPLATE_ITEMS);
    // A half-submitted check-up takes no more answers.
    const late = await call('PATCH', `/api/staff/checkups/${c.checkupId}`, 'liaison.wuzhong', {
      version: half.version,
      answers: { M1: { result: 'pass' } },
    });
    expect(late.body.error.code).toBe('INVALID_TRANSITION');

    // Act: the inspector sends the submit again, as the form does (the version it had).
    const again = await call('POST', `/api/staff/checkups/${c.checkupId}/submit`, 'liaison.wuzhong', {
      version: c.version,
    });

    // Assess
    expect(again.status).toBe(200);
    expect(again.body.checkup).toMatchObject({ state: 'submitted', score: 0, band: 'red' });
    await assessExactlyOnce(firms[1], c.checkupId, c.items);
    const done = await call('POST', `/api/staff/checkups/${c.checkupId}/submit`, 'lead.wuzhong', {
      version: again.body.checkup.version,
    });
    expect(done.body.error.code).toBe('INVALID_TRANSITION');
  });

  it('finishes a crashed submit once when two retries race, and once when the first transaction never ran', async () => {
    // Prepare: the very first transaction fails, then a crash between the transactions.
    const c = await allFailed(firms[2]);
    const client = db();
    const realSend = client.send.bind(client);
    const mock = mockClient(client);
    mock.send.callThrough();
    let transactions = 0;
    mock.on(TransactWriteCommand).callsFake(async (input) => {
      transactions += 1;
      if (transactions === 1 || transactions === 3) throw new Error('Task timed out');
      return realSend(new TransactWriteCommand(input));
    });
    const submit = () =>
      call('POST', `/api/staff/checkups/${c.checkupId}/submit`, 'liaison.wuzhong', { version: c.version });
    const statuses: number[] = [];
    try {
      statuses.push((await submit()).status);
      expect((await ledgerOf(firms[2])).length).toBe(0);
      statuses.push((await submit()).status);
    } finally {
      mock.restore();
    }
    expect(statuses).toEqual([500, 500]);

    // Act: two retries at once.
    const results = await Promise.all([submit(), submit()]);

    // Assess: at least one finishes it; the other finishes with it or finds it submitted.
    expect(results.map((r) => r.status)).toContain(200);
    for (const r of results) expect([200, 409]).toContain(r.status);
    await assessExactlyOnce(firms[2], c.checkupId, c.items);
  });

  it('finishes a submit whose first transaction was written but its answer lost, each finding once', async () => {
    // Prepare: DynamoDB commits the first transaction, the Lambda dies before it hears so.
    const c = await allFailed(firms[3]);
    const client = db();
    const realSend = client.send.bind(client);
    const mock = mockClient(client);
    mock.send.callThrough();
    mock.on(TransactWriteCommand).callsFakeOnce(async (input) => {
      await realSend(new TransactWriteCommand(input));
      throw new Error('Task timed out');
    });
    let lost: { status: number };
    try {
      lost = await call('POST', `/api/staff/checkups/${c.checkupId}/submit`, 'liaison.wuzhong', { version: c.version });
    } finally {
      mock.restore();
    }
    expect(lost.status).toBe(500);

    // Act
    const again = await call('POST', `/api/staff/checkups/${c.checkupId}/submit`, 'liaison.wuzhong', {
      version: c.version,
    });

    // Assess
    expect(again.status).toBe(200);
    await assessExactlyOnce(firms[3], c.checkupId, c.items);
  });
});

/**
 * Rule 8 for check-ups: leads (and admins) start them within their subtree; a liaison fills in and
 * submits only those of the firms of its own active pairings. A liaison starting one is 403 (its role
 * may not); a check-up of a firm that is not its own answers 404, as if it did not exist. Reading
 * stays with the firm pages a liaison sees: its county's.
 */
describe('who starts and fills in a check-up', () => {
  const [, , , , , own, others, ended, unpaired] = distinctUsccs(9) as string[] as [
    string,
    string,
    string,
    string,
    string,
    string,
    string,
    string,
    string,
  ];
  const checkupOf: Record<string, { checkupId: string; version: number }> = {};

  beforeAll(async () => {
    // A second liaison of Wuzhong, with an account to sign in with.
    const made = await call('POST', '/api/staff/users', 'lead.wuzhong', {
      username: 'liaison.wuzhong2',
      displayName: '吴中区联络员二',
      email: 'liaison.wuzhong2@example.test',
      role: 'liaison',
      jurisdiction: '320506',
    });
    expect(made.status).toBe(201);
    // The new account's first sign-in sets its own password (the issuer insists before any token).
    expect(runtime.accounts.changePassword('liaison.wuzhong2', 'demo')).toBe(true);
    token['liaison.wuzhong2'] = (await runtime.issuer.signIn('liaison.wuzhong2', 'demo'))?.token ?? '';
    expect(token['liaison.wuzhong2']).not.toBe('');
    const pair = async (firm: string, liaison: string) =>
      (
        await call('POST', '/api/staff/pairings', 'lead.wuzhong', {
          uscc: firm,
          liaison,
          serviceYear: 2026,
          startsOn: '2026-01-01',
        })
      ).body.pairing.pairingId as string;
    for (const [i, firm] of [own, others, ended, unpaired].entries()) {
      await call('POST', '/api/staff/enterprises', 'lead.wuzhong', {
        uscc: firm,
        name: `苏州体检权限测试企业${i}`,
        county: '320506',
        address: '吴中区',
        industry: '印染',
        size: 'small',
        tier: 'county',
        contacts: [],
      });
    }
    await pair(own, 'liaison.wuzhong');
    await pair(others, 'liaison.wuzhong2');
    const gone = await pair(ended, 'liaison.wuzhong');
    expect((await call('POST', `/api/staff/pairings/${gone}/end`, 'lead.wuzhong')).status).toBe(200);
    for (const firm of [own, others, ended, unpaired]) {
      const started = await call('POST', '/api/staff/checkups', 'lead.wuzhong', {
        uscc: firm,
        templateVersion: 1,
        at: '2026-11-20T09:00:00+08:00',
        inspectors: ['王工'],
      });
      expect(started.status).toBe(201);
      checkupOf[firm] = started.body.checkup;
    }
  });

  it('refuses a liaison starting a check-up, even of its own paired firm (403); a lead starts it', async () => {
    for (const firm of [own, others, unpaired]) {
      const res = await call('POST', '/api/staff/checkups', 'liaison.wuzhong', {
        uscc: firm,
        at: '2026-11-21T09:00:00+08:00',
        inspectors: ['联络员'],
      });
      expect(res.status, firm).toBe(403);
      expect(res.body.error.code).toBe('FORBIDDEN');
    }
    const byLead = await call('POST', '/api/staff/checkups', 'lead.wuzhong', {
      uscc: own,
      at: '2026-11-21T09:00:00+08:00',
      inspectors: ['王工'],
    });
    expect(byLead.status).toBe(201);
  });

  it('answers 404 to a liaison saving or submitting a check-up of a firm not of its own active pairings', async () => {
    for (const firm of [others, ended, unpaired]) {
      const c = checkupOf[firm] as { checkupId: string; version: number };
      const saved = await call('PATCH', `/api/staff/checkups/${c.checkupId}`, 'liaison.wuzhong', {
        version: c.version,
        answers: { M1: { result: 'fail', note: '越权填写' } },
      });
      const submitted = await call('POST', `/api/staff/checkups/${c.checkupId}/submit`, 'liaison.wuzhong', {
        version: c.version,
      });
      for (const res of [saved, submitted]) {
        expect(res.status, firm).toBe(404);
        expect(res.body).toEqual({ error: { code: 'NOT_FOUND', message: 'Not found' } });
      }
    }
    // Nothing changed: the other liaison's check-up is as the lead started it.
    const c = checkupOf[others] as { checkupId: string; version: number };
    const stored = (await call('GET', `/api/staff/checkups/${c.checkupId}`, 'lead.wuzhong')).body.checkup;
    expect(stored).toMatchObject({ version: c.version, answers: {}, state: 'draft' });
  });

  it('lets each liaison fill in and submit the check-ups of its own paired firms', async () => {
    const answers = Object.fromEntries(DEFAULT_TEMPLATE.items.map((i) => [i.itemId, { result: 'pass' }]));
    for (const [firm, who] of [
      [own, 'liaison.wuzhong'],
      [others, 'liaison.wuzhong2'],
    ] as const) {
      const c = checkupOf[firm] as { checkupId: string; version: number };
      const saved = await call('PATCH', `/api/staff/checkups/${c.checkupId}`, who, { version: c.version, answers });
      expect(saved.status, who).toBe(200);
      const submitted = await call('POST', `/api/staff/checkups/${c.checkupId}/submit`, who, {
        version: saved.body.checkup.version,
      });
      expect(submitted.status, who).toBe(200);
      expect(submitted.body.checkup).toMatchObject({ state: 'submitted', band: 'green' });
    }
  });

  it('lets a liaison read the check-ups of its county’s firms, as it sees their firm pages', async () => {
    for (const firm of [others, unpaired]) {
      const c = checkupOf[firm] as { checkupId: string };
      expect((await call('GET', `/api/staff/checkups/${c.checkupId}`, 'liaison.wuzhong')).status).toBe(200);
    }
    const c = checkupOf[own] as { checkupId: string };
    const outside = await call('GET', `/api/staff/checkups/${c.checkupId}`, 'liaison.xiangcheng');
    expect(outside.status).toBe(404);
  });
});
