import {
  BatchWriteCommand,
  type DynamoDBDocumentClient,
  QueryCommand,
  TransactWriteCommand,
} from '@aws-sdk/lib-dynamodb';
import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { parseCsv, toCsv } from '../../functions/lib/formats/csv.ts';
import { claimsFor, httpEvent, invoke } from '../support/events.ts';
import { aroundTableCommands, type Handler, useFunctions } from '../support/table.ts';
import { distinctUsccs } from '../support/uscc.ts';

// Rules 10 and 12 for the roster import against DynamoDB Local: an all-or-nothing import of more rows
// than one transaction holds imports everything or nothing under a concurrent edit and a crash at any
// point, and a retry of the same request finishes it exactly once. Crashes are injected by failing
// the Nth TransactWriteItems of the table client (the request then ends as a crashed Lambda would).
let staffFn: Handler;
let doc: DynamoDBDocumentClient;
let tableName: string;

beforeAll(async () => {
  ({ staffFn, doc, tableName } = await useFunctions());
});

afterEach(() => {
  vi.restoreAllMocks();
});

const lead = claimsFor('lead.wuzhong', 'lead', '320506');
const HEADER = ['统一社会信用代码', '企业名称', '所在区县代码', '地址', '行业', '规模', '分级', '联系人', '联系电话'];
const csvOf = (usccs: readonly string[], address: string) =>
  toCsv(
    HEADER,
    usccs.map((uscc, i) => [
      uscc,
      `苏州导入测试${i}号有限公司`,
      '320506',
      address,
      '印染',
      '小型',
      '县级',
      '王经理',
      '13800000000',
    ]),
  );

const importFile = (csv: string | Buffer, mode = 'all-or-nothing') =>
  invoke(
    staffFn,
    httpEvent('POST', `/api/staff/enterprises/import?mode=${mode}`, {
      claims: lead,
      body: csv,
      headers: { 'content-type': 'application/octet-stream' },
    }),
  );
const getFirm = (uscc: string) => invoke(staffFn, httpEvent('GET', `/api/staff/enterprises/${uscc}`, { claims: lead }));
const patchFirm = (uscc: string, body: unknown) =>
  invoke(staffFn, httpEvent('PATCH', `/api/staff/enterprises/${uscc}`, { claims: lead, body: JSON.stringify(body) }));
const auditActions = async (uscc: string): Promise<string[]> => {
  const out = await doc.send(
    new QueryCommand({
      TableName: tableName,
      KeyConditionExpression: 'pk = :pk',
      ExpressionAttributeValues: { ':pk': `AUDIT#enterprise:${uscc}` },
    }),
  );
  return (out.Items ?? []).map((a) => String(a.action)).sort();
};
const visible = async (usccs: readonly string[]) =>
  (await Promise.all(usccs.map(async (u) => (await getFirm(u)).status === 200))).filter(Boolean).length;

/**
 * Every TransactWriteItems of the product goes through here: `onCall(n)` runs before the nth
 * (1-based) and may throw, as a Lambda killed at that moment.
 */
const interceptTransactions = (
  onCall: (n: number) => Promise<void> | void,
  /** The writes counted: transactions, and BatchWriteItem where a test counts it too. */
  counted: readonly (typeof TransactWriteCommand | typeof BatchWriteCommand)[] = [TransactWriteCommand],
) => {
  const inFlight = new Set<Promise<unknown>>();
  let n = 0;
  aroundTableCommands(async (command, send) => {
    if (counted.some((kind) => command instanceof kind)) await onCall(++n);
    const call = send();
    inFlight.add(call);
    return call.finally(() => inFlight.delete(call));
  });
  /** Waits for the writes still running when the request ended (a Lambda's siblings in flight). */
  return async () => {
    while (inFlight.size > 0) await Promise.allSettled([...inFlight]);
    vi.restoreAllMocks();
  };
};

