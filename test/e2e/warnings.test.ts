import { join } from 'node:path';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { shanghaiDate } from '../../shared/time.ts';
import { deskSize, phoneSize, productClient } from '../support/e2e.ts';
import { axeViolations, type Product, SHOTS, startProduct } from '../support/product.ts';
import { distinctUsccs } from '../support/uscc.ts';

// The early-warning board (issue 19) as `npm start` runs it: the Suzhou lead opens /staff/warnings/
// on a phone and at a 1366 px desk; two Wuzhong firms' permits warn (one within 60 days, one
// expired), shown by name with USCC, the counties one level down are counted, and a list sorts.
let product: Product;
let url: string;
let browser: Browser;
const { call, apiSignIn, signIn } = productClient(() => url);
const [soon, gone] = distinctUsccs(2) as [string, string];
const desk = { ...deskSize, viewport: { width: 1366, height: 768 } };
const dayFrom = (days: number) => shanghaiDate(new Date(Date.now() + days * 86_400_000));

beforeAll(async () => {
  product = await startProduct('eco-e2e-warnings-');
  ({ url, browser } = product);
  expect((await apiSignIn('lead.wuzhong')).status).toBe(200);
  for (const [uscc, name, permitExpiresOn] of [
    [soon, '吴中许可证将到期测试企业', dayFrom(30)],
    [gone, '吴中许可证已过期测试企业', dayFrom(-3)],
  ] as const) {
    const res = await call('POST', '/api/staff/enterprises', 'lead.wuzhong', {
      uscc,
      name,
      county: '320506',
      address: '吴中区测试路 2 号',
      industry: '电镀',
      size: 'small',
      tier: 'county',
      contacts: [],
      permitNo: `9132${uscc.slice(-6)}`,
      permitExpiresOn,
    });
    expect(res.status).toBe(201);
  }
}, 120_000);

afterAll(async () => {
  await product?.stop();
});

describe('the early-warning board', () => {
  it('shows a city lead its counties and the permits due, on a phone', async () => {
    // Prepare
    const context = await browser.newContext(phoneSize);
    const page = await context.newPage();
    await signIn(page, 'lead.suzhou');

    // Act
    await page.goto(`${url}/staff/warnings/`);
    const permits = page.locator('section[aria-labelledby="warnings-permits"]');
    await expect.poll(() => permits.textContent(), { timeout: 15_000 }).toContain('吴中许可证将到期测试企业');

    // Assess: name with USCC, the expired one marked, Wuzhong and Xiangcheng one level down.
    const text = (await permits.textContent()) ?? '';
    expect(text).toContain(soon);
    expect(text).toContain('还有 30 天');
    expect(text).toContain('已过期 3 天');
    const units = (await page.locator('#warnings-body').textContent()) ?? '';
    expect(units).toContain('吴中区');
    expect(units).toContain('相城区');
    // A phone shows each row as a card: no wider than the screen.
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
    await page.screenshot({ path: join(SHOTS, 'warnings-zh-phone.png'), fullPage: true });
    expect(await axeViolations(page)).toEqual([]);
    await context.close();
  });

  it('drills into a county at a desk, in English, and sorts the permits by days left', async () => {
    // Prepare
    const context = await browser.newContext(desk);
    const page = await context.newPage();
    await signIn(page, 'lead.suzhou');
    await page.goto(`${url}/en/staff/warnings/`);
    await page.locator('#warnings-body .unit-link').first().waitFor({ timeout: 15_000 });

    // Act: Wuzhong, one level down; then "Days left" twice (descending).
    await page.locator('#warnings-body .unit-link', { hasText: 'Wuzhong' }).click();
    await expect.poll(() => page.locator('#warnings-caption').textContent(), { timeout: 15_000 }).toContain('320506');
    const header = page.locator('section[aria-labelledby="warnings-permits"] thead th', { hasText: 'Days left' });
    await header.getByRole('button').click();
    await header.getByRole('button').click();

    // Assess: most days left first, the expired one last; a county has no units below.
    const rows = await page.locator('section[aria-labelledby="warnings-permits"] tbody tr').allTextContents();
    expect(await header.getAttribute('aria-sort')).toBe('descending');
    expect(rows.findIndex((r) => r.includes(soon))).toBeLessThan(rows.findIndex((r) => r.includes(gone)));
    expect(rows.at(-1)).toContain(gone);
    expect(await page.locator('#warnings-body').textContent()).not.toContain('Units one level down');
    await page.screenshot({ path: join(SHOTS, 'warnings-en-desk.png'), fullPage: true });
    expect(await axeViolations(page)).toEqual([]);
    await context.close();
  });
});
