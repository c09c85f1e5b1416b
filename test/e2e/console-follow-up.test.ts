import { join } from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { shanghaiDate } from '../../shared/time.ts';
import { bookOverHttp } from '../support/bookings.ts';
import { moveDayTo } from '../support/days.ts';
import { deskSize, productClient } from '../support/e2e.ts';
import { axeViolations, type Product, productTable, SHOTS, startProduct } from '../support/product.ts';
import { distinctUsccs } from '../support/uscc.ts';

// The staff console as `npm start` runs it, at desk size: a lead marks a booking of a registered firm
// attended with an outcome on the day page and turns it into a follow-up (a ledger item with source
// `booking` and the booking code), with the form's field errors on the way; a booking of a firm that is
// not in the roster is told so, with a link to the roster. Screenshots go to
// test-results/screenshots/console-follow-up-*.png.
let product: Product;
let url: string;
let browser: Browser;
let context: BrowserContext;
let page: Page;
const { call, apiSignIn, signIn } = productClient(() => url);
/** Everything here is done as the Wuzhong lead. */
const lead = 'lead.wuzhong';
let dayId = '';
let bookedCode = '';
let strangerCode = '';

const date = shanghaiDate(new Date(Date.now() + 10 * 86_400_000));
const [usccFirm, usccStranger] = distinctUsccs(2) as [string, string];
const firmName = '苏州吴中精工涂装有限公司';
const strangerName = '苏州未登记化工有限公司';
const outcome = '已说明排污许可变更流程，企业需在两周内补交喷涂线废气治理方案';
const question = '新增喷涂生产线后，排污许可证需要变更还是重新申请？';

const book = async (uscc: string, companyName: string, mobile: string) => {
  // An anonymous booking is a hold until its SMS code (issue 16): the code is read from the outbox.
  const res = await bookOverHttp(url, dayId, {
    slotId: 's1',
    uscc,
    companyName,
    contactName: '王经理',
    mobile,
    topic: '排污许可',
    question,
    consent: true,
  });
  expect(res.status, JSON.stringify(res.body)).toBe(200);
  return (res.body as { booking: { code: string } }).booking.code;
};

const row = (p: Page, code: string) => p.locator(`#bookings tr[data-code="${code}"]`);
const followUpRow = (p: Page, code: string) => p.locator(`#bookings tr[data-follow-up-for="${code}"]`);

/** Marks a booking attended with an outcome on the page, as the day page's attendance cell does. */
const markAttended = async (p: Page, code: string, text: string) => {
  await row(p, code).locator('input[name=outcome]').fill(text);
  await row(p, code).locator('button[data-attendance=attended]').click();
  await expect.poll(() => row(p, code).getAttribute('data-status')).toBe('attended');
};

beforeAll(async () => {
  product = await startProduct('eco-e2e-follow-up-');
  ({ url, browser } = product);
  const signedIn = await apiSignIn(lead);
  expect(signedIn.status).toBe(200);

  // The firm is in the roster; the stranger is not.
  const firm = await call('POST', '/api/staff/enterprises', lead, {
    uscc: usccFirm,
    name: firmName,
    county: '320506',
    address: '苏州市吴中区木渎镇金枫南路 1 号',
    industry: '金属表面处理',
    size: 'small',
    tier: 'county',
    contacts: [{ name: '王经理', role: '环保专员', mobile: '13812345678' }],
  });
  expect(firm.status, JSON.stringify(firm.body)).toBe(201);
  expect((await call('GET', `/api/staff/enterprises/${usccStranger}`, lead)).status).toBe(404);

  const day = await call('POST', '/api/staff/consultation-days', lead, {
    date,
    jurisdiction: '320506',
    venue: '吴中区生态环境局三楼会议室',
    mode: 'onsite',
    topics: ['排污许可', '危险废物'],
    slots: [{ startsAt: `${date}T09:00:00+08:00`, endsAt: `${date}T10:00:00+08:00`, capacity: 4 }],
  });
  expect(day.status, JSON.stringify(day.body)).toBe(201);
  dayId = (day.body as { day: { dayId: string } }).day.dayId;
  bookedCode = await book(usccFirm, firmName, '13812345678');
  strangerCode = await book(usccStranger, strangerName, '13987654321');
  // Attendance is recorded from the day itself: the booked day moved to today in the product's table.
  await moveDayTo(dayId, shanghaiDate(new Date()), await productTable(product.dataDir));

  context = await browser.newContext(deskSize);
  page = await context.newPage();
  await signIn(page, lead);
});

