import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { shanghaiDate } from '../../shared/time.ts';
import { bookOverHttp } from '../support/bookings.ts';
import { deskSize, productClient, sessionOnEveryPage } from '../support/e2e.ts';
import { png } from '../support/png.ts';
import { axeViolations, type Product, phone, SHOTS, startProduct } from '../support/product.ts';
import { distinctUsccs } from '../support/uscc.ts';

// The roster and firm pages of the staff console, as `npm start` runs the product: the lead of Wuzhong
// searches, filters and pages through the roster, adds a firm (a wrong field first), imports the bureau's
// list in both modes and exports it, edits a firm while a second tab holds a stale version; the firm page
// shows the firm's pairing and its service record (a visit with a photo and a PDF, a consultation-day
// booking), a page at a time. The Wuzhong liaison sees the same roster without the managers' parts.
// Screenshots go to test-results/screenshots/roster-*.png and firm-*.png.
const shots = SHOTS;
let product: Product;
let url: string;
let browser: Browser;
let lead: BrowserContext;
let page: Page;
const { token, call, apiSignIn, signIn } = productClient(() => url);

const desk = { ...deskSize, acceptDownloads: true };
const narrow = { ...phone, viewport: { width: 360, height: 780 }, locale: 'zh-CN' };
const codes = distinctUsccs(33);
const code = (i: number): string => codes[i] as string;
const [usccA, usccB, usccC, usccNew, usccImport1, usccImport2, usccOther] = [0, 1, 2, 3, 4, 5, 6].map(code) as [
  string,
  string,
  string,
  string,
  string,
  string,
  string,
];
const fillers = codes.slice(7);
const firmA = '苏州绿源环保科技有限公司';
const firmB = '吴中精密电镀有限公司';
const firmC = '太湖化工原料有限公司';
const year = Number(shanghaiDate(new Date()).slice(0, 4));

const firm = (uscc: string, name: string, extra: Record<string, unknown> = {}) => ({
  uscc,
  name,
  county: '320506',
  address: '苏州市吴中区木渎镇金枫南路 1 号',
  industry: '金属表面处理',
  size: 'small',
  tier: 'county',
  contacts: [{ name: '王经理', role: '环保专员', mobile: '13812345678' }],
  ...extra,
});

/** Uploads a file as `who` with the presigned PUT; answers its evidence id. */
const upload = async (who: string, fileName: string, contentType: string, bytes: Buffer): Promise<string> => {
  const { createHash } = await import('node:crypto');
  const created = await call('POST', '/api/staff/evidence', who, {
    fileName,
    contentType,
    size: bytes.length,
    sha256: createHash('sha256').update(bytes).digest('hex'),
  });
  expect(created.status).toBe(201);
  const { evidenceId, upload: put } = created.body as {
    evidenceId: string;
    upload: { url: string; headers: Record<string, string> };
  };
  const res = await fetch(put.url, { method: 'PUT', headers: put.headers, body: new Uint8Array(bytes) });
  expect(res.status).toBe(200);
  return evidenceId;
};

const withToken = async (who: string, options: Record<string, unknown>): Promise<BrowserContext> => {
  const context = await browser.newContext(options);
  await sessionOnEveryPage(context, token[who] as string);
  return context;
};

const rosterRows = (p: Page) => p.locator('#roster-table tbody tr');

/** How many firms the API lists for a lead (npm start's demo firms included), all pages. */
const firmsOf = async (who: string): Promise<number> => {
  let total = 0;
  let cursor: string | null = null;
  do {
    const page = await call('GET', `/api/staff/enterprises?limit=200${cursor ? `&cursor=${cursor}` : ''}`, who);
    const body = page.body as { enterprises: unknown[]; nextCursor: string | null };
    total += body.enterprises.length;
    cursor = body.nextCursor ? encodeURIComponent(body.nextCursor) : null;
  } while (cursor);
  return total;
};

beforeAll(async () => {
  product = await startProduct('eco-e2e-roster-');
  ({ url, browser } = product);
  for (const username of ['lead.wuzhong', 'lead.suzhou', 'liaison.wuzhong']) {
    expect((await apiSignIn(username)).status).toBe(200);
  }

  // The roster of Wuzhong: three named firms and enough others for a second page.
  const made = [
    await call('POST', '/api/staff/enterprises', 'lead.wuzhong', firm(usccA, firmA, { industry: '环保设备制造' })),
    await call(
      'POST',
      '/api/staff/enterprises',
      'lead.wuzhong',
      firm(usccB, firmB, {
        tier: 'city',
        size: 'medium',
        permitNo: '91320506MA1XYZ001P',
        permitExpiresOn: '2027-06-30',
      }),
    ),
    await call(
      'POST',
      '/api/staff/enterprises',
      'lead.wuzhong',
      firm(usccC, firmC, { tier: 'province', size: 'large', industry: '化学原料制造' }),
    ),
  ];
  const trades = ['纺织', '印染', '机械', '电子', '包装', '塑胶', '五金', '涂装', '食品'];
  for (const [i, uscc] of fillers.entries()) {
    made.push(
      await call(
        'POST',
        '/api/staff/enterprises',
        'lead.wuzhong',
        firm(uscc, `苏州吴中${trades[i % trades.length]}第${i + 1}有限公司`, {
          industry: `${trades[i % trades.length]}`,
        }),
      ),
    );
  }
  // One firm of Xiangcheng, outside the Wuzhong lead's scope.
  made.push(
    await call(
      'POST',
      '/api/staff/enterprises',
      'lead.suzhou',
      firm(usccOther, '相城区汽车零部件有限公司', { county: '320507' }),
    ),
  );
  expect(made.map((r) => r.status)).toEqual(made.map(() => 201));
  // Firm C is paused.
  expect(
    (await call('PATCH', `/api/staff/enterprises/${usccC}`, 'lead.wuzhong', { version: 1, status: 'paused' })).status,
  ).toBe(200);

  lead = await browser.newContext(desk);
  page = await lead.newPage();
});

