import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Runtime, startRuntime } from '../../infra/local/runtime.ts';
import { submissionStatus } from '../../shared/submissions.ts';
import { addStaffAccount } from '../support/accounts.ts';
import { apiCaller } from '../support/api.ts';
import { randomUscc } from '../support/uscc.ts';

// The annual list (issue 19): a city's lead freezes its list of paired firms, liaisons and contact
// leaders; a later submit is a new version and never changes the one sent; late is judged by the
// first submit against the year's deadline (30 August unless the province set another). Through the
// local gateway on DynamoDB Local.
let runtime: Runtime;
let dataDir: string;
const token: Record<string, string> = {};
const call = apiCaller(() => runtime.url, token);

const csv = async (path: string, who: string) => {
  const res = await fetch(`${runtime.url}${path}`, { headers: { authorization: `Bearer ${token[who]}` } });
  return { status: res.status, text: res.status === 200 ? await res.text() : '' };
};

const pairFirm = async (name: string, serviceYear: number) => {
  const uscc = randomUscc();
  const firm = await call('POST', '/api/staff/enterprises', 'lead.wuzhong', {
    uscc,
    name,
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
    serviceYear,
    startsOn: `${serviceYear}-03-01`,
    contactLeader: 'lead.wuzhong',
  });
  expect(paired.status).toBe(201);
  return uscc;
};

const standing = async (who: string, serviceYear: number) =>
  (await call('GET', `/api/staff/submissions?serviceYear=${serviceYear}`, who)).body;

beforeAll(async () => {
  dataDir = mkdtempSync(join(tmpdir(), 'eco-submissions-'));
  runtime = await startRuntime({ port: 0, dataDir, siteDir: dataDir, scheduler: false, log: () => undefined });
  for (const username of ['lead.wuzhong', 'lead.suzhou', 'lead.jiangyin', 'admin'])
    token[username] = (await runtime.issuer.signIn(username, 'demo'))?.token ?? '';
  // The province's lead: every city is in its scope, none is its own.
  token['lead.jiangsu'] = await addStaffAccount(runtime, {
    username: 'lead.jiangsu',
    displayName: '省厅领导',
    role: 'lead',
    jurisdiction: '320000',
  });
}, 60_000);

afterAll(async () => {
  await runtime?.stop();
  rmSync(dataDir, { recursive: true, force: true });
});

describe('the status of a city', () => {
  it('is submitted on the deadline itself, late the day after; unsent, pending until it passes', () => {
    expect(submissionStatus('2026-08-30', '2026-08-30', '2026-12-06')).toBe('submitted');
    expect(submissionStatus('2026-08-30', '2026-08-31', '2026-12-06')).toBe('late');
    expect(submissionStatus('2026-08-30', null, '2026-08-30')).toBe('pending');
    expect(submissionStatus('2026-08-30', null, '2026-08-31')).toBe('overdue');
  });
});

