import { GetCommand, PutCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { beforeAll, describe, expect, it } from 'vitest';
import { parseCsv, toCsv } from '../../functions/lib/formats/csv.ts';
import { userItem } from '../../shared/staff-user.ts';
import { shanghaiMonth } from '../../shared/time.ts';
import { claimsFor, httpEvent, invoke } from '../support/events.ts';
import { staffCaller, suzhouStaff } from '../support/staff-api.ts';
import { type Handler, useFunctions } from '../support/table.ts';
import { distinctUsccs } from '../support/uscc.ts';

// Issue 19: firms carry `types` and a `park`; parks are a managed list per county (retired, never
// removed; names unique in the county); a firm's park is a live park of its county. Issue 18: the
// roster export writes Chinese values and imports back unchanged. Against DynamoDB Local.
let staffFn: Handler;
let doc: Awaited<ReturnType<typeof useFunctions>>['doc'];
let tableName: string;

const { lead, leadCity: cityLead, leadJiangyin: otherLead } = suzhouStaff;

const call = staffCaller(() => staffFn);
const parksOf = async (county: string) => (await call('GET', `/api/staff/parks?county=${county}`, lead)).json.parkList;
const saveParks = (county: string, body: unknown, claims = lead) =>
  call('PUT', `/api/staff/parks?county=${county}`, claims, body);
const firmBody = (uscc: string, extra: Record<string, unknown> = {}) => ({
  uscc,
  name: `园区测试${uscc.slice(-4)}有限公司`,
  county: '320506',
  address: '苏州市吴中区木渎镇金山路 8 号',
  industry: '电镀',
  size: 'medium',
  tier: 'city',
  contacts: [{ name: '张三', mobile: '13900000001' }],
  ...extra,
});
const rawFirm = async (uscc: string) =>
  (await doc.send(new GetCommand({ TableName: tableName, Key: { pk: `ENT#${uscc}`, sk: 'ENT' } }))).Item;

let parkA = '';
let parkB = '';
let retired = '';

beforeAll(async () => {
  ({ staffFn, doc, tableName } = await useFunctions());
  const saved = await saveParks('320506', {
    version: 0,
    parks: [{ name: '木渎工业园' }, { name: '吴中经济技术开发区' }, { name: '旧园区' }],
  });
  expect(saved.status, saved.text).toBe(200);
  [parkA, parkB, retired] = saved.json.parkList.parks.map((p: { id: string }) => p.id);
  const retiring = await saveParks('320506', {
    version: 1,
    parks: saved.json.parkList.parks.map((p: { id: string; name: string }) => ({ ...p, retired: p.id === retired })),
  });
  expect(retiring.status, retiring.text).toBe(200);
});

describe('parks per county', () => {
  it('gives each new park an id of its county, and a city lead above the county edits the list too', async () => {
    // Prepare
    const before = await parksOf('320506');
    // Act
    const res = await saveParks(
      '320506',
      { version: before.version, parks: [...before.parks, { name: '  胥口  工业区 ' }] },
      cityLead,
    );
    // Assess
    expect(res.status, res.text).toBe(200);
    expect(res.json.parkList.parks.at(-1)).toEqual({ id: '320506-P004', name: '胥口 工业区' });
    expect(res.json.parkList.version).toBe(before.version + 1);
  });

  it('refuses removing a park (retire it), a name twice in the county, a stale version, and a county out of scope (404)', async () => {
    // Prepare
    const list = await parksOf('320506');
    // Act
    const removed = await saveParks('320506', { version: list.version, parks: list.parks.slice(1) });
    const twice = await saveParks('320506', { version: list.version, parks: [...list.parks, { name: '木渎工业园 ' }] });
    const stale = await saveParks('320506', { version: list.version - 1, parks: [...list.parks, { name: '新园区' }] });
    const outside = await saveParks('320506', { version: list.version, parks: list.parks }, otherLead);
    const outsideRead = await call('GET', '/api/staff/parks?county=320506', otherLead);
    // Assess
    expect(removed.status).toBe(400);
    expect(removed.json.error.fields.parks).toContain('木渎工业园');
    expect(twice.status).toBe(400);
    expect(twice.json.error.fields).toHaveProperty('parks');
    expect(stale.status).toBe(409);
    expect(stale.json.error.code).toBe('VERSION_CONFLICT');
    expect(outside.status).toBe(404);
    expect(outsideRead.status).toBe(404);
    expect((await parksOf('320506')).version).toBe(list.version);
  });

  it('a save retried after its answer was lost (the same list) answers the list and writes nothing', async () => {
    // Prepare: Xiangcheng's first save, whose answer the client never saw.
    const body = { version: 0, parks: [{ name: '相城经济技术开发区' }] };
    const first = await saveParks('320507', body, cityLead);
    // Act
    const again = await saveParks('320507', body, cityLead);
    // Assess
    expect(first.status).toBe(200);
    expect(again.status).toBe(200);
    expect(again.json.parkList).toEqual(first.json.parkList);
  });
});

describe("a firm's types and park", () => {
  const [typed, moved, imported] = distinctUsccs(3) as [string, string, string];

  it('stores the types as an array of codes and the park as its id', async () => {
    // Act
    const res = await call(
      'POST',
      '/api/staff/enterprises',
      lead,
      firmBody(typed, { types: ['eagle_action', 'key_discharger'], park: parkA }),
    );
    // Assess: the codes in the list's order, whatever the request's.
    expect(res.status, res.text).toBe(201);
    expect(await rawFirm(typed)).toMatchObject({ types: ['key_discharger', 'eagle_action'], park: parkA });
  });

  it('refuses a park of another county, a retired park, an unknown park and an unknown type: 400 naming the field', async () => {
    // Act
    const [uscc] = distinctUsccs(1) as [string];
    const elsewhere = await call('POST', '/api/staff/enterprises', lead, firmBody(uscc, { park: '320507-P001' }));
    const old = await call('POST', '/api/staff/enterprises', lead, firmBody(uscc, { park: retired }));
    const unknown = await call('POST', '/api/staff/enterprises', lead, firmBody(uscc, { park: '320506-P099' }));
    const badType = await call('POST', '/api/staff/enterprises', lead, firmBody(uscc, { types: ['famous'] }));
    // Assess
    for (const res of [elsewhere, old, unknown]) {
      expect(res.status, res.text).toBe(400);
      expect(res.json.error.fields).toHaveProperty('park');
    }
    expect(badType.status).toBe(400);
    expect(Object.keys(badType.json.error.fields)[0]).toMatch(/^types/);
    expect(await rawFirm(uscc)).toBeUndefined();
  });

  it('edits types and park at a version, clears the park with null, and refuses a park left behind by a move', async () => {
    // Prepare
    expect((await call('POST', '/api/staff/enterprises', lead, firmBody(moved, { park: parkA }))).status).toBe(201);
    // Act
    const changed = await call('PATCH', `/api/staff/enterprises/${moved}`, lead, {
      version: 1,
      types: ['positive_list'],
      park: parkB,
    });
    const stale = await call('PATCH', `/api/staff/enterprises/${moved}`, lead, { version: 1, park: parkA });
    const toXiangcheng = await call('PATCH', `/api/staff/enterprises/${moved}`, cityLead, {
      version: 2,
      county: '320507',
    });
    const cleared = await call('PATCH', `/api/staff/enterprises/${moved}`, lead, { version: 2, park: null });
    // Assess
    expect(changed.status, changed.text).toBe(200);
    expect(changed.json.enterprise).toMatchObject({ types: ['positive_list'], park: parkB, version: 2 });
    expect(stale.status).toBe(409);
    expect(toXiangcheng.status).toBe(400);
    expect(toXiangcheng.json.error.fields).toHaveProperty('park');
    expect(cleared.status, cleared.text).toBe(200);
    expect(await rawFirm(moved)).not.toHaveProperty('park');
  });

  it('a firm keeps its park once retired: editing its other fields still works', async () => {
    // Prepare: a firm in park B, then B retired.
    const [uscc] = distinctUsccs(1) as [string];
    expect((await call('POST', '/api/staff/enterprises', lead, firmBody(uscc, { park: parkB }))).status).toBe(201);
    const list = await parksOf('320506');
    const retiring = await saveParks('320506', {
      version: list.version,
      parks: list.parks.map((p: { id: string }) => (p.id === parkB ? { ...p, retired: true } : p)),
    });
    expect(retiring.status).toBe(200);
    // Act
    const res = await call('PATCH', `/api/staff/enterprises/${uscc}`, lead, { version: 1, address: '木渎镇新址 1 号' });
    // Assess
    expect(res.status, res.text).toBe(200);
    expect(res.json.enterprise.park).toBe(parkB);
    // Undo: B live again for the other tests.
    const back = await parksOf('320506');
    await saveParks('320506', {
      version: back.version,
      parks: back.parks.map((p: { id: string; retired?: boolean }) =>
        p.id === parkB ? { id: p.id, name: '吴中经济技术开发区' } : p,
      ),
    });
  });

  describe('the roster export and import (issue 18, issue 19)', () => {
    const exportCsv = async () =>
      parseCsv(Buffer.from((await call('GET', '/api/staff/enterprises/export?format=csv', lead)).text));
    const importCsv = (csv: string | Buffer) =>
      invoke(
        staffFn,
        httpEvent('POST', '/api/staff/enterprises/import?mode=all-or-nothing', {
          claims: lead,
          body: csv,
          headers: { 'content-type': 'application/octet-stream' },
        }),
      );

    it('writes size, tier, status, types and park in Chinese words, and imports back unchanged', async () => {
      // Prepare: a firm with every new field, and one registered before firms had types.
      expect(
        (
          await call(
            'POST',
            '/api/staff/enterprises',
            lead,
            firmBody(imported, { types: ['key_discharger', 'strategic_emerging'], park: parkB }),
          )
        ).status,
      ).toBe(201);
      const [legacy] = distinctUsccs(1) as [string];
      expect((await call('POST', '/api/staff/enterprises', lead, firmBody(legacy))).status).toBe(201);
      // A firm stored before issue 19 has no `types` attribute at all.
      await doc.send(
        new UpdateCommand({
          TableName: tableName,
          Key: { pk: `ENT#${legacy}`, sk: 'ENT' },
          UpdateExpression: 'REMOVE #types',
          ExpressionAttributeNames: { '#types': 'types' },
        }),
      );
      const before = await Promise.all([imported, legacy].map(rawFirm));
      // Act
      const rows = await exportCsv();
      const res = await importCsv(toCsv(rows[0] ?? [], rows.slice(1)));
      // Assess
      const header = rows[0] ?? [];
      const row = rows.find((r) => r[0] === imported) ?? [];
      const cell = (name: string) => row[header.indexOf(name)];
      expect(cell('规模')).toBe('中型');
      expect(cell('分级')).toBe('市级');
      expect(cell('状态')).toBe('正常');
      expect(cell('企业类型')).toBe('重点排污单位、战略性新兴产业');
      expect(cell('所属园区')).toBe('吴中经济技术开发区');
      expect(rows.flat()).not.toContain('medium');
      expect(res.status, res.text).toBe(200);
      expect(res.json.report).toMatchObject({ updated: 0, failed: 0, imported: 0 });
      expect(await Promise.all([imported, legacy].map(rawFirm))).toEqual(before);
    });

    it('reads types separated by ; and a park by name, and names the cell at fault for an unknown type or park', async () => {
      // Prepare
      const [fresh, badType, badPark] = distinctUsccs(3) as [string, string, string];
      const header = [
        '统一社会信用代码',
        '企业名称',
        '所在区县代码',
        '地址',
        '行业',
        '规模',
        '分级',
        '企业类型',
        '所属园区',
      ];
      const row = (uscc: string, types: string, park: string) => [
        uscc,
        `园区导入${uscc.slice(-4)}有限公司`,
        '吴中区',
        '木渎镇',
        '印染',
        '小型',
        '县级',
        types,
        park,
      ];
      // Act
      const res = await invoke(
        staffFn,
        httpEvent('POST', '/api/staff/enterprises/import?mode=valid-rows', {
          claims: lead,
          body: toCsv(header, [
            row(fresh, '雄鹰行动；环保第三方治理', '木渎工业园'),
            row(badType, '专精特新', '木渎工业园'),
            row(badPark, '', '不存在的园区'),
          ]),
          headers: { 'content-type': 'application/octet-stream' },
        }),
      );
      // Assess
      expect(res.status, res.text).toBe(200);
      const byUscc = new Map(res.json.report.rows.map((r: { uscc: string }) => [r.uscc, r]));
      expect(byUscc.get(fresh)).toMatchObject({ result: 'imported' });
      expect(byUscc.get(badType)).toMatchObject({
        result: 'failed',
        fields: { types: expect.stringContaining('专精特新') },
      });
      expect(byUscc.get(badPark)).toMatchObject({ result: 'failed', fields: { park: expect.any(String) } });
      expect(await rawFirm(fresh)).toMatchObject({ types: ['third_party_governance', 'eagle_action'], park: parkA });
    });

    it('refuses an imported row that gives a firm a retired park', async () => {
      // Prepare
      const [uscc] = distinctUsccs(1) as [string];
      const header = ['统一社会信用代码', '企业名称', '所在区县代码', '地址', '行业', '规模', '分级', '所属园区'];
      // Act
      const res = await importCsv(
        toCsv(header, [[uscc, '旧园区导入有限公司', '320506', '木渎镇', '印染', '小型', '县级', '旧园区']]),
      );
      // Assess
      expect(res.status).toBe(422);
      expect(JSON.stringify(res.json)).toContain('retired');
      expect(await rawFirm(uscc)).toBeUndefined();
    });
  });
});

describe("a park's compliance and ledger statistics (counted from the facts of its county)", () => {
  const month = shanghaiMonth(new Date());
  const liaison = claimsFor('park.liaison', 'liaison', '320506');
  const pairedFirm = async (park?: string) => {
    const [uscc] = distinctUsccs(1) as [string];
    expect((await call('POST', '/api/staff/enterprises', lead, firmBody(uscc, park ? { park } : {}))).status).toBe(201);
    const paired = await call('POST', '/api/staff/pairings', lead, {
      uscc,
      liaison: 'park.liaison',
      serviceYear: Number(month.slice(0, 4)),
      startsOn: `${month}-01`,
    });
    expect(paired.status, paired.text).toBe(201);
    return { uscc, pairingId: paired.json.pairing.pairingId as string };
  };
  const contact = (pairingId: string) =>
    call('POST', `/api/staff/pairings/${pairingId}/contacts`, liaison, {
      at: new Date().toISOString(),
      mode: 'visit',
      participants: ['王经理'],
      summary: '上门了解园区企业治污设施运行情况',
    });

  it("counts the park's firms only, and its figures are the county counters' share of them", async () => {
    // Prepare: a liaison, two firms in park A (one contacted, with a ledger item), one outside any park (contacted).
    await doc.send(
      new PutCommand({
        TableName: tableName,
        Item: userItem(
          {
            username: 'park.liaison',
            role: 'liaison',
            jurisdiction: '320506',
            displayName: '园区联络员',
            email: 'park.liaison@x.test',
          },
          { version: 1, at: new Date().toISOString() },
        ),
      }),
    );
    const inParkContacted = await pairedFirm(parkA);
    await pairedFirm(parkA);
    const outside = await pairedFirm();
    expect((await contact(inParkContacted.pairingId)).status).toBe(201);
    expect((await contact(outside.pairingId)).status).toBe(201);
    const raised = await call('POST', '/api/staff/ledger-items', lead, {
      uscc: inParkContacted.uscc,
      title: '园区企业废气收集不到位',
      detail: '车间废气收集效率低，需整改',
      source: 'contact',
      severity: 'medium',
      dueOn: '2099-12-31',
      ownerDepartment: '大气科',
    });
    expect(raised.status, raised.text).toBe(201);
    // Act
    const park = await call('GET', `/api/staff/compliance?month=${month}&park=${parkA}`, lead);
    const county = await call('GET', `/api/staff/compliance?month=${month}&jurisdiction=320506`, lead);
    const parkLedger = await call('GET', `/api/staff/ledger-stats?park=${parkA}`, lead);
    const countyLedger = await call('GET', '/api/staff/ledger-stats?jurisdiction=320506', lead);
    // Assess: the park's two pairings, one contacted; the county's counters hold the outside firm's too.
    expect(park.status, park.text).toBe(200);
    expect(park.json.park).toEqual({ id: parkA, name: '木渎工业园' });
    expect(park.json.totals).toMatchObject({ judged: 2, contacted: 1 });
    expect(park.json.trend.at(-1)).toMatchObject({ month, contacted: 1 });
    expect(county.json.totals.contacted).toBe(park.json.totals.contacted + 1);
    expect(parkLedger.status, parkLedger.text).toBe(200);
    expect(parkLedger.json).toMatchObject({ raised: 1, bySeverity: { medium: { raised: 1 } } });
    expect(parkLedger.json.raised).toBe(countyLedger.json.raised);
  });

  it('answers 404 for a park out of scope and 400 naming `park` for one its county does not have', async () => {
    // Act
    const outside = await call('GET', `/api/staff/compliance?park=${parkA}`, otherLead);
    const outsideLedger = await call('GET', `/api/staff/ledger-stats?park=${parkA}`, otherLead);
    const unknown = await call('GET', '/api/staff/compliance?park=320506-P900', lead);
    // Assess
    expect(outside.status).toBe(404);
    expect(outsideLedger.status).toBe(404);
    expect(unknown.status).toBe(400);
    expect(unknown.json.error.fields).toHaveProperty('park');
  });
});
