import { mkdirSync } from 'node:fs';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { OutboxEntry } from '../../shared/outbox.ts';
import { productClient, signInAtIssuer } from '../support/e2e.ts';
import { waitForOutbox } from '../support/outbox.ts';
import { axeViolations, type Product, phone, startProduct } from '../support/product.ts';
import { distinctUsccs } from '../support/uscc.ts';

// "Three best" cases (issue 19) as `npm start` runs the product: on a desk, the Wuzhong lead drafts a
// case and submits it, the Suzhou lead recommends it, a province lead (made by the admin, signing in
// for the first time) selects and publishes it; on a phone the public page shows it, and without
// JavaScript the plain list does.
const SHOTS = '/tmp/cases-shots';
const desk = { viewport: { width: 1366, height: 768 }, locale: 'zh-CN' };
let product: Product;
let url: string;
let browser: Browser;
const contexts: BrowserContext[] = [];
const { call, apiSignIn, signIn } = productClient(() => url);
const [uscc] = distinctUsccs(1) as [string];
const FIRM = '吴中三个最佳测试有限公司';
const PUBLIC_TITLE = '上门帮办：排污许可变更三天办结';

const newPage = async (options: Parameters<Browser['newContext']>[0] = desk): Promise<Page> => {
  const context = await browser.newContext(options);
  contexts.push(context);
  return context.newPage();
};

const caseCard = (page: Page) => page.locator('.case-item').filter({ hasText: '环保管家帮办服务' }).first();

beforeAll(async () => {
  mkdirSync(SHOTS, { recursive: true });
  product = await startProduct('eco-e2e-cases-');
  ({ url, browser } = product);
  await apiSignIn('lead.wuzhong');
  await apiSignIn('admin');
  const firm = await call('POST', '/api/staff/enterprises', 'lead.wuzhong', {
    uscc,
    name: FIRM,
    county: '320506',
    address: '吴中区测试路 1 号',
    industry: '印染',
    size: 'medium',
    tier: 'county',
    contacts: [],
  });
  expect(firm.status).toBe(201);
}, 120_000);

afterAll(async () => {
  for (const context of contexts) await context.close();
  await product?.stop();
});

