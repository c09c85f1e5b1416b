import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { shanghaiDate } from '../../shared/time.ts';
import { deskSize, phoneSize, productClient } from '../support/e2e.ts';
import { axeViolations, type Product, SHOTS, startProduct } from '../support/product.ts';

/**
 * Issue 18, sortable console tables (site/src/kit/sortable.ts): a header is a button; a click or
 * Enter sorts the rows by that column, numbers as numbers, dates as dates, Chinese names by pinyin,
 * and the header says the order in `aria-sort`; a phone, whose card lists hide the headers, sorts
 * with a "sort by" picker.
 */
let product: Product;
let url: string;
let browser: Browser;
const { call, apiSignIn, signIn } = productClient(() => url);
const desk = { ...deskSize, viewport: { width: 1366, height: 768 } };
const zh = new Intl.Collator('zh', { numeric: true, sensitivity: 'base' });
let dayId = '';

/** The text of one column of a table's body rows (by the column's header text). */
const column = async (page: Page, table: string, header: string): Promise<string[]> =>
  page.locator(table).evaluate((t, name) => {
    const table = t as HTMLTableElement;
    const heads = [...(table.tHead?.rows[0]?.cells ?? [])].map((c) => (c.textContent ?? '').trim());
    const at = heads.indexOf(name);
    return [...table.tBodies]
      .flatMap((b) => [...b.rows])
      .filter((r) => r.cells.length > 1)
      .map((r) => (r.cells[at] as HTMLElement | undefined)?.dataset.sort ?? r.cells[at]?.textContent?.trim() ?? '');
  }, header);

beforeAll(async () => {
  product = await startProduct('eco-tables-e2e-');
  ({ url, browser } = product);
  expect((await apiSignIn('lead.wuzhong')).status).toBe(200);
  // A day whose slots' capacities sort differently as text (12 < 20 < 3 < 5) and as numbers.
  const date = shanghaiDate(new Date(Date.now() + 9 * 86_400_000));
  const slot = (hour: number, capacity: number) => ({
    startsAt: `${date}T${String(hour).padStart(2, '0')}:00:00+08:00`,
    endsAt: `${date}T${String(hour).padStart(2, '0')}:45:00+08:00`,
    capacity,
  });
  const day = await call('POST', '/api/staff/consultation-days', 'lead.wuzhong', {
    date,
    jurisdiction: '320506',
    venue: '吴中区生态环境局三楼会议室',
    mode: 'onsite',
    topics: ['排污许可'],
    slots: [slot(9, 5), slot(10, 12), slot(11, 3), slot(13, 20)],
  });
  expect(day.status, JSON.stringify(day.body)).toBe(201);
  dayId = (day.body as { day: { dayId: string } }).day.dayId;
});

afterAll(async () => {
  await product?.stop();
});

describe('sortable console tables', () => {
  it('sorts a column of numbers as numbers, both ways, and says the order in aria-sort', async () => {
    // Prepare
    const context = await browser.newContext(desk);
    const page = await context.newPage();
    await signIn(page, 'lead.wuzhong');
    await page.goto(`${url}/staff/consultation-days/day/?id=${encodeURIComponent(dayId)}`);
    await page.locator('#day-slots tbody tr').nth(3).waitFor();
    const header = page.locator('#day-slots thead th', { hasText: '名额' });

    // Act
    await header.getByRole('button').click();
    const ascending = await column(page, '#day-slots', '名额');
    const ariaUp = await header.getAttribute('aria-sort');
    await header.getByRole('button').click();
    const descending = await column(page, '#day-slots', '名额');
    const ariaDown = await header.getAttribute('aria-sort');
    await page.screenshot({ path: join(SHOTS, 'tables-slots-sorted-zh-desk.png'), fullPage: true });

    // Assess
    expect(ascending).toEqual(['3', '5', '12', '20']);
    expect(ariaUp).toBe('ascending');
    expect(descending).toEqual(['20', '12', '5', '3']);
    expect(ariaDown).toBe('descending');
    expect(await axeViolations(page)).toEqual([]);
    await context.close();
  });

  it('sorts Chinese names by pinyin from the keyboard (Enter on the header)', async () => {
    // Prepare
    const context = await browser.newContext(desk);
    const page = await context.newPage();
    await signIn(page, 'admin');
    await page.goto(`${url}/staff/users/`);
    await page.locator('#users-list tr[data-username="liaison.wuzhong"]').waitFor();
    const header = page.locator('#users-list thead th', { hasText: '姓名' });
    const before = await column(page, '#users-list table', '姓名');

    // Act
    await header.getByRole('button').focus();
    await page.keyboard.press('Enter');
    const after = await column(page, '#users-list table', '姓名');

    // Assess
    expect(await header.getAttribute('aria-sort')).toBe('ascending');
    expect(after).toEqual([...before].sort((a, b) => (a === '' ? 1 : b === '' ? -1 : zh.compare(a, b))));
    expect(after).not.toEqual(before); // the server's order (by jurisdiction) is not the names' order
    await context.close();
  });

  it("sorts dates as instants, and a phone sorts the roster's cards with the picker", async () => {
    // Prepare
    const context = await browser.newContext(desk);
    const page = await context.newPage();
    await signIn(page, 'lead.suzhou');
    await page.goto(`${url}/staff/audit/`);
    await page.locator('#audit-list tbody tr').nth(5).waitFor();
    const phone = await browser.newContext(phoneSize);
    const small = await phone.newPage();
    await signIn(small, 'lead.suzhou');
    await small.goto(`${url}/staff/enterprises/`);
    await small.locator('#roster-table tbody tr').nth(3).waitFor();

    // Act
    await page.locator('#audit-list thead th', { hasText: '时间' }).getByRole('button').click();
    const instants = await column(page, '#audit-list table', '时间');
    // The phone shows firms as cards without headers: the "sort by" picker above them sorts instead.
    await small.getByLabel('排序').selectOption({ label: '企业名称（从小到大）' });
    const names = await column(small, '#roster-table', '企业名称');
    await small.screenshot({ path: join(SHOTS, 'tables-roster-sorted-zh-phone.png'), fullPage: true });

    // Assess
    expect(instants.length).toBeGreaterThan(5);
    expect(instants).toEqual([...instants].sort((a, b) => Date.parse(a) - Date.parse(b)));
    expect(names).toEqual([...names].sort(zh.compare));
    const target = await small.getByLabel('排序').boundingBox();
    expect(target?.height ?? 0).toBeGreaterThanOrEqual(44);
    await context.close();
    await phone.close();
  });
});
