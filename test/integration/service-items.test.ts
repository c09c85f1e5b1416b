import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Runtime, startRuntime } from '../../infra/local/runtime.ts';
import { DEFAULT_SERVICE_ITEMS } from '../../shared/service-items.ts';
import { shanghaiMonth } from '../../shared/time.ts';
import { apiCaller } from '../support/api.ts';
import { randomUscc } from '../support/uscc.ts';

// The annual service items (issue 19): the catalogue admins keep (versioned; items retired, never
// dropped), contacts and ledger items tagged with its items, and the counts per item and per
// category (送政策、送技术、送服务) at the county and every level above, from counters written with
// each fact. Through the local gateway on DynamoDB Local.
let runtime: Runtime;
let dataDir: string;
const token: Record<string, string> = {};
const call = apiCaller(() => runtime.url, token);
let uscc = '';
let pairingId = '';
const month = shanghaiMonth(new Date());

const contact = (serviceItems?: string[]) =>
  call('POST', `/api/staff/pairings/${pairingId}/contacts`, 'liaison.wuzhong', {
    at: new Date().toISOString(),
    mode: 'visit',
    participants: ['王经理'],
    summary: '上门宣讲排污许可新规，指导企业申领',
    ...(serviceItems ? { serviceItems } : {}),
  });

const item = (serviceItems?: string[]) =>
  call('POST', '/api/staff/ledger-items', 'lead.wuzhong', {
    uscc,
    title: `危废台账不规范${Math.random()}`,
    detail: '危险废物台账记录不全，需指导规范化管理',
    source: 'contact',
    severity: 'low',
    dueOn: '2099-12-31',
    ownerDepartment: '固废科',
    ...(serviceItems ? { serviceItems } : {}),
  });

const stats = (who: string, jurisdiction: string) =>
  call('GET', `/api/staff/service-items/stats?jurisdiction=${jurisdiction}&from=${month}&to=${month}`, who);

const countOf = (body: Record<string, unknown>, id: string) =>
  (body.items as { id: string; contacts: number; ledgerItems: number }[]).find((i) => i.id === id);

beforeAll(async () => {
  dataDir = mkdtempSync(join(tmpdir(), 'eco-service-items-'));
  runtime = await startRuntime({ port: 0, dataDir, siteDir: dataDir, scheduler: false, log: () => undefined });
  for (const username of ['liaison.wuzhong', 'lead.wuzhong', 'lead.suzhou', 'lead.jiangyin', 'admin'])
    token[username] = (await runtime.issuer.signIn(username, 'demo'))?.token ?? '';
  uscc = randomUscc();
  const firm = await call('POST', '/api/staff/enterprises', 'lead.wuzhong', {
    uscc,
    name: '服务事项测试企业',
    county: '320506',
    address: '吴中区木渎镇',
    industry: '电镀',
    size: 'small',
    tier: 'county',
    contacts: [],
  });
  expect(firm.status).toBe(201);
  const paired = await call('POST', '/api/staff/pairings', 'lead.wuzhong', {
    uscc,
    liaison: 'liaison.wuzhong',
    serviceYear: Number(month.slice(0, 4)),
    startsOn: `${month}-01`,
  });
  expect(paired.status).toBe(201);
  pairingId = paired.body.pairing.pairingId;
}, 60_000);

afterAll(async () => {
  await runtime?.stop();
  rmSync(dataDir, { recursive: true, force: true });
});

describe('the catalogue', () => {
  it('offers the 14 default items, version 0, to every staff member', async () => {
    const res = await call('GET', '/api/staff/service-items', 'liaison.wuzhong');
    expect(res.status).toBe(200);
    expect(res.body.catalogue.version).toBe(0);
    expect(res.body.catalogue.items).toHaveLength(14);
    expect(new Set(res.body.catalogue.items.map((i: { category: string }) => i.category))).toEqual(
      new Set(['policy', 'technology', 'service']),
    );
  });

  it('refuses a save that drops an item, repeats an id, or was made at a stale version', async () => {
    // Prepare
    const items = DEFAULT_SERVICE_ITEMS.map((i) => ({ ...i }));

    // Act
    const dropped = await call('PUT', '/api/staff/service-items', 'admin', { version: 0, items: items.slice(1) });
    const twice = await call('PUT', '/api/staff/service-items', 'admin', { version: 0, items: [...items, items[0]] });
    const stale = await call('PUT', '/api/staff/service-items', 'admin', { version: 3, items });
    const byLead = await call('PUT', '/api/staff/service-items', 'lead.suzhou', { version: 0, items });

    // Assess
    expect(dropped.status).toBe(400);
    expect(dropped.body.error.fields.items).toContain('S01');
    expect(twice.status).toBe(400);
    expect(stale.status).toBe(409);
    expect(stale.body.error.code).toBe('VERSION_CONFLICT');
    expect(byLead.status).toBe(403);
    expect((await call('GET', '/api/staff/service-items', 'admin')).body.catalogue.version).toBe(0);
  });
});