describe('a case from the county to the public page', () => {
  it('is drafted and submitted by the county, recommended by the city, published by the province, and read on a phone', async () => {
    // Prepare: a province lead, as the admin makes one; its invitation carries a temporary password.
    const made = await call('POST', '/api/staff/users', 'admin', {
      username: 'lead.jiangsu',
      displayName: '省厅领导',
      email: 'jiangsu.lead@example.test',
      role: 'lead',
      jurisdiction: '320000',
    });
    expect(made.status).toBe(201);
    const toProvince = (e: OutboxEntry) => e.channel === 'email' && e.to.includes('jiangsu.lead@example.test');
    const mail = (await waitForOutbox((entries) => entries.some(toProvince), { url, timeoutMs: 15_000 })).filter(
      toProvince,
    );
    const temporary = /临时密码：(\S+)/.exec(mail.at(-1)?.text ?? '')?.[1] ?? '';
    expect(temporary).not.toBe('');

    // Act 1: the county lead drafts (picking its firm from its roster) and submits.
    const county = await newPage();
    await signIn(county, 'lead.wuzhong');
    await county.goto(`${url}/staff/cases/`);
    await county.locator('#draft-section').waitFor({ state: 'visible' });
    await county.selectOption('#case-kind', 'best_service_measure');
    await county.fill('#case-title', '吴中区环保管家帮办服务');
    await county.fill('#case-story', '联络员上门帮办排污许可变更，从申请到办结用时三天，较以往缩短十二天。');
    await county.fill('#firm-filter', uscc.slice(0, 10));
    await county.locator(`#firm-picker input[value="${uscc}"]`).check();
    await county.click('#draft-save');
    await expect.poll(() => county.locator('#case-status').textContent(), { timeout: 15_000 }).toContain('草稿已保存');
    await expect.poll(() => caseCard(county).getAttribute('data-status')).toBe('draft');
    expect(await axeViolations(county)).toEqual([]);
    await county.screenshot({ path: `${SHOTS}/console-county-draft.png`, fullPage: true });
    await caseCard(county).locator('button[data-action=submit]').click();
    await expect.poll(() => caseCard(county).getAttribute('data-status'), { timeout: 15_000 }).toBe('submitted');

    // Act 2: the city lead recommends it.
    const city = await newPage();
    await signIn(city, 'lead.suzhou');
    await city.goto(`${url}/staff/cases/`);
    await caseCard(city).locator('button[data-action=recommend]').click();
    await expect.poll(() => caseCard(city).getAttribute('data-status'), { timeout: 15_000 }).toBe('recommended');
    await city.screenshot({ path: `${SHOTS}/console-city-recommended.png`, fullPage: true });

    // Act 3: the province lead signs in for the first time, selects and publishes it; a mobile number
    // in the public summary is refused on the page before anything is sent.
    const province = await newPage();
    await province.goto(`${url}/staff/sign-in/?next=${encodeURIComponent('/staff/cases/')}`);
    await signInAtIssuer(province, 'lead.jiangsu', temporary);
    await province.locator('#change-password-form').waitFor({ state: 'visible' });
    await province.fill('#password', temporary);
    await province.fill('#new-password', 'Province2026');
    await province.fill('#confirm-password', 'Province2026');
    await province.click('#change-password-form button[type=submit]');
    await province.waitForURL((u) => u.pathname === '/staff/cases/');
    await caseCard(province).locator('button[data-action=select]').click();
    await expect.poll(() => caseCard(province).getAttribute('data-status'), { timeout: 15_000 }).toBe('selected');
    await caseCard(province).locator('button[data-action=publish]').click();
    const dialog = caseCard(province).locator('.case-dialog');
    await dialog.locator('input[type=text]').fill(PUBLIC_TITLE);
    await dialog.locator('textarea').fill('帮办热线 138 1234 5678，企业可随时咨询排污许可变更。');
    await dialog.locator('input[type=checkbox]').check();
    await dialog.locator('button[type=submit]').click();
    await expect.poll(() => dialog.locator('.error-summary').isVisible()).toBe(true);
    expect(await dialog.locator('textarea').getAttribute('aria-invalid')).toBe('true');
    await province.screenshot({ path: `${SHOTS}/console-province-personal-data.png`, fullPage: true });
    await dialog.locator('textarea').fill('区生态环境局上门帮办，企业排污许可变更从申请到办结用时三天。');
    await dialog.locator('button[type=submit]').click();
    await expect.poll(() => caseCard(province).getAttribute('data-status'), { timeout: 15_000 }).toBe('published');
    expect(await axeViolations(province)).toEqual([]);
    await province.screenshot({ path: `${SHOTS}/console-province-published.png`, fullPage: true });

    // Act 4: anyone on a phone; and the same without JavaScript.
    const reader = await newPage({ ...phone, locale: 'zh-CN' });
    await reader.goto(`${url}/`);
    await reader.click('a[href="/cases/"]');
    const card = reader.locator('.case-card').first();
    await card.waitFor({ state: 'visible', timeout: 15_000 });
    const noScript = await newPage({ ...phone, locale: 'zh-CN', javaScriptEnabled: false });
    await noScript.goto(`${url}/cases/`);
    await noScript.click('noscript a, .notice a');

    // Assess
    expect(await card.locator('h2').textContent()).toBe(PUBLIC_TITLE);
    expect(await card.textContent()).toContain(FIRM);
    expect(await card.textContent()).not.toContain(uscc);
    expect(await reader.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
    expect(await axeViolations(reader)).toEqual([]);
    await reader.screenshot({ path: `${SHOTS}/public-cases-phone.png`, fullPage: true });
    await reader.click('.kind-filter a[data-kind="best_system_supply"]');
    await expect
      .poll(() => reader.locator('#case-list').textContent(), { timeout: 15_000 })
      .toContain('暂无已发布的案例');
    expect(await noScript.locator('h2').first().textContent()).toBe(PUBLIC_TITLE);
    await noScript.screenshot({ path: `${SHOTS}/public-cases-noscript.png`, fullPage: true });
    const english = await newPage({ ...phone, locale: 'en-GB' });
    await english.goto(`${url}/en/cases/`);
    await english.locator('.case-card').first().waitFor({ state: 'visible', timeout: 15_000 });
    expect(await english.locator('.case-kind').first().textContent()).toContain('Best service measure');
    await english.screenshot({ path: `${SHOTS}/public-cases-phone-en.png`, fullPage: true });
  });
});
