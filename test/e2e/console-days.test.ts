import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { shanghaiDate } from '../../shared/time.ts';
import { bookOverHttp } from '../support/bookings.ts';
import { moveDayTo } from '../support/days.ts';
import { deskSize, productClient } from '../support/e2e.ts';
import { axeViolations, type Product, productTable, SHOTS, startProduct } from '../support/product.ts';

// The staff console as `npm start` runs it, at desk size: a lead signs in on the sign-in page, publishes
// a day with the console's form, a firm books it through the public API, the lead marks attendance with
// an outcome and exports the bookings; a second tab holding a stale version is told about the conflict.
// Screenshots go to test-results/screenshots/console-*.png.
const shots = SHOTS;
let product: Product;
let url: string;
let browser: Browser;
let context: BrowserContext;
let page: Page;
let dayId: string;
const { signIn } = productClient(() => url);

const desk = { ...deskSize, acceptDownloads: true };
const date = shanghaiDate(new Date(Date.now() + 14 * 86_400_000));
const company = '苏州绿源环保科技有限公司';

beforeAll(async () => {
  product = await startProduct('eco-e2e-console-');
  ({ url, browser } = product);
  context = await browser.newContext(desk);
  page = await context.newPage();
});

afterAll(async () => {
  await product?.stop();
});