describe('submitting the annual list', () => {
  it('freezes the list as it stands: a later submit is a new version and the first stays as sent', async () => {
    // Prepare: a 2025 list (its deadline long past)
    const first = await pairFirm('名单冻结测试甲公司', 2025);

    // Act
    const v1 = await call('POST', '/api/staff/submissions', 'lead.suzhou', { serviceYear: 2025, city: '320500' });
    const second = await pairFirm('名单冻结测试乙公司', 2025);
    const v2 = await call('POST', '/api/staff/submissions', 'lead.suzhou', { serviceYear: 2025, city: '320500' });

    // Assess
    expect(v1.status).toBe(201);
    expect(v1.body.submission).toMatchObject({
      version: 1,
      rows: 1,
      lastSubmittedBy: 'lead.suzhou',
      lastSubmittedByName: '苏州市专班负责人 Suzhou lead',
    });
    expect(v2.body.submission).toMatchObject({ version: 2, rows: 2 });
    expect(v2.body.submission.firstSubmittedAt).toBe(v1.body.submission.firstSubmittedAt);
    const sent = await csv('/api/staff/submissions/2025/320500/export?format=csv&version=1', 'lead.suzhou');
    expect(sent.status).toBe(200);
    expect(sent.text).toContain(first);
    expect(sent.text).not.toContain(second);
    expect(sent.text).toContain('联系领导');
    const latest = await csv('/api/staff/submissions/2025/320500/export?format=csv', 'admin');
    expect(latest.text).toContain(second);
    const suzhou = (await standing('admin', 2025)).cities.find((c: { city: string }) => c.city === '320500');
    expect(suzhou).toMatchObject({ status: 'late', version: 2, rows: 2 });
    expect((await csv('/api/staff/submissions/2025/320500/export?version=3', 'admin')).status).toBe(404);
  });

  it('lets only the city’s own lead (or an admin) submit, inside its scope', async () => {
    const byCounty = await call('POST', '/api/staff/submissions', 'lead.wuzhong', {
      serviceYear: 2025,
      city: '320500',
    });
    const otherCity = await call('POST', '/api/staff/submissions', 'lead.suzhou', {
      serviceYear: 2025,
      city: '320200',
    });
    const notACity = await call('POST', '/api/staff/submissions', 'lead.suzhou', { serviceYear: 2025, city: '320506' });
    const unknownCity = await call('POST', '/api/staff/submissions', 'admin', { serviceYear: 2025, city: '329900' });
    expect(byCounty.status).toBe(404);
    expect(otherCity.status).toBe(404);
    expect(notACity.status).toBe(400);
    expect(unknownCity.status).toBe(404);
    expect((await csv('/api/staff/submissions/2025/320500/export', 'lead.jiangyin')).status).toBe(404);
    const cities = (await standing('lead.suzhou', 2025)).cities.map((c: { city: string }) => c.city);
    expect(cities).toEqual(['320500']);
    expect((await standing('lead.wuzhong', 2025)).cities).toEqual([]);
  });

  it('makes one version per submit when two arrive at once, refusing the loser with 409', async () => {
    // Prepare
    const before = (await standing('admin', 2025)).cities.find((c: { city: string }) => c.city === '320500').version;

    // Act
    const both = await Promise.all([
      call('POST', '/api/staff/submissions', 'lead.suzhou', { serviceYear: 2025, city: '320500' }),
      call('POST', '/api/staff/submissions', 'lead.suzhou', { serviceYear: 2025, city: '320500' }),
    ]);

    // Assess
    const made = both.filter((r) => r.status === 201);
    expect(made.length).toBeGreaterThanOrEqual(1);
    for (const r of both) expect([201, 409]).toContain(r.status);
    expect(new Set(made.map((r) => r.body.submission.version)).size).toBe(made.length);
    const after = (await standing('admin', 2025)).cities.find((c: { city: string }) => c.city === '320500').version;
    expect(after).toBe(before + made.length);
  });
});

describe('the deadline of a year', () => {
  it('is 30 August unless the province sets another; a stale setting is refused; on time counts as submitted', async () => {
    // Prepare
    expect((await standing('admin', 2099)).deadline).toBe('2099-08-30');

    // Act
    const set = await call('PUT', '/api/staff/submissions/2099/deadline', 'admin', {
      deadline: '2099-09-15',
      version: 0,
    });
    const stale = await call('PUT', '/api/staff/submissions/2099/deadline', 'admin', {
      deadline: '2099-10-01',
      version: 0,
    });
    const byLead = await call('PUT', '/api/staff/submissions/2099/deadline', 'lead.suzhou', {
      deadline: '2099-10-01',
      version: 1,
    });
    await pairFirm('名单按时报送测试公司', 2099);
    const sent = await call('POST', '/api/staff/submissions', 'lead.suzhou', { serviceYear: 2099, city: '320500' });

    // Assess
    expect(set.status).toBe(200);
    expect(set.body.deadline).toEqual({ deadline: '2099-09-15', version: 1 });
    expect(stale.status).toBe(409);
    expect(byLead.status).toBe(403);
    expect(sent.status).toBe(201);
    const year = await standing('admin', 2099);
    expect(year.deadline).toBe('2099-09-15');
    const byCity = Object.fromEntries(year.cities.map((c: { city: string; status: string }) => [c.city, c.status]));
    expect(byCity['320500']).toBe('submitted');
    expect(byCity['320200']).toBe('pending');
    expect((await standing('admin', 2025)).cities.find((c: { city: string }) => c.city === '320200').status).toBe(
      'overdue',
    );
  });
});