describe('an all-or-nothing import of more rows than one transaction holds', () => {
  it('a concurrent edit of one firm refuses the whole file, naming that row, and changes nothing else', async () => {
    // Prepare: 120 firms, then a file changing every address.
    const usccs = distinctUsccs(120);
    expect((await importFile(csvOf(usccs, '吴中区旧址 1 号'))).status).toBe(200);
    const edited = usccs[80] as string;
    let editing = false;
    const settled = interceptTransactions(async () => {
      // Someone edits firm 81 while the import writes its first transaction.
      if (editing) return;
      editing = true;
      expect((await patchFirm(edited, { version: 1, industry: '纺织' })).status).toBe(200);
    });
    // Act
    const res = await importFile(csvOf(usccs, '吴中区新址 9 号'));
    await settled();
    // Assess: 422, the edited row named, every other row skipped; no row changed, no import audit.
    expect(res.status).toBe(422);
    const { report } = res.json.error;
    expect(report.committed).toBe(false);
    expect(report.rows.filter((r: { result: string }) => r.result === 'failed')).toEqual([
      expect.objectContaining({
        row: 82,
        uscc: edited,
        fields: { uscc: expect.stringContaining('Changed by someone') },
      }),
    ]);
    expect(report.rows.filter((r: { result: string }) => r.result === 'skipped')).toHaveLength(119);
    for (const uscc of usccs) {
      const firm = (await getFirm(uscc)).json.enterprise;
      expect(firm.address).toBe('吴中区旧址 1 号');
      expect(firm.version).toBe(uscc === edited ? 2 : 1);
    }
    expect(await auditActions(edited)).toEqual(['enterprise.import.create', 'enterprise.update']);
    expect(await auditActions(usccs[0] as string)).toEqual(['enterprise.import.create']);
    // The firms are free again: the same file imports now.
    const again = await importFile(csvOf(usccs, '吴中区新址 9 号'));
    expect(again.status).toBe(200);
    expect(again.json.report).toMatchObject({ committed: true, updated: 120, failed: 0 });
  });

  it('a crash while writing leaves nothing visible, and the retry of the same file imports every row once', async () => {
    // Prepare: a crash at the second transaction of the import.
    const usccs = distinctUsccs(250);
    const csv = csvOf(usccs, '吴中区木渎镇 1 号');
    const settled = interceptTransactions((n) => {
      if (n === 2) throw new Error('Lambda killed');
    });
    // Act
    const crashed = await importFile(csv);
    await settled();
    // Assess: nothing half done shows, not even on the roster; an edit of a held firm waits.
    expect(crashed.status).toBe(500);
    expect(await visible(usccs)).toBe(0);
    const roster = await invoke(
      staffFn,
      httpEvent('GET', '/api/staff/enterprises?q=苏州导入测试&limit=200', { claims: lead }),
    );
    expect(roster.json.enterprises.filter((e: { uscc: string }) => usccs.includes(e.uscc))).toEqual([]);
    const create = await invoke(
      staffFn,
      httpEvent('POST', '/api/staff/enterprises', {
        claims: lead,
        body: JSON.stringify({
          uscc: usccs[0],
          name: '苏州抢先登记有限公司',
          county: '320506',
          address: '吴中区 1 号',
          industry: '印染',
          size: 'small',
          tier: 'county',
          contacts: [],
        }),
      }),
    );
    expect(create.status).toBe(409);
    // Act: the retry.
    const retried = await importFile(csv);
    // Assess: every row, once.
    expect(retried.status).toBe(200);
    expect(retried.json.report).toMatchObject({ committed: true, total: 250, imported: 250, failed: 0 });
    expect(await visible(usccs)).toBe(250);
    for (const uscc of usccs.slice(0, 20)) expect(await auditActions(uscc)).toEqual(['enterprise.import.create']);
  });

  it('a crash after the commit shows every row at once, and the retry applies the rest once with its report', async () => {
    // Prepare: a crash at the first write after the rows are staged (three transactions of a hundred
    // rows): the audit events' first BatchWriteItem.
    const usccs = distinctUsccs(250);
    const csv = csvOf(usccs, '吴中区胥口镇 2 号');
    const settled = interceptTransactions(
      (n) => {
        if (n === 4) throw new Error('Lambda killed');
      },
      [TransactWriteCommand, BatchWriteCommand],
    );
    // Act
    const crashed = await importFile(csv);
    await settled();
    // Assess: all or nothing is visible (here all: the import had committed).
    expect(crashed.status).toBe(500);
    expect(await visible(usccs)).toBe(250);
    // An edit of a firm whose row is not applied yet applies it first (its audit event once).
    const firm = (await getFirm(usccs[249] as string)).json.enterprise;
    expect((await patchFirm(firm.uscc, { version: firm.version, industry: '纺织' })).status).toBe(200);
    // Act: the retry.
    const retried = await importFile(csv);
    // Assess: the import's own report, every audit event once.
    expect(retried.status).toBe(200);
    expect(retried.json.report).toMatchObject({ committed: true, total: 250, imported: 250, failed: 0 });
    expect(await auditActions(firm.uscc)).toEqual(['enterprise.import.create', 'enterprise.update']);
    for (const uscc of usccs.slice(0, 20)) expect(await auditActions(uscc)).toEqual(['enterprise.import.create']);
    expect((await getFirm(firm.uscc)).json.enterprise).toMatchObject({ industry: '纺织', version: 2 });
  });
  it('the same file imported again after an edit re-applies that row and keeps every firm it created', async () => {
    // Prepare: three new firms from one file, then one of them edited.
    const usccs = distinctUsccs(3);
    const csv = csvOf(usccs, '吴中区越溪街道 5 号');
    expect((await importFile(csv)).json.report).toMatchObject({ imported: 3 });
    expect((await patchFirm(usccs[0] as string, { version: 1, address: '吴中区别处 1 号' })).status).toBe(200);
    // Act: the identical file again (same caller, same bytes: the same import id, a new run).
    const again = await importFile(csv);
    // Assess: the edited firm is set back by the file, the other two are still there, unchanged.
    expect(again.json.report.rows.map((r: { result: string }) => r.result)).toEqual([
      'updated',
      'unchanged',
      'unchanged',
    ]);
    for (const uscc of usccs) expect((await getFirm(uscc)).json.enterprise.address).toBe('吴中区越溪街道 5 号');
  });
});

