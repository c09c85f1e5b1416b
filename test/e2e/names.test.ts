import { join } from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { shanghaiDate } from '../../shared/time.ts';
import { cspWatch, phoneSize, productClient } from '../support/e2e.ts';
import { axeViolations, type Product, SHOTS, startProduct } from '../support/product.ts';
import { distinctUsccs } from '../support/uscc.ts';

// Issue 18, as `npm start` runs the product: the Wuzhong liaison (who may not read the staff list)
// opens its pairing's contact page and its firm's page on a phone. Its colleague, the county's lead,
// logged a visit there and is named as the pairing's contact leader: the pages show the lead's name,
// and no username anywhere in their text. Screenshots: test-results/screenshots/names-*.png.
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
  const made = await call('POST', '/api/staff/enterprises', 'lead.wuzhong', {
    uscc,
    name: '苏州姓名测试印染有限公司',
    county: '320506',
    address: '苏州市吴中区木渎镇金枫南路 8 号',
    industry: '印染',
    size: 'small',
    tier: 'county',
    contacts: [{ name: '王经理', role: '环保专员', mobile: '13812345678' }],
  });
  expect(made.status).toBe(201);
  const paired = await call('POST', '/api/staff/pairings', 'lead.wuzhong', {
    uscc,
    liaison: 'liaison.wuzhong',
    serviceYear: Number(month.slice(0, 4)),
    startsOn: `${month}-01`,
    contactLeader: 'lead.wuzhong',
  });
  expect(paired.status).toBe(201);
  pairingId = String((paired.body?.pairing as { pairingId?: string } | undefined)?.pairingId);
  // The lead visits the firm itself: the contact is logged by a colleague of the liaison.
  const logged = await call('POST', `/api/staff/pairings/${pairingId}/contacts`, 'lead.wuzhong', {
    at: new Date(Date.now() - 3_600_000).toISOString(),
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
