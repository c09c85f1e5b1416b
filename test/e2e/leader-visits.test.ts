import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { quarterOf } from '../../shared/monthly.ts';
import { shanghaiDate } from '../../shared/time.ts';
import { productClient, tabletSize } from '../support/e2e.ts';
import { type Product, SHOTS, startProduct } from '../support/product.ts';
import { distinctUsccs } from '../support/uscc.ts';

// The leaders' quarterly field service (issue 19) as `npm start` runs the product: the Suzhou lead
// (held to the rule: the demo leads hold their roles since a year before the first start), on a
// tablet, logs a field service at a Wuzhong firm, and the quarter's compliance shows it at once.
let product: Product;
let url: string;
let browser: Browser;
let tablet: BrowserContext;
let page: Page;
const { call, apiSignIn, signIn } = productClient(() => url);
const [uscc] = distinctUsccs(1) as [string];

beforeAll(async () => {
  product = await startProduct('eco-e2e-leaders-');
  ({ url, browser } = product);
  await apiSignIn('lead.suzhou');
  const firm = await call('POST', '/api/staff/enterprises', 'lead.suzhou', {
    uscc,
    name: '吴中带队服务测试有限公司',
    county: '320506',
    address: '吴中区测试路 1 号',
    industry: '印染',
    size: 'medium',
    tier: 'city',
    contacts: [],
  });
  expect(firm.status).toBe(201);
  tablet = await browser.newContext(tabletSize);
  page = await tablet.newPage();
}, 120_000);

afterAll(async () => {
  await tablet?.close();
  await product?.stop();
});

describe('a lead logs a field service on a tablet', () => {
  it("shows the lead not yet done, logs the field service, and the quarter's compliance shows it", async () => {
    // Prepare
    const quarter = quarterOf(new Date());
    await signIn(page, 'lead.suzhou');
    await page.goto(`${url}/staff/leader-visits/`);
    const leads = page.locator('#quarter-body table').last();
    await expect.poll(() => leads.textContent(), { timeout: 15_000 }).toContain('尚未开展');
    await page.screenshot({ path: `${SHOTS}/leader-visits-before.png`, fullPage: true });

    // Act: this month's first day, 10:00 Beijing (never in the future).
    await page.fill('#visit-at', `${shanghaiDate(new Date()).slice(0, 8)}01T10:00`);
    await page.fill('#visit-uscc', uscc.toLowerCase());
    await page.fill('#visit-participants', '市局领导\n执法支队');
    await page.fill('#visit-summary', '带队走访企业，了解治污设施运行和企业诉求');
    await page.click('#visit-form button[type=submit]');

    // Assess
    await expect.poll(() => page.locator('#visit-status').textContent()).toContain(quarter);
    await expect.poll(() => leads.textContent(), { timeout: 15_000 }).not.toContain('尚未开展');
    const tiles = await page.locator('#quarter-body .tiles').textContent();
    expect(tiles).toContain('已开展1');
    expect(tiles).toContain('100%');
    await page.screenshot({ path: `${SHOTS}/leader-visits-after.png`, fullPage: true });
    const visits = await call('GET', '/api/staff/leader-visits', 'lead.suzhou');
    expect((visits.body as { visits: { target: { uscc: string } }[] }).visits[0]?.target.uscc).toBe(uscc);
  });
});
