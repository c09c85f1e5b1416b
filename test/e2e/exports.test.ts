import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readXlsx } from '../../functions/lib/formats/xlsx.ts';
import { shanghaiDate } from '../../shared/time.ts';
import { cspWatch, productClient } from '../support/e2e.ts';
import { axeViolations, type Product, SHOTS, startProduct } from '../support/product.ts';
import { distinctUsccs } from '../support/uscc.ts';

// The spreadsheets leaders pass upward (issue 19), as `npm start` runs the product: the Wuzhong lead,
// at a 1366 × 768 desk, downloads the 台账 as Excel from the ledger board and reads it back; the
// compliance page shows, during the month, the pairings not yet contacted with the days left, and a
// phone shows the same. Screenshots go to test-results/screenshots/exports-*.png.
let product: Product;
let url: string;
let browser: Browser;
let desk: BrowserContext;
let page: Page;
const { call, apiSignIn, signIn } = productClient(() => url);
const { blocked, watchCsp } = cspWatch();
const [firm] = distinctUsccs(1) as [string];

beforeAll(async () => {
  product = await startProduct('eco-e2e-exports-');
  ({ url, browser } = product);
  await apiSignIn('lead.wuzhong');
  expect(
    (
      await call('POST', '/api/staff/enterprises', 'lead.wuzhong', {
        uscc: firm,
        name: '吴中导出演示有限公司',
        county: '320506',
        address: '苏州市吴中区导出路 1 号',
        industry: '印染',
        size: 'small',
        tier: 'county',
        contacts: [],
      })
    ).status,
  ).toBe(201);
  expect(
    (
      await call('POST', '/api/staff/pairings', 'lead.wuzhong', {
        uscc: firm,
        liaison: 'liaison.wuzhong',
        serviceYear: Number(shanghaiDate(new Date()).slice(0, 4)),
        startsOn: '2025-01-01',
      })
    ).status,
  ).toBe(201);
  expect(
    (
      await call('POST', '/api/staff/ledger-items', 'lead.wuzhong', {
        uscc: firm,
        title: '导出演示：危废台账不规范',
        detail: '走访发现危废管理台账记录不完整',
        source: 'contact',
        severity: 'medium',
        dueInWorkingDays: 10,
        ownerDepartment: '固废科',
      })
    ).status,
  ).toBe(201);
  desk = await browser.newContext({ viewport: { width: 1366, height: 768 }, locale: 'zh-CN', acceptDownloads: true });
  page = await desk.newPage();
  watchCsp(page);
}, 180_000);

afterAll(async () => {
  await product?.stop();
});

describe('staff console: spreadsheets for the leaders', () => {
  it('downloads the 台账 as Excel from the ledger board, with Chinese headers and states', async () => {
    await signIn(page, 'lead.wuzhong');
    await page.goto(`${url}/staff/ledger/`);
    const box = page.locator('[data-export=ledger]');
    await box.waitFor({ state: 'visible' });
    await box.scrollIntoViewIfNeeded();
    await page.screenshot({ path: join(SHOTS, 'exports-ledger-desk.png'), fullPage: false });
    expect(await axeViolations(page)).toEqual([]);
    const [file] = await Promise.all([page.waitForEvent('download'), box.locator('button[data-format=xlsx]').click()]);
    expect(file.suggestedFilename()).toMatch(/^ledger-320506-.*\.xlsx$/);
    const rows = readXlsx(readFileSync(await file.path()));
    expect(rows[0]?.slice(0, 3)).toEqual(['序号', '事项编号', '所在地区']);
    const row = rows.find((r) => r.includes(firm)) as string[];
    expect(row).toContain('导出演示：危废台账不规范');
    expect(row).toContain('已收集');
    expect(await box.locator('[data-export-status]').innerText()).toContain(file.suggestedFilename());
    await box.locator('input[name=from]').fill('2026-12-31');
    await box.locator('input[name=to]').fill('2026-01-01');
    await box.locator('button[data-format=csv]').click();
    await expect.poll(() => box.locator('[data-export-status]').innerText()).toContain('日期有误');
  });

  it('shows the pairings not yet contacted this month with the days left, and a compliance download', async () => {
    await page.goto(`${url}/staff/compliance/`);
    const live = page.locator('#live-section');
    await live.waitFor({ state: 'visible' });
    await expect.poll(() => live.locator(`tr[data-pairing-id]`).count()).toBeGreaterThan(0);
    expect(await live.innerText()).toContain('吴中导出演示有限公司');
    expect(await page.locator('#live-days').innerText()).toMatch(/本月还剩 \d+ 天/);
    await live.scrollIntoViewIfNeeded();
    await page.screenshot({ path: join(SHOTS, 'exports-compliance-desk.png'), fullPage: true });
    const box = page.locator('[data-export=compliance]');
    const [file] = await Promise.all([page.waitForEvent('download'), box.locator('button[data-format=csv]').click()]);
    expect(file.suggestedFilename()).toMatch(/^compliance-320506-\d{4}-\d{2}\.csv$/);
    expect(readFileSync(await file.path(), 'utf8')).toContain('吴中区');
    expect(await axeViolations(page)).toEqual([]);
    expect(blocked).toEqual([]);
  });

  it('lays the live list out on a phone', async () => {
    const phone = await browser.newContext({
      viewport: { width: 390, height: 844 },
      deviceScaleFactor: 2,
      isMobile: true,
      hasTouch: true,
      locale: 'zh-CN',
    });
    const mobile = await phone.newPage();
    await signIn(mobile, 'lead.wuzhong');
    await mobile.goto(`${url}/staff/compliance/`);
    await mobile.locator('#live-section tr[data-pairing-id]').first().waitFor();
    const overflow = await mobile.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    expect(overflow).toBeLessThanOrEqual(0);
    await mobile.screenshot({ path: join(SHOTS, 'exports-compliance-phone.png'), fullPage: true });
    await phone.close();
  });
});
