import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BOOKING_CODE } from '../../shared/booking-code.ts';
import { shanghaiDate } from '../../shared/time.ts';
import { holdCodeSentTo } from '../support/bookings.ts';
import { fetchOutbox, waitForOutbox } from '../support/outbox.ts';
import { axeViolations, type Product, phone, SHOTS, startProduct } from '../support/product.ts';
import { distinctUsccs, randomUscc } from '../support/uscc.ts';

// A firm books a consultation-day slot on a phone-sized public page, as `npm start` runs the product:
// a lead publishes a day through the staff API, the firm picks the slot, fills the form, types the
// code the SMS stand-in received (issue 16: an anonymous booking is a 10-minute hold until then),
// gets its booking code, downloads the .ics and cancels; loses its code, finds it again by USCC,
// mobile and SMS code, and moves the booking; a signed-in firm books with no code and no retyping.
// Screenshots go to test-results/screenshots/booking-*.png.
const shots = SHOTS;
let product: Product;
let url: string;
let browser: Browser;
let dayId: string;
let slotId: string;
const later = 's2';
const [rosterUscc] = distinctUsccs(1) as [string];
const rosterName = '苏州吴中恒信表面处理有限公司';
const rosterMobile = '13912347777';
let staffToken: string;

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
      slots: [
        { startsAt: `${date}T09:00:00+08:00`, endsAt: `${date}T10:00:00+08:00`, capacity: 2 },
        { startsAt: `${date}T10:00:00+08:00`, endsAt: `${date}T11:00:00+08:00`, capacity: 3 },
      ],
    },
    token,
  );
  staffToken = token;
  expect(created.status, JSON.stringify(created.body)).toBe(201);
  const day = created.body?.day as { dayId: string; slots: { slotId: string }[] };
  dayId = day.dayId;
  slotId = day.slots[0]?.slotId as string;
  expect(dayId).toBeTruthy();
  expect(slotId).toBeTruthy();
  expect(day.slots[1]?.slotId).toBe(later);
});

afterAll(async () => {
  await product?.stop();
});

const newPage = async (): Promise<Page> => (await browser.newContext(phone)).newPage();

const focusedId = (page: Page) => page.evaluate(() => document.activeElement?.id ?? '');

/** Opens the list and the form for the test's slot. */
const openSlot = async (page: Page, prefix = '') => {
  await page.goto(`${url}${prefix}/consultation-days/`);
  // The demo's own days are listed too, with the same slot ids: the test's day names its seat.
  const slot = page.locator(`#days button[data-day-id="${dayId}"][data-slot-id="${slotId}"]`);
  await slot.waitFor({ state: 'visible' });
  return slot;
};

/** On the booking page's code step: types the code texted to `mobile` (the `index`th) and confirms. */
const typeHoldCode = async (page: Page, mobile: string, index: number) => {
  await page.locator('#verify').waitFor({ state: 'visible' });
  await page.fill('#sms-code', await holdCodeSentTo(mobile, index, url));
  await page.click('#verify-submit');
  await page.locator('#verify').waitFor({ state: 'hidden' });
};

