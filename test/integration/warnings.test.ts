import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { BatchGetCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { warningsUnder } from '../../functions/lib/warnings/board.ts';
import { type Runtime, startRuntime } from '../../infra/local/runtime.ts';
import { DEFAULT_TEMPLATE } from '../../shared/checkups.ts';
import { shanghaiDate } from '../../shared/time.ts';
import type { WarningBoard, WarningFinding, WarningFirm, WarningPermit } from '../../shared/warnings.ts';
import { apiCaller } from '../support/api.ts';
import { uploadSignature } from '../support/evidence.ts';
import { sentEmails } from '../support/outbox.ts';
import { watchTableCommands } from '../support/table.ts';
import { distinctUsccs } from '../support/uscc.ts';

// The early-warning board (issue 19) through the local gateway: red and worsened firms from their
// check-ups, red findings past due and not closed, discharge permits within 60 days (Beijing days)
// or expired; scoped like every staff read; and its weekly digest to leads, exactly once.
let runtime: Runtime;
let dataDir: string;
const token: Record<string, string> = {};
const call = apiCaller(() => runtime.url, token);

const DAY_MS = 86_400_000;
/** A Beijing date `days` from the Beijing day of `at`. */
const dayFrom = (at: Date, days: number) => shanghaiDate(new Date(at.getTime() + days * DAY_MS));

const [
  worse,
  red,
  cancelledFinding,
  redXiangcheng,
  permit60,
  permit61,
  permitToday,
  permitGone,
  jiangyin60,
  jiangyin61,
] = distinctUsccs(10) as [string, string, string, string, string, string, string, string, string, string];

const register = async (who: string, uscc: string, name: string, county: string, permitExpiresOn?: string) => {
  const res = await call('POST', '/api/staff/enterprises', who, {
    uscc,
    name,
    county,
    address: '测试地址',
    industry: '电镀',
    size: 'small',
    tier: 'county',
    contacts: [],
    ...(permitExpiresOn ? { permitNo: `PN-${uscc.slice(-6)}`, permitExpiresOn } : {}),
  });
  expect(res.status).toBe(201);
};

const allPass = Object.fromEntries(DEFAULT_TEMPLATE.items.map((i) => [i.itemId, { result: 'pass' }]));

/** A submitted check-up of `uscc` at `at` with these items failed; its findings' ledger items. */
const checkup = async (who: string, uscc: string, at: string, failed: readonly string[]) => {
  const created = await call('POST', '/api/staff/checkups', who, { uscc, at, inspectors: ['王工'] });
  expect(created.status).toBe(201);
  const { checkupId } = created.body.checkup as { checkupId: string };
  const answers = { ...allPass, ...Object.fromEntries(failed.map((id) => [id, { result: 'fail', note: '不符合' }])) };
  const saved = await call('PATCH', `/api/staff/checkups/${checkupId}`, who, { version: 1, answers });
  expect(saved.status).toBe(200);
  const submitted = await call('POST', `/api/staff/checkups/${checkupId}/submit`, who, {
    version: 2,
    signature: await uploadSignature(runtime.url, token[who] ?? ''),
  });
  expect(submitted.status).toBe(200);
  return submitted.body.checkup as { band: string; ledgerItemIds: string[] };
};

const board = async (who: string, jurisdiction: string) => {
  const res = await call('GET', `/api/staff/warnings?jurisdiction=${jurisdiction}`, who);
  expect(res.status).toBe(200);
  return res.body as WarningBoard;
};
const usccsOf = (rows: readonly (WarningFirm | WarningFinding | WarningPermit)[]) => rows.map((r) => r.uscc).sort();

const runJob = async (at: string) => {
  const res = await fetch(`${runtime.url}/api/local/jobs/warning-digest`, {
    method: 'POST',
    body: JSON.stringify({ at }),
  });
  expect(res.status).toBe(200);
  // biome-ignore lint/suspicious/noExplicitAny: the job's own tally
  return ((await res.json()) as { result: Record<string, any> }).result;
};

const now = new Date();
const today = shanghaiDate(now);

beforeAll(async () => {
  dataDir = mkdtempSync(join(tmpdir(), 'eco-warnings-'));
  runtime = await startRuntime({ port: 0, dataDir, siteDir: dataDir, scheduler: false, log: () => undefined });
  for (const username of ['lead.wuzhong', 'lead.suzhou', 'lead.jiangyin', 'admin']) {
    token[username] = (await runtime.issuer.signIn(username, 'demo'))?.token ?? '';
  }
  await register('lead.wuzhong', worse, '吴中评级变差企业', '320506');
  await register('lead.wuzhong', red, '吴中红色体检企业', '320506');
  await register('lead.wuzhong', cancelledFinding, '吴中问题已撤销企业', '320506');
  await register('lead.suzhou', redXiangcheng, '相城红色体检企业', '320507');
  // Permits, counted from the Beijing day of the test run: the 60th day warns, the 61st not yet;
  // today is the permit's last valid day (not expired), yesterday's has expired.
  await register('lead.wuzhong', permit60, '吴中许可证第60天企业', '320506', dayFrom(now, 60));
  await register('lead.wuzhong', permit61, '吴中许可证第61天企业', '320506', dayFrom(now, 61));
  await register('lead.wuzhong', permitToday, '吴中许可证今日到期企业', '320506', today);
  await register('lead.wuzhong', permitGone, '吴中许可证已过期企业', '320506', dayFrom(now, -1));
  // Jiangyin's permits around the digest's Monday (7 December 2026, Beijing): 5 February 2027 is its 60th day.
  await register('admin', jiangyin60, '江阴许可证周报第60天企业', '320281', '2027-02-05');
  await register('admin', jiangyin61, '江阴许可证周报第61天企业', '320281', '2027-02-06');

  // Green in May, yellow in June (M3 and F1 failed: 80): worse than before; its two findings are
  // high severity and were due in July: red findings past due.
  await checkup('lead.wuzhong', worse, '2026-05-10T09:00:00+08:00', []);
  const yellow = await checkup('lead.wuzhong', worse, '2026-06-10T09:00:00+08:00', ['M3', 'F1', 'R1']);
  expect(yellow.band).toBe('yellow');
  // Red at its first check-up (M2, M3, F1, F2, F4 failed: 52): red, not worsened.
  expect((await checkup('lead.wuzhong', red, '2026-11-20T09:00:00+08:00', ['M2', 'M3', 'F1', 'F2', 'F4'])).band).toBe(
    'red',
  );
  // A high-severity finding past due, but cancelled: not a warning any more.
  const gone = await checkup('lead.wuzhong', cancelledFinding, '2026-06-10T09:00:00+08:00', ['M2']);
  const [itemId] = gone.ledgerItemIds as [string];
  const item = (await call('GET', `/api/staff/ledger-items/${itemId}`, 'lead.wuzhong')).body.item;
  const cancelled = await call('POST', `/api/staff/ledger-items/${itemId}/transitions`, 'lead.wuzhong', {
    to: 'cancelled',
    note: '重复登记，撤销',
    version: item.version,
  });
  expect(cancelled.status).toBe(200);
  await checkup('lead.suzhou', redXiangcheng, '2026-06-10T09:00:00+08:00', ['M2', 'M3', 'F1', 'F2', 'F4']);
}, 120_000);

afterAll(async () => {
  await runtime?.stop();
  rmSync(dataDir, { recursive: true, force: true });
});

describe('the early-warning board of a county', () => {
  afterEach(() => vi.restoreAllMocks());

  it('lists red and worsened firms from their latest check-ups, by name with USCC', async () => {
    // Act
    const b = await board('lead.wuzhong', '320506');

    // Assess: the worsened firm (yellow after green) and the red one; not the cancelled one (green).
    expect(usccsOf(b.firms.items)).toEqual([worse, red].sort());
    expect(b.firms.items.find((f) => f.uscc === worse)).toMatchObject({
      firmName: '吴中评级变差企业',
      band: 'yellow',
      previousBand: 'green',
      worsened: true,
    });
    expect(b.firms.items.find((f) => f.uscc === red)).toMatchObject({ band: 'red', worsened: false });
    expect(b.totals).toMatchObject({ red: 1, worsened: 1 });
  });

  it('lists red findings past due and not closed: high severity only, a cancelled one left out', async () => {
    // Act
    const b = await board('lead.wuzhong', '320506');

    // Assess: the worsened firm's M3 and F1 (high, due 10 July); its R1 (medium) is no red finding;
    // the red firm's findings are due 20 December, not yet late.
    expect(b.findings.items.map((f) => f.uscc)).toEqual([worse, worse]);
    expect(b.findings.items.every((f) => f.dueOn === '2026-07-10' && f.daysLate > 0)).toBe(true);
    expect(b.findings.items.map((f) => f.title).sort()).toEqual(
      ['M3', 'F1'].map((id) => DEFAULT_TEMPLATE.items.find((i) => i.itemId === id)?.text.zh).sort(),
    );
    expect(b.totals.findings).toBe(2);
  });

  it("reads whole only the unit's own overdue items, not every unit's", async () => {
    // Prepare: every BatchGet's keys, as the board's reads send them (Xiangcheng has red findings past due too)
    const sent = watchTableCommands();

    // Act
    const { items, complete } = await warningsUnder('320506', now);

    // Assess: the worsened firm's three items past due (M3, F1 high; R1 medium) and nothing of Xiangcheng's
    const read = sent
      .filter((c): c is BatchGetCommand => c instanceof BatchGetCommand)
      .flatMap((c) =>
        Object.values(c.input.RequestItems ?? {}).flatMap((r) => (r.Keys ?? []).map((k) => String(k.pk))),
      );
    expect(read.filter((pk) => pk.startsWith('LEDGER#'))).toHaveLength(3);
    expect(items.findings.map((f) => f.uscc)).toEqual([worse, worse]);
    expect(complete).toBe(true);
  });

  it('lists permits expiring within 60 Beijing days, the 60th included, and the expired ones marked', async () => {
    // Act
    const b = await board('lead.wuzhong', '320506');

    // Assess
    expect(b.today).toBe(today);
    const byUscc = new Map(b.permits.items.map((p) => [p.uscc, p]));
    expect([...byUscc.keys()].sort()).toEqual([permit60, permitToday, permitGone].sort());
    expect(byUscc.get(permit60)).toMatchObject({ days: 60, expired: false, firmName: '吴中许可证第60天企业' });
    expect(byUscc.get(permitToday)).toMatchObject({ days: 0, expired: false });
    expect(byUscc.get(permitGone)).toMatchObject({ days: -1, expired: true });
    expect(b.totals).toMatchObject({ permitsExpiring: 2, permitsExpired: 1 });
    expect(b.complete).toBe(true);
  });
});

describe('scope', () => {
  it("shows a county lead its county only, and another county's board as 404", async () => {
    // Act
    const wuzhong = await board('lead.wuzhong', '320506');
    const city = await call('GET', '/api/staff/warnings?jurisdiction=320500', 'lead.wuzhong');
    const other = await call('GET', '/api/staff/warnings?jurisdiction=320507', 'lead.wuzhong');
    const jiangyin = await call('GET', '/api/staff/warnings?jurisdiction=320506', 'lead.jiangyin');

    // Assess
    expect(usccsOf(wuzhong.firms.items)).not.toContain(redXiangcheng);
    expect(wuzhong.children).toEqual([]);
    expect([city.status, other.status, jiangyin.status]).toEqual([404, 404, 404]);
  });

  it("shows the city lead its counties' counts one level down", async () => {
    // Act
    const b = await board('lead.suzhou', '320500');

    // Assess: both counties' firms, and the counts of each county.
    expect(usccsOf(b.firms.items)).toEqual([worse, red, redXiangcheng].sort());
    const byCode = new Map(b.children.map((c) => [c.code, c]));
    expect(byCode.get('320506')).toMatchObject({ red: 1, worsened: 1, findings: 2, permitsExpiring: 2 });
    expect(byCode.get('320507')).toMatchObject({ red: 1, worsened: 0, findings: 5, permitsExpired: 0 });
    expect(b.totals.red).toBe(2);
  });

  it('pages a long list by sealed cursors, bound to the caller, the unit and the list', async () => {
    // Prepare: 51 Xiangcheng permits within the window, one more than a page.
    const many = distinctUsccs(51);
    for (let i = 0; i < many.length; i += 10) {
      await Promise.all(
        many
          .slice(i, i + 10)
          .map((u, k) => register('lead.suzhou', u, `相城许可证分页企业${i + k}`, '320507', dayFrom(now, 10))),
      );
    }

    // Act
    const first = await board('lead.suzhou', '320507');
    const next = await call(
      'GET',
      `/api/staff/warnings?jurisdiction=320507&list=permits&cursor=${first.permits.cursor}`,
      'lead.suzhou',
    );
    const otherList = await call(
      'GET',
      `/api/staff/warnings?jurisdiction=320507&list=firms&cursor=${first.permits.cursor}`,
      'lead.suzhou',
    );
    const otherCaller = await call(
      'GET',
      `/api/staff/warnings?jurisdiction=320507&list=permits&cursor=${first.permits.cursor}`,
      'admin',
    );

    // Assess: 50, then the 51st, every firm once; the cursor opens nothing else.
    expect(first.permits.total).toBe(51);
    expect(first.permits.items).toHaveLength(50);
    expect(next.status).toBe(200);
    expect(next.body.permits.items).toHaveLength(1);
    expect(next.body.permits.cursor).toBeNull();
    expect(new Set([...usccsOf(first.permits.items), ...usccsOf(next.body.permits.items)]).size).toBe(51);
    expect([otherList.status, otherCaller.status]).toEqual([400, 400]);
  });

  it('refuses a cursor of another list or unit', async () => {
    // Act
    const forged = await call(
      'GET',
      '/api/staff/warnings?jurisdiction=320506&list=firms&cursor=AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA',
      'lead.wuzhong',
    );
    const unnamed = await call('GET', '/api/staff/warnings?jurisdiction=320506&cursor=abc', 'lead.wuzhong');

    // Assess
    expect(forged.status).toBe(400);
    expect(forged.body.error.fields).toHaveProperty('cursor');
    expect(unnamed.body.error.fields).toHaveProperty('list');
  });
});

describe('the weekly digest to leads', () => {
  it('sends each lead with warnings one digest, once, under two concurrent runs and a rerun', async () => {
    // Act: Monday 7 December 2026, 00:30 in Beijing (still Sunday 6 December in UTC), twice at once, then again.
    const at = '2026-12-07T00:30:00+08:00';
    const [first, second] = await Promise.all([runJob(at), runJob(at)]);
    const rerun = await runJob('2026-12-07T09:00:00+08:00');

    // Assess: Wuzhong's, Suzhou's and Jiangyin's leads (each board has something), one digest each.
    expect(first.week).toBe('2026-12-07');
    expect(first.digestsCreated + second.digestsCreated).toBe(3);
    expect(rerun.digestsCreated).toBe(0);
    const digests = sentEmails().filter((e) => e.subject.includes('体检预警·周报'));
    expect(digests.map((e) => e.to[0]?.split('@')[0]).sort()).toEqual(['lead.jiangyin', 'lead.suzhou', 'lead.wuzhong']);
    const text = (who: string) => digests.find((e) => e.to[0]?.startsWith(who))?.text ?? '';
    expect(text('lead.wuzhong')).toContain('吴中红色体检企业');
    expect(text('lead.wuzhong')).not.toContain('相城红色体检企业');
    expect(text('lead.wuzhong')).toContain('/staff/warnings/?jurisdiction=320506');
    expect(text('lead.suzhou')).toContain('相城红色体检企业');
    // The 60th day counted from the Beijing date (7 December), not the UTC one (6 December).
    expect(text('lead.jiangyin')).toContain('江阴许可证周报第60天企业（');
    expect(text('lead.jiangyin')).toContain('还有 60 天');
    expect(text('lead.jiangyin')).not.toContain('江阴许可证周报第61天企业');
  });

  it('sends nothing to a lead whose board is empty', async () => {
    // Act: Monday 2 November 2026: Jiangyin's permits are 95 and 96 days off, and it has no check-ups.
    const result = await runJob('2026-11-02T09:00:00+08:00');

    // Assess: three leads, two boards with warnings (Wuzhong's late findings, and Suzhou's), two digests.
    expect(result).toMatchObject({ week: '2026-11-02', leads: 3, boards: 2, digestsCreated: 2 });
    const jiangyin = sentEmails().filter((e) => e.to[0]?.startsWith('lead.jiangyin') && e.subject.includes('体检预警'));
    expect(jiangyin).toHaveLength(1);
  });
});
