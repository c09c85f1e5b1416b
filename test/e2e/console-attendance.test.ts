import { mkdirSync } from 'node:fs';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { shanghaiDate } from '../../shared/time.ts';
import { bookOverHttp } from '../support/bookings.ts';
import { moveDayTo } from '../support/days.ts';
import { deskSize, productClient } from '../support/e2e.ts';
import { fetchEmails } from '../support/outbox.ts';
import { axeViolations, type Product, productTable, startProduct } from '../support/product.ts';
import { distinctUsccs } from '../support/uscc.ts';

// Issue 20, the lead at the desk (1366x768): before the day the page says when attendance opens and
// offers no marking; a message to all the day's bookers, with its counter and a confirmation naming
// how many receive it; on the day a booking marked attended without an outcome still becomes a
// follow-up; a recorded attendance changed only with a reason. Screenshots in /tmp/attend-shots/.
const SHOTS = '/tmp/attend-shots';
let product: Product;
let url: string;
let browser: Browser;
let context: BrowserContext;
let page: Page;
const { call, apiSignIn, signIn } = productClient(() => url);
const lead = 'lead.wuzhong';
let dayId = '';
const codes: string[] = [];
const date = shanghaiDate(new Date(Date.now() + 10 * 86_400_000));
const usccs = distinctUsccs(3) as [string, string, string];
const firms = ['苏州吴中精工涂装有限公司', '苏州木渎印染有限公司', '苏州胥口电镀有限公司'];
const emails = ['a.notice@example.com', 'b.notice@example.com', 'c.notice@example.com'];
const NOTICE = '因三楼会议室检修，咨询改在二楼 203 室进行，请携带排污许可证副本，提前十分钟到场签到。';

const dayPage = () => `${url}/staff/consultation-days/day/?id=${encodeURIComponent(dayId)}`;
const row = (code: string) => page.locator(`#bookings tr[data-code="${code}"]`);
const shot = (name: string) => page.screenshot({ path: `${SHOTS}/${name}.png`, fullPage: true });

beforeAll(async () => {
  mkdirSync(SHOTS, { recursive: true });
  product = await startProduct('eco-e2e-attend-');
  ({ url, browser } = product);
  expect((await apiSignIn(lead)).status).toBe(200);
  // The first firm is in the roster (a follow-up is a ledger item of a registered firm).
  const firm = await call('POST', '/api/staff/enterprises', lead, {
    uscc: usccs[0],
    name: firms[0],
    county: '320506',
    address: '苏州市吴中区木渎镇金枫南路 1 号',
    industry: '金属表面处理',
    size: 'small',
    tier: 'county',
    contacts: [{ name: '王经理', role: '环保专员', mobile: '13812340001' }],
  });
  expect(firm.status, JSON.stringify(firm.body)).toBe(201);
  const day = await call('POST', '/api/staff/consultation-days', lead, {
    date,
    jurisdiction: '320506',
    venue: '吴中区生态环境局三楼会议室',
    mode: 'onsite',
    topics: ['排污许可'],
    slots: [{ startsAt: `${date}T09:00:00+08:00`, endsAt: `${date}T10:00:00+08:00`, capacity: 5 }],
  });
  expect(day.status, JSON.stringify(day.body)).toBe(201);
  dayId = (day.body as { day: { dayId: string } }).day.dayId;
  for (const [i, uscc] of usccs.entries()) {
    const res = await bookOverHttp(url, dayId, {
      slotId: 's1',
      uscc,
      companyName: firms[i],
      contactName: '王经理',
      mobile: `1381234000${i + 1}`,
      email: emails[i],
      topic: '排污许可',
      question: '新增喷涂生产线后，排污许可证需要变更还是重新申请？',
      consent: true,
    });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    codes.push(res.body.booking?.code as string);
  }
  context = await browser.newContext(deskSize);
  page = await context.newPage();
  await signIn(page, lead);
});

afterAll(async () => {
  await product?.stop();
});