afterAll(async () => {
  await product?.stop();
});

describe('staff console: the roster', () => {
  it('signs in as the Wuzhong lead, pages through the roster, searches and filters', async () => {
    await signIn(page, 'lead.wuzhong');
    await page.goto(`${url}/staff/enterprises/`);
    await rosterRows(page).first().waitFor({ state: 'visible' });
    expect(await page.locator('#console-me').innerText()).toContain('联系领导');
    expect(await page.getAttribute('.console-nav a[aria-current=page]', 'href')).toBe('/staff/enterprises/');

    // The firms of Wuzhong (ours and npm start's demo firms; Xiangcheng's are not in scope): a first
    // page, then "load more" until all are shown.
    const total = await firmsOf('lead.wuzhong');
    expect(total).toBeGreaterThan(29);
    const first = await rosterRows(page).count();
    expect(first).toBeGreaterThan(0);
    expect(first).toBeLessThan(total);
    const more = page.locator('#roster-more');
    expect(await more.isVisible()).toBe(true);
    await more.click();
    await expect.poll(() => rosterRows(page).count()).toBeGreaterThan(first);
    expect(await page.evaluate(() => document.activeElement?.closest('tr')?.rowIndex)).toBe(first + 1);
    while (await more.isVisible()) {
      const shown = await rosterRows(page).count();
      await more.click();
      await expect.poll(() => rosterRows(page).count()).toBeGreaterThan(shown);
    }
    expect(await rosterRows(page).count()).toBe(total);
    expect(await page.locator('#roster-count').innerText()).toContain(`共 ${total} 家企业`);
    expect(await page.locator('#roster-table').innerText()).not.toContain('相城区汽车零部件');
    expect(await axeViolations(page)).toEqual([]);
    await page.screenshot({ path: join(shots, 'roster-list-zh-desk.png'), fullPage: true });

    // By name, then by the start of a credit code.
    await page.fill('#filter-q', '精密电镀');
    await page.click('#filter-submit');
    await expect.poll(() => rosterRows(page).count()).toBe(1);
    expect(await rosterRows(page).first().innerText()).toContain(firmB);
    expect(new URL(page.url()).searchParams.get('q')).toBe('精密电镀');
    await page.fill('#filter-q', usccA.slice(0, 8).toLowerCase());
    await page.click('#filter-submit');
    await expect.poll(() => rosterRows(page).first().getAttribute('data-uscc')).toBe(usccA);
    expect(await rosterRows(page).count()).toBe(1);

    // Filters: tier, status; a reload keeps them (they are in the address).
    await page.click('#filter-reset');
    await expect.poll(() => rosterRows(page).count()).toBeGreaterThan(1);
    expect(await page.inputValue('#filter-q')).toBe('');
    await page.selectOption('#filter-tier', 'province');
    await page.click('#filter-submit');
    await expect.poll(() => rosterRows(page).count()).toBe(1);
    expect(await rosterRows(page).first().innerText()).toContain(firmC);
    expect(await rosterRows(page).first().innerText()).toContain('暂停服务');
    await page.selectOption('#filter-tier', '');
    await page.selectOption('#filter-status', 'paused');
    await page.selectOption('#filter-county', '320506');
    await page.click('#filter-submit');
    await expect.poll(() => rosterRows(page).count()).toBe(1);
    expect(await rosterRows(page).first().getAttribute('data-uscc')).toBe(usccC);
    await page.reload();
    await expect.poll(() => rosterRows(page).count()).toBe(1);
    expect(await page.inputValue('#filter-status')).toBe('paused');
    expect(await page.inputValue('#filter-county')).toBe('320506');
    await page.selectOption('#filter-status', 'closed');
    await page.click('#filter-submit');
    await page.locator('#roster-empty').waitFor({ state: 'visible' });
    expect(await rosterRows(page).count()).toBe(0);
    await page.click('#filter-reset');
    await expect.poll(() => rosterRows(page).count()).toBeGreaterThan(1);
  });

  it('adds a firm: a wrong credit code and mobile are marked, then fixed; a duplicate is refused', async () => {
    const form = page.locator('#new-firm-form');
    const wrong = `${usccNew.slice(0, 17)}${usccNew[17] === '0' ? '1' : '0'}`;
    await form.locator('[name=uscc]').fill(wrong);
    await form.locator('[name=name]').fill('苏州吴中新材料科技有限公司');
    await form.locator('[name=industry]').fill('新材料');
    await form.locator('[name=address]').fill('苏州市吴中区甪直镇凌港路 8 号');
    await form.locator('[name=size]').selectOption('small');
    await form.locator('[name=tier]').selectOption('county');
    expect(await form.locator('[name=county]').inputValue()).toBe('320506');
    const contact = form.locator('.contact-row').first();
    await contact.locator('[data-contact=name]').fill('陈工');
    await contact.locator('[data-contact=mobile]').fill('1381234');
    await form.locator('button[type=submit]').click();

    const summary = page.locator('#new-firm-errors');
    await summary.waitFor({ state: 'visible' });
    expect(await page.evaluate(() => document.activeElement?.id)).toBe('new-firm-errors');
    expect(await form.locator('[name=uscc]').getAttribute('aria-invalid')).toBe('true');
    expect(await contact.locator('[data-contact=mobile]').getAttribute('aria-invalid')).toBe('true');
    expect(await summary.innerText()).toContain('校验位');
    expect(await summary.innerText()).toContain('联系人 1');
    expect(await axeViolations(page)).toEqual([]);
    await page.locator('#new-firm').screenshot({ path: join(shots, 'roster-add-errors-zh-desk.png') });

    // The summary's link takes focus to the field; fixing it clears its mark as one types.
    await summary.locator('a').first().click();
    expect(await page.evaluate(() => document.activeElement?.getAttribute('name'))).toBe('uscc');
    await form.locator('[name=uscc]').fill(usccNew.toLowerCase());
    expect(await form.locator('[name=uscc]').getAttribute('aria-invalid')).toBeNull();
    await contact.locator('[data-contact=mobile]').fill('13812345679');
    await form.locator('button[type=submit]').click();
    const status = page.locator('#roster-status');
    await status.waitFor({ state: 'visible' });
    expect(await status.innerText()).toContain('苏州吴中新材料科技有限公司');
    expect(await status.locator('a').getAttribute('href')).toBe(`/staff/enterprises/firm/?uscc=${usccNew}`);
    expect(await summary.isVisible()).toBe(false);
    expect(await form.locator('[name=uscc]').inputValue()).toBe('');
    const saved = await call('GET', `/api/staff/enterprises/${usccNew}`, 'lead.wuzhong');
    expect((saved.body as { enterprise: { contacts: unknown[] } }).enterprise.contacts).toEqual([
      { name: '陈工', mobile: '13812345679' },
    ]);

    // The same code again: the server says it is registered already, on the credit-code field.
    await form.locator('[name=uscc]').fill(usccNew);
    await form.locator('[name=name]').fill('重复登记测试有限公司');
    await form.locator('[name=industry]').fill('新材料');
    await form.locator('[name=address]').fill('苏州市吴中区');
    await form.locator('[name=size]').selectOption('micro');
    await form.locator('[name=tier]').selectOption('county');
    await form.locator('button[type=submit]').click();
    await summary.waitFor({ state: 'visible' });
    expect(await summary.innerText()).toContain('已登记');
    expect(await form.locator('[name=uscc]').getAttribute('aria-invalid')).toBe('true');

    // The server's per-field errors (`error.fields`) land on their inputs, contact rows included.
    await page.route('**/api/staff/enterprises', (route) =>
      route.request().method() === 'POST'
        ? route.fulfill({
            status: 400,
            contentType: 'application/json',
            body: JSON.stringify({
              error: {
                code: 'VALIDATION_FAILED',
                message: 'The request has invalid fields',
                fields: { address: 'Too long', 'contacts.0.mobile': 'A mainland mobile number' },
              },
            }),
          })
        : route.fallback(),
    );
    await form.locator('[name=uscc]').fill(usccImport2);
    await form.locator('.contact-row [data-contact=name]').first().fill('周工');
    await form.locator('.contact-row [data-contact=mobile]').first().fill('13912345678');
    await form.locator('button[type=submit]').click();
    await expect.poll(() => form.locator('[name=address]').getAttribute('aria-invalid')).toBe('true');
    expect(await form.locator('.contact-row [data-contact=mobile]').first().getAttribute('aria-invalid')).toBe('true');
    expect(await form.locator('[name=uscc]').getAttribute('aria-invalid')).toBeNull();
    expect(await summary.innerText()).toContain('地址');
    await page.unroute('**/api/staff/enterprises');
  });

  it('imports the bureau’s list with one bad row: all-or-nothing refuses, valid-rows imports the rest', async () => {
    // The import's code loads when a manager turns to it; a submit sent before (no pointer, no focus
    // there yet) is held, and done once the code is there: the missing file is said.
    await page.reload();
    await page.locator('#import-form').waitFor({ state: 'visible' });
    expect(await page.locator('#import-problem').isVisible()).toBe(false);
    await page.evaluate(() => document.querySelector<HTMLFormElement>('#import-form')?.requestSubmit());
    await page.locator('#import-problem').waitFor({ state: 'visible' });
    expect(await page.locator('#import-problem').innerText()).toContain('请选择');
    expect(page.url()).not.toContain('file=');

    // The templates download with the token.
    const [csvTemplate] = await Promise.all([page.waitForEvent('download'), page.click('#template-csv')]);
    expect(csvTemplate.suggestedFilename()).toMatch(/\.csv$/);
    expect(readFileSync(await csvTemplate.path(), 'utf8')).toContain('统一社会信用代码');
    const [xlsxTemplate] = await Promise.all([page.waitForEvent('download'), page.click('#template-xlsx')]);
    expect(xlsxTemplate.suggestedFilename()).toMatch(/\.xlsx$/);

    const csv = [
      '统一社会信用代码,企业名称,所在区县代码,地址,行业,规模,分级,排污许可证编号,许可证有效期至,联系人,联系电话,电子邮箱',
      `${usccImport1},苏州吴中光电材料有限公司,320506,苏州市吴中区临湖镇 18 号,电子材料,medium,county,,,刘经理,13700001111,`,
      `${usccImport2},苏州吴中精细化工有限公司,320506,苏州市吴中区胥口镇 6 号,精细化工,huge,city,,,赵经理,13700002222,`,
      `${usccA},苏州绿源环保科技有限公司,320506,苏州市吴中区木渎镇金枫南路 1 号,环保设备制造,small,county,,,王经理,13812345678,`,
    ].join('\n');
    const file = { name: '吴中区企业名录.csv', mimeType: 'text/csv', buffer: Buffer.from(`\uFEFF${csv}\n`, 'utf8') };

    // Records what the progress line said, to check the upload showed its progress and then "processing".
    const watchProgress = () =>
      page.evaluate(() => {
        const w = window as unknown as { progressSeen: string[] };
        w.progressSeen = [];
        const text = document.querySelector('#import-progress-text') as HTMLElement;
        new MutationObserver(() => w.progressSeen.push(text.textContent ?? '')).observe(text, {
          childList: true,
          characterData: true,
          subtree: true,
        });
      });
    const progressSeen = () => page.evaluate(() => (window as unknown as { progressSeen: string[] }).progressSeen);

    await page.locator('#import-file').setInputFiles(file);
    expect(await page.isChecked('#import-mode-all-or-nothing')).toBe(true);
    await watchProgress();
    await page.click('#import-submit');
    const report = page.locator('#import-report');
    await report.waitFor({ state: 'visible' });
    expect(await page.evaluate(() => document.activeElement?.id)).toBe('import-outcome');
    expect(await page.locator('#import-outcome').innerText()).toContain('未导入任何企业');
    expect(await report.getAttribute('data-committed')).toBe('false');
    expect(await page.locator('#import-counts [data-count=failed] dd').innerText()).toBe('1');
    expect(await page.locator('#import-counts [data-count=total] dd').innerText()).toBe('3');
    const bad = page.locator('#import-rows tr[data-row="3"]');
    expect(await bad.getAttribute('data-result')).toBe('failed');
    expect(await bad.innerText()).toContain(usccImport2);
    expect(await bad.locator('[data-field=size]').innerText()).toContain('规模');
    expect(await page.locator('#import-rows tr[data-row="2"]').getAttribute('data-result')).toBe('skipped');
    // The rows with problems download as a CSV to fix: the file's columns and an error column.
    const [rejected] = await Promise.all([page.waitForEvent('download'), page.click('#import-rejected')]);
    const rejectedText = readFileSync((await rejected.path()) ?? '', 'utf8');
    expect(rejectedText.split('\r\n')[0]).toMatch(/^\uFEFF统一社会信用代码,.*,错误 error$/);
    expect(rejectedText).toContain(`${usccImport2},苏州吴中精细化工有限公司,320506`);
    expect(rejectedText).not.toContain(usccImport1);
    expect((await progressSeen()).some((text) => text.includes('正在处理'))).toBe(true);
    expect(await page.locator('#import-progress-box').isVisible()).toBe(false);
    expect((await call('GET', `/api/staff/enterprises/${usccImport1}`, 'lead.wuzhong')).status).toBe(404);
    expect(await axeViolations(page)).toEqual([]);
    await page.locator('#import').screenshot({ path: join(shots, 'roster-import-rejected-zh-desk.png') });

    await page.fill('#filter-q', '光电');
    await page.click('#filter-submit');
    await page.locator('#roster-empty').waitFor({ state: 'visible' });
    await page.check('#import-mode-valid-rows');
    await page.locator('#import-file').setInputFiles(file);
    await watchProgress();
    await page.click('#import-submit');
    await expect.poll(() => report.getAttribute('data-committed')).toBe('true');
    expect(await page.locator('#import-outcome').innerText()).toContain('导入完成');
    expect(await page.locator('#import-counts [data-count=imported] dd').innerText()).toBe('1');
    expect(await page.locator('#import-counts [data-count=failed] dd').innerText()).toBe('1');
    expect(await page.locator('#import-rows tr[data-row="2"]').getAttribute('data-result')).toBe('imported');
    expect(await page.locator('#import-rows tr[data-row="3"]').getAttribute('data-result')).toBe('failed');
    expect((await progressSeen()).some((text) => text.includes('正在处理'))).toBe(true);
    expect((await call('GET', `/api/staff/enterprises/${usccImport1}`, 'lead.wuzhong')).status).toBe(200);
    expect((await call('GET', `/api/staff/enterprises/${usccImport2}`, 'lead.wuzhong')).status).toBe(404);
    // The list (searching for the firm in the file) reloads and shows it.
    await expect.poll(() => rosterRows(page).first().getAttribute('data-uscc')).toBe(usccImport1);
    expect(await axeViolations(page)).toEqual([]);
    await page.locator('#import').screenshot({ path: join(shots, 'roster-import-done-zh-desk.png') });

    await page.click('#filter-reset');

    // A file that is not a sheet is refused before it is sent.
    await page
      .locator('#import-file')
      .setInputFiles({ name: 'notes.txt', mimeType: 'text/plain', buffer: Buffer.from('x') });
    await page.click('#import-submit');
    await page.locator('#import-problem').waitFor({ state: 'visible' });
    expect(await page.locator('#import-problem').innerText()).toContain('CSV 或 XLSX');
    expect(await page.evaluate(() => document.activeElement?.id)).toBe('import-file');
  });

  it('exports the roster as CSV and XLSX with the list’s filters', async () => {
    await page.selectOption('#filter-tier', 'city');
    await page.click('#filter-submit');
    await expect.poll(() => page.locator(`#roster-table tr[data-uscc="${usccB}"]`).count()).toBe(1);
    for (const row of await rosterRows(page).all()) expect(await row.innerText()).toContain('市级名单');
    const [csv] = await Promise.all([page.waitForEvent('download'), page.click('#export-csv')]);
    expect(csv.suggestedFilename()).toMatch(/\.csv$/);
    const text = readFileSync(await csv.path(), 'utf8');
    expect(text).toContain(firmB);
    expect(text).not.toContain(firmA);
    const [xlsx] = await Promise.all([page.waitForEvent('download'), page.click('#export-xlsx')]);
    expect(xlsx.suggestedFilename()).toMatch(/\.xlsx$/);
    expect(
      readFileSync(await xlsx.path())
        .subarray(0, 2)
        .toString('latin1'),
    ).toBe('PK');
    expect(await page.locator('#export-status').innerText()).toContain('.xlsx');
    await page.click('#filter-reset');
  });
});

