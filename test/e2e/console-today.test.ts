import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { shanghaiDate } from '../../shared/time.ts';
import { cspWatch, phoneSize, productClient } from '../support/e2e.ts';
import { givenUpMessage } from '../support/given-up.ts';
import { axeViolations, type Product, productTable, SHOTS, startProduct } from '../support/product.ts';

/**
 * The console home's "today" cards and the nav's counts (issue 18), on the product with its demo
 * data: a lead at a 1366-px desk sees its unit's overdue item, the coming consultation day and the
 * given-up message with counts beside the nav's sections; a liaison on a phone sees its own, the nav
 * in one row, and the counts come from the one cached answer on the next page.
 */
let product: Product;
let url: string;
let browser: Browser;
const { call, apiSignIn, signIn } = productClient(() => url);
const { blocked, watchCsp } = cspWatch();
const desk = { viewport: { width: 1366, height: 900 }, locale: 'zh-CN' };
const dayIn = (days: number) => shanghaiDate(new Date(Date.now() + days * 86_400_000));

let itemTitle = '';
let itemId = '';
let dayId = '';

beforeAll(async () => {
  product = await startProduct('eco-today-e2e-');
  url = product.url;
  browser = product.browser;
  await apiSignIn('lead.wuzhong');
  await apiSignIn('liaison.wuzhong');
  // One of the liaison's demo firms gets an item ten days overdue.
  const pairings = (await call('GET', '/api/staff/pairings', 'liaison.wuzhong')).body?.pairings as { uscc: string }[];
  const uscc = pairings[0]?.uscc as string;
  itemTitle = '雨水排口标识缺失（今日待办测试）';
  const raised = await call('POST', '/api/staff/ledger-items', 'lead.wuzhong', {
    uscc,
    title: itemTitle,
    detail: '走访发现雨水排口未设标识牌',
    source: 'contact',
    severity: 'medium',
    dueOn: dayIn(-10),
    ownerDepartment: '环境监察科',
  });
  expect(raised.status).toBe(201);
  itemId = String((raised.body?.item as { itemId?: string } | undefined)?.itemId);
  const date = dayIn(4);
  const day = await call('POST', '/api/staff/consultation-days', 'lead.wuzhong', {
    date,
    jurisdiction: '320506',
    venue: '吴中区生态环境局三楼',
    mode: 'onsite',
    topics: ['排污许可'],
    slots: [{ startsAt: `${date}T09:00:00+08:00`, endsAt: `${date}T10:00:00+08:00`, capacity: 5 }],
  });
  expect(day.status).toBe(201);
  dayId = String((day.body?.day as { dayId?: string } | undefined)?.dayId);
  await givenUpMessage('320506', 'wang@example.com', await productTable(product.dataDir));
}, 180_000);

afterAll(async () => {
  await product?.stop();
});

/** The nav's count beside the section linking to `href`, and the link's accessible text. */
const navCount = async (page: Page, href: string) => {
  const link = page.locator(`.console-nav a[href="${href}"]`);
  const badge = link.locator('.nav-count');
  await badge.waitFor({ state: 'visible' });
  return { shown: await badge.locator('[aria-hidden=true]').innerText(), name: await link.innerText() };
};