describe('staff console: consultation days', () => {
  it('sends a visitor without a session to the sign-in page', async () => {
    const other = await browser.newContext(desk);
    const p = await other.newPage();
    await p.goto(`${url}/staff/consultation-days/`);
    await p.waitForURL(/\/staff\/sign-in\/\?next=/);
    await other.close();
  });

  it('signs in, opens consultation days from the console bar and publishes a day with the form', async () => {
    await signIn(page, 'lead.wuzhong');
    await page.click('.console-nav a[href="/staff/consultation-days/"]');
    await page.waitForURL(/\/staff\/consultation-days\/$/);
    await page.locator('#new-day-form').waitFor({ state: 'visible' });
    expect(await page.locator('#console-me').innerText()).toContain('联系领导');
    expect(await page.inputValue('#day-jurisdiction')).toBe('320506');
    expect(await axeViolations(page)).toEqual([]);

    // An empty submit is caught inline, with focus on the error summary.
    await page.fill('.slot-row [name=start]', '');
    await page.click('#new-day-form button[type=submit]');
    await page.locator('#day-errors').waitFor({ state: 'visible' });
    expect(await page.evaluate(() => document.activeElement?.id)).toBe('day-errors');
    expect(await page.getAttribute('#day-date', 'aria-invalid')).toBe('true');
    expect(await page.getAttribute('.slot-row [name=start]', 'aria-invalid')).toBe('true');
    await page.screenshot({ path: join(shots, 'console-new-day-errors-zh-desk.png'), fullPage: true });
    expect(await axeViolations(page)).toEqual([]);

    await page.fill('#day-date', date);
    await page.selectOption('#day-mode', 'onsite');
    await page.fill('#day-venue', '吴中区生态环境局三楼会议室');
    await page.fill('#day-topics', '排污许可，环评审批\n危险废物');
    const row = page.locator('.slot-row').first();
    await row.locator('[name=start]').fill('09:00');
    await row.locator('[name=end]').fill('10:00');
    await row.locator('[name=capacity]').fill('2');
    await page.click('#new-day-form button[type=submit]');
    const link = page.locator(`#staff-days a[data-day-id]`).first();
    await link.waitFor({ state: 'visible' });
    await page.locator('#console-status').waitFor({ state: 'visible' });
    expect(await page.locator('#day-errors').isVisible()).toBe(false);
    dayId = (await link.getAttribute('data-day-id')) as string;
    expect(dayId).toBeTruthy();
    expect(await page.locator('#staff-days').innerText()).toContain('0/2');
    await page.screenshot({ path: join(shots, 'console-days-zh-desk.png'), fullPage: true });
  });

  it('shows a booking on the day page, marks attendance with an outcome and exports CSV', async () => {
    // An anonymous booking is a hold until its SMS code (issue 16): the code is read from the outbox.
    const booked = await bookOverHttp(url, dayId, {
      slotId: 's1',
      uscc: '91350100M000100Y43',
      companyName: company,
      contactName: '王经理',
      mobile: '13812345678',
      topic: '排污许可',
      question: '我公司新增一条喷涂生产线，排污许可证需要变更还是重新申请？',
      consent: true,
    });
    expect(booked.status, JSON.stringify(booked.body)).toBe(200);
    const code = booked.body.booking?.code as string;
    // Attendance is recorded from the day itself: the booked day moved to today in the product's table.
    await moveDayTo(dayId, shanghaiDate(new Date()), await productTable(product.dataDir));

    await page.click(`#staff-days a[data-day-id="${dayId}"]`);
    await page.waitForURL(/\/staff\/consultation-days\/day\/\?id=/);
    const row = page.locator(`#bookings tr[data-code="${code}"]`);
    await row.waitFor({ state: 'visible' });
    expect(await page.locator('#day-detail').innerText()).toContain('吴中区生态环境局三楼会议室');
    expect(await row.innerText()).toContain(company);
    expect(await row.innerText()).toContain('13812345678');
    expect(await axeViolations(page)).toEqual([]);
    await page.screenshot({ path: join(shots, 'console-day-zh-desk.png'), fullPage: true });

    await row.locator('input[name=outcome]').fill('已说明变更流程，建议两周内提交材料');
    await row.locator('button[data-attendance=attended]').click();
    await expect
      .poll(() => page.locator(`#bookings tr[data-code="${code}"]`).getAttribute('data-status'))
      .toBe('attended');
    const marked = page.locator(`#bookings tr[data-code="${code}"]`);
    expect(await marked.innerText()).toContain('已到场');
    expect(await marked.innerText()).toContain('已说明变更流程');
    expect(await marked.locator('button[data-attendance]').count()).toBe(0);

    const [download] = await Promise.all([page.waitForEvent('download'), page.click('#export-csv')]);
    expect(download.suggestedFilename()).toMatch(/\.csv$/);
    const file = await download.path();
    expect(readFileSync(file, 'utf8')).toContain(company);
    await page.screenshot({ path: join(shots, 'console-day-attended-zh-desk.png'), fullPage: true });
  });

  it('tells a second tab with a stale version about the conflict and reloads', async () => {
    const second = await browser.newContext(desk);
    const other = await second.newPage();
    await signIn(other, 'lead.wuzhong');
    await other.goto(`${url}/en/staff/consultation-days/day/?id=${encodeURIComponent(dayId)}`);
    await other.locator('#edit-day-form').waitFor({ state: 'visible' });

    // The first tab saves a change: the second one now holds a stale version.
    await page.fill('#edit-venue', '吴中区生态环境局一楼大厅');
    await page.click('#edit-day-form button[type=submit]');
    await page.locator('#day-status').waitFor({ state: 'visible' });
    expect(await page.locator('#day-detail').innerText()).toContain('一楼大厅');

    await other.fill('#edit-topics', 'Permits\nEIA');
    await other.click('#edit-day-form button[type=submit]');
    const conflict = other.locator('#conflict-message');
    await conflict.waitFor({ state: 'visible' });
    expect(await other.evaluate(() => document.activeElement?.id)).toBe('conflict-message');
    await other.screenshot({ path: join(shots, 'console-conflict-en-desk.png'), fullPage: true });
    expect(await axeViolations(other)).toEqual([]);
    await other.click('#conflict-reload');
    await conflict.waitFor({ state: 'hidden' });
    expect(await other.inputValue('#edit-venue')).toBe('吴中区生态环境局一楼大厅');
    await second.close();
  });

  it('copies the day to a later date from the day page: same venue and slot, no bookings', async () => {
    // Prepare
    const later = shanghaiDate(new Date(Date.now() + 35 * 86_400_000));
    const copy = page.locator('day-copy');
    await copy.locator('summary').click();
    // Act: a date in the past is refused on the page, then the later date is copied
    await copy.locator('#copy-date').fill(shanghaiDate(new Date(Date.now() - 86_400_000)));
    await copy.locator('button[type=submit]').click();
    expect(await copy.locator('#copy-date').getAttribute('aria-invalid')).toBe('true');
    await copy.locator('#copy-date').fill(later);
    await copy.locator('button[type=submit]').click();
    const done = copy.locator('.copy-done a');
    await done.waitFor({ state: 'visible' });
    expect(await done.innerText()).toContain(later);
    await page.screenshot({ path: join(shots, 'console-day-copied-zh-desk.png'), fullPage: true });
    expect(await axeViolations(page)).toEqual([]);
    // Assess: the new day opens with the venue as edited, one 09:00 slot of 2 seats, none taken
    const copied = await context.newPage();
    await copied.goto(`${url}${await done.getAttribute('href')}`);
    await copied.locator('#edit-day-form').waitFor({ state: 'visible' });
    const detail = await copied.locator('#day-detail').innerText();
    expect(detail).toContain('一楼大厅');
    expect(await copied.inputValue('#edit-venue')).toBe('吴中区生态环境局一楼大厅');
    expect(await copied.locator('#bookings').innerText()).not.toContain(company);
    await copied.close();
  });

  it('edits the seats and adds a slot: a slot ending before it starts is marked on its field, then saved', async () => {
    // Prepare: the day page as the copy left it, one slot
    const edit = page.locator('day-edit');
    const slots = page.locator('#day-slots tbody tr');
    await expect.poll(() => slots.count()).toBe(1);
    const seats = edit.locator('#edit-capacities input[data-slot-id]');
    expect(await seats.count()).toBe(1);

    // Act: one more seat, and a slot from 10:00 ending at 09:30
    await seats.first().fill('3');
    await edit.locator('#add-start').fill('10:00');
    await edit.locator('#add-end').fill('09:30');
    await edit.locator('#add-capacity').fill('4');
    await edit.locator('button[type=submit]').click();

    // Assess: refused on the page, the problem on the added slot's fields, nothing saved
    await edit.locator('#edit-errors').waitFor({ state: 'visible' });
    expect(await edit.locator('#edit-add-slot [aria-invalid=true]').count()).toBeGreaterThan(0);
    expect(await slots.count()).toBe(1);
    expect(await axeViolations(page)).toEqual([]);

    // Act: the end put right
    await edit.locator('#add-end').fill('10:45');
    await edit.locator('button[type=submit]').click();

    // Assess: saved; the slots table and the form both show two slots, the first with three seats
    await page.locator('#day-status').waitFor({ state: 'visible' });
    await expect.poll(() => slots.count()).toBe(2);
    expect(await slots.first().locator('td').first().innerText()).toBe('3');
    expect(await seats.count()).toBe(2);
    expect(await edit.locator('#add-start').inputValue()).toBe('');
    expect(await edit.locator('#edit-errors').isVisible()).toBe(false);
  });

  it('cancels the day with a reason from the day page; the booking marked attended keeps its mark', async () => {
    // Act
    await page.click('#cancel-day');
    await page.fill('#cancel-reason', '场地临时维修');
    await page.click('#cancel-yes');
    // Assess: the day is cancelled; its one booking, marked attended above, is not cancelled with it.
    await page.locator('#cancelled-notice').waitFor({ state: 'visible' });
    expect(await page.locator('#day-status').innerText()).toContain('已取消 0 个预约');
    expect(await page.locator('#cancel-day').isVisible()).toBe(false);
    await page.screenshot({ path: join(shots, 'console-day-cancelled-zh-desk.png'), fullPage: true });
    expect(await axeViolations(page)).toEqual([]);
  });
});
