import { type DynamoDBDocumentClient, QueryCommand } from '@aws-sdk/lib-dynamodb';
import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import { claimsFor, httpEvent, invoke } from '../support/events.ts';
import { type Handler, useFunctions } from '../support/table.ts';
import { distinctUsccs } from '../support/uscc.ts';

let staffFn: Handler;
let doc: DynamoDBDocumentClient;
let tableName: string;

beforeAll(async () => {
  ({ tableName, doc, staffFn } = await useFunctions());
});

const lead = claimsFor('lead.wuzhong', 'lead', '320506');
const body = (uscc: string, extra: Record<string, unknown> = {}) => ({
  uscc,
  name: '苏州吴中精细化工有限公司',
  county: '320506',
  address: '苏州市吴中区临湖镇工业园 8 号',
  industry: '化学原料和化学制品制造业',
  size: 'medium',
  tier: 'city',
  permitNo: '91320506MA1XXXXX001P',
  permitExpiresOn: '2027-06-30',
  contacts: [{ name: '陈工', role: '环保主管', mobile: '13912345678', email: 'chen@example.com' }],
  ...extra,
});
const create = (b: unknown, claims = lead) =>
  invoke(staffFn, httpEvent('POST', '/api/staff/enterprises', { claims, body: JSON.stringify(b) }));

describe('audit listing', () => {
  it('shows a lead the events of its subtree, filtered by entity and actor, and another county none', async () => {
    const [uscc] = distinctUsccs(1) as [string];
    await create(body(uscc));
    await invoke(
      staffFn,
      httpEvent('PATCH', `/api/staff/enterprises/${uscc}`, {
        claims: lead,
        body: JSON.stringify({ version: 1, industry: '纺织' }),
      }),
    );
    const audit = (q: string, claims = lead) => invoke(staffFn, httpEvent('GET', `/api/staff/audit?${q}`, { claims }));
    const own = await audit(`entity=enterprise:${uscc}`);
    expect(own.json.events.map((e: { action: string }) => e.action)).toEqual([
      'enterprise.update',
      'enterprise.create',
    ]);
    expect(own.json.events[0]).toMatchObject({
      actor: 'lead.wuzhong',
      before: { industry: '化学原料和化学制品制造业' },
      after: { industry: '纺织' },
    });
    const city = await audit('actor=lead.wuzhong&limit=200', claimsFor('lead.suzhou', 'lead', '320500'));
    expect(city.json.events.length).toBeGreaterThan(0);
    const other = await audit(`entity=enterprise:${uscc}`, claimsFor('lead.jiangyin', 'lead', '320281'));
    expect(other.json.events).toEqual([]);
    const bad = await audit('entity=whatever');
    expect(bad.status).toBe(400);
  });
});

describe('enterprises', () => {
  it('registers a firm with its audit event, and refuses the same USCC twice', async () => {
    const [uscc] = distinctUsccs(1) as [string];
    const res = await create(body(uscc.toLowerCase()));
    expect(res.status).toBe(201);
    expect(res.json.enterprise).toMatchObject({ uscc, status: 'active', version: 1 });
    expect((await create(body(uscc))).json.error.code).toBe('ALREADY_EXISTS');
    const audit = await doc.send(
      new QueryCommand({
        TableName: tableName,
        KeyConditionExpression: 'pk = :pk',
        ExpressionAttributeValues: { ':pk': `AUDIT#enterprise:${uscc}` },
      }),
    );
    expect(audit.Items?.map((a) => a.action)).toEqual(['enterprise.create']);
  });

  it('names every bad field: check digit, county level, mobile, size', async () => {
    const res = await create(
      body('91350100M000100Y44', { county: '320500', size: 'huge', contacts: [{ name: 'x', mobile: '123' }] }),
    );
    expect(res.status).toBe(400);
    expect(Object.keys(res.json.error.fields).sort()).toEqual(['contacts.0.mobile', 'county', 'size', 'uscc']);
  });

  it('answers 201, 400 or 409 to any body, never 500 (property)', async () => {
    const keys = Object.keys(body('x'));
    await fc.assert(
      fc.asyncProperty(
        fc.oneof(
          fc.anything(),
          fc
            .record({
              k: fc.constantFrom(...keys),
              v: fc.oneof(fc.string(), fc.integer(), fc.constant(null), fc.object()),
            })
            .map(({ k, v }) => ({ ...body(distinctUsccs(1)[0] as string), [k]: v })),
        ),
        async (b) => {
          expect([201, 400, 409]).toContain((await create(b)).status);
        },
      ),
      { numRuns: 100 },
    );
  });

  it('edits with the version: the second of two concurrent edits gets 409 VERSION_CONFLICT', async () => {
    const [uscc] = distinctUsccs(1) as [string];
    await create(body(uscc));
    const patch = (address: string) =>
      invoke(
        staffFn,
        httpEvent('PATCH', `/api/staff/enterprises/${uscc}`, {
          claims: lead,
          body: JSON.stringify({ version: 1, address }),
        }),
      );
    const results = await Promise.all([patch('地址甲'), patch('地址乙')]);
    expect(results.map((r) => r.status).sort()).toEqual([200, 409]);
    const now = await invoke(staffFn, httpEvent('GET', `/api/staff/enterprises/${uscc}`, { claims: lead }));
    expect(now.json.enterprise.version).toBe(2);
    expect(['地址甲', '地址乙']).toContain(now.json.enterprise.address);
  });

  it('lists a subtree by prefix with paging and search; other counties see none of it', async () => {
    const codes = distinctUsccs(5);
    for (const [i, uscc] of codes.entries())
      await create(body(uscc, { name: `列表测试企业${i}`, tier: i % 2 ? 'county' : 'city' }));
    const list = (query: string, claims = lead) =>
      invoke(staffFn, httpEvent('GET', `/api/staff/enterprises?${query}`, { claims }));
    const found = await list('q=列表测试企业');
    expect(found.json.enterprises.map((e: { uscc: string }) => e.uscc).sort()).toEqual([...codes].sort());
    const byUscc = await list(`q=${(codes[0] as string).slice(0, 12).toLowerCase()}`);
    expect(byUscc.json.enterprises.map((e: { uscc: string }) => e.uscc)).toContain(codes[0]);
    const city = await list('county=320500&q=列表测试企业&tier=county', claimsFor('lead.suzhou', 'lead', '320500'));
    expect(city.json.enterprises).toHaveLength(2);
    const other = await list('county=320506', claimsFor('lead.jiangyin', 'lead', '320281'));
    expect(other.status).toBe(404);
    const own = await list('q=列表测试企业', claimsFor('lead.jiangyin', 'lead', '320281'));
    expect(own.json.enterprises).toEqual([]);
    const page = await list('limit=2');
    expect(page.json.enterprises).toHaveLength(2);
    expect(page.json.nextCursor).toEqual(expect.any(String));
  });
});