afterAll(async () => {
  await product?.stop();
});

describe('staff console: a consultation outcome becomes a follow-up', () => {
  it('offers the follow-up only once a booking is attended with an outcome', async () => {
    await page.goto(`${url}/staff/consultation-days/day/?id=${encodeURIComponent(dayId)}`);
    await row(page, bookedCode).waitFor({ state: 'visible' });
    expect(await page.locator('#bookings button[data-follow-up]').count()).toBe(0);

    await markAttended(page, bookedCode, outcome);
    const button = row(page, bookedCode).locator('button[data-follow-up]');
    expect(await button.innerText()).toBe('转为跟进事项');
    expect(await button.getAttribute('aria-expanded')).toBe('false');
    expect(await axeViolations(page)).toEqual([]);
  });

  it('opens a form prefilled from the booking, shows field errors, then creates the ledger item', async () => {
    await row(page, bookedCode).locator('button[data-follow-up]').click();
    const form = followUpRow(page, bookedCode);
    await form.locator('form').waitFor({ state: 'visible' });
    expect(await row(page, bookedCode).locator('button[data-follow-up]').getAttribute('aria-expanded')).toBe('true');
    const id = (name: string) => `#fu-${name}-${bookedCode}`;
    expect(await page.inputValue(id('title'))).toBe('预约咨询跟进：排污许可');
    const detail = await page.inputValue(id('detail'));
    expect(detail).toContain(outcome);
    expect(detail).toContain(question);
    expect(await page.inputValue(id('due'))).toBe(shanghaiDate(new Date(Date.now() + 30 * 86_400_000)));
    expect(await page.inputValue(id('severity'))).toBe('medium');
    expect(await page.inputValue(id('owner'))).toBe('');
    expect(await page.evaluate(() => document.activeElement?.id)).toBe(`fu-title-${bookedCode}`);

    // No owner department and a one-character title: caught on the page, with the error summary.
    await page.fill(id('title'), '许');
    await form.locator('button[type=submit]').click();
    const summary = form.locator('.error-summary');
    await summary.waitFor({ state: 'visible' });
    expect(await page.evaluate(() => document.activeElement?.id)).toBe(`fu-errors-${bookedCode}`);
    expect(await page.getAttribute(id('title'), 'aria-invalid')).toBe('true');
    expect(await page.getAttribute(id('owner'), 'aria-invalid')).toBe('true');
    expect(await summary.locator('li').count()).toBe(2);
    expect(await summary.innerText()).toContain('责任科室');
    await page.screenshot({ path: join(SHOTS, 'console-follow-up-errors-zh-desk.png'), fullPage: true });
    expect(await axeViolations(page)).toEqual([]);

    // A server-side field error lands on its input the same way (the API's rules, here a far date).
    await page.fill(id('title'), '喷涂线排污许可变更跟进');
    await page.fill(id('owner'), '环评科');
    await page.route('**/api/staff/ledger-items', (route) =>
      route.fulfill({
        status: 400,
        contentType: 'application/json',
        body: JSON.stringify({
          error: { code: 'VALIDATION_FAILED', message: 'Invalid input', fields: { dueOn: 'Invalid ISO date' } },
        }),
      }),
    );
    await form.locator('button[type=submit]').click();
    await expect.poll(() => page.getAttribute(id('due'), 'aria-invalid')).toBe('true');
    expect(await page.getAttribute(id('title'), 'aria-invalid')).toBeNull();
    expect(await summary.innerText()).toContain('办结期限');
    await page.unroute('**/api/staff/ledger-items');

    await page.selectOption(id('severity'), 'high');
    await form.locator('button[type=submit]').click();
    const notice = form.locator('.notice');
    await notice.waitFor({ state: 'visible' });
    expect(await notice.innerText()).toContain('已创建跟进事项');
    expect(await page.evaluate(() => document.activeElement?.className)).toContain('notice');
    const href = (await notice.locator('a').getAttribute('href')) as string;
    expect(href).toMatch(/^\/staff\/ledger\/item\/\?id=[a-f0-9-]{36}$/);
    // The button has become the link to the item.
    expect(await row(page, bookedCode).locator('button[data-follow-up]').count()).toBe(0);
    expect(await row(page, bookedCode).locator('.follow-up-done a').getAttribute('href')).toBe(href);
    await page.screenshot({ path: join(SHOTS, 'console-follow-up-created-zh-desk.png'), fullPage: true });
    expect(await axeViolations(page)).toEqual([]);

    const listed = await call('GET', `/api/staff/ledger-items?uscc=${usccFirm}`, lead);
    expect(listed.status).toBe(200);
    const items = (listed.body as { items: Record<string, unknown>[] }).items;
    expect(items).toHaveLength(1);
    const item = items[0] as Record<string, unknown>;
    expect(item).toMatchObject({
      itemId: href.split('=')[1],
      uscc: usccFirm,
      source: 'booking',
      sourceRef: bookedCode,
      severity: 'high',
      ownerDepartment: '环评科',
      title: '喷涂线排污许可变更跟进',
      dueOn: shanghaiDate(new Date(Date.now() + 30 * 86_400_000)),
    });
    expect(String(item.detail)).toContain(outcome);
  });

  it('after a reload, shows the follow-up already made instead of a second form', async () => {
    await page.reload();
    await row(page, bookedCode).waitFor({ state: 'visible' });
    await row(page, bookedCode).locator('button[data-follow-up]').click();
    const notice = followUpRow(page, bookedCode).locator('.notice');
    await notice.waitFor({ state: 'visible' });
    expect(await notice.innerText()).toContain('该预约已转为跟进事项');
    expect(await followUpRow(page, bookedCode).locator('form').count()).toBe(0);
    const listed = await call('GET', `/api/staff/ledger-items?uscc=${usccFirm}`, lead);
    expect((listed.body as { items: unknown[] }).items).toHaveLength(1);
  });

  it('tells the lead (in English) that a firm not in the roster needs registering first', async () => {
    await page.goto(`${url}/en/staff/consultation-days/day/?id=${encodeURIComponent(dayId)}`);
    await row(page, strangerCode).waitFor({ state: 'visible' });
    await markAttended(page, strangerCode, 'Explained the permit change; the firm will send its plan.');
    const button = row(page, strangerCode).locator('button[data-follow-up]');
    expect(await button.innerText()).toBe('Turn into a follow-up');
    await button.click();
    const form = followUpRow(page, strangerCode);
    await form.locator('form').waitFor({ state: 'visible' });
    expect(await page.inputValue(`#fu-title-${strangerCode}`)).toBe('Consultation follow-up: 排污许可');
    await page.fill(`#fu-owner-${strangerCode}`, 'EIA section');
    await form.locator('button[type=submit]').click();
    const alert = form.locator('.alert');
    await alert.waitFor({ state: 'visible' });
    expect(await alert.innerText()).toContain('is not in the roster yet');
    expect(await alert.innerText()).toContain(strangerName);
    expect(await alert.locator('a').getAttribute('href')).toBe('/en/staff/enterprises/');
    expect(await page.evaluate(() => document.activeElement?.id)).toBe(`fu-roster-${strangerCode}`);
    await page.screenshot({ path: join(SHOTS, 'console-follow-up-not-in-roster-en-desk.png'), fullPage: true });
    expect(await axeViolations(page)).toEqual([]);
    const listed = await call('GET', `/api/staff/ledger-items?uscc=${usccStranger}`, lead);
    expect((listed.body as { items: unknown[] }).items).toHaveLength(0);

    // Cancel closes the form and gives the focus back to the button.
    await form.locator('button.button-secondary').click();
    await form.waitFor({ state: 'hidden' });
    expect(await button.getAttribute('aria-expanded')).toBe('false');
    expect(await page.evaluate(() => document.activeElement?.getAttribute('data-follow-up'))).toBe(strangerCode);
  });
});
