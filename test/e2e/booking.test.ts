import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BOOKING_CODE } from '../../shared/booking-code.ts';
import { shanghaiDate } from '../../shared/time.ts';
import { axeViolations, type Product, phone, SHOTS, startProduct } from '../support/product.ts';

// A firm books a consultation-day slot on a phone-sized public page, as `npm start` runs the product:
// a lead publishes a day through the staff API, the firm picks the slot, fills the form, gets a code,
// downloads the .ics and cancels. Screenshots go to test-results/screenshots/booking-*.png.
const shots = SHOTS;
let product: Product;
let url: string;
let browser: Browser;
let dayId: string;
let slotId: string;

const json = async (path: string, body: unknown, token?: string) => {
  const response = await fetch(`${url}${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: JSON.stringify(body),
  });
  return { status: response.status, body: (await response.json().catch(() => null)) as Record<string, unknown> | null };
};

beforeAll(async () => {
  product = await startProduct('eco-e2e-booking-');
  ({ url, browser } = product);

  // The lead of Wuzhong publishes a day ten days ahead with one two-seat slot.
  const signIn = await json('/api/local-auth/sign-in', { username: 'lead.wuzhong', password: 'demo' });
  expect(signIn.status).toBe(200);
  const token = signIn.body?.token as string;
  const date = shanghaiDate(new Date(Date.now() + 10 * 86_400_000));
  const created = await json(
    '/api/staff/consultation-days',
    {
      date,
      jurisdiction: '320506',
      venue: '吴中区生态环境局三楼会议室',
      mode: 'onsite',
      topics: ['排污许可', '环评审批'],
      slots: [{ startsAt: `${date}T09:00:00+08:00`, endsAt: `${date}T10:00:00+08:00`, capacity: 2 }],
    },
    token,
  );
  expect(created.status, JSON.stringify(created.body)).toBe(201);
  const day = created.body?.day as { dayId: string; slots: { slotId: string }[] };
  dayId = day.dayId;
  slotId = day.slots[0]?.slotId as string;
  expect(dayId).toBeTruthy();
  expect(slotId).toBeTruthy();
});

afterAll(async () => {
  await product?.stop();
});

const newPage = async (): Promise<Page> => (await browser.newContext(phone)).newPage();

const focusedId = (page: Page) => page.evaluate(() => document.activeElement?.id ?? '');

/** Opens the list and the form for the test's slot. */
const openSlot = async (page: Page, prefix = '') => {
  await page.goto(`${url}${prefix}/consultation-days/`);
  const slot = page.locator(`#days button[data-slot-id="${slotId}"]`);
  await slot.waitFor({ state: 'visible' });
  return slot;
};

const fillForm = async (page: Page, uscc: string, mobile = '13812345678') => {
  await page.fill('#uscc', uscc);
  await page.fill('#companyName', '苏州吴中绿源环保科技有限公司');
  await page.fill('#contactName', '张伟');
  await page.fill('#mobile', mobile);
  await page.fill('#email', 'zhangwei@example.com');
  await page.selectOption('#topic', '排污许可');
  await page.fill('#question', '我公司计划扩建一条涂装生产线，想了解排污许可证变更需要准备哪些材料。');
  await page.check('#consent');
};

describe('public consultation-day booking', () => {
  it('books the slot on a phone, shows the code, serves the .ics, and cancels', async () => {
    const page = await newPage();
    const slot = await openSlot(page);
    expect(await page.getAttribute('html', 'lang')).toBe('zh-CN');
    expect(await slot.innerText()).toContain('剩余 2 席');
    expect(await page.locator('noscript').innerHTML()).toContain('/api/public/consultation-days?lang=zh');
    await page.screenshot({ path: join(shots, 'booking-list-zh-phone.png'), fullPage: true });
    expect(await axeViolations(page)).toEqual([]);

    await slot.click();
    await page.locator('#booking-form').waitFor({ state: 'visible' });
    expect(await focusedId(page)).toBe('booking-heading');
    await fillForm(page, '91350100M000100Y43');
    await page.screenshot({ path: join(shots, 'booking-form-zh-phone.png'), fullPage: true });
    expect(await axeViolations(page)).toEqual([]);

    await page.click('#booking-form button[type=submit]');
    await page.waitForURL(/\/consultation-days\/booking\/\?code=/);
    const code = new URL(page.url()).searchParams.get('code') ?? '';
    expect(code).toMatch(BOOKING_CODE);
    const status = page.locator('#booking-status');
    await status.waitFor({ state: 'visible' });
    expect(await page.locator('#booking-code').textContent()).toBe(code);
    expect(await status.getAttribute('data-status')).toBe('confirmed');
    expect(await status.innerText()).toBe('已确认');
    // It says how the firm will hear: SMS to its (masked) mobile, and e-mail as it gave one.
    expect(await page.locator('#booking-facts').innerText()).toMatch(/通知方式\s*短信发至 138\S*5678，并发邮件至 \S+/);
    await page.screenshot({ path: join(shots, 'booking-confirmation-zh-phone.png'), fullPage: true });
    expect(await axeViolations(page)).toEqual([]);

    // The calendar file.
    const href = (await page.getAttribute('a#ics-link', 'href')) ?? '';
    expect(href).toBe(`/api/public/bookings/${code}/calendar.ics`);
    const ics = await page.request.get(new URL(href, page.url()).toString());
    expect(ics.status()).toBe(200);
    expect(await ics.text()).toContain('BEGIN:VCALENDAR');

    // Cancelling asks first, then shows the cancelled state; a reload agrees.
    await page.click('#cancel-booking');
    await page.locator('#confirm-cancel').waitFor({ state: 'visible' });
    await page.click('#confirm-cancel');
    await page.locator('#booking-status[data-status="cancelled"]').waitFor();
    expect(await status.innerText()).toBe('已取消');
    expect(await page.locator('#cancel-booking').isVisible()).toBe(false);
    await page.screenshot({ path: join(shots, 'booking-cancelled-zh-phone.png'), fullPage: true });
    await page.reload();
    await page.locator('#booking-status[data-status="cancelled"]').waitFor();

    // Find my booking: an unknown code says so.
    await page.goto(`${url}/consultation-days/booking/`);
    await page.fill('#code', 'ABCDEFGHJKLMNPQRSTUV');
    await page.click('#find-form button[type=submit]');
    const notFound = page.locator('#find-error');
    await notFound.waitFor({ state: 'visible' });
    expect(await notFound.innerText()).toContain('未找到');
    await page.context().close();
  });

  it('shows an invalid USCC inline and moves focus to the error summary', async () => {
    const page = await newPage();
    const slot = await openSlot(page, '/en');
    await slot.click();
    await page.locator('#booking-form').waitFor({ state: 'visible' });
    await fillForm(page, '91350100M000100Y44');
    await page.press('#uscc', 'Tab');
    await page.locator('#uscc-error').waitFor({ state: 'visible' });
    await page.click('#booking-form button[type=submit]');
    const summary = page.locator('#booking-errors');
    await summary.waitFor({ state: 'visible' });
    expect(await focusedId(page)).toBe('booking-errors');
    expect(await page.getAttribute('#uscc', 'aria-invalid')).toBe('true');
    expect(await page.getAttribute('#uscc', 'aria-describedby')).toContain('uscc-error');
    expect(await summary.innerText()).toContain('Unified Social Credit Code');
    expect(new URL(page.url()).pathname).toBe('/en/consultation-days/');
    await page.screenshot({ path: join(shots, 'booking-invalid-uscc-en-phone.png'), fullPage: true });
    expect(await axeViolations(page)).toEqual([]);
    await page.context().close();
  });

  it('explains a refused booking (429 RATE_LIMITED) in either language, without saying whose limit it was', async () => {
    // Prepare: one number spends its five attempts of the hour (on a day that does not exist).
    const mobile = '13766667777';
    for (let i = 0; i < 5; i++) {
      const spent = await json('/api/public/consultation-days/no-such-day/bookings', {
        slotId: 's1',
        uscc: '91330100799655058B',
        companyName: '杭州某某有限公司',
        contactName: '赵六',
        mobile,
        topic: '排污许可',
        question: '我公司计划扩建一条涂装生产线，想了解排污许可证变更需要准备哪些材料。',
        consent: true,
      });
      expect(spent.status).toBe(404);
    }
    for (const [prefix, text] of [
      ['', '暂时无法受理该企业或该手机号的预约请求'],
      ['/en', 'We cannot take a booking for this firm or this mobile number right now'],
    ] as const) {
      // Act
      const page = await newPage();
      const slot = await openSlot(page, prefix);
      await slot.click();
      await page.locator('#booking-form').waitFor({ state: 'visible' });
      await fillForm(page, '91110000710925462X', mobile);
      await page.click('#booking-form button[type=submit]');
      // Assess
      const summary = page.locator('#booking-errors');
      await summary.waitFor({ state: 'visible' });
      expect(await summary.innerText()).toContain(text);
      expect(await focusedId(page)).toBe('booking-errors');
      await page.screenshot({
        path: join(shots, `booking-refused-${prefix ? 'en' : 'zh'}-phone.png`),
        fullPage: true,
      });
      await page.context().close();
    }
  });
});
