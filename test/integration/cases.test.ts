import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Runtime, startRuntime } from '../../infra/local/runtime.ts';
import { addStaffAccount } from '../support/accounts.ts';
import { uploadEvidence } from '../support/evidence.ts';
import { distinctUsccs } from '../support/uscc.ts';

// "Three best" cases (issue 19) end to end on the local runtime: a county lead drafts, its city lead
// recommends (or returns), the province lead selects and publishes, and the public list shows the
// public text only. Every move by the wrong level, out of scope, at a stale version or from the
// wrong status is refused, and a refused move writes nothing.
let runtime: Runtime;
let dataDir: string;
let _doc: DynamoDBDocumentClient;
const token: Record<string, string> = {};
let wuzhongFirm = '';
let jiangyinFirm = '';
let wuzhongLedgerItem = '';
let jiangyinLedgerItem = '';

type Json = Record<string, unknown>;
interface CaseView {
  caseId: string;
  status: string;
  version: number;
  moves: string[];
  editable: boolean;
  returnReason: string | null;
  evidence: { evidenceId: string }[];
  firms: { uscc: string; name: string }[];
}

const call = async (method: string, path: string, who: string | undefined, body?: unknown, accept?: string) => {
  const headers: Record<string, string> = { 'content-type': 'application/json' };
  if (who) headers.authorization = `Bearer ${token[who]}`;
  if (accept) headers.accept = accept;
  const res = await fetch(`${runtime.url}${path}`, {
    method,
    headers,
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  const json = (res.headers.get('content-type') ?? '').includes('json') ? (JSON.parse(text) as Json) : {};
  return { status: res.status, body: json, text, headers: res.headers };
};

const caseOf = (res: { body: Json }) => res.body.case as CaseView;

const draftBody = (overrides: Json = {}) => ({
  kind: 'best_service_measure',
  title: '吴中区“环保管家”帮办服务',
  story: '联络员联系企业负责人王某（手机 13812345678），上门帮办排污许可变更，三天内办结。',
  firms: [wuzhongFirm],
  ...overrides,
});

const publishBody = (version: number, overrides: Json = {}) => ({
  version,
  publicTitle: '环保管家帮办服务：三天办结排污许可变更',
  publicSummary: '区生态环境局为企业提供上门帮办服务，排污许可变更从申请到办结用时三天。',
  showFirms: false,
  ...overrides,
});

const draft = async (overrides: Json = {}) => {
  const res = await call('POST', '/api/staff/cases', 'lead.wuzhong', draftBody(overrides));
  expect(res.status, res.text).toBe(201);
  return caseOf(res);
};

const move = async (who: string, c: Pick<CaseView, 'caseId' | 'version'>, action: string, extra: Json = {}) =>
  call('POST', `/api/staff/cases/${c.caseId}/${action}`, who, { version: c.version, ...extra });

/** Takes a case through each level to `until`, answering it as it stands then. */
const advance = async (c: CaseView, until: 'submitted' | 'recommended' | 'selected' | 'published') => {
  let current = c;
  const steps: [string, string, Json?][] = [
    ['lead.wuzhong', 'submit'],
    ['lead.suzhou', 'recommend'],
    ['lead.jiangsu', 'select'],
    ['lead.jiangsu', 'publish'],
  ];
  const stop = { submitted: 1, recommended: 2, selected: 3, published: 4 }[until];
  for (const [who, action] of steps.slice(0, stop)) {
    const res =
      action === 'publish'
        ? await call('POST', `/api/staff/cases/${current.caseId}/publish`, who, publishBody(current.version))
        : await move(who, current, action);
    expect(res.status, `${who} ${action}: ${res.text}`).toBe(200);
    current = caseOf(res);
  }
  return current;
};

const publicCases = async (query = '') => {
  const res = await call('GET', `/api/public/cases${query}`, undefined);
  expect(res.status, res.text).toBe(200);
  return res;
};

/** A lead with a sign-in account and a profile (the demo has no province or Wuxi lead). */
const addLead = async (username: string, jurisdiction: string) => {
  token[username] = await addStaffAccount(runtime, { username, role: 'lead', jurisdiction, roleSince: '2025-06-01' });
};

beforeAll(async () => {
  process.env.POWERTOOLS_LOG_LEVEL = 'ERROR';
  dataDir = mkdtempSync(join(tmpdir(), 'eco-cases-'));
  runtime = await startRuntime({ port: 0, dataDir, siteDir: dataDir, scheduler: false, log: () => undefined });
  _doc = DynamoDBDocumentClient.from(
    new DynamoDBClient({ endpoint: process.env.DYNAMODB_ENDPOINT, region: 'us-east-1' }),
  );
  for (const username of ['lead.suzhou', 'lead.wuzhong', 'lead.jiangyin', 'liaison.wuzhong', 'admin'])
    token[username] = (await runtime.issuer.signIn(username, 'demo'))?.token ?? '';
  await addLead('lead.jiangsu', '320000');
  await addLead('lead.wuxi', '320200');
  const [a, b] = distinctUsccs(2) as [string, string];
  for (const [uscc, county, lead] of [
    [a, '320506', 'lead.wuzhong'],
    [b, '320281', 'lead.jiangyin'],
  ] as const) {
    const firm = await call('POST', '/api/staff/enterprises', 'admin', {
      uscc,
      name: `三个最佳测试${county}有限公司`,
      county,
      address: '测试路 1 号',
      industry: '印染',
      size: 'medium',
      tier: 'city',
      contacts: [],
    });
    expect(firm.status, firm.text).toBe(201);
    const item = await call('POST', '/api/staff/ledger-items', lead, {
      uscc,
      title: '排污许可证变更办理',
      detail: '企业扩建后需变更排污许可',
      source: 'contact',
      severity: 'medium',
      dueOn: '2026-12-31',
      ownerDepartment: '审批科',
    });
    expect(item.status, item.text).toBe(201);
    const itemId = (item.body.item as { itemId: string }).itemId;
    if (county === '320506') wuzhongLedgerItem = itemId;
    else jiangyinLedgerItem = itemId;
  }
  wuzhongFirm = a;
  jiangyinFirm = b;
}, 60_000);

afterAll(async () => {
  await runtime?.stop();
  rmSync(dataDir, { recursive: true, force: true });
});

describe('the whole flow: county → city → province → public', () => {
  it('drafts with firms, ledger items and evidence, then submits, recommends, selects and publishes, each audited', async () => {
    // Prepare
    const evidenceId = await uploadEvidence(runtime.url, token['lead.wuzhong'] as string);

    // Act
    const created = await call(
      'POST',
      '/api/staff/cases',
      'lead.wuzhong',
      draftBody({ ledgerItems: [wuzhongLedgerItem], evidenceIds: [evidenceId] }),
    );
    const drafted = caseOf(created);
    const submitted = caseOf(await move('lead.wuzhong', drafted, 'submit'));
    const recommended = caseOf(await move('lead.suzhou', submitted, 'recommend'));
    const selected = caseOf(await move('lead.jiangsu', recommended, 'select'));
    const published = await call(
      'POST',
      `/api/staff/cases/${drafted.caseId}/publish`,
      'lead.jiangsu',
      publishBody(selected.version, { showFirms: true }),
    );
    const audit = await call('GET', `/api/staff/audit?entity=case:${drafted.caseId}`, 'admin');
    const listed = await publicCases();

    // Assess
    expect(created.status).toBe(201);
    expect(drafted).toMatchObject({ status: 'draft', version: 1, editable: true, moves: ['submit'] });
    expect(drafted.firms).toEqual([{ uscc: wuzhongFirm, name: '三个最佳测试320506有限公司' }]);
    expect(drafted.evidence.map((e) => e.evidenceId)).toEqual([evidenceId]);
    expect(submitted).toMatchObject({ status: 'submitted', version: 2, editable: false, moves: [] });
    expect(recommended).toMatchObject({ status: 'recommended', version: 3 });
    expect(selected).toMatchObject({ status: 'selected', version: 4, moves: ['publish'] });
    expect(published.status, published.text).toBe(200);
    expect(caseOf(published)).toMatchObject({ status: 'published', version: 5, moves: ['unpublish'] });
    const actions = (audit.body.events as { action: string }[]).map((e) => e.action).sort();
    expect(actions).toEqual(['case.create', 'case.publish', 'case.recommend', 'case.select', 'case.submit'].sort());
    const shown = (listed.body.cases as { caseId: string; firms: string[]; title: string }[]).find(
      (c) => c.caseId === drafted.caseId,
    );
    expect(shown).toMatchObject({
      title: '环保管家帮办服务：三天办结排污许可变更',
      firms: ['三个最佳测试320506有限公司'],
    });
  });

  it('lets the city return a case with its reason, the county rework it and submit it again', async () => {
    // Prepare
    const submitted = await advance(await draft(), 'submitted');

    // Act
    const noReason = await move('lead.suzhou', submitted, 'return');
    const returned = await move('lead.suzhou', submitted, 'return', { reason: '请补充服务成效数据' });
    const edited = await call('PATCH', `/api/staff/cases/${submitted.caseId}`, 'lead.wuzhong', {
      version: caseOf(returned).version,
      story: '补充：帮办后企业排污许可变更三天办结，较以往缩短十二天，节省费用两万元。',
    });
    const again = await move('lead.wuzhong', caseOf(edited), 'submit');

    // Assess
    expect(noReason.status).toBe(400);
    expect(Object.keys((noReason.body.error as { fields: Json }).fields)).toEqual(['reason']);
    expect(caseOf(returned)).toMatchObject({ status: 'returned', returnReason: '请补充服务成效数据' });
    expect(edited.status, edited.text).toBe(200);
    expect(caseOf(again)).toMatchObject({ status: 'submitted', returnReason: null, version: 5 });
  });
});

describe('each move only by its level (403) and from its status (409)', () => {
  it('refuses a draft to a city lead, the admin, a liaison', async () => {
    // Act
    const byCity = await call('POST', '/api/staff/cases', 'lead.suzhou', draftBody());
    const byProvince = await call('POST', '/api/staff/cases', 'lead.jiangsu', draftBody());
    const byAdmin = await call('POST', '/api/staff/cases', 'admin', draftBody());
    const byLiaison = await call('POST', '/api/staff/cases', 'liaison.wuzhong', draftBody());

    // Assess
    expect([byCity.status, byProvince.status, byAdmin.status, byLiaison.status]).toEqual([403, 403, 403, 403]);
    expect((byCity.body.error as { code: string }).code).toBe('FORBIDDEN');
  });

  it('refuses every move by the wrong level, and writes nothing', async () => {
    // Prepare
    const submitted = await advance(await draft(), 'submitted');
    const selected = await advance(await draft(), 'selected');

    // Act
    const wrong = [
      await move('lead.wuzhong', submitted, 'recommend'),
      await move('lead.jiangsu', submitted, 'recommend'),
      await move('lead.jiangsu', submitted, 'return', { reason: '省级退回' }),
      await move('lead.suzhou', submitted, 'submit'),
      await move('lead.suzhou', selected, 'select'),
      await call('POST', `/api/staff/cases/${selected.caseId}/publish`, 'lead.suzhou', publishBody(selected.version)),
      await call('POST', `/api/staff/cases/${selected.caseId}/publish`, 'lead.wuzhong', publishBody(selected.version)),
      await move('lead.wuzhong', selected, 'unpublish'),
      await move('admin', selected, 'unpublish'),
      await call('PATCH', `/api/staff/cases/${submitted.caseId}`, 'lead.suzhou', { version: 2, title: '市级改标题' }),
    ];
    const after = await call('GET', '/api/staff/cases?jurisdiction=320506', 'lead.wuzhong');

    // Assess
    expect(wrong.map((r) => r.status)).toEqual([403, 403, 403, 403, 403, 403, 403, 403, 403, 403]);
    const stored = after.body.cases as CaseView[];
    expect(stored.find((c) => c.caseId === submitted.caseId)).toMatchObject({ status: 'submitted', version: 2 });
    expect(stored.find((c) => c.caseId === selected.caseId)).toMatchObject({ status: 'selected', version: 4 });
  });

  it('refuses a move from a status it does not start from with 409 INVALID_TRANSITION', async () => {
    // Prepare
    const drafted = await draft();
    const submitted = await advance(await draft(), 'submitted');
    const recommended = await advance(await draft(), 'recommended');

    // Act
    const selectSubmitted = await move('lead.jiangsu', submitted, 'select');
    const publishRecommended = await call(
      'POST',
      `/api/staff/cases/${recommended.caseId}/publish`,
      'lead.jiangsu',
      publishBody(recommended.version),
    );
    const submitTwice = await move('lead.wuzhong', submitted, 'submit');
    const editSubmitted = await call('PATCH', `/api/staff/cases/${submitted.caseId}`, 'lead.wuzhong', {
      version: submitted.version,
      title: '提交后再改',
    });
    const recommendDraft = await move('lead.suzhou', drafted, 'recommend');

    // Assess
    for (const res of [selectSubmitted, publishRecommended, submitTwice, editSubmitted]) {
      expect(res.status, res.text).toBe(409);
      expect((res.body.error as { code: string }).code).toBe('INVALID_TRANSITION');
    }
    // A draft is the county's own: to the city it does not exist yet.
    expect(recommendDraft.status).toBe(404);
  });
});

describe('scope', () => {
  it('hides a case from leads outside it (404), and a draft from the levels above', async () => {
    // Prepare
    const drafted = await draft();
    const submitted = await advance(await draft(), 'submitted');

    // Act
    const otherCounty = await move('lead.jiangyin', submitted, 'submit');
    const otherCity = await move('lead.wuxi', submitted, 'recommend');
    const otherCityEdit = await call('PATCH', `/api/staff/cases/${drafted.caseId}`, 'lead.jiangyin', {
      version: 1,
      title: '别的县改标题',
    });
    const cityList = await call('GET', '/api/staff/cases?jurisdiction=320506', 'lead.suzhou');
    const countyList = await call('GET', '/api/staff/cases', 'lead.wuzhong');
    const jiangyinList = await call('GET', '/api/staff/cases', 'lead.jiangyin');
    const outside = await call('GET', '/api/staff/cases?jurisdiction=320506', 'lead.jiangyin');

    // Assess
    expect([otherCounty.status, otherCity.status, otherCityEdit.status]).toEqual([404, 404, 404]);
    const cityIds = (cityList.body.cases as CaseView[]).map((c) => c.caseId);
    expect(cityIds).toContain(submitted.caseId);
    expect(cityIds).not.toContain(drafted.caseId);
    expect((cityList.body.cases as CaseView[]).every((c) => c.status !== 'draft')).toBe(true);
    expect((countyList.body.cases as CaseView[]).map((c) => c.caseId)).toContain(drafted.caseId);
    expect(jiangyinList.body.cases).toEqual([]);
    expect(outside.status).toBe(404);
  });

  it('refuses firms and ledger items outside the county, or unknown, as field errors, and evidence not one’s own', async () => {
    // Prepare
    const othersEvidence = await uploadEvidence(runtime.url, token['lead.jiangyin'] as string);

    // Act
    const otherFirm = await call(
      'POST',
      '/api/staff/cases',
      'lead.wuzhong',
      draftBody({ firms: [wuzhongFirm, jiangyinFirm] }),
    );
    const unknownFirm = await call('POST', '/api/staff/cases', 'lead.wuzhong', draftBody({ firms: distinctUsccs(1) }));
    const otherItem = await call(
      'POST',
      '/api/staff/cases',
      'lead.wuzhong',
      draftBody({ ledgerItems: [wuzhongLedgerItem, jiangyinLedgerItem] }),
    );
    const otherFile = await call(
      'POST',
      '/api/staff/cases',
      'lead.wuzhong',
      draftBody({ evidenceIds: [othersEvidence] }),
    );
    const drafted = await draft();
    const editToOtherFirm = await call('PATCH', `/api/staff/cases/${drafted.caseId}`, 'lead.wuzhong', {
      version: 1,
      firms: [jiangyinFirm],
    });

    // Assess
    expect(otherFirm.status).toBe(400);
    expect((otherFirm.body.error as { fields: Json }).fields).toEqual({
      'firms.1': 'No such firm in your jurisdiction',
    });
    expect((unknownFirm.body.error as { fields: Json }).fields).toEqual({
      'firms.0': 'No such firm in your jurisdiction',
    });
    expect((otherItem.body.error as { fields: Json }).fields).toEqual({
      'ledgerItems.1': 'No such ledger item in your jurisdiction',
    });
    expect(otherFile.status).toBe(400);
    expect(Object.keys((otherFile.body.error as { fields: Json }).fields)).toEqual(['evidenceIds.0']);
    expect(editToOtherFirm.status).toBe(400);
  });
});

describe('personal data in the public text', () => {
  it.each([
    ['a mobile number', { publicSummary: '欢迎致电联络员13812345678咨询帮办服务的具体办理流程。' }, 'publicSummary'],
    ['a mobile in groups', { publicSummary: '帮办热线 138 1234 5678，工作日均可咨询办理流程。' }, 'publicSummary'],
    ['full-width digits', { publicSummary: '联系电话１３８１２３４５６７８，欢迎企业咨询帮办服务。' }, 'publicSummary'],
    ['an ID number', { publicSummary: '负责人身份证号 32050619800101123X，已完成帮办登记。' }, 'publicSummary'],
    ['a USCC', { publicTitle: '企业91320506MA1XYW001A帮办服务' }, 'publicTitle'],
    ['an e-mail address', { publicSummary: '来信请寄 wang.liaison@example.com，我们将及时回复。' }, 'publicSummary'],
  ])('refuses %s with a field error and leaves the case unpublished', async (_what, text, field) => {
    // Prepare
    const selected = await advance(await draft(), 'selected');

    // Act
    const res = await call(
      'POST',
      `/api/staff/cases/${selected.caseId}/publish`,
      'lead.jiangsu',
      publishBody(selected.version, text),
    );
    const listed = await publicCases();

    // Assess
    expect(res.status).toBe(400);
    expect((res.body.error as { code: string; fields: Json }).code).toBe('VALIDATION_FAILED');
    expect(Object.keys((res.body.error as { fields: Json }).fields)).toEqual([field]);
    expect((listed.body.cases as { caseId: string }[]).map((c) => c.caseId)).not.toContain(selected.caseId);
  });
});

describe('versions', () => {
  it('answers a stale version 409 VERSION_CONFLICT, and of two edits at one version only one lands', async () => {
    // Prepare
    const drafted = await draft();

    // Act
    const [a, b] = await Promise.all([
      call('PATCH', `/api/staff/cases/${drafted.caseId}`, 'lead.wuzhong', { version: 1, title: '第一种改法的标题' }),
      call('PATCH', `/api/staff/cases/${drafted.caseId}`, 'lead.wuzhong', { version: 1, title: '第二种改法的标题' }),
    ]);
    const staleSubmit = await move('lead.wuzhong', drafted, 'submit');

    // Assess
    expect([a.status, b.status].sort()).toEqual([200, 409]);
    const lost = a.status === 409 ? a : b;
    expect((lost.body.error as { code: string }).code).toBe('VERSION_CONFLICT');
    expect(staleSubmit.status).toBe(409);
    expect((staleSubmit.body.error as { code: string }).code).toBe('VERSION_CONFLICT');
  });
});

describe('the public list', () => {
  it('shows published cases only, as public text without personal fields, and drops an unpublished one', async () => {
    // Prepare: one case in every status; the drafts' stories name a person and a mobile.
    const drafted = await draft();
    const submitted = await advance(await draft(), 'submitted');
    const recommended = await advance(await draft(), 'recommended');
    const selected = await advance(await draft(), 'selected');
    const published = await advance(await draft({ kind: 'best_system_supply' }), 'published');
    const gone = await advance(await draft(), 'published');
    const unpublished = await move('lead.jiangsu', gone, 'unpublish');

    // Act
    const listed = await publicCases();
    const ofKind = await publicCases('?kind=best_system_supply');
    const otherKind = await publicCases('?kind=best_service_project');

    // Assess
    expect(unpublished.status).toBe(200);
    expect(caseOf(unpublished).status).toBe('selected');
    const ids = (listed.body.cases as { caseId: string }[]).map((c) => c.caseId);
    expect(ids).toContain(published.caseId);
    for (const hidden of [drafted, submitted, recommended, selected, gone]) expect(ids).not.toContain(hidden.caseId);
    const one = (listed.body.cases as Json[]).find((c) => c.caseId === published.caseId) as Json;
    expect(Object.keys(one).sort()).toEqual([
      'caseId',
      'county',
      'firms',
      'kind',
      'place',
      'publishedAt',
      'summary',
      'title',
    ]);
    expect(one.firms).toEqual([]);
    expect(listed.text).not.toMatch(/13812345678|王某|lead\.|liaison\.|story|createdBy/);
    expect(listed.text).not.toContain(wuzhongFirm);
    expect(listed.headers.get('cache-control')).toBe('public, max-age=60');
    expect((ofKind.body.cases as { caseId: string }[]).map((c) => c.caseId)).toContain(published.caseId);
    expect((ofKind.body.cases as { kind: string }[]).every((c) => c.kind === 'best_system_supply')).toBe(true);
    expect((otherKind.body.cases as unknown[]).length).toBe(0);
  });

  it('pages 20 at a time with a sealed cursor, and refuses a forged one', async () => {
    // Prepare: more published cases than one page holds.
    const before = await publicCases();
    const needed = Math.max(0, 21 - (before.body.cases as unknown[]).length);
    for (let i = 0; i < needed; i++) await advance(await draft({ kind: 'best_service_project' }), 'published');

    // Act
    const first = await publicCases();
    const cursor = first.body.nextCursor as string;
    const second = await publicCases(`?cursor=${encodeURIComponent(cursor)}`);
    const forged = await call('GET', `/api/public/cases?cursor=${cursor.slice(0, -4)}AAAA`, undefined);
    const otherKind = await call('GET', `/api/public/cases?kind=best_system_supply&cursor=${cursor}`, undefined);

    // Assess
    expect((first.body.cases as unknown[]).length).toBe(20);
    expect(typeof cursor).toBe('string');
    const firstIds = new Set((first.body.cases as { caseId: string }[]).map((c) => c.caseId));
    const secondIds = (second.body.cases as { caseId: string }[]).map((c) => c.caseId);
    expect(secondIds.length).toBeGreaterThan(0);
    expect(secondIds.some((id) => firstIds.has(id))).toBe(false);
    expect([forged.status, otherKind.status]).toEqual([400, 400]);
  }, 60_000);

  it('reads without JavaScript: the same list as escaped HTML', async () => {
    // Prepare
    const published = await advance(await draft({ kind: 'best_service_measure' }), 'selected');
    await call(
      'POST',
      `/api/staff/cases/${published.caseId}/publish`,
      'lead.jiangsu',
      publishBody(published.version, { publicTitle: '<script>alert(1)</script>帮办' }),
    );

    // Act
    const html = await call(
      'GET',
      '/api/public/cases?lang=en&kind=best_service_measure',
      undefined,
      undefined,
      'text/html',
    );

    // Assess
    expect(html.status).toBe(200);
    expect(html.headers.get('content-type')).toContain('text/html');
    expect(html.text).toContain('&lt;script&gt;alert(1)&lt;/script&gt;帮办');
    expect(html.text).not.toContain('<script>');
    expect(html.text).toContain('Best service measure');
  });
});