describe('staff console: a firm’s page', () => {
  let pairingId: string;
  let bookingCode: string;

  it('shows the firm, its pairing and its service record with evidence thumbnails', async () => {
    // A pairing with the Wuzhong liaison, a visit logged by the liaison with a photo and a PDF,
    // and a booking of a consultation day by the firm.
    const paired = await call('POST', '/api/staff/pairings', 'lead.wuzhong', {
      uscc: usccA,
      liaison: 'liaison.wuzhong',
      serviceYear: year,
      startsOn: `${year}-01-01`,
    });
    expect(paired.status).toBe(201);
    pairingId = (paired.body as { pairing: { pairingId: string } }).pairing.pairingId;
    const picture = png(320, 240);
    const photo = await upload('liaison.wuzhong', '现场照片-废气处理设施.png', 'image/png', picture);
    const pdf = await upload(
      'liaison.wuzhong',
      '整改报告.pdf',
      'application/pdf',
      Buffer.from('%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n'),
    );
    const visited = await call('POST', `/api/staff/pairings/${pairingId}/contacts`, 'liaison.wuzhong', {
      at: new Date(Date.now() - 2 * 3_600_000).toISOString(),
      mode: 'visit',
      participants: ['王经理', '吴中区联络员'],
      summary: '走访检查废气处理设施运行情况，活性炭更换记录齐全，提醒企业按期提交排污许可执行报告。',
      evidenceIds: [photo, pdf],
    });
    expect(visited.status).toBe(201);
    const date = shanghaiDate(new Date(Date.now() + 10 * 86_400_000));
    const day = await call('POST', '/api/staff/consultation-days', 'lead.wuzhong', {
      date,
      jurisdiction: '320506',
      venue: '吴中区生态环境局三楼会议室',
      mode: 'onsite',
      topics: ['排污许可', '环评审批'],
      slots: [{ startsAt: `${date}T09:00:00+08:00`, endsAt: `${date}T10:00:00+08:00`, capacity: 5 }],
    });
    expect(day.status).toBe(201);
    const dayId = (day.body as { day: { dayId: string } }).day.dayId;
    // An anonymous booking is a hold until its SMS code (issue 16): the code is read from the outbox.
    const booked = await bookOverHttp(url, dayId, {
      slotId: 's1',
      uscc: usccA,
      companyName: firmA,
      contactName: '王经理',
      mobile: '13812345678',
      topic: '排污许可',
      question: '排污许可证延续需要提前多久申请，需要准备哪些材料？',
      consent: true,
    });
    expect(booked.status, JSON.stringify(booked.body)).toBe(200);
    bookingCode = (booked.body as { booking: { code: string } }).booking.code;

    await page.goto(`${url}/staff/enterprises/`);
    await page.fill('#filter-q', '绿源');
    await page.click('#filter-submit');
    await expect.poll(() => rosterRows(page).count()).toBe(1);
    await rosterRows(page).first().locator('a').click();
    await page.waitForURL(/\/staff\/enterprises\/firm\/\?uscc=/);
    await expect.poll(() => page.locator('#firm-heading').innerText()).toBe(firmA);
    const facts = await page.locator('#firm-facts').innerText();
    expect(facts).toContain(usccA);
    expect(facts).toContain('吴中区');
    expect(facts).toContain('环保设备制造');
    expect(facts).toContain('13812345678');

    const pairing = page.locator(`#firm-pairings [data-pairing-id="${pairingId}"]`);
    await pairing.waitFor({ state: 'visible' });
    expect(await pairing.innerText()).toContain('吴中区联络员 Wuzhong liaison');
    expect(await pairing.innerText()).toContain('服务中');

    const contact = page.locator('#timeline li[data-kind=contact]').first();
    await contact.waitFor({ state: 'visible' });
    expect(await contact.innerText()).toContain('走访');
    expect(await contact.innerText()).toContain('活性炭更换记录齐全');
    expect(await contact.innerText()).toContain('王经理、吴中区联络员');
    const thumb = contact.locator(`li.evidence-thumb[data-evidence-id="${photo}"] img`);
    await expect.poll(() => thumb.getAttribute('data-loaded')).toBe('true');
    expect(await thumb.getAttribute('src')).toMatch(/^https?:\/\/.+\.png\?/);
    // The thumbnail's address is the presigned GET of the photo: it serves those very bytes.
    const served = await fetch((await thumb.getAttribute('src')) as string);
    expect(served.status).toBe(200);
    expect(Buffer.from(await served.arrayBuffer()).equals(picture)).toBe(true);
    // …and the browser shows it (the page's CSP allows the evidence bucket's origin).
    await thumb.scrollIntoViewIfNeeded();
    await expect.poll(() => thumb.evaluate((img: HTMLImageElement) => img.complete && img.naturalWidth)).toBe(320);
    const fileLink = contact.locator(`li.evidence-file[data-evidence-id="${pdf}"] a`);
    await expect.poll(() => fileLink.getAttribute('href')).toMatch(/^https?:\/\/.+\.pdf\?/);
    expect(await fileLink.innerText()).toContain('整改报告.pdf');

    // The booking is in the future, so it comes first (newest first).
    const first = page.locator('#timeline > li').first();
    expect(await first.getAttribute('data-kind')).toBe('booking');
    expect(await first.getAttribute('data-code')).toBe(bookingCode);
    expect(await first.innerText()).toContain('排污许可');
    expect(await first.innerText()).toContain('已确认');
    expect(await page.locator('#edit-firm').isVisible()).toBe(true);
    expect(await axeViolations(page)).toEqual([]);
    await page.screenshot({ path: join(shots, 'firm-zh-desk.png'), fullPage: true });
  });

  it('pages through a long service record', async () => {
    const paired = await call('POST', '/api/staff/pairings', 'lead.wuzhong', {
      uscc: usccB,
      liaison: 'liaison.wuzhong',
      serviceYear: year,
      startsOn: `${year}-01-01`,
    });
    expect(paired.status).toBe(201);
    const id = (paired.body as { pairing: { pairingId: string } }).pairing.pairingId;
    for (let i = 0; i < 23; i++) {
      const logged = await call('POST', `/api/staff/pairings/${id}/contacts`, 'liaison.wuzhong', {
        at: new Date(Date.now() - (i + 1) * 86_400_000).toISOString(),
        mode: i % 2 === 0 ? 'phone' : 'video',
        participants: ['孙主任'],
        summary: `第 ${23 - i} 次联络：了解企业电镀废水处理和危废转移情况。`,
      });
      expect(logged.status).toBe(201);
    }
    await page.goto(`${url}/en/staff/enterprises/firm/?uscc=${usccB}`);
    const items = page.locator('#timeline > li');
    await items.first().waitFor({ state: 'visible' });
    const first = await items.count();
    expect(first).toBeLessThan(23);
    const more = page.locator('#timeline-more');
    expect(await more.isVisible()).toBe(true);
    await more.click();
    await expect.poll(() => items.count()).toBe(23);
    expect(await more.isVisible()).toBe(false);
    expect(await items.last().innerText()).toContain('第 1 次联络');
    expect(await items.first().innerText()).toContain('Phone call');
    expect(await items.nth(1).innerText()).toContain('Video call');
    // Beijing time, newest first.
    const times = await page.locator('#timeline time').evaluateAll((els) => els.map((e) => e.getAttribute('datetime')));
    expect([...(times as string[])].sort().reverse()).toEqual(times);
    expect(await page.evaluate(() => document.activeElement?.closest('li')?.parentElement?.id)).toBe('timeline');
  });

  it('saves an edit with its version and tells a second tab with a stale version about the conflict', async () => {
    await page.goto(`${url}/staff/enterprises/firm/?uscc=${usccA}`);
    const form = page.locator('#edit-firm-form');
    // The form is a second step: it loads and fills when asked for, by its button…
    await page.locator('#edit-open').waitFor({ state: 'visible' });
    expect(await form.isVisible()).toBe(false);
    expect(await axeViolations(page)).toEqual([]);
    for (const width of [390, 1366]) {
      await page.setViewportSize({ width, height: 900 });
      await page.locator('#edit-firm').screenshot({ path: join(shots, `firm-edit-closed-zh-${width}.png`) });
    }
    await page.setViewportSize(desk.viewport);
    await page.click('#edit-open');
    await expect.poll(() => form.locator('[name=name]').inputValue()).toBe(firmA);
    expect(await page.locator('#edit-open').count()).toBe(0);

    // …or by the page's "edit" link.
    const second = await withToken('lead.wuzhong', desk);
    const other = await second.newPage();
    await other.goto(`${url}/en/staff/enterprises/firm/?uscc=${usccA}#edit-firm`);
    await expect.poll(() => other.locator('#edit-firm-form [name=name]').inputValue()).toBe(firmA);

    // Nothing changed: nothing is sent.
    await form.locator('button[type=submit]').click();
    await expect.poll(() => page.locator('#firm-status').innerText()).toContain('没有需要保存的修改');

    // A wrong field is marked before anything is sent.
    await form.locator('[name=name]').fill('苏');
    await form.locator('button[type=submit]').click();
    await page.locator('#edit-errors').waitFor({ state: 'visible' });
    expect(await form.locator('[name=name]').getAttribute('aria-invalid')).toBe('true');
    await form.locator('[name=name]').fill(firmA);

    await form.locator('[name=address]').fill('苏州市吴中区木渎镇金枫南路 88 号');
    await form.locator('[name=permitNo]').fill('91320506MA1GREEN01P');
    await form.locator('button[type=submit]').click();
    await expect.poll(() => page.locator('#firm-status').innerText()).toContain('修改已保存');
    expect(await page.locator('#firm-facts').innerText()).toContain('金枫南路 88 号');
    expect(await page.locator('#firm-facts').innerText()).toContain('91320506MA1GREEN01P');
    expect(await page.locator('#edit-errors').isVisible()).toBe(false);

    await other.locator('#edit-firm-form [name=industry]').fill('Environmental equipment');
    await other.locator('#edit-firm-form button[type=submit]').click();
    const conflict = other.locator('#conflict-message');
    await conflict.waitFor({ state: 'visible' });
    expect(await other.evaluate(() => document.activeElement?.id)).toBe('conflict-message');
    expect(await conflict.innerText()).toContain('Someone else changed this firm');
    expect(await axeViolations(other)).toEqual([]);
    await other.screenshot({ path: join(shots, 'firm-conflict-en-desk.png'), fullPage: true });
    await other.click('#conflict-reload');
    await conflict.waitFor({ state: 'hidden' });
    expect(await other.inputValue('#edit-firm-form [name=address]')).toBe('苏州市吴中区木渎镇金枫南路 88 号');
    await other.locator('#edit-firm-form [name=industry]').fill('Environmental equipment');
    await other.locator('#edit-firm-form button[type=submit]').click();
    await expect.poll(() => other.locator('#firm-status').innerText()).toContain('Changes saved');
    const saved = await call('GET', `/api/staff/enterprises/${usccA}`, 'lead.wuzhong');
    expect(saved.body).toMatchObject({
      enterprise: { industry: 'Environmental equipment', address: '苏州市吴中区木渎镇金枫南路 88 号' },
    });
    await second.close();
  });
});