describe('the lead at the desk: a consultation day (issue 20)', () => {
  it('before the day: no attendance marking, and a line saying when it opens', async () => {
    await page.goto(dayPage());
    await row(codes[0] as string).waitFor({ state: 'visible' });
    const opens = page.locator('#attendance-opens');
    expect(await opens.isVisible()).toBe(true);
    expect(await opens.innerText()).toContain('到场登记从咨询日当天');
    expect(await page.locator('#bookings button[data-attendance]').count()).toBe(0);
    expect(await axeViolations(page)).toEqual([]);
    await shot('day-before-zh-desk');
  });

  it('messages all bookers: counter, a confirmation naming how many, then recorded and sent once each', async () => {
    const text = page.locator('#notice-text');
    await text.fill(NOTICE);
    expect(await page.locator('#notice-count').innerText()).toContain(`${NOTICE.length} / 500`);
    await page.click('#notice-next');
    const confirm = page.locator('#notice-confirm');
    await confirm.waitFor({ state: 'visible' });
    expect(await page.locator('#notice-confirm-text').innerText()).toContain('将向 3 位预约人');
    expect(await page.locator('#notice-preview').innerText()).toBe(NOTICE);
    expect(await axeViolations(page)).toEqual([]);
    await shot('day-notice-confirm-zh-desk');

    await page.click('#notice-send');
    const status = page.locator('#notice-status');
    await status.waitFor({ state: 'visible' });
    expect(await status.innerText()).toContain('已为 3 位预约人记录通知');
    expect(await text.inputValue()).toBe('');
    await shot('day-notice-sent-zh-desk');
    await expect
      .poll(async () => (await fetchEmails(url)).filter((e) => e.subject.startsWith('咨询日通知')).length, {
        timeout: 15_000,
      })
      .toBe(3);
    const mails = (await fetchEmails(url)).filter((e) => e.subject.startsWith('咨询日通知'));
    expect(mails.flatMap((e) => e.to).sort()).toEqual([...emails].sort());
    expect(mails.every((e) => e.text.includes(NOTICE))).toBe(true);
  });

  it('on the day: an attended booking without an outcome becomes a follow-up', async () => {
    // Prepare: the day moved to today in the product's table (the API makes days ahead only).
    await moveDayTo(dayId, shanghaiDate(new Date()), await productTable(product.dataDir));
    await page.goto(dayPage());
    const first = codes[0] as string;
    await row(first).locator('button[data-attendance=attended]').waitFor({ state: 'visible' });
    expect(await page.locator('#attendance-opens').isVisible()).toBe(false);

    // Act: attended, nothing typed as outcome, then the follow-up.
    await row(first).locator('button[data-attendance=attended]').click();
    await expect.poll(() => row(first).getAttribute('data-status')).toBe('attended');
    await row(first).locator('button[data-follow-up]').click();
    const detail = page.locator(`#fu-detail-${first}`);
    await detail.waitFor({ state: 'visible' });
    expect(await detail.inputValue()).toContain(`${firms[0]} 参加了`);
    expect(await page.inputValue(`#fu-title-${first}`)).toBe('预约咨询跟进：排污许可');
    await page.fill(`#fu-owner-${first}`, '环评科');
    await page.click(`#follow-up-${first} button[type=submit]`);

    // Assess
    const done = page.locator(`#follow-up-${first} .notice`);
    await done.waitFor({ state: 'visible' });
    expect(await done.innerText()).toContain('已创建跟进事项');
    const items = await call('GET', `/api/staff/ledger-items?uscc=${usccs[0]}`, lead);
    expect((items.body as { items: { source: string; sourceRef: string }[] }).items).toContainEqual(
      expect.objectContaining({ source: 'booking', sourceRef: first }),
    );
    await shot('day-follow-up-zh-desk');
  });

  it('on the day: a recorded attendance changes only with a reason', async () => {
    const second = codes[1] as string;
    await row(second).locator('button[data-attendance=no_show]').click();
    await expect.poll(() => row(second).getAttribute('data-status')).toBe('no_show');

    // Act: change without a reason, then with one.
    await row(second).locator('button[data-change-attendance]').click();
    const form = row(second).locator('form.attendance-change');
    await form.waitFor({ state: 'visible' });
    await form.locator('select[name=status]').selectOption('attended');
    await form.locator('button[type=submit]').click();
    expect(await form.locator('textarea[name=reason]').getAttribute('aria-invalid')).toBe('true');
    expect(await row(second).getAttribute('data-status')).toBe('no_show');
    expect(await axeViolations(page)).toEqual([]);
    await shot('day-change-reason-zh-desk');
    await form.locator('textarea[name=reason]').fill('企业代表迟到二十分钟，误登记为未到场');
    await form.locator('button[type=submit]').click();

    // Assess
    await expect.poll(() => row(second).getAttribute('data-status')).toBe('attended');
    const audit = await call('GET', `/api/staff/audit?entity=${encodeURIComponent(`booking:${second}`)}`, lead);
    expect(JSON.stringify(audit.body)).toContain('企业代表迟到二十分钟');
    await shot('day-changed-zh-desk');
  });
});