/** How many booking codes were texted to `mobile` so far (the index of the next one). */
const codesSentTo = async (mobile: string) =>
  (await fetchOutbox(url)).filter((e) => e.channel === 'sms' && e.to === `+86${mobile}` && /预约验证码为/.test(e.text))
    .length;

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

    const sent = await codesSentTo('13812345678');
    await page.click('#booking-form button[type=submit]');
    await page.waitForURL(/\/consultation-days\/booking\/\?code=/);
    const code = new URL(page.url()).searchParams.get('code') ?? '';
    expect(code).toMatch(BOOKING_CODE);
    const status = page.locator('#booking-status');
    await status.waitFor({ state: 'visible' });
    expect(await page.locator('#booking-code').textContent()).toBe(code);

    // The code step: the seat held 10 minutes, the code field a phone fills from the text message,
    // the resend button waiting 60 s with its countdown; a wrong code is told next to the field.
    expect(await status.getAttribute('data-status')).toBe('pending');
    await page.locator('#verify').waitFor({ state: 'visible' });
    expect(await focusedId(page)).toBe('verify-title');
    expect(await page.getAttribute('#sms-code', 'autocomplete')).toBe('one-time-code');
    expect(await page.getAttribute('#sms-code', 'inputmode')).toBe('numeric');
    expect(await page.locator('#verify-hold').innerText()).toMatch(
      /座位为您保留至 \d\d:\d\d（北京时间），还剩 \d+:\d\d/,
    );
    expect(await page.locator('#verify-sent').innerText()).toContain('138');
    expect(await page.locator('#resend-code').isDisabled()).toBe(true);
    expect(await page.locator('#resend-code').innerText()).toMatch(/\d+ 秒后可重新发送/);
    expect(await page.locator('#booking-actions').isVisible()).toBe(false);
    await page.screenshot({ path: join(shots, 'booking-code-step-zh-phone.png'), fullPage: true });
    expect(await axeViolations(page)).toEqual([]);
    const smsCode = await holdCodeSentTo('13812345678', sent, url);
    await page.fill('#sms-code', smsCode === '000000' ? '111111' : '000000');
    await page.click('#verify-submit');
    await page.locator('#sms-code-error').waitFor({ state: 'visible' });
    expect(await page.locator('#sms-code-error').innerText()).toContain('验证码不正确');
    expect(await page.getAttribute('#sms-code', 'aria-invalid')).toBe('true');
    await typeHoldCode(page, '13812345678', sent);
    await page.locator('#booking-status[data-status="confirmed"]').waitFor();
    expect(await page.locator('#booking-banner').innerText()).toContain('预约成功');
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
  it('books, loses the code, finds it again by USCC, mobile and SMS code, and moves the booking keeping the code', async () => {
    // Prepare: booked and verified on a phone; the page (and its code) is then lost.
    const mobile = '13822223333';
    const uscc = randomUscc();
    const booker = await newPage();
    await (await openSlot(booker, '/en')).click();
    await booker.locator('#booking-form').waitFor({ state: 'visible' });
    await fillForm(booker, uscc, mobile);
    const sent = await codesSentTo(mobile);
    await booker.click('#booking-form button[type=submit]');
    await booker.waitForURL(/\/en\/consultation-days\/booking\/\?code=/);
    const code = new URL(booker.url()).searchParams.get('code') ?? '';
    await booker.locator('#verify').waitFor({ state: 'visible' });
    expect(await booker.locator('#verify-hold').innerText()).toMatch(
      /held until \d\d:\d\d \(Beijing time\), \d+:\d\d left/,
    );
    expect(await booker.locator('#resend-code').innerText()).toMatch(/New code possible in \d+ s/);
    await booker.screenshot({ path: join(shots, 'booking-code-step-en-phone.png'), fullPage: true });
    await typeHoldCode(booker, mobile, sent);
    await booker.locator('#booking-status[data-status="confirmed"]').waitFor();
    await booker.context().close();

    // Act: find my booking, in English, without the code.
    const page = await newPage();
    await page.goto(`${url}/en/consultation-days/booking/`);
    await page.fill('#recover-uscc', uscc.toLowerCase());
    await page.fill('#recover-mobile', '123');
    await page.click('#recover-start');
    expect(await page.locator('#recover-mobile-error').innerText()).toContain('11-digit');
    await page.fill('#recover-mobile', mobile);
    const before = await codesSentTo(mobile);
    await page.click('#recover-start');
    await page.locator('#recover-step').waitFor({ state: 'visible' });
    expect(await page.locator('#recover-sent').innerText()).toContain('If the firm has bookings');
    expect(await page.getAttribute('#recover-code', 'autocomplete')).toBe('one-time-code');
    await page.fill('#recover-code', await holdCodeSentTo(mobile, before, url));
    await page.click('#recover-verify');
    const found = page.locator(`#recover-list li[data-code="${code}"]`);
    await found.waitFor({ state: 'visible' });
    expect(await found.innerText()).toContain('Confirmed');
    await page.screenshot({ path: join(shots, 'booking-recovered-en-phone.png'), fullPage: true });
    expect(await axeViolations(page)).toEqual([]);
    await found.locator('a').click();
    await page.waitForURL(new RegExp(`\\?code=${code}$`));
    await page.locator('#booking-status[data-status="confirmed"]').waitFor();

    // Act: move it to the later slot.
    await page.click('#move-booking');
    const target = page.locator(`#move-slots button[data-day-id="${dayId}"][data-slot-id="${later}"]`);
    await target.waitFor({ state: 'visible' });
    expect(await page.locator(`#move-slots button[data-day-id="${dayId}"][data-slot-id="${slotId}"]`).count()).toBe(0);
    await page.screenshot({ path: join(shots, 'booking-move-en-phone.png'), fullPage: true });
    expect(await axeViolations(page)).toEqual([]);
    await target.click();

    // Assess: the same code, the new time, on screen and after a reload.
    const message = page.locator('#booking-message');
    await message.waitFor({ state: 'visible' });
    expect(await message.innerText()).toContain('Your booking code stays the same');
    expect(await page.locator('#booking-code').textContent()).toBe(code);
    expect(await page.locator('#booking-facts').innerText()).toContain('10:00–11:00');
    await page.screenshot({ path: join(shots, 'booking-moved-en-phone.png'), fullPage: true });
    await page.reload();
    await page.locator('#booking-status[data-status="confirmed"]').waitFor();
    expect(await page.locator('#booking-facts').innerText()).toContain('10:00–11:00');
    await page.context().close();
  });

  it('opens the resend after 60 s and says a hold ran out when its 10 minutes pass on screen, with a way to book again', async () => {
    // Prepare: the page's clock is the test's, so ten minutes pass at once.
    const mobile = '13833334444';
    const uscc = randomUscc();
    const page = await newPage();
    await page.clock.install();
    await (await openSlot(page)).click();
    await page.locator('#booking-form').waitFor({ state: 'visible' });
    await fillForm(page, uscc, mobile);
    await page.click('#booking-form button[type=submit]');
    await page.locator('#verify').waitFor({ state: 'visible' });
    // The resend button opens once its 60 s have passed.
    expect(await page.locator('#resend-code').isDisabled()).toBe(true);
    await page.clock.fastForward('01:01');
    await expect.poll(() => page.locator('#resend-code').isDisabled()).toBe(false);
    expect(await page.locator('#resend-code').innerText()).toBe('重新发送验证码');

    // Act
    await page.clock.fastForward('09:00');

    // Assess
    const expired = page.locator('#expired');
    await expired.waitFor({ state: 'visible' });
    expect(await expired.innerText()).toContain('座位保留已超过 10 分钟');
    expect(await page.locator('#verify').isVisible()).toBe(false);
    expect(await expired.locator('a').getAttribute('href')).toBe('/consultation-days/');
    expect(await page.locator('#booking-status').getAttribute('data-status')).toBe('expired');
    await page.screenshot({ path: join(shots, 'booking-expired-zh-phone.png'), fullPage: true });
    expect(await axeViolations(page)).toEqual([]);
    await page.context().close();
  });

  it('lets a signed-in firm book as itself: no firm fields to type and no code, and lists it on its record', async () => {
    // Prepare: a firm on the roster signs in (its code from the outbox); its tab keeps the token.
    const added = await json(
      '/api/staff/enterprises',
      {
        uscc: rosterUscc,
        name: rosterName,
        county: '320506',
        address: '苏州市吴中区木渎镇金山路 8 号',
        industry: '金属表面处理',
        size: 'small',
        tier: 'county',
        contacts: [{ name: '钱工', role: '安环主管', mobile: rosterMobile }],
      },
      staffToken,
    );
    expect(added.status, JSON.stringify(added.body)).toBe(201);
    expect((await json('/api/public/firm-sign-in/start', { uscc: rosterUscc, mobile: rosterMobile })).status).toBe(202);
    const entries = await waitForOutbox(
      (all) => all.some((e) => e.channel === 'sms' && e.to === `+86${rosterMobile}`),
      { url },
    );
    const signInCode = /验证码为 (\d{6})/.exec(
      entries.filter((e) => e.channel === 'sms' && e.to === `+86${rosterMobile}`).at(-1)?.text ?? '',
    )?.[1];
    const signedIn = await json('/api/public/firm-sign-in/verify', {
      uscc: rosterUscc,
      mobile: rosterMobile,
      code: signInCode,
    });
    expect(signedIn.status, JSON.stringify(signedIn.body)).toBe(200);
    const context = await browser.newContext(phone);
    await context.addInitScript(
      (session) => sessionStorage.setItem('eco.firm.session', session),
      JSON.stringify({ token: signedIn.body?.token, expiresAt: signedIn.body?.expiresAt }),
    );
    const page = await context.newPage();
    const codesBefore = await codesSentTo(rosterMobile);

    // Act
    await (await openSlot(page)).click();
    await page.locator('#booking-form').waitFor({ state: 'visible' });
    const note = page.locator('#firm-note');
    await expect.poll(() => note.innerText()).toContain(rosterName);
    expect(await note.innerText()).toContain(rosterUscc);
    for (const field of ['uscc', 'companyName', 'contactName', 'mobile']) {
      expect(await page.locator(`#${field}`).isVisible(), field).toBe(false);
    }
    await page.selectOption('#topic', '环评审批');
    await page.fill('#question', '我公司拟新增一条电镀线，环评需要重新报批还是做变更说明？');
    await page.check('#consent');
    await page.screenshot({ path: join(shots, 'booking-firm-form-zh-phone.png'), fullPage: true });
    expect(await axeViolations(page)).toEqual([]);
    await page.click('#booking-form button[type=submit]');

    // Assess: confirmed at once, with no code step and no code texted.
    await page.waitForURL(/\/consultation-days\/booking\/\?code=/);
    const code = new URL(page.url()).searchParams.get('code') ?? '';
    await page.locator('#booking-status[data-status="confirmed"]').waitFor();
    expect(await page.locator('#verify').isVisible()).toBe(false);
    expect(await page.locator('#booking-facts').innerText()).toContain(rosterName);
    expect(await codesSentTo(rosterMobile)).toBe(codesBefore);
    await page.screenshot({ path: join(shots, 'booking-firm-confirmed-zh-phone.png'), fullPage: true });

    // Its record lists the booking, its status in words and a link to its page.
    await page.goto(`${url}/firm/`);
    const row = page.locator(`#firm-bookings li[data-code="${code}"]`);
    await row.waitFor({ state: 'visible' });
    expect(await row.innerText()).toContain('已确认');
    expect(await row.locator('a').getAttribute('href')).toBe(`/consultation-days/booking/?code=${code}`);
    await row.scrollIntoViewIfNeeded();
    await page.screenshot({ path: join(shots, 'booking-firm-record-zh-phone.png') });
    await context.close();
  });
});
