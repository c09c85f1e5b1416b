import { mkdirSync } from 'node:fs';
import type { BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { shanghaiDate } from '../../shared/time.ts';
import { pairWuzhongFirms, productClient } from '../support/e2e.ts';
import { axeViolations, type Product, phone, startProduct } from '../support/product.ts';
import { distinctUsccs } from '../support/uscc.ts';

// The annual list (issue 19) as `npm start` runs the product: the Wuzhong lead, on a desktop, rolls
// this year's pairings over into the next (one kept, the default; one ended because the firm closed)
// from the pairings page; then reads the coverage page per county, on the desktop and on a phone.
// Screenshots go to /tmp/c-year-shots/.
const SHOTS = '/tmp/c-year-shots';
let product: Product;
let url: string;
let desk: BrowserContext;
let page: Page;
const { call, apiSignIn, signIn } = productClient(() => url);
const today = shanghaiDate(new Date());
const year = Number(today.slice(0, 4));
const [keptUscc, closedUscc] = distinctUsccs(2) as [string, string];
let pairings: Record<string, string> = {};

beforeAll(async () => {
  mkdirSync(SHOTS, { recursive: true });
  product = await startProduct('eco-e2e-roll-over-');
  url = product.url;
  await apiSignIn('lead.wuzhong');
  pairings = await pairWuzhongFirms(call, today.slice(0, 7), [
    [keptUscc, '吴中结转保留有限公司'],
    [closedUscc, '吴中结转关停有限公司'],
  ]);
  desk = await product.browser.newContext({ viewport: { width: 1366, height: 768 }, locale: 'zh-CN' });
  page = await desk.newPage();
}, 120_000);

afterAll(async () => {
  await desk?.close();
  await product?.stop();
});

describe('the year roll-over', () => {
  it('keeps one pairing into next year and ends one with its reason, from the pairings page', async () => {
    // Prepare
    await signIn(page, 'lead.wuzhong');
    await page.goto(`${url}/staff/pairings/`);
    await page.locator('#roll-over').waitFor({ state: 'visible' });
    await page.locator('#roll-over-from').selectOption(String(year));
    await page.locator('#roll-over-form button[type=submit]').click();
    const closedRow = page.locator(`#roll-over-list tr[data-pairing-id="${pairings[closedUscc]}"]`);
    await closedRow.waitFor({ state: 'visible' });
    const keptRow = page.locator(`#roll-over-list tr[data-pairing-id="${pairings[keptUscc]}"]`);
    expect(await keptRow.locator('select').inputValue()).toBe('keep');

    // Act
    await closedRow.locator('select').selectOption('closed');
    await page.screenshot({ path: `${SHOTS}/roll-over-desk-before.png`, fullPage: true });
    await page.locator('#roll-over-submit').click();

    // Assess
    await expect.poll(() => page.locator('#roll-over-status').innerText(), { timeout: 60_000 }).toContain('完成');
    expect(await keptRow.innerText()).toContain('已保留');
    expect(await closedRow.innerText()).toContain('已结束');
    const next = await call('GET', `/api/staff/pairings?county=320506&serviceYear=${year + 1}`, 'lead.wuzhong');
    const firms = ((next.body?.pairings ?? []) as { uscc: string }[]).map((p) => p.uscc);
    expect(firms).toContain(keptUscc);
    expect(firms).not.toContain(closedUscc);
    expect(await axeViolations(page)).toEqual([]);
    await page.screenshot({ path: `${SHOTS}/roll-over-desk-after.png`, fullPage: true });
  });

  it('shows each county’s pairings against the target with the mix of sizes, on a desktop and a phone', async () => {
    // Act
    await page.goto(`${url}/staff/coverage/`);
    const row = page.locator('#coverage-body tbody tr').first();
    await row.waitFor({ state: 'visible' });

    // Assess
    expect(await page.locator('#coverage-target').innerText()).toContain('10');
    expect(await row.innerText()).toMatch(/吴中区/);
    expect(await row.innerText()).toContain('小型');
    expect(await axeViolations(page)).toEqual([]);
    await page.screenshot({ path: `${SHOTS}/coverage-desk.png`, fullPage: true });

    const mobile = await product.browser.newContext({ ...phone, locale: 'en-GB' });
    const p = await mobile.newPage();
    await signIn(p, 'lead.wuzhong');
    await p.goto(`${url}/en/staff/coverage/`);
    await p.locator('#coverage-body tbody tr').first().waitFor({ state: 'visible' });
    expect(await p.locator('#coverage-body').innerText()).toContain('Small');
    expect(await axeViolations(p)).toEqual([]);
    await p.screenshot({ path: `${SHOTS}/coverage-en-phone.png`, fullPage: true });
    await mobile.close();
  });
});
