import { join } from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { shanghaiDate } from '../../shared/time.ts';
import { cspWatch, pairWuzhongFirms, phoneSize, productClient } from '../support/e2e.ts';
import { axeViolations, type Product, SHOTS, startProduct } from '../support/product.ts';
import { distinctUsccs } from '../support/uscc.ts';

// Issue 18, as `npm start` runs the product: the Wuzhong liaison (who may not read the staff list)
// opens its pairing's contact page and its firm's page on a phone. Its colleague, the county's lead,
// logged a visit there: the pages show the lead's name, and no username anywhere in their text. Screenshots: test-results/screenshots/names-*.png.
let product: Product;
let url: string;
let browser: Browser;
let context: BrowserContext;
let page: Page;
const { call, apiSignIn, signIn } = productClient(() => url);
const { blocked, watchCsp } = cspWatch();
const [uscc] = distinctUsccs(1) as [string];
let pairingId = '';
const USERNAMES = /lead\.wuzhong|liaison\.wuzhong/;

const nameOf = async (who: string) =>
  String(((await call('GET', '/api/staff/me', who)).body as { me?: { displayName?: string } } | null)?.me?.displayName);

beforeAll(async () => {
  product = await startProduct('eco-e2e-names-');
  ({ url, browser } = product);
  for (const who of ['lead.wuzhong', 'liaison.wuzhong']) await apiSignIn(who);
  const month = shanghaiDate(new Date()).slice(0, 7);
  const pairings = await pairWuzhongFirms(call, month, [[uscc, '苏州姓名测试印染有限公司']]);
  pairingId = pairings[uscc] ?? '';
  // The lead visits the firm itself: the contact is logged by a colleague of the liaison.
  const logged = await call('POST', `/api/staff/pairings/${pairingId}/contacts`, 'lead.wuzhong', {
    at: new Date(Date.now() - 60_000).toISOString(),
    mode: 'visit',
    participants: ['王经理'],
    summary: '联系领导带队走访，检查危废暂存间。',
  });
  expect(logged.status).toBe(201);
  context = await browser.newContext(phoneSize);
  page = await context.newPage();
  watchCsp(page);
  await signIn(page, 'liaison.wuzhong');
});

afterAll(async () => {
  await context?.close();
  await product?.stop();
});

describe("a liaison's pages name its colleagues (issue 18)", () => {
  it('shows who logged a visit by name on the contact page, and no username', async () => {
    // Prepare
    const leadName = await nameOf('lead.wuzhong');
    // Act
    await page.goto(`${url}/staff/pairings/contact/?id=${pairingId}`);
    const contacts = page.locator('#contact-list');
    await expect.poll(() => contacts.innerText(), { timeout: 15_000 }).toContain(leadName);
    // Assess
    expect(await page.locator('main').innerText()).not.toMatch(USERNAMES);
    await page.screenshot({ path: join(SHOTS, 'names-contact-liaison-phone.png'), fullPage: true });
    expect(await axeViolations(page)).toEqual([]);
  });

  it("shows the firm's liaison by name on the firm page, and no username", async () => {
    // Prepare
    const liaisonName = await nameOf('liaison.wuzhong');
    // Act
    await page.goto(`${url}/staff/enterprises/firm/?uscc=${uscc}`);
    await expect
      .poll(() => page.locator('.pairing-card').first().innerText(), { timeout: 15_000 })
      .toContain(liaisonName);
    await expect.poll(() => page.locator('#timeline').innerText(), { timeout: 15_000 }).toContain(liaisonName);
    // Assess
    expect(await page.locator('main').innerText()).not.toMatch(USERNAMES);
    await page.screenshot({ path: join(SHOTS, 'names-firm-liaison-phone.png'), fullPage: true });
    expect(await axeViolations(page)).toEqual([]);
    expect(blocked).toEqual([]);
  });
});