describe('the roster export imports back whole', () => {
  const [many, one, none] = distinctUsccs(3) as [string, string, string];
  const firm = (uscc: string, name: string, contacts: unknown[]) =>
    invoke(
      staffFn,
      httpEvent('POST', '/api/staff/enterprises', {
        claims: lead,
        body: JSON.stringify({
          uscc,
          name,
          county: '320506',
          address: '苏州市吴中区木渎镇金山路 8 号',
          industry: '电镀',
          size: 'medium',
          tier: 'city',
          permitNo: '91320506MA1XXXXX001P',
          permitExpiresOn: '2027-06-30',
          contacts,
        }),
      }),
    );
  const exported = async (format: 'csv' | 'xlsx') => {
    const res = await invoke(
      staffFn,
      httpEvent('GET', `/api/staff/enterprises/export?format=${format}`, { claims: lead }),
    );
    return format === 'csv' ? Buffer.from(res.text) : Buffer.from(res.text, 'base64');
  };
  const before: Record<string, unknown> = {};

  beforeAll(async () => {
    expect(
      (
        await firm(many, '苏州多联系人电镀有限公司', [
          { name: '张三', role: '环保负责人', mobile: '13900000001', email: 'zhang@example.com' },
          { name: '李四', role: '总经理', mobile: '13900000002', email: 'li@example.com' },
          { name: '王五', mobile: '13900000003' },
        ])
      ).status,
    ).toBe(201);
    expect((await firm(one, '苏州单联系人电镀有限公司', [{ name: '赵六', mobile: '13900000004' }])).status).toBe(201);
    expect((await firm(none, '苏州无联系人电镀有限公司', [])).status).toBe(201);
    for (const uscc of [many, one, none]) before[uscc] = (await getFirm(uscc)).json.enterprise;
  });

  it.each(['csv', 'xlsx'] as const)(
    '%s: every contact with its role and e-mail comes back, every row unchanged',
    async (format) => {
      // Prepare
      const file = await exported(format);
      // Act
      const res = await importFile(file);
      // Assess
      expect(res.status, res.text).toBe(200);
      const { report } = res.json;
      expect(report.unchanged).toBe(report.total);
      expect(report).toMatchObject({ imported: 0, updated: 0, failed: 0 });
      for (const uscc of [many, one, none]) expect((await getFirm(uscc)).json.enterprise).toEqual(before[uscc]);
    },
  );

  it('a CSV re-saved by a spreadsheet (every cell quoted, no BOM, LF, trailing empty columns, dates with slashes) changes nothing', async () => {
    // Prepare: the export as LibreOffice writes it back.
    const rows = parseCsv(await exported('csv'));
    const quoted = rows
      .map((cells) =>
        [...cells.map((cell) => (/^\d{4}-\d{2}-\d{2}$/.test(cell) ? cell.replaceAll('-', '/') : cell)), '', '']
          .map((cell) => `"${cell.replaceAll('"', '""')}"`)
          .join(','),
      )
      .join('\n');
    // Act
    const res = await importFile(quoted);
    // Assess
    expect(res.status, res.text).toBe(200);
    expect(res.json.report.unchanged).toBe(res.json.report.total);
    expect((await getFirm(many)).json.enterprise).toEqual(before[many]);
  });

  it('a file without the role, e-mail and permit columns leaves them as they are', async () => {
    // Prepare: the old template's columns, the firm's first contact only, a new address.
    const csv = toCsv(HEADER, [
      [
        many,
        '苏州多联系人电镀有限公司',
        '320506',
        '苏州市吴中区木渎镇金山路 9 号',
        '电镀',
        '中型',
        '市级',
        '张三',
        '13900000001',
      ],
    ]);
    // Act
    const res = await importFile(csv);
    // Assess: the address changed; the contacts, roles, e-mails and the permit did not.
    expect(res.json.report.rows).toEqual([expect.objectContaining({ result: 'updated' })]);
    const after = (await getFirm(many)).json.enterprise;
    const { address: _a, version: _v, updatedAt: _u, ...rest } = before[many] as Record<string, unknown>;
    expect(after).toMatchObject({ ...rest, address: '苏州市吴中区木渎镇金山路 9 号', version: 2 });
  });
});

