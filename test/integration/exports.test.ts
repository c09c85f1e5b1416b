import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { BatchWriteCommand, DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseCsv } from '../../functions/lib/formats/csv.ts';
import { EXPORT_ROW_CAP, exportLimits } from '../../functions/lib/formats/export-bounds.ts';
import { DEFAULT_SHEET_LIMITS } from '../../functions/lib/formats/sheet-limits.ts';
import { readXlsx } from '../../functions/lib/formats/xlsx.ts';
import { type Runtime, startRuntime } from '../../infra/local/runtime.ts';
import { keys } from '../../shared/keys.ts';
import { table } from '../../shared/table.ts';
import { shanghaiDate, toShanghaiIso } from '../../shared/time.ts';
import { apiCaller } from '../support/api.ts';
import { givenUpMessage } from '../support/given-up.ts';
import { distinctUsccs } from '../support/uscc.ts';

// The spreadsheets leaders pass upward (issue 19): the 台账, compliance per month and unit and the
// audit log, through the local gateway against DynamoDB Local, read back with the product's own
// readers (csv.ts, xlsx.ts) as a bureau's Excel would open them.
let runtime: Runtime;
let dataDir: string;
let doc: DynamoDBDocumentClient;
const token: Record<string, string> = {};
let wuzhongFirm = '';
let jiangyinFirm = '';
/** A Wuzhong firm paired but not visited this month (the live "not yet contacted" list). */
let quietFirm = '';
let wuzhongItem: { itemId: string; createdAt: string } = { itemId: '', createdAt: '' };
/** The Wuzhong pairing visited this month. */
let pairingId = '';
/** When the visit was (a minute before the tests start), as the contact form sends it. */
const visitedAt = toShanghaiIso(new Date(Date.now() - 60_000));
/** An instant as the bureaus' sheets write it: Beijing `YYYY-MM-DD HH:mm`. */
const beijing = (iso: string) => toShanghaiIso(new Date(iso)).slice(0, 16).replace('T', ' ');

const call = apiCaller(() => runtime.url, token);

const download = async (path: string, who: string) => {
  const res = await fetch(`${runtime.url}${path}`, { headers: { authorization: `Bearer ${token[who]}` } });
  const bytes = Buffer.from(await res.arrayBuffer());
  const json = () => JSON.parse(bytes.toString('utf8')) as { error: { code: string; fields?: Record<string, string> } };
  return { status: res.status, headers: res.headers, bytes, json };
};

const LEDGER_HEADER_START = [
  '序号',
  '事项编号',
  '所在地区',
  '企业名称',
  '统一社会信用代码',
  '事项',
  '来源',
  '紧急程度',
  '状态',
];

