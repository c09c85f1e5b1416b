import type { BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { shanghaiDate } from '../../shared/time.ts';
import { deskSize, productClient } from '../support/e2e.ts';
import { axeViolations, type Product, phone, SHOTS, startProduct } from '../support/product.ts';

// The annual pairing list (issue 19) as `npm start` runs the product: Suzhou's lead submits the
// city's list on a desktop (a confirmation first: it freezes the list), sees the version and the
// status, and the page reads on a phone.
let product: Product;
let url: string;
let desk: BrowserContext;
let page: Page;
const { call, apiSignIn, signIn } = productClient(() => url);
const year = Number(shanghaiDate(new Date()).slice(0, 4));

beforeAll(async () => {
  product = await startProduct('eco-e2e-submissions-');
  url = product.url;
  await apiSignIn('lead.suzhou');
  desk = await product.browser.newContext(deskSize);
  page = await desk.newPage();
}, 120_000);

afterAll(async () => {
  await desk?.close();
  await product?.stop();
});

describe('the annual list', () => {
  it('lets the city’s lead submit its list after confirming, and shows the version and status', async () => {
    // Prepare
    await signIn(page, 'lead.suzhou');
    await page.goto(`${url}/staff/submissions/`);
    const row = page.locator('#submissions-body tr[data-city="320500"]');
    await row.waitFor({ state: 'visible' });
    const before = (await call('GET', `/api/staff/submissions?serviceYear=${year}`, 'lead.suzhou')).body as {
      cities: { city: string; status: string }[];
    };
    expect(before.cities.map((c) => c.city)).toEqual(['320500']);

    // Act: declined first (nothing sent), then accepted
    page.once('dialog', (dialog) => void dialog.dismiss());
    await row.locator('button', { hasText: '报送本市名单' }).click();
    expect((await call('GET', `/api/staff/submissions?serviceYear=${year}`, 'lead.suzhou')).body?.cities).toEqual(
      before.cities,
    );
    page.once('dialog', (dialog) => void dialog.accept());
    await row.locator('button', { hasText: '报送本市名单' }).click();

    // Assess
    await expect.poll(() => page.locator('#submissions-status').innerText()).toContain('已报送第 1 版');
    const after = page.locator('#submissions-body tr[data-city="320500"]');
    expect(await after.locator('td').nth(1).innerText()).toBe('1');
    expect(await after.locator('td').first().innerText()).toMatch(/已按时报送|逾期报送/);
    expect(await after.locator('button', { hasText: '下载 Excel' }).count()).toBe(1);
    expect(await page.locator('#deadline-form').isVisible()).toBe(false);
    expect(await axeViolations(page)).toEqual([]);
    await page.screenshot({ path: `${SHOTS}/submissions-desk.png`, fullPage: true });
  });

  it('reads on a phone in English', async () => {
    const mobile = await product.browser.newContext({ ...phone, locale: 'en-GB' });
    const p = await mobile.newPage();
    await signIn(p, 'lead.suzhou');
    await p.goto(`${url}/en/staff/submissions/`);
    await p.locator('#submissions-body tr[data-city="320500"]').waitFor({ state: 'visible' });
    expect(await p.locator('#deadline').innerText()).toContain(`Deadline: ${year}-08-30`);
    expect(await axeViolations(p)).toEqual([]);
    await p.screenshot({ path: `${SHOTS}/submissions-en-phone.png`, fullPage: true });
    await mobile.close();
  });
});