describe('the row report', () => {
  const rowOf = (uscc: string, name: string, county: string, mobile = '13800000000') => [
    uscc,
    name,
    county,
    '苏州市吴中区木渎镇 1 号',
    '印染',
    '小型',
    '县级',
    '王经理',
    mobile,
  ];

  it('reads a county by its name, echoes each bad row with its name and value, and hands back the bad rows to fix', async () => {
    // Prepare: two counties by name, one unknown county, one bad mobile.
    const [a, b, c, d] = distinctUsccs(4) as [string, string, string, string];
    const csv = toCsv(HEADER, [
      rowOf(a, '苏州名称县甲有限公司', '吴中区'),
      rowOf(b, '苏州名称县乙有限公司', 'Wuzhong'),
      rowOf(c, '苏州名称县丙有限公司', '姑苏区'),
      rowOf(d, '苏州名称县丁有限公司', '320506', '12345'),
    ]);
    // Act
    const res = await importFile(csv);
    // Assess: the two bad rows, by name and value; the rejected sheet holds them with an error column.
    expect(res.status).toBe(422);
    const { report } = res.json.error;
    expect(report.rows.map((r: { result: string }) => r.result)).toEqual(['skipped', 'skipped', 'failed', 'failed']);
    expect(report.rows[2]).toMatchObject({ uscc: c, name: '苏州名称县丙有限公司', values: { county: '姑苏区' } });
    expect(report.rows[3]).toMatchObject({ uscc: d, name: '苏州名称县丁有限公司', values: { contactMobile: '12345' } });
    expect(report.rejected.header).toEqual([...HEADER, '错误 error']);
    expect(report.rejected.rows.map((r: string[]) => r.slice(0, 3))).toEqual([
      [c, '苏州名称县丙有限公司', '姑苏区'],
      [d, '苏州名称县丁有限公司', '320506'],
    ]);
    expect(report.rejected.rows[0].at(-1)).toContain('所在区县代码');

    // Act: the rejected rows fixed and uploaded again (the error column is ignored), then the others.
    const fixed = report.rejected.rows.map((r: string[]) =>
      r.map((cell) => (cell === '姑苏区' ? '吴中' : cell === '12345' ? '13800000001' : cell)),
    );
    const again = await importFile(toCsv(report.rejected.header, fixed));
    const rest = await importFile(
      toCsv(HEADER, [rowOf(a, '苏州名称县甲有限公司', '吴中区'), rowOf(b, '苏州名称县乙有限公司', 'Wuzhong')]),
    );
    // Assess
    expect(again.json.report).toMatchObject({ imported: 2, failed: 0 });
    expect(rest.json.report).toMatchObject({ imported: 2, failed: 0 });
    expect((await getFirm(a)).json.enterprise.county).toBe('320506');
    expect((await getFirm(b)).json.enterprise.county).toBe('320506');
  });

  it('a firm registered outside the caller’s scope reads as a plain row error that reveals nothing of it (rule 8)', async () => {
    // Prepare: a firm of Jiangyin.
    const [elsewhere] = distinctUsccs(1) as [string];
    const jiangyin = claimsFor('lead.jiangyin', 'lead', '320281');
    const created = await invoke(
      staffFn,
      httpEvent('POST', '/api/staff/enterprises', {
        claims: jiangyin,
        body: JSON.stringify({
          uscc: elsewhere,
          name: '江阴秘密化工有限公司',
          county: '320281',
          address: '江阴市临港街道 1 号',
          industry: '化工',
          size: 'large',
          tier: 'province',
          contacts: [{ name: '钱七', mobile: '13900000009' }],
        }),
      }),
    );
    expect(created.status).toBe(201);
    // Act: Wuzhong's lead imports the same code as a firm of its own.
    const res = await importFile(toCsv(HEADER, [rowOf(elsewhere, '吴中新登记有限公司', '320506')]), 'valid-rows');
    // Assess: failed, naming only what the file said; nothing of the stored firm, not even where it is.
    const [row] = res.json.report.rows;
    expect(row).toMatchObject({ result: 'failed', name: '吴中新登记有限公司', fields: { uscc: expect.any(String) } });
    const told = JSON.stringify(res.json);
    for (const secret of ['江阴秘密化工有限公司', '320281', '钱七', '13900000009', 'utside', 'egistered'])
      expect(told).not.toContain(secret);
  });
});