describe('staff console: a liaison', () => {
  it('reads the roster and a firm page without the managers’ parts, on a phone', async () => {
    const context = await withToken('liaison.wuzhong', narrow);
    const p = await context.newPage();
    await p.goto(`${url}/staff/enterprises/`);
    await rosterRows(p).first().waitFor({ state: 'visible' });
    expect(await p.locator('#console-me').innerText()).toContain('企业联络员');
    for (const part of ['#new-firm', '#import', '#export-csv', '.jump']) {
      expect(await p.locator(part).isVisible()).toBe(false);
    }
    await p.fill('#filter-q', '绿源');
    await p.click('#filter-submit');
    await expect.poll(() => rosterRows(p).count()).toBe(1);
    expect(await p.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(360);
    expect(await axeViolations(p)).toEqual([]);
    await p.screenshot({ path: join(shots, 'roster-liaison-zh-phone.png'), fullPage: true });

    await rosterRows(p).first().locator('a').click();
    await p.waitForURL(/\/staff\/enterprises\/firm\/\?uscc=/);
    await p.locator('#timeline li[data-kind=contact]').first().waitFor({ state: 'visible' });
    expect(await p.locator('#edit-firm').isVisible()).toBe(false);
    const thumb = p.locator('#timeline .evidence-thumb img').first();
    await thumb.scrollIntoViewIfNeeded();
    await expect.poll(() => thumb.evaluate((img: HTMLImageElement) => img.complete && img.naturalWidth)).toBe(320);
    expect(await p.locator('#firm-pairings').innerText()).toContain('吴中区联络员 Wuzhong liaison');
    // Liaisons do not manage consultation days: no link to one.
    expect(await p.locator('#timeline li[data-kind=booking] a').count()).toBe(0);
    expect(await p.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(360);
    expect(await axeViolations(p)).toEqual([]);
    await p.screenshot({ path: join(shots, 'firm-liaison-zh-phone.png'), fullPage: true });

    // A firm outside the liaison's county answers 404: the page says so.
    await p.goto(`${url}/staff/enterprises/firm/?uscc=${usccOther}`);
    await p.locator('#firm-problem').waitFor({ state: 'visible' });
    expect(await p.locator('#firm-problem').innerText()).toContain('不在您的辖区范围内');
    await context.close();
  });

  it('shows the lead’s roster and its forms on a phone too', async () => {
    const context = await withToken('lead.wuzhong', narrow);
    const p = await context.newPage();
    await p.goto(`${url}/en/staff/enterprises/`);
    await rosterRows(p).first().waitFor({ state: 'visible' });
    expect(await p.locator('#new-firm-form').isVisible()).toBe(true);
    expect(await p.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(360);
    expect(await axeViolations(p)).toEqual([]);
    await p.screenshot({ path: join(shots, 'roster-lead-en-phone.png'), fullPage: true });
    await context.close();
  });
});

// Issue 18: a lead on a 1366-px screen got a console capped near 960 px, credit codes broken mid-code,
// and on a phone the console's sections wrapped to four lines of 24-px links.
describe('staff console: the frame fits the screen', () => {
  it('uses a desk’s width and never breaks a credit code inside', async () => {
    // Prepare: the Wuzhong lead on a 1366×768 laptop, in English (the longer labels).
    const context = await withToken('lead.wuzhong', { viewport: { width: 1366, height: 768 }, locale: 'en-GB' });
    const p = await context.newPage();

    // Act
    await p.goto(`${url}/en/staff/enterprises/`);
    await rosterRows(p).first().waitFor({ state: 'visible' });

    // Assess: the content column is wider than the public reading column (60rem) and each code is one line.
    const content = await p.evaluate(() => {
      const main = document.querySelector('main') as HTMLElement;
      const style = getComputedStyle(main);
      return main.clientWidth - Number.parseFloat(style.paddingLeft) - Number.parseFloat(style.paddingRight);
    });
    expect(content).toBeGreaterThan(1200);
    const lines = await p.$$eval('#roster-table .mono', (codes) => codes.map((c) => c.getClientRects().length));
    expect(lines.length).toBeGreaterThan(0);
    expect(lines.every((n) => n === 1)).toBe(true);
    expect(await axeViolations(p)).toEqual([]);
    await p.screenshot({ path: join(shots, 'roster-lead-en-1366.png') });
    await context.close();
  });

  it('keeps the console’s sections in one scrolling row of 44-px touch targets on a phone', async () => {
    // Prepare: the same lead on a 390-px phone, in English.
    const context = await withToken('lead.wuzhong', { ...phone, locale: 'en-GB' });
    const p = await context.newPage();

    // Act
    await p.goto(`${url}/en/staff/enterprises/`);
    await rosterRows(p).first().waitFor({ state: 'visible' });

    // Assess: every link is at least 44 px tall, they sit on one line that scrolls sideways (the page
    // itself does not), and the current section is marked.
    const nav = await p.evaluate(() => {
      const list = document.querySelector('.console-nav ul') as HTMLElement;
      const links = [...list.querySelectorAll('a')].filter((a) => a.offsetParent !== null);
      return {
        heights: links.map((a) => a.getBoundingClientRect().height),
        tops: new Set(links.map((a) => Math.round(a.getBoundingClientRect().top))).size,
        scrolls: list.scrollWidth > list.clientWidth,
        page: document.documentElement.scrollWidth,
      };
    });
    expect(nav.heights.length).toBeGreaterThan(5);
    expect(Math.min(...nav.heights)).toBeGreaterThanOrEqual(44);
    expect(nav.tops).toBe(1);
    expect(nav.scrolls).toBe(true);
    expect(nav.page).toBeLessThanOrEqual(390);
    expect(await p.getAttribute('.console-nav a[aria-current=page]', 'href')).toBe('/en/staff/enterprises/');
    expect(await axeViolations(p)).toEqual([]);
    await p.screenshot({ path: join(shots, 'roster-lead-en-phone-nav.png') });
    await context.close();
  });
});