beforeAll(async () => {
  process.env.POWERTOOLS_LOG_LEVEL = 'ERROR';
  dataDir = mkdtempSync(join(tmpdir(), 'eco-exports-'));
  runtime = await startRuntime({ port: 0, dataDir, siteDir: dataDir, scheduler: false, log: () => undefined });
  doc = DynamoDBDocumentClient.from(
    new DynamoDBClient({ endpoint: process.env.DYNAMODB_ENDPOINT, region: 'us-east-1' }),
  );
  for (const username of ['lead.suzhou', 'lead.wuzhong', 'lead.jiangyin', 'liaison.wuzhong', 'admin'])
    token[username] = (await runtime.issuer.signIn(username, 'demo'))?.token ?? '';
  [wuzhongFirm, jiangyinFirm, quietFirm] = distinctUsccs(3) as [string, string, string];
  for (const [uscc, county] of [
    [wuzhongFirm, '320506'],
    [jiangyinFirm, '320281'],
    [quietFirm, '320506'],
  ] as const) {
    const res = await call('POST', '/api/staff/enterprises', 'admin', {
      uscc,
      name: `导出测试${county}有限公司`,
      county,
      address: '测试路 1 号',
      industry: '印染',
      size: 'medium',
      tier: 'city',
      contacts: [],
    });
    expect(res.status).toBe(201);
  }
  const raise = (who: string, uscc: string, title: string) =>
    call('POST', '/api/staff/ledger-items', who, {
      uscc,
      title,
      detail: '企业反映危废转移联单办理缓慢',
      source: 'request',
      severity: 'high',
      dueInWorkingDays: 5,
      ownerDepartment: '固废科',
    });
  const a = await raise('lead.wuzhong', wuzhongFirm, '=危废转移联单办理');
  expect(a.status).toBe(201);
  wuzhongItem = a.body.item;
  expect((await raise('lead.jiangyin', jiangyinFirm, '江阴企业的诉求')).status).toBe(201);
  // Two pairings, one visited this month (the compliance counters), one not (the live list).
  const pair = (uscc: string) =>
    call('POST', '/api/staff/pairings', 'lead.wuzhong', {
      uscc,
      liaison: 'liaison.wuzhong',
      serviceYear: Number(shanghaiDate(new Date()).slice(0, 4)),
      startsOn: '2025-01-01',
    });
  const pairing = await pair(wuzhongFirm);
  expect(pairing.status).toBe(201);
  pairingId = pairing.body.pairing.pairingId;
  expect((await pair(quietFirm)).status).toBe(201);
  const contact = await call(
    'POST',
    `/api/staff/pairings/${pairing.body.pairing.pairingId}/contacts`,
    'liaison.wuzhong',
    {
      at: visitedAt,
      mode: 'visit',
      participants: ['联络员'],
      summary: '上门走访了解危废转移情况',
    },
  );
  expect(contact.status).toBe(201);
}, 90_000);

afterAll(async () => {
  await runtime?.stop();
  rmSync(dataDir, { recursive: true, force: true });
});

