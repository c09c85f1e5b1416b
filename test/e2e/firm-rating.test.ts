import { join } from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { shanghaiDate } from '../../shared/time.ts';
import { cspWatch, productClient } from '../support/e2e.ts';
import { type FirmSession, signInFirm } from '../support/firm.ts';
import { axeViolations, type Product, phone, SHOTS, startProduct } from '../support/product.ts';
import { distinctUsccs } from '../support/uscc.ts';

// Issue 16, 好差评 from the firm's own record on a phone (390 × 844): a closed item it has not rated
// carries the rating form, an open one does not; the firm rates it once (four stars and a comment),
// the page thanks it, the API holds the rating, and after a reload the item shows the rating instead
// of the form. The record links to the self-inspection. Screenshots: test-results/screenshots/firm-rating-*.png.
let product: Product;
let url: string;
let browser: Browser;
let context: BrowserContext;
let page: Page;
let session: FirmSession;
let closedId = '';
let openId = '';
const { call, apiSignIn } = productClient(() => url);
const { blocked, watchCsp } = cspWatch();
const [uscc] = distinctUsccs(1) as [string];
const mobile = '13912347777';

/** Raises an item for the firm; answers its id and version. */
const raise = async (title: string) => {
  const res = await call('POST', '/api/staff/ledger-items', 'lead.wuzhong', {
    uscc,
    title,
    detail: `${title}：走访时企业提出，需协调办理。`,
    source: 'contact',
    severity: 'medium',
    dueOn: shanghaiDate(new Date(Date.now() + 20 * 86_400_000)),
    ownerDepartment: '水环境科',
  });
  expect(res.status).toBe(201);
  return res.body?.item as { itemId: string; version: number };
};

const move = async (itemId: string, version: number, to: string, extra: object = {}) => {
  const res = await call('POST', `/api/staff/ledger-items/${itemId}/transitions`, 'lead.wuzhong', {
    to,
    note: '已按程序办理并告知企业。',
    version,
    ...extra,
  });
  expect(res.status).toBe(200);
  return (res.body as { item: { version: number } }).item.version;
};

const itemBox = (itemId: string) => page.locator(`#firm-record details[data-item-id="${itemId}"]`);

beforeAll(async () => {
  product = await startProduct('eco-e2e-firm-rating-');
  ({ url, browser } = product);
  await apiSignIn('lead.wuzhong');
  const created = await call('POST', '/api/staff/enterprises', 'lead.wuzhong', {
    uscc,
    name: '苏州吴中清源印染有限公司',
    county: '320506',
    address: '苏州市吴中区横泾街道 12 号',
    industry: '印染',
    size: 'small',
    tier: 'county',
    contacts: [{ name: '沈经理', role: '安环主管', mobile }],
  });
  expect(created.status).toBe(201);
  // One item closed (by the lead's override: the firm confirmed by phone), one still open.
  const closed = await raise('废水排放口标识牌缺失');
  let version = await move(closed.itemId, closed.version, 'in_progress');
  version = await move(closed.itemId, version, 'resolved');
  await move(closed.itemId, version, 'closed', { override: { reason: '企业电话确认已解决。' } });
  closedId = closed.itemId;
  openId = (await raise('雨水排口在线监测联网')).itemId;
  session = await signInFirm(url, uscc, mobile, { outbox: url });
  context = await browser.newContext({ ...phone, locale: 'zh-CN' });
  // The firm sign-in's session in the tab (sessionStorage `eco.firm.session`), before any script runs.
  await context.addInitScript((value) => {
    if (!sessionStorage.getItem('eco.firm.session')) sessionStorage.setItem('eco.firm.session', value);
  }, JSON.stringify(session));
  page = await context.newPage();
  watchCsp(page);
}, 120_000);

afterAll(async () => {
  await product?.stop();
});

describe('好差评 from the firm’s record on a phone', () => {
  it('offers the rating on a closed item only, and links to the self-inspection', async () => {
    // Act
    await page.goto(`${url}/firm/`);
    await page.locator('#firm-view').waitFor({ state: 'visible' });

    // Assess
    expect(await itemBox(openId).locator('rating-form').count()).toBe(0);
    const box = itemBox(closedId);
    expect(await box.getAttribute('data-state')).toBe('closed');
    expect(await box.locator('rating-form').count()).toBe(1);
    expect(await page.locator('.firm-nav a[href="/firm/self-inspection/"]').innerText()).toBe('企业自查');
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
    expect(await axeViolations(page)).toEqual([]);
  });

  it('lets the firm rate a closed item once, and shows the rating after a reload', async () => {
    // Prepare
    const box = itemBox(closedId);
    await box.locator('summary').click();
    const form = box.locator('rating-form');
    await form.locator('button[type=submit]').click();
    // No star chosen: said next to the stars, nothing sent.
    await form.locator(`#rate-${closedId}-stars-error`).waitFor({ state: 'visible' });

    // Act
    await form.locator('.rating-star').nth(3).click();
    await form.locator('textarea').fill('问题解决及时，工作人员耐心。');
    await page.screenshot({ path: join(SHOTS, 'firm-rating-form-zh-phone.png'), fullPage: true });
    expect(await axeViolations(page)).toEqual([]);
    await form.locator('button[type=submit]').click();

    // Assess: thanked on the page; the API holds the rating; a second rating is refused.
    await form.locator('.rating-done').waitFor({ state: 'visible' });
    expect(await form.locator('.rating-done').innerText()).toContain('4 星');
    expect(await box.getAttribute('data-rated')).toBe('true');
    const item = (await call('GET', `/api/staff/ledger-items/${closedId}`, 'lead.wuzhong')).body?.item as {
      rating: { stars: number; comment: string };
    };
    expect(item.rating).toMatchObject({ stars: 4, comment: '问题解决及时，工作人员耐心。' });
    const again = await fetch(`${url}/api/firm/ledger-items/${closedId}/rating`, {
      method: 'POST',
      headers: { authorization: `Bearer ${session.token}`, 'content-type': 'application/json' },
      body: JSON.stringify({ stars: 1 }),
    });
    expect(again.status).toBe(409);

    // After a reload: the rating given, no form.
    await page.reload();
    await page.locator('#firm-view').waitFor({ state: 'visible' });
    expect(await itemBox(closedId).locator('rating-form').count()).toBe(0);
    await itemBox(closedId).locator('summary').click();
    const given = itemBox(closedId).locator('.firm-rating-given');
    expect(await given.innerText()).toContain('4 星');
    expect(await given.innerText()).toContain('问题解决及时');
    await page.screenshot({ path: join(SHOTS, 'firm-rating-rated-zh-phone.png'), fullPage: true });
    expect(blocked).toEqual([]);
  });

  it('speaks English at /en/firm/', async () => {
    const other = await (await browser.newContext({ ...phone, locale: 'en-GB' })).newPage();
    await other.addInitScript((value) => {
      if (!sessionStorage.getItem('eco.firm.session')) sessionStorage.setItem('eco.firm.session', value);
    }, JSON.stringify(session));
    await other.goto(`${url}/en/firm/`);
    await other.locator('#firm-view').waitFor({ state: 'visible' });
    expect(await other.locator('.firm-nav a[href="/en/firm/self-inspection/"]').innerText()).toBe('Self-inspection');
    await other.locator(`#firm-record details[data-item-id="${closedId}"] summary`).click();
    expect(
      await other.locator(`#firm-record details[data-item-id="${closedId}"] .firm-rating-given`).innerText(),
    ).toContain('4');
    await other.screenshot({ path: join(SHOTS, 'firm-rating-rated-en-phone.png'), fullPage: true });
  });
});
