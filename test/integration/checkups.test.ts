import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Runtime, startRuntime } from '../../infra/local/runtime.ts';
import { DEFAULT_TEMPLATE } from '../../shared/checkups.ts';
import { uploadEvidence } from '../support/evidence.ts';
import { distinctUsccs } from '../support/uscc.ts';

// Check-ups through the local gateway: the default template, autosaved answers, a submit that scores,
// bands and turns each failed item into a ledger item in one transaction, exactly once.
let runtime: Runtime;
let dataDir: string;
let uscc: string;
const token: Record<string, string> = {};

const call = async (method: string, path: string, who: string, body?: unknown) => {
  const res = await fetch(`${runtime.url}${path}`, {
    method,
    headers: { authorization: `Bearer ${token[who]}`, 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  // biome-ignore lint/suspicious/noExplicitAny: answers of many shapes, checked field by field
  return { status: res.status, body: (await res.json()) as Record<string, any> };
};

const allPass = Object.fromEntries(DEFAULT_TEMPLATE.items.map((i) => [i.itemId, { result: 'pass' }]));

const draft = async () =>
  (
    await call('POST', '/api/staff/checkups', 'liaison.wuzhong', {
      uscc,
      at: '2026-11-10T09:30:00+08:00',
      inspectors: ['王工', '李工'],
    })
  ).body.checkup as { checkupId: string; version: number; templateVersion: number };

beforeAll(async () => {
  dataDir = mkdtempSync(join(tmpdir(), 'eco-checkups-'));
  runtime = await startRuntime({ port: 0, dataDir, siteDir: dataDir, scheduler: false, log: () => undefined });
  for (const username of ['liaison.wuzhong', 'lead.wuzhong', 'admin']) {
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
