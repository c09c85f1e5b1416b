import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { db } from '../../functions/lib/store/table.ts';
import { type Runtime, startRuntime } from '../../infra/local/runtime.ts';
import {
  addMonths,
  CATEGORIES,
  DEFAULT_TEMPLATE,
  type DueCheckup,
  daysFromTo,
  MAX_TEMPLATE_ITEMS,
} from '../../shared/checkups.ts';
import { checkupReport } from '../../shared/messages/outgoing.ts';
import type { OutboxEntry } from '../../shared/outbox.ts';
import { shanghaiDate } from '../../shared/time.ts';
import { apiCaller } from '../support/api.ts';
import { PHOTO, uploadEvidence, uploadSignature } from '../support/evidence.ts';
import { signInFirm } from '../support/firm.ts';
import { messagesAbout, readOutbox, waitForOutbox } from '../support/outbox.ts';
import { distinctUsccs } from '../support/uscc.ts';

// Check-ups through the local gateway: the default template, autosaved answers, a submit that scores,
// bands and turns each failed item into a ledger item in one transaction, exactly once.
let runtime: Runtime;
let dataDir: string;
let uscc: string;
const token: Record<string, string> = {};

const call = apiCaller(() => runtime.url, token);
/** The representative's signature, uploaded by the staff member `who` who submits (issue 20). */
const sign = (who: string) => uploadSignature(runtime.url, token[who] ?? '');

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
    const res = await call('POST', `/api/staff/checkups/${c.checkupId}/submit`, 'liaison.wuzhong', {
      version: 2,
      signature: await sign('liaison.wuzhong'),
    });
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

    // Each submitter signs on its own tablet: the signature is an upload of the one who submits.
    const signatures = [await sign('liaison.wuzhong'), await sign('lead.wuzhong')];

    // Act
    const results = await Promise.all([
      call('POST', `/api/staff/checkups/${c.checkupId}/submit`, 'liaison.wuzhong', {
        version: 2,
        signature: signatures[0],
      }),
      call('POST', `/api/staff/checkups/${c.checkupId}/submit`, 'lead.wuzhong', {
        version: 2,
        signature: signatures[1],
      }),
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
    const red = await call('POST', `/api/staff/checkups/${c.checkupId}/submit`, 'liaison.wuzhong', {
      version: 2,
      signature: await sign('liaison.wuzhong'),
    });
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

  it('applies a save replayed with its request id once, even at the version it was first sent with (issue 20, answers kept offline)', async () => {
    // Prepare: a draft; the tablet saved M1 (its request id r1), the answer was lost, and a later save moved M1 on.
    const c = await draft();
    const r1 = crypto.randomUUID();
    const url = `/api/staff/checkups/${c.checkupId}`;
    const first = await call('PATCH', url, 'liaison.wuzhong', {
      version: c.version,
      answers: { M1: { result: 'fail', note: '离线记录：标识缺失' } },
      requestId: r1,
    });
    const later = await call('PATCH', url, 'liaison.wuzhong', {
      version: first.body.checkup.version,
      answers: { M1: { result: 'pass', note: '已整改' } },
      requestId: crypto.randomUUID(),
    });

    // Act: the queue sends r1 again, with the version it was kept at (a crash between send and delete)
    const replay = await call('PATCH', url, 'liaison.wuzhong', {
      version: c.version,
      answers: { M1: { result: 'fail', note: '离线记录：标识缺失' } },
      requestId: r1,
    });
    const bad = await call('PATCH', url, 'liaison.wuzhong', {
      version: later.body.checkup.version,
      answers: { M2: { result: 'pass' } },
      requestId: 'not-a-uuid',
    });

    // Assess: answered with the check-up as it is; M1 keeps the later answer; one version per save
    expect(first.status).toBe(200);
    expect(later.status).toBe(200);
    expect(replay.status).toBe(200);
    expect(replay.body.checkup.version).toBe(c.version + 2);
    expect(replay.body.checkup.answers.M1).toMatchObject({ result: 'pass', note: '已整改' });
    expect(bad.status).toBe(400);
    const stored = (await call('GET', url, 'lead.wuzhong')).body.checkup;
    expect(stored.version).toBe(c.version + 2);
    expect(stored.answers.M1.result).toBe('pass');
  });

  it('applies one save sent twice at once with one request id once', async () => {
    // Prepare
    const c = await draft();
    const body = {
      version: c.version,
      answers: { M3: { result: 'fail', note: '两台平板同时重发' } },
      requestId: crypto.randomUUID(),
    };
    const url = `/api/staff/checkups/${c.checkupId}`;
    // Act
    const [a, b] = await Promise.all([
      call('PATCH', url, 'liaison.wuzhong', body),
      call('PATCH', url, 'liaison.wuzhong', body),
    ]);
    // The loser of the race (409) sends again after reading, as the queue does: answered, not applied.
    const again = await call('PATCH', url, 'liaison.wuzhong', { ...body, version: c.version + 1 });
    // Assess
    expect([a.status, b.status]).toContain(200);
    for (const s of [a.status, b.status]) expect([200, 409]).toContain(s);
    expect(again.status).toBe(200);
    expect(again.body.checkup.version).toBe(c.version + 1);
    const stored = (await call('GET', url, 'lead.wuzhong')).body.checkup;
    expect(stored.version).toBe(c.version + 1);
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
      signature: await sign('liaison.wuzhong'),
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
        signature: await sign('liaison.wuzhong'),
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
      signature: await sign('liaison.wuzhong'),
    });

    // Assess
    expect(again.status).toBe(200);
    expect(again.body.checkup).toMatchObject({ state: 'submitted', score: 0, band: 'red' });
    await assessExactlyOnce(firms[1], c.checkupId, c.items);
    const done = await call('POST', `/api/staff/checkups/${c.checkupId}/submit`, 'lead.wuzhong', {
      version: again.body.checkup.version,
      signature: await sign('lead.wuzhong'),
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
    // The form sends the same signature with every retry.
    const signature = await sign('liaison.wuzhong');
    const submit = () =>
      call('POST', `/api/staff/checkups/${c.checkupId}/submit`, 'liaison.wuzhong', { version: c.version, signature });
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
      lost = await call('POST', `/api/staff/checkups/${c.checkupId}/submit`, 'liaison.wuzhong', {
        version: c.version,
        signature: await sign('liaison.wuzhong'),
      });
    } finally {
      mock.restore();
    }
    expect(lost.status).toBe(500);

    // Act
    const again = await call('POST', `/api/staff/checkups/${c.checkupId}/submit`, 'liaison.wuzhong', {
      version: c.version,
      signature: await sign('liaison.wuzhong'),
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
        signature: await sign('liaison.wuzhong'),
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
        signature: await sign(who),
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

/**
 * Issue 20: the firm representative signs the check-up on the screen, and the firm hears that its
 * report is ready. The submit names the signature (a PNG the submitter uploaded); the firm's message
 * is recorded with the submit's first transaction, so a retried submit never records a second one.
 */
describe('the representative’s signature and the firm’s report message', () => {
  const MOBILE = '13905120620';
  let firm: string;

  /** A draft on the default template (others above store newer versions), every item answered. */
  const answered = async (at = '2026-11-20T10:00:00+08:00') => {
    const started = await call('POST', '/api/staff/checkups', 'lead.wuzhong', {
      uscc: firm,
      templateVersion: 1,
      at,
      inspectors: ['王工'],
    });
    const c = started.body.checkup as { checkupId: string };
    const saved = await call('PATCH', `/api/staff/checkups/${c.checkupId}`, 'liaison.wuzhong', {
      version: 1,
      answers: allPass,
    });
    return { checkupId: c.checkupId, version: saved.body.checkup.version as number };
  };

  beforeAll(async () => {
    [firm] = distinctUsccs(1) as [string];
    await call('POST', '/api/staff/enterprises', 'lead.wuzhong', {
      uscc: firm,
      name: '苏州签名测试精密制造有限公司',
      county: '320506',
      address: '吴中区木渎镇',
      industry: '机械',
      size: 'medium',
      tier: 'county',
      contacts: [{ name: '周经理', mobile: MOBILE, email: 'zhou@sign-firm.example.com' }],
    });
    await call('POST', '/api/staff/pairings', 'lead.wuzhong', {
      uscc: firm,
      liaison: 'liaison.wuzhong',
      serviceYear: 2026,
      startsOn: '2026-01-01',
    });
  });

  it('refuses a submit without a signature, or naming a file that is not the submitter’s own uploaded image', async () => {
    // Prepare: files that are no signature: another's upload, a PDF, one never sent, an item's photo.
    const c = await answered();
    const theirs = await uploadEvidence(runtime.url, token['lead.wuzhong'] ?? '');
    const pdf = await uploadEvidence(runtime.url, token['liaison.wuzhong'] ?? '', {
      fileName: 'scan.pdf',
      contentType: 'application/pdf',
    });
    const unsent = await uploadEvidence(runtime.url, token['liaison.wuzhong'] ?? '', { put: false });
    const photo = await uploadEvidence(runtime.url, token['liaison.wuzhong'] ?? '');
    const withPhoto = await call('PATCH', `/api/staff/checkups/${c.checkupId}`, 'liaison.wuzhong', {
      version: c.version,
      answers: { M1: { result: 'pass', evidenceIds: [photo] } },
    });
    const version = withPhoto.body.checkup.version as number;
    const submit = (body: unknown) =>
      call('POST', `/api/staff/checkups/${c.checkupId}/submit`, 'liaison.wuzhong', body);

    // Act
    const missing = await submit({ version });
    const unnamed = await submit({ version, signature: { evidenceId: theirs, signerName: '  ' } });
    const refused = await Promise.all(
      [theirs, pdf, unsent, photo].map((evidenceId) =>
        submit({ version, signature: { evidenceId, signerName: '周经理' } }),
      ),
    );

    // Assess: each a 400 naming the signature's field, and the check-up still a draft.
    expect(missing.status).toBe(400);
    expect(Object.keys(missing.body.error.fields)).toEqual(['signature']);
    expect(unnamed.status).toBe(400);
    expect(Object.keys(unnamed.body.error.fields)).toEqual(['signature.signerName']);
    for (const res of refused) {
      expect(res.status).toBe(400);
      expect(Object.keys(res.body.error.fields)).toEqual(['signature.evidenceId']);
    }
    const stored = (await call('GET', `/api/staff/checkups/${c.checkupId}`, 'lead.wuzhong')).body.checkup;
    expect(stored).toMatchObject({ state: 'draft', version });
    expect(await messagesAbout(`checkup:${c.checkupId}`)).toEqual([]);
  });

  it('keeps the signer and the signature image with the report, for staff and for the firm', async () => {
    // Prepare
    const c = await answered();
    const signature = await sign('liaison.wuzhong');

    // Act
    const res = await call('POST', `/api/staff/checkups/${c.checkupId}/submit`, 'liaison.wuzhong', {
      version: c.version,
      signature: { ...signature, signerName: '周经理' },
    });

    // Assess: staff read the signer and the file in scope; the firm reads its report with the image.
    expect(res.status).toBe(200);
    expect(res.body.checkup.signature).toMatchObject({
      evidenceId: signature.evidenceId,
      signerName: '周经理',
      contentType: 'image/png',
    });
    const file = await call('GET', `/api/staff/evidence/${signature.evidenceId}`, 'lead.wuzhong');
    expect(file.status).toBe(200);
    expect(file.body.contentType).toBe('image/png');
    const outside = await call('GET', `/api/staff/evidence/${signature.evidenceId}`, 'liaison.xiangcheng');
    expect(outside.status).toBe(404);
    const firmToken = (await signInFirm(runtime.url, firm, MOBILE)).token;
    const report = await fetch(`${runtime.url}/api/firm/checkups/${c.checkupId}/report`, {
      headers: { authorization: `Bearer ${firmToken}` },
    });
    const body = (await report.json()) as { checkup: { signature: { signerName: string; imageUrl: string } } };
    expect(body.checkup.signature.signerName).toBe('周经理');
    const image = await fetch(body.checkup.signature.imageUrl);
    expect(image.status).toBe(200);
    expect(Buffer.from(await image.arrayBuffer()).subarray(0, 4)).toEqual(PHOTO.subarray(0, 4));
  });

  it('records the firm’s report message once when a submit whose answer was lost is sent again', async () => {
    // Prepare: DynamoDB commits the submit's first transaction, the Lambda dies before it hears so.
    // (Its own day, so its text is told from the other check-ups' of this firm.)
    const c = await answered('2026-11-21T16:30:00+08:00');
    const signature = await sign('liaison.wuzhong');
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
      lost = await call('POST', `/api/staff/checkups/${c.checkupId}/submit`, 'liaison.wuzhong', {
        version: c.version,
        signature,
      });
    } finally {
      mock.restore();
    }
    expect(lost.status).toBe(500);

    // Act: the form sends it again, twice at once (it went through: the form then shows the report).
    const again = await Promise.all(
      [1, 2].map(() =>
        call('POST', `/api/staff/checkups/${c.checkupId}/submit`, 'liaison.wuzhong', { version: c.version, signature }),
      ),
    );

    // Assess: submitted once; one message, texted and mailed once, naming the firm, the day and the firm door.
    for (const res of again) expect(res.body.error.code).toBe('INVALID_TRANSITION');
    const stored = (await call('GET', `/api/staff/checkups/${c.checkupId}`, 'lead.wuzhong')).body.checkup;
    expect(stored).toMatchObject({ state: 'submitted', signature: { evidenceId: signature.evidenceId } });
    const messages = await messagesAbout(`checkup:${c.checkupId}`);
    expect(messages.map((m) => m.kind)).toEqual(['checkup-report']);
    const texts = (entries: OutboxEntry[]) =>
      entries.filter(
        (e) => e.channel === 'sms' && e.to === `+86${MOBILE}` && e.text.includes('2026-11-21的环境健康体检报告已出具'),
      );
    const sent = await waitForOutbox((all) => texts(all).length > 0);
    await new Promise((r) => setTimeout(r, 500));
    expect(texts(readOutbox())).toHaveLength(1);
    expect(texts(sent)[0]?.text).toContain('苏州签名测试精密制造有限公司');
    expect(texts(sent)[0]?.text).toContain('/firm/');
    // A mainland template gets exactly its registered variables: the firm's short name and the day.
    expect(checkupReport('苏州签名测试精密制造有限公司', '2026-11-21', '/firm/').sms.params).toEqual({
      firm: '苏州签名测试精密制造有限公司',
      date: '2026-11-21',
    });
    await waitForOutbox((all) =>
      all.some(
        (e) => e.channel === 'email' && e.to.includes('zhou@sign-firm.example.com') && e.text.includes('/firm/'),
      ),
    );
  });
});

/** A Wuzhong firm checked up at `at` (Shanghai wall clock with its offset): started, all passed, submitted. */
const checkedUp = async (uscc: string, at: string) => {
  const started = await call('POST', '/api/staff/checkups', 'lead.wuzhong', {
    uscc,
    templateVersion: 1,
    at,
    inspectors: ['王工'],
  });
  const id = started.body.checkup.checkupId as string;
  await call('PATCH', `/api/staff/checkups/${id}`, 'liaison.wuzhong', { version: 1, answers: allPass });
  const submitted = await call('POST', `/api/staff/checkups/${id}/submit`, 'liaison.wuzhong', {
    version: 2,
    signature: await sign('liaison.wuzhong'),
  });
  expect(submitted.status).toBe(200);
};

/**
 * Issue 19: check-ups held regularly, with an early warning. A paired firm is due a check-up 12 months
 * (the default setting) after the day of its last one, in Shanghai dates; the list shows the overdue
 * (longest first) and those due within the days asked, each in its caller's scope only.
 */
describe('check-ups due and overdue (GET /api/staff/checkups/due)', () => {
  const today = shanghaiDate(new Date());
  const yearBefore = addMonths(today, -12);
  const dayBefore = (date: string, n: number) =>
    new Date(Date.parse(`${date}T00:00:00Z`) - n * 86_400_000).toISOString().slice(0, 10);
  let dueToday: string;
  let overdueByOne: string;
  let dueIn31: string;
  let neverChecked: string;

  /** A firm of Wuzhong paired with liaison.wuzhong, with a submitted check-up at `at` (none when undefined). */
  const pairedFirm = async (uscc: string, name: string, at: string | undefined) => {
    await call('POST', '/api/staff/enterprises', 'lead.wuzhong', {
      uscc,
      name,
      county: '320506',
      address: '吴中区',
      industry: '印染',
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
    if (at) await checkedUp(uscc, at);
  };

  const due = async (who: string, query: string) => {
    const res = await call('GET', `/api/staff/checkups/due?${query}`, who);
    return { status: res.status, body: res.body as { today: string; intervalMonths: number; firms: DueCheckup[] } };
  };
  const mine = (firms: DueCheckup[]) =>
    firms.filter((f) => [dueToday, overdueByOne, dueIn31, neverChecked].includes(f.uscc));

  beforeAll(async () => {
    for (const username of ['lead.suzhou', 'lead.jiangyin']) {
      token[username] = (await runtime.issuer.signIn(username, 'demo'))?.token ?? '';
    }
    [dueToday, overdueByOne, dueIn31, neverChecked] = distinctUsccs(4) as [string, string, string, string];
    // Ten past midnight in Shanghai is the day before in UTC: the year counts from the Shanghai day.
    await pairedFirm(dueToday, '今日到期体检公司', `${yearBefore}T00:10:00+08:00`);
    // Ten to midnight in Shanghai the day before: that day's check-up, one day overdue today.
    await pairedFirm(overdueByOne, '逾期一天体检公司', `${dayBefore(yearBefore, 1)}T23:50:00+08:00`);
    await pairedFirm(dueIn31, '下月到期体检公司', `${dayBefore(yearBefore, -31)}T12:00:00+08:00`);
    await pairedFirm(neverChecked, '从未体检公司', undefined);
  });

  it('lists the overdue first, then those due within the days asked, by Shanghai dates', async () => {
    // Act
    const in30 = await due('lead.wuzhong', 'jurisdiction=320506&within=30');
    const in31 = await due('lead.suzhou', 'jurisdiction=320506&within=31');

    // Assess: due today is "due soon" (0 days), the day before is overdue by one, 31 days out waits.
    expect(in30.status).toBe(200);
    expect(in30.body).toMatchObject({ today, intervalMonths: 12 });
    const listed = mine(in30.body.firms).filter((f) => f.uscc !== neverChecked);
    expect(listed.map((f) => [f.uscc, f.state, f.days, f.dueOn])).toEqual([
      [overdueByOne, 'overdue', -1, dayBefore(today, 1)],
      [dueToday, 'due_soon', 0, today],
    ]);
    expect(listed[1]).toMatchObject({
      lastCheckupOn: yearBefore,
      liaison: 'liaison.wuzhong',
      firmName: '今日到期体检公司',
    });
    expect(mine(in31.body.firms).map((f) => f.uscc)).toContain(dueIn31);
    expect(mine(in31.body.firms).find((f) => f.uscc === dueIn31)).toMatchObject({ days: 31, state: 'due_soon' });
    // Overdue before due soon across the whole list, the longest overdue first.
    const days = in30.body.firms.map((f) => f.days);
    expect(days).toEqual([...days].sort((a, b) => a - b));
    // A firm never checked is due a year after its pairing began.
    const wide = await due('lead.wuzhong', 'within=366');
    expect(mine(wide.body.firms).find((f) => f.uscc === neverChecked)).toMatchObject({
      lastCheckupOn: null,
      dueOn: '2027-01-01',
      days: daysFromTo(today, '2027-01-01'),
    });
  });

  it('shows each caller only the firms of its scope: its own pairings for a liaison, 404 outside', async () => {
    // Act
    const own = await due('liaison.wuzhong', 'within=30');
    const otherLiaison = await due('liaison.xiangcheng', 'within=366');
    const otherLead = await due('lead.jiangyin', 'within=366');
    const outside = await due('lead.jiangyin', 'jurisdiction=320506');
    const bad = await due('lead.wuzhong', 'within=-1');

    // Assess
    expect(
      mine(own.body.firms)
        .filter((f) => f.uscc !== neverChecked)
        .map((f) => f.uscc),
    ).toEqual([overdueByOne, dueToday]);
    expect(own.body.firms.every((f) => f.liaison === 'liaison.wuzhong')).toBe(true);
    expect(mine(otherLiaison.body.firms)).toEqual([]);
    expect(mine(otherLead.body.firms)).toEqual([]);
    expect(outside.status).toBe(404);
    expect(bad.status).toBe(400);
  });
});

/**
 * Issue 19: a cadence per pairing. A pairing may carry 3, 6, 12 or 24 months between check-ups (set
 * when paired or by PATCH at a version, audited); the due list counts each firm by its own cadence,
 * the deployment's (12) when it has none.
 */
describe('a check-up cadence per pairing', () => {
  const today = shanghaiDate(new Date());
  const halfYearBefore = addMonths(today, -6);
  const dayBefore = (date: string, n: number) =>
    new Date(Date.parse(`${date}T00:00:00Z`) - n * 86_400_000).toISOString().slice(0, 10);
  const firms = distinctUsccs(5) as [string, string, string, string, string];
  const [sixMonthly, yearly, sixOverdue, quarterly, outside] = firms;

  const firm = (uscc: string, county = '320506', who = 'lead.wuzhong') =>
    call('POST', '/api/staff/enterprises', who, {
      uscc,
      name: `体检周期${uscc.slice(-4)}公司`,
      county,
      address: '吴中区',
      industry: '印染',
      size: 'small',
      tier: 'county',
      contacts: [],
    });
  const pair = (uscc: string, extra: Record<string, unknown> = {}, liaison = 'liaison.wuzhong', who = 'lead.wuzhong') =>
    call('POST', '/api/staff/pairings', who, { uscc, liaison, serviceYear: 2026, startsOn: '2026-01-01', ...extra });
  const listed = async (who: string, query: string) =>
    ((await call('GET', `/api/staff/checkups/due?${query}`, who)).body.firms as DueCheckup[]).filter((f) =>
      firms.includes(f.uscc),
    );
  const ids: Record<string, { pairingId: string; version: number }> = {};

  beforeAll(async () => {
    token['lead.jiangyin'] ??= (await runtime.issuer.signIn('lead.jiangyin', 'demo'))?.token ?? '';
    for (const uscc of [sixMonthly, yearly, sixOverdue, quarterly]) expect((await firm(uscc)).status).toBe(201);
    expect((await firm(outside, '320281', 'lead.jiangyin')).status).toBe(201);
    for (const uscc of [sixMonthly, yearly, sixOverdue]) ids[uscc] = (await pair(uscc)).body.pairing;
    // Ten past midnight in Beijing, which is the day before in UTC: half a year ago by Beijing's day.
    for (const uscc of [sixMonthly, yearly]) await checkedUp(uscc, `${halfYearBefore}T00:10:00+08:00`);
    // Ten to midnight in Beijing the day before: one day overdue on a six-month cadence.
    await checkedUp(sixOverdue, `${dayBefore(halfYearBefore, 1)}T23:50:00+08:00`);
    // Set when paired: three months from the pairing's start (1 January) is long past.
    const q = await pair(quarterly, { checkupIntervalMonths: 3 });
    expect(q.status).toBe(201);
    expect(q.body.pairing.checkupIntervalMonths).toBe(3);
  });

  it('lists a six-month pairing due where a yearly one checked the same day is not, by Beijing days', async () => {
    // Prepare: two of the three pairings checked half a year ago go to six months (the third stays yearly).
    for (const uscc of [sixMonthly, sixOverdue]) {
      const { pairingId, version } = ids[uscc] as { pairingId: string; version: number };
      const res = await call('PATCH', `/api/staff/pairings/${pairingId}`, 'lead.wuzhong', {
        version,
        checkupIntervalMonths: 6,
      });
      expect(res.status).toBe(200);
      expect(res.body.pairing).toMatchObject({ checkupIntervalMonths: 6, version: version + 1 });
    }

    // Act
    const soon = await listed('lead.wuzhong', 'jurisdiction=320506&within=0');
    const wide = await listed('liaison.wuzhong', 'within=366');

    // Assess: due today and one day overdue on six months; the yearly one waits half a year.
    expect(soon.map((f) => [f.uscc, f.state, f.days, f.dueOn, f.intervalMonths])).toEqual([
      [quarterly, 'overdue', daysFromTo(today, '2026-04-01'), '2026-04-01', 3],
      [sixOverdue, 'overdue', -1, dayBefore(today, 1), 6],
      [sixMonthly, 'due_soon', 0, today, 6],
    ]);
    expect(wide.find((f) => f.uscc === yearly)).toMatchObject({
      dueOn: addMonths(halfYearBefore, 12),
      intervalMonths: 12,
      state: 'due_soon',
    });
  });

  it('goes back to the deployment’s cadence with null, audited, at the version read only', async () => {
    // Prepare
    const { pairingId } = ids[yearly] as { pairingId: string };
    const set = await call('PATCH', `/api/staff/pairings/${pairingId}`, 'lead.wuzhong', {
      version: 1,
      checkupIntervalMonths: 24,
    });
    expect(set.status).toBe(200);

    // Act
    const stale = await call('PATCH', `/api/staff/pairings/${pairingId}`, 'lead.wuzhong', {
      version: 1,
      checkupIntervalMonths: 6,
    });
    const cleared = await call('PATCH', `/api/staff/pairings/${pairingId}`, 'lead.wuzhong', {
      version: 2,
      checkupIntervalMonths: null,
    });
    const audit = await call(
      'GET',
      `/api/staff/audit?entity=${encodeURIComponent(`pairing:${pairingId}`)}`,
      'lead.wuzhong',
    );

    // Assess
    expect(stale.status).toBe(409);
    expect(cleared.status).toBe(200);
    expect(cleared.body.pairing).toMatchObject({ checkupIntervalMonths: null, version: 3 });
    const actions = (audit.body.events as { action: string }[]).map((e) => e.action);
    expect(actions.filter((a) => a === 'pairing.cadence')).toHaveLength(2);
    expect((await listed('lead.wuzhong', 'within=366')).find((f) => f.uscc === yearly)?.intervalMonths).toBe(12);
  });

  it('refuses a cadence not offered (400 naming the field), a liaison (403) and another county’s lead (404)', async () => {
    // Prepare
    const { pairingId } = ids[sixMonthly] as { pairingId: string };
    const change = (who: string, body: unknown) => call('PATCH', `/api/staff/pairings/${pairingId}`, who, body);

    // Act
    const odd = await Promise.all(
      [5, 0, -6, 12.5, '6', 36].map((months) => change('lead.wuzhong', { version: 2, checkupIntervalMonths: months })),
    );
    const missing = await change('lead.wuzhong', { version: 2 });
    const onCreate = await pair(outside, { checkupIntervalMonths: 7 }, 'liaison.jiangyin', 'lead.jiangyin');
    const liaison = await change('liaison.wuzhong', { version: 2, checkupIntervalMonths: 12 });
    const otherLead = await change('lead.jiangyin', { version: 2, checkupIntervalMonths: 12 });

    // Assess
    for (const res of [...odd, missing, onCreate]) {
      expect(res.status).toBe(400);
      expect(res.body.error.fields).toHaveProperty('checkupIntervalMonths');
    }
    expect(liaison.status).toBe(403);
    expect(otherLead.status).toBe(404);
    expect((await listed('lead.wuzhong', 'within=0')).find((f) => f.uscc === sixMonthly)?.intervalMonths).toBe(6);
  });
});