describe('tagging and counting', () => {
  it('counts tagged contacts and items for the county, its city and the province, per item and category', async () => {
    // Prepare
    const before = (await stats('admin', '320000')).body;

    // Act
    expect((await contact(['S01', 'S03'])).status).toBe(201);
    expect((await contact(['S03'])).status).toBe(201);
    expect((await contact()).status).toBe(201);
    expect((await item(['S09'])).status).toBe(201);
    expect((await item(['S03', 'S11'])).status).toBe(201);

    // Assess
    for (const [who, code] of [
      ['lead.wuzhong', '320506'],
      ['lead.suzhou', '320500'],
    ] as const) {
      const res = await stats(who, code);
      expect(res.status).toBe(200);
      expect(countOf(res.body, 'S01')).toMatchObject({ contacts: 1, ledgerItems: 0 });
      expect(countOf(res.body, 'S03')).toMatchObject({ contacts: 2, ledgerItems: 1 });
      expect(countOf(res.body, 'S09')).toMatchObject({ contacts: 0, ledgerItems: 1 });
      expect(res.body.categories).toEqual({
        policy: { contacts: 3, ledgerItems: 1 },
        technology: { contacts: 0, ledgerItems: 1 },
        service: { contacts: 0, ledgerItems: 1 },
      });
    }
    const province = (await stats('admin', '320000')).body;
    expect(province.categories.policy.contacts - before.categories.policy.contacts).toBe(3);
  });

  it('lists the ledger items of one service item', async () => {
    const res = await call('GET', `/api/staff/ledger-items?uscc=${uscc}&serviceItem=S09`, 'lead.wuzhong');
    expect(res.status).toBe(200);
    expect(res.body.items.length).toBeGreaterThan(0);
    expect(res.body.items.every((i: { serviceItems: string[] }) => i.serviceItems.includes('S09'))).toBe(true);
  });

  it('refuses unknown tags, repeated tags and more than five, and writes nothing', async () => {
    // Prepare
    const before = (await stats('lead.wuzhong', '320506')).body;

    // Act
    const unknown = await contact(['S99']);
    const repeated = await item(['S01', 'S01']);
    const many = await contact(['S01', 'S02', 'S03', 'S04', 'S05', 'S06']);
    const badId = await item(['policy']);

    // Assess
    expect(unknown.status).toBe(400);
    expect(unknown.body.error.fields.serviceItems).toContain('S99');
    for (const res of [repeated, many, badId]) expect(res.status).toBe(400);
    expect((await stats('lead.wuzhong', '320506')).body.categories).toEqual(before.categories);
  });

  it('keeps the stats inside the caller’s subtree and away from liaisons', async () => {
    expect((await stats('lead.jiangyin', '320506')).status).toBe(404);
    expect((await stats('liaison.wuzhong', '320506')).status).toBe(403);
    expect((await call('GET', '/api/staff/service-items/stats?from=2026-12&to=2026-01', 'admin')).status).toBe(400);
  });

  it('stops offering a retired item but keeps counting and naming it; a new item can be tagged at once', async () => {
    // Prepare
    const items = [
      ...DEFAULT_SERVICE_ITEMS.map((i) => (i.id === 'S05' ? { ...i, retired: true } : { ...i })),
      { id: 'S15', category: 'service', zh: '企业开放日', en: 'Open days' },
    ];

    // Act
    const saved = await call('PUT', '/api/staff/service-items', 'admin', { version: 0, items });
    const retired = await contact(['S05']);
    const added = await contact(['S15']);
    const again = await call('PUT', '/api/staff/service-items', 'admin', { version: 0, items });

    // Assess
    expect(saved.status).toBe(200);
    expect(saved.body.catalogue).toMatchObject({ version: 1, updatedBy: 'admin' });
    expect(retired.status).toBe(400);
    expect(added.status).toBe(201);
    expect(again.status).toBe(409);
    const res = await stats('lead.wuzhong', '320506');
    expect(countOf(res.body, 'S15')).toMatchObject({ contacts: 1, category: 'service' });
    expect(countOf(res.body, 'S05')).toMatchObject({ retired: true });
    expect(res.body.catalogueVersion).toBe(1);
    const audit = await call('GET', '/api/staff/audit?entity=catalogue:service-items', 'admin');
    expect(JSON.stringify(audit.body)).toContain('serviceItems.save');
  });
});