describe('the 台账 export', () => {
  it('opens in Excel as CSV: BOM, Chinese headers, Chinese states and sources, Beijing times, days open', async () => {
    // Act
    const res = await download('/api/staff/ledger-items/export?format=csv', 'lead.wuzhong');

    // Assess
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toContain('text/csv');
    expect(res.headers.get('content-disposition')).toMatch(/attachment; filename="ledger-320506-[\d-]+\.csv"/);
    expect([...res.bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const [header, ...rows] = parseCsv(res.bytes);
    expect(header?.slice(0, LEDGER_HEADER_START.length)).toEqual(LEDGER_HEADER_START);
    const col = (name: string) => (header as string[]).indexOf(name);
    const row = rows.find((r) => r[col('事项编号')] === wuzhongItem.itemId) as string[];
    expect(row).toBeDefined();
    expect(row[col('所在地区')]).toBe('吴中区');
    expect(row[col('状态')]).toBe('已收集');
    expect(row[col('来源')]).toBe('企业诉求');
    expect(row[col('紧急程度')]).toBe('紧急');
    expect(row[col('责任部门')]).toBe('固废科');
    expect(row[col('登记时间')]).toBe(toShanghaiIso(new Date(wuzhongItem.createdAt)).slice(0, 16).replace('T', ' '));
    expect(row[col('已办天数')]).toBe('0');
    expect(row[col('是否逾期')]).toBe('否');
    // A title that a spreadsheet would run as a formula is written as text.
    expect(row[col('事项')]).toBe("'=危废转移联单办理");
    expect(rows.some((r) => r.includes(jiangyinFirm))).toBe(false);
  });

  it('parses back as XLSX with the repo reader, each lead seeing its own subtree only', async () => {
    const suzhou = await download('/api/staff/ledger-items/export?format=xlsx', 'lead.suzhou');
    const admin = await download('/api/staff/ledger-items/export', 'admin');
    expect(suzhou.status).toBe(200);
    expect(admin.headers.get('content-type')).toContain('spreadsheetml');
    const suzhouRows = readXlsx(suzhou.bytes);
    const adminRows = readXlsx(admin.bytes);
    expect(suzhouRows[0]?.slice(0, LEDGER_HEADER_START.length)).toEqual(LEDGER_HEADER_START);
    expect(suzhouRows.some((r) => r.includes(wuzhongFirm))).toBe(true);
    expect(suzhouRows.some((r) => r.includes(jiangyinFirm))).toBe(false);
    expect(adminRows.some((r) => r.includes(wuzhongFirm))).toBe(true);
    expect(adminRows.some((r) => r.includes(jiangyinFirm))).toBe(true);
  });

  it('never exports another county: a unit outside the caller’s scope is not found, a liaison is refused', async () => {
    expect((await download('/api/staff/ledger-items/export?jurisdiction=320506', 'lead.jiangyin')).status).toBe(404);
    expect((await download('/api/staff/ledger-items/export?jurisdiction=320500', 'lead.wuzhong')).status).toBe(404);
    expect((await download('/api/staff/ledger-items/export', 'liaison.wuzhong')).status).toBe(403);
    const own = readXlsx((await download('/api/staff/ledger-items/export', 'lead.jiangyin')).bytes);
    expect(own.some((r) => r.includes(wuzhongFirm))).toBe(false);
    expect(own.some((r) => r.includes(jiangyinFirm))).toBe(true);
  });

  it('keeps to the dates: an item raised after the range is not in it', async () => {
    const res = await download('/api/staff/ledger-items/export?format=csv&from=2020-01-01&to=2020-12-31', 'admin');
    expect(res.status).toBe(200);
    expect(parseCsv(res.bytes)).toHaveLength(1);
  });

  it.each([
    ['a day that does not exist', 'from=2026-02-30', 'from'],
    ['a date in another shape', 'from=2026-1-1', 'from'],
    ['from after to', 'from=2026-12-01&to=2026-11-01', 'from'],
    ['a range over a year', 'from=2000-01-01&to=2026-12-01', 'to'],
    ['an unknown format', 'format=pdf', 'format'],
    ['an unknown unit', 'jurisdiction=320599', 'jurisdiction'],
    ['a unit that is no code', 'jurisdiction=%27%20OR%201%3D1', 'jurisdiction'],
  ])('refuses %s with 400 VALIDATION_FAILED naming the field', async (_, query, field) => {
    const res = await download(`/api/staff/ledger-items/export?${query}`, 'admin');
    expect(res.status).toBe(400);
    expect(res.json().error.code).toBe('VALIDATION_FAILED');
    expect(Object.keys(res.json().error.fields ?? {})).toContain(field);
  });

  it('stops at the row cap with 422 EXPORT_TOO_LARGE instead of an unbounded file', async () => {
    // Prepare: a cap of CAP rows (the product's is EXPORT_ROW_CAP) and CAP items in Xiangcheng's queue,
    // written straight to the table.
    const CAP = 25;
    const createdAt = new Date().toISOString();
    const items = Array.from({ length: CAP }, (_, i) => {
      const itemId = `00000000-0000-4000-8000-${String(i).padStart(12, '0')}`;
      return {
        ...keys.ledgerItem(itemId),
        ...keys.ledgerQueue('320507', itemId),
        type: 'ledgerItem',
        itemId,
        uscc: wuzhongFirm,
        county: '320507',
        firmName: '批量',
        title: '批量事项',
        detail: '批量事项',
        source: 'request',
        severity: 'low',
        dueOn: '2099-01-01',
        ownerDepartment: '科室',
        state: 'collected',
        holder: '320507',
        followers: [],
        lastMove: { at: createdAt, by: 'admin', from: null, to: 'collected', note: '' },
        createdAt,
        createdBy: 'admin',
        closedAt: null,
        recurringOf: null,
        version: 1,
      };
    });
    await doc.send(
      new BatchWriteCommand({ RequestItems: { [table.logicalName]: items.map((Item) => ({ PutRequest: { Item } })) } }),
    );
    const path = '/api/staff/ledger-items/export?jurisdiction=320507&format=csv';
    try {
      // Act
      exportLimits.rows = CAP;
      const full = await download(path, 'lead.suzhou');
      exportLimits.rows = CAP - 1;
      const capped = await download(path, 'lead.suzhou');
      const county = await download('/api/staff/ledger-items/export?jurisdiction=320506&format=csv', 'lead.suzhou');

      // Assess
      expect(full.status).toBe(200);
      expect(parseCsv(full.bytes)).toHaveLength(CAP + 1);
      expect(capped.status).toBe(422);
      expect(capped.json().error).toMatchObject({ code: 'EXPORT_TOO_LARGE', limit: CAP - 1 });
      expect(county.status).toBe(200);
    } finally {
      exportLimits.rows = EXPORT_ROW_CAP;
    }
  });

  it('caps a file at what the product’s own readers take back', () => {
    expect(EXPORT_ROW_CAP + 1).toBe(DEFAULT_SHEET_LIMITS.rows);
  });
});

describe('the compliance export', () => {
  it('gives one row per unit in scope with Chinese headers, this month running', async () => {
    // Act
    const month = shanghaiDate(new Date()).slice(0, 7);
    const suzhou = await download(`/api/staff/compliance/export?format=csv&month=${month}`, 'lead.suzhou');
    const wuzhong = readXlsx((await download('/api/staff/compliance/export', 'lead.wuzhong')).bytes);

    // Assess
    expect(suzhou.status).toBe(200);
    expect([...suzhou.bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const [header, ...rows] = parseCsv(suzhou.bytes);
    expect(header).toEqual([
      '序号',
      '地区',
      '行政区划代码',
      '层级',
      '月份',
      '应联系企业数',
      '已走访或视频连线',
      '未联系（已提醒）',
      '联系率',
      '统计状态',
    ]);
    const codes = rows.map((r) => r[2]);
    expect(codes).toContain('320500');
    expect(codes).toContain('320506');
    expect(codes.every((c) => c?.startsWith('3205'))).toBe(true);
    const county = rows.find((r) => r[2] === '320506') as string[];
    expect(county.slice(1, 5)).toEqual(['吴中区', '320506', '县(市、区)', month]);
    expect(Number(county[6])).toBeGreaterThanOrEqual(1);
    expect(county[9]).toBe('本月进行中');
    expect(wuzhong.slice(1).map((r) => r[2])).toEqual(['320506']);
  });

  it('never exports another unit, nor a month not begun', async () => {
    expect((await download('/api/staff/compliance/export?jurisdiction=320506', 'lead.jiangyin')).status).toBe(404);
    expect((await download('/api/staff/compliance/export', 'liaison.wuzhong')).status).toBe(403);
    for (const month of ['2099-01', '2026-13', '2026-1', "2026-10'"]) {
      const res = await download(`/api/staff/compliance/export?month=${encodeURIComponent(month)}`, 'admin');
      expect(res.status).toBe(400);
      expect(res.json().error.fields).toHaveProperty('month');
    }
  });
});

describe('the compliance export of one park', () => {
  let park = '';

  beforeAll(async () => {
    // Prepare: a park of Wuzhong holding the visited firm; the quiet one stays outside it.
    const list = (await call('GET', '/api/staff/parks?county=320506', 'lead.wuzhong')).body.parkList;
    const saved = await call('PUT', '/api/staff/parks?county=320506', 'lead.wuzhong', {
      version: list.version,
      parks: [...list.parks, { name: '导出测试园区' }],
    });
    expect(saved.status).toBe(200);
    park = saved.body.parkList.parks.at(-1).id;
    const firm = (await call('GET', `/api/staff/enterprises/${wuzhongFirm}`, 'lead.wuzhong')).body.enterprise;
    const moved = await call('PATCH', `/api/staff/enterprises/${wuzhongFirm}`, 'lead.wuzhong', {
      version: firm.version,
      park,
    });
    expect(moved.status).toBe(200);
  });

  it('gives the park’s one row, counted as the compliance page counts that park', async () => {
    // Act
    const month = shanghaiDate(new Date()).slice(0, 7);
    const res = await download(`/api/staff/compliance/export?format=csv&park=${park}`, 'lead.suzhou');
    const page = await call('GET', `/api/staff/compliance?park=${park}`, 'lead.suzhou');

    // Assess: the park's firm only (visited), not the quiet firm of the same county.
    expect(res.status).toBe(200);
    const [, ...rows] = parseCsv(res.bytes);
    expect(rows).toEqual([
      ['1', '吴中区 导出测试园区', '320506', '园区', month, '1', '1', '0', '100.0%', '本月进行中'],
    ]);
    expect(page.body.totals).toMatchObject({ judged: 1, contacted: 1, missed: 0 });
    expect(res.headers.get('content-disposition')).toContain(park);
  });

  it('answers 404 for a park outside the caller’s scope and 400 naming a malformed park or month', async () => {
    // Act
    const outside = await download(`/api/staff/compliance/export?park=${park}`, 'lead.jiangyin');
    const malformed = await download("/api/staff/compliance/export?park=320506-P1'", 'lead.wuzhong');
    const unknown = await download('/api/staff/compliance/export?park=320506-P999', 'lead.wuzhong');
    const future = await download(`/api/staff/compliance/export?park=${park}&month=2099-01`, 'lead.wuzhong');

    // Assess
    expect(outside.status).toBe(404);
    for (const [res, field] of [
      [malformed, 'park'],
      [unknown, 'park'],
      [future, 'month'],
    ] as const) {
      expect(res.status).toBe(400);
      expect(res.json().error.fields).toHaveProperty(field);
    }
  });
});

describe('the audit log export', () => {
  it('lists the writes in scope with Beijing times and Chinese roles, none of another county', async () => {
    // Prepare
    const me = await call('GET', '/api/staff/me', 'lead.wuzhong');
    const leadName = String(me.body.me.displayName);

    // Act
    const res = await download('/api/staff/audit/export?format=csv', 'lead.wuzhong');
    const xlsx = readXlsx((await download('/api/staff/audit/export', 'lead.jiangyin')).bytes);

    // Assess
    expect(res.status).toBe(200);
    expect([...res.bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const [header, ...rows] = parseCsv(res.bytes);
    expect(header).toEqual(['序号', '时间', '操作人', '角色', '操作', '对象', '地区', '变更前', '变更后']);
    expect(rows.length).toBeGreaterThan(0);
    expect(rows.every((r) => r[6] === '吴中区')).toBe(true);
    const raised = rows.find((r) => r[4] === '登记台账事项' && r[5]?.includes('导出测试320506有限公司')) as string[];
    expect(raised).toBeDefined();
    expect(raised[1]).toMatch(/^\d{4}-\d\d-\d\d \d\d:\d\d$/);
    expect(raised[2]).toBe(leadName);
    expect(raised[3]).toBe('联系领导');
    expect(raised[5]).toBe(`台账事项 · 导出测试320506有限公司 · ${wuzhongFirm}`);
    expect(xlsx.slice(1).every((r) => r[6] === '江阴市')).toBe(true);
    expect(xlsx.slice(1).some((r) => r.join(',').includes(wuzhongFirm))).toBe(false);
  });

  it("speaks the bureau's words: no action code, record key, username or English value in the sheet", async () => {
    // Prepare: the pairings of beforeAll (their ids and the liaison's username are in the stored
    // events) and a firm's edit.
    const firm = await call('GET', `/api/staff/enterprises/${wuzhongFirm}`, 'lead.wuzhong');
    const version = Number((firm.body as { enterprise?: { version?: number } }).enterprise?.version);
    const edited = await call('PATCH', `/api/staff/enterprises/${wuzhongFirm}`, 'lead.wuzhong', {
      version,
      size: 'small',
      tier: 'county',
    });
    const liaison = await call('GET', '/api/staff/me', 'liaison.wuzhong');

    // Act
    const res = await download('/api/staff/audit/export?format=csv', 'lead.wuzhong');

    // Assess
    expect(edited.status, JSON.stringify(edited.body)).toBe(200);
    const [, ...rows] = parseCsv(res.bytes);
    const text = rows.map((r) => r.join('|')).join('\n');
    for (const raw of [pairingId, 'lead.wuzhong', 'liaison.wuzhong', 'pairing:', 'enterprise:', 'ledger:', '{"']) {
      expect(text).not.toContain(raw);
    }
    for (const r of rows) expect(r[4]).toMatch(/^[^A-Za-z]+$/); // every action by its Chinese name
    const pairing = rows.find((r) => r[4] === '建立结对') as string[];
    expect(pairing[8]).toContain(`联络员：${String(liaison.body.me.displayName)}`);
    expect(pairing[8]).toContain('状态：服务中');
    // The size and tier edit (the park test moved this firm into a park first: another edit).
    const edit = rows.find((r) => r[4] === '修改企业信息' && r[8]?.includes('分级')) as string[];
    expect(edit[7]).toContain('分级：市级名单');
    expect(edit[8]).toContain('分级：县级名单');
    expect(edit[7]).toContain('规模：中型');
    expect(edit[8]).toContain('规模：小型');
  });

  it('never writes a bearer secret (a booking code, a link token) into the spreadsheet', async () => {
    // Prepare: an attendance event as bookings.ts records it (its entity and before name the code).
    const code = 'BKSECRETCODE1234567890AB';
    const at = new Date().toISOString();
    await doc.send(
      new BatchWriteCommand({
        RequestItems: {
          [table.logicalName]: [
            {
              PutRequest: {
                Item: {
                  ...keys.audit(`booking:${code}`, at, 'secret-test'),
                  ...keys.auditScope('320506', at, 'secret-test'),
                  type: 'audit',
                  eventId: 'secret-test',
                  at,
                  actor: 'lead.wuzhong',
                  role: 'lead',
                  entity: `booking:${code}`,
                  jurisdiction: '320506',
                  action: 'booking.attendance',
                  before: { code, status: 'confirmed', confirmationToken: 'tok-secret-1' },
                  after: { code, status: 'attended' },
                },
              },
            },
          ],
        },
      }),
    );

    // Act
    const res = await download('/api/staff/audit/export?format=csv', 'lead.wuzhong');

    // Assess
    const text = res.bytes.toString('utf8');
    expect(text).not.toContain(code);
    expect(text).not.toContain('tok-secret-1');
    const row = parseCsv(res.bytes).find((r) => r[4] === '登记到场') as string[];
    expect(row[5]).toBe('预约');
    expect(row[7]).toBe('状态：已确认');
    expect(row[8]).toBe('状态：已到场');
  });

  it('refuses other units and hostile dates', async () => {
    expect((await download('/api/staff/audit/export?jurisdiction=320506', 'lead.jiangyin')).status).toBe(404);
    expect((await download('/api/staff/audit/export', 'liaison.wuzhong')).status).toBe(403);
    for (const [query, field] of [
      ['from=2026-13-01', 'from'],
      ['to=2026-02-29', 'to'],
      ['from=2026-12-01&to=2026-01-01', 'from'],
      ['from=1970-01-01&to=2026-01-01', 'to'],
    ] as const) {
      const res = await download(`/api/staff/audit/export?${query}`, 'admin');
      expect(res.status).toBe(400);
      expect(res.json().error.fields).toHaveProperty(field);
    }
  });
});

describe('the live list of pairings not yet contacted', () => {
  it('shows, during the month, the pairings without a visit or video yet and the days left', async () => {
    // Act
    const res = await call('GET', '/api/staff/compliance/open', 'lead.suzhou');

    // Assess
    expect(res.status).toBe(200);
    const today = shanghaiDate(new Date());
    const [year, month] = today.split('-').map(Number) as [number, number];
    const lastDay = new Date(Date.UTC(year, month, 0)).getUTCDate();
    expect(res.body).toMatchObject({ month: today.slice(0, 7), today, daysLeft: lastDay - Number(today.slice(8)) + 1 });
    const usccs = (res.body.pairings as { uscc: string }[]).map((p) => p.uscc);
    expect(usccs).toContain(quietFirm);
    expect(usccs).not.toContain(wuzhongFirm);
    expect(res.body.pairings.find((p: { uscc: string }) => p.uscc === quietFirm)).toMatchObject({
      firmName: '导出测试320506有限公司',
      county: '320506',
      liaison: 'liaison.wuzhong',
    });
  });

  it('keeps to the caller’s subtree', async () => {
    expect((await call('GET', '/api/staff/compliance/open?jurisdiction=320506', 'lead.jiangyin')).status).toBe(404);
    expect((await call('GET', '/api/staff/compliance/open', 'liaison.wuzhong')).status).toBe(403);
    const own = await call('GET', '/api/staff/compliance/open', 'lead.jiangyin');
    expect((own.body.pairings as { county: string }[]).every((p) => p.county === '320281')).toBe(true);
  });
});

describe('the pairings export (the province’s submission table)', () => {
  it('reads back from XLSX in the bureau’s words: Chinese states and sizes, names, Beijing times', async () => {
    // Act
    const res = await download('/api/staff/pairings/export?format=xlsx', 'lead.wuzhong');
    const other = readXlsx((await download('/api/staff/pairings/export?format=xlsx', 'lead.jiangyin')).bytes);

    // Assess
    expect(res.status).toBe(200);
    const [header = [], ...rows] = readXlsx(res.bytes);
    expect(header.slice(0, 6)).toEqual(['序号', '所在地区', '企业名称', '统一社会信用代码', '企业规模', '企业联络员']);
    const cell = (row: string[], name: string) => row[header.indexOf(name)];
    const visited = rows.find((r) => r.includes(wuzhongFirm)) as string[];
    const quiet = rows.find((r) => r.includes(quietFirm)) as string[];
    expect(cell(visited, '所在地区')).toBe('吴中区');
    expect(cell(visited, '企业名称')).toBe('导出测试320506有限公司');
    // The quiet firm keeps the size it was made with (the audit test edits the other's).
    expect(cell(quiet, '企业规模')).toBe('中型');
    expect(cell(visited, '状态')).toBe('服务中');
    // The visit logged in beforeAll, in Beijing wall-clock minutes.
    expect(cell(visited, '最近一次走访或视频连线')).toBe(beijing(visitedAt));
    // Never visited: the cell is empty (the sheet leaves an empty cell out).
    expect(cell(quiet, '最近一次走访或视频连线') ?? '').toBe('');
    expect(rows.flat().some((v) => ['active', 'medium', 'county'].includes(v))).toBe(false);
    expect(other.slice(1).some((r) => r.includes(wuzhongFirm))).toBe(false);
  });

  it('gives a liaison its own pairings only', async () => {
    // Act
    const [, ...rows] = readXlsx((await download('/api/staff/pairings/export', 'liaison.wuzhong')).bytes);

    // Assess
    expect(rows.length).toBeGreaterThanOrEqual(2);
    expect(rows.every((r) => r[6] === 'liaison.wuzhong')).toBe(true);
  });
});

describe('the deliveries export', () => {
  it('lists the unit’s given-up channels in Chinese with Beijing times and masked recipients, as CSV and XLSX', async () => {
    // Prepare: a given-up e-mail in Wuzhong (its text went out) and one in Jiangyin.
    const mine = await givenUpMessage('320506', 'wang@example.test');
    await givenUpMessage('320281', 'li@example.test');

    // Act
    const csv = await download('/api/staff/deliveries/export?format=csv', 'lead.suzhou');
    const xlsx = await download('/api/staff/deliveries/export', 'lead.jiangyin');

    // Assess
    expect(csv.status).toBe(200);
    expect([...csv.bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const [header, ...rows] = parseCsv(csv.bytes);
    expect(header).toEqual([
      '序号',
      '记录时间',
      '地区',
      '消息类型',
      '主题',
      '渠道',
      '收件人',
      '投递状态',
      '尝试次数',
      '最近错误',
      '所含提醒数',
    ]);
    expect(rows).toEqual([
      [
        '1',
        beijing(mine.createdAt),
        '吴中区',
        '预约成功',
        '预约成功',
        '邮件',
        'w***@example.test',
        '失败',
        '24',
        'MessageRejected',
        '',
      ],
    ]);
    const [, ...theirs] = readXlsx(xlsx.bytes);
    expect(theirs.map((r) => [r[2], r[6]])).toEqual([['江阴市', 'l***@example.test']]);
  });

  it('keeps to the caller’s subtree and to leads and admins', async () => {
    expect((await download('/api/staff/deliveries/export?jurisdiction=320506', 'lead.jiangyin')).status).toBe(404);
    expect((await download('/api/staff/deliveries/export', 'liaison.wuzhong')).status).toBe(403);
  });
});