describe('the console home: what needs me today', () => {
  it('shows a lead at a 1366-px desk its unit’s overdue item, coming day and failed message, with counts in the nav', async () => {
    // Prepare
    const context = await browser.newContext(desk);
    const page = await context.newPage();
    watchCsp(page);

    // Act
    await signIn(page, 'lead.wuzhong');
    await page.locator('#today-overdue .today-item').first().waitFor();
    await page.locator('#today-undelivered .today-item').first().waitFor();
    const ledger = await navCount(page, '/staff/ledger/');
    const deliveries = await navCount(page, '/staff/deliveries/');
    const days = await navCount(page, '/staff/consultation-days/');
    const navBox = await page.locator('.console-nav ul').boundingBox();
    const linkHeights = await page
      .locator('.console-nav li:not([hidden]) a')
      .evaluateAll((links) => links.map((a) => a.getBoundingClientRect().height));
    await page.screenshot({ path: join(SHOTS, 'today-home-lead-zh-1366.png'), fullPage: true });

    // Assess: the cards
    const overdue = page.locator(`#today-overdue .today-item[data-key="${itemId}"] a`);
    expect(await overdue.innerText()).toBe(itemTitle);
    expect(await overdue.getAttribute('href')).toBe(`/staff/ledger/item/?id=${itemId}`);
    expect(Number(await page.locator('#today-overdue .today-count').getAttribute('data-count'))).toBeGreaterThan(0);
    const day = page.locator(`#today-days .today-item[data-key="${dayId}"]`);
    expect(await day.innerText()).toContain('吴中区生态环境局三楼');
    expect(await day.locator('a').getAttribute('href')).toBe(`/staff/consultation-days/day/?id=${dayId}`);
    expect(await page.locator('#today-undelivered .today-item').first().innerText()).toContain('预约成功');
    expect(await page.locator('#today-undelivered .today-count').innerText()).toBe('1');
    // The nav: each figure read with its words, every link a 44-px target, at most two rows.
    expect(Number(ledger.shown)).toBeGreaterThan(0);
    expect(ledger.name).toContain(`${ledger.shown} 项逾期`);
    expect(deliveries.shown).toBe('1');
    expect(deliveries.name).toContain('1 条发送失败');
    expect(Number(days.shown)).toBeGreaterThan(0);
    expect(Math.min(...linkHeights)).toBeGreaterThanOrEqual(44);
    expect(navBox?.height ?? 0).toBeLessThanOrEqual(2 * 50);
    expect(await axeViolations(page)).toEqual([]);
    expect(blocked).toEqual([]);
    await context.close();
  });

  it('shows a liaison on a phone its own overdue item, the nav in one row, and reads the counts once', async () => {
    // Prepare
    const context = await browser.newContext(phoneSize);
    const page = await context.newPage();
    watchCsp(page);
    const todayCalls: string[] = [];
    page.on('request', (request) => {
      if (new URL(request.url()).pathname === '/api/staff/today') todayCalls.push(request.url());
    });

    // Act: the home, then the ledger page.
    await signIn(page, 'liaison.wuzhong');
    await page.locator(`#today-overdue .today-item[data-key="${itemId}"]`).waitFor();
    const ledger = await navCount(page, '/staff/ledger/');
    const rows = await page
      .locator('.console-nav li:not([hidden])')
      .evaluateAll((items) => new Set(items.map((li) => Math.round(li.getBoundingClientRect().top))).size);
    const width = await page.evaluate(() => document.documentElement.scrollWidth);
    await page.screenshot({ path: join(SHOTS, 'today-home-liaison-zh-phone.png'), fullPage: true });
    const axe = await axeViolations(page);
    const onHome = todayCalls.length;
    await page.goto(`${url}/staff/ledger/`);
    const again = await navCount(page, '/staff/ledger/');

    // Assess
    expect(await page.locator('#today-undelivered').isVisible()).toBe(false);
    expect(ledger.name).toContain('项逾期');
    expect(rows).toBe(1);
    expect(width).toBeLessThanOrEqual(360);
    expect(axe).toEqual([]);
    expect(onHome).toBe(1);
    expect(again.shown).toBe(ledger.shown);
    expect(todayCalls).toHaveLength(1);
    expect(blocked).toEqual([]);

    // A lead's nav is longer, its counts far along the row: the page still fits the phone.
    await signIn(page, 'lead.wuzhong');
    await page.goto(`${url}/staff/`);
    await navCount(page, '/staff/deliveries/');
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(360);
    await context.close();
  });

  it('speaks English on the English home, counts read with their words', async () => {
    // Prepare
    const context = await browser.newContext({ ...desk, locale: 'en-GB' });
    const page = await context.newPage();

    // Act
    await signIn(page, 'lead.wuzhong');
    await page.goto(`${url}/en/staff/`);
    await page.locator('#today-overdue .today-item').first().waitFor();
    const ledger = await navCount(page, '/en/staff/ledger/');
    await page.screenshot({ path: join(SHOTS, 'today-home-lead-en-1366.png'), fullPage: true });

    // Assess
    expect(await page.locator('#home-today-heading').innerText()).toBe('Today');
    expect(ledger.name).toContain(`${ledger.shown} overdue`);
    expect(await page.locator('#today-days .today-more a').getAttribute('href')).toBe('/en/staff/consultation-days/');
    expect(await axeViolations(page)).toEqual([]);
    await context.close();
  });
});
