import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { axeViolations, type Product, phone, SHOTS, startProduct } from '../support/product.ts';

// The product as `npm start` runs it (built site, real handlers, DynamoDB Local, issuer),
// driven in headless Chromium as a person on a phone would use it.
const shots = SHOTS;
let product: Product;
let url: string;
let browser: Browser;

beforeAll(async () => {
  product = await startProduct('eco-e2e-');
  ({ url, browser } = product);
});

afterAll(async () => {
  await product?.stop();
});

const newPage = async (): Promise<Page> => (await browser.newContext(phone)).newPage();

describe('home page', () => {
  it('shows the product in Chinese with the live service status, and switches to English', async () => {
    const page = await newPage();
    await page.goto(`${url}/`);
    await expect.poll(() => page.locator('#health').innerText()).toMatch(/0\.1\.0/);
    expect(await page.getAttribute('html', 'lang')).toBe('zh-CN');
    await page.screenshot({ path: join(shots, 'home-zh-phone.png'), fullPage: true });
    expect(await axeViolations(page)).toEqual([]);
    await page.click('a[data-lang-switch]');
    await page.waitForURL(/\/en\/?$/);
    expect(await page.getAttribute('html', 'lang')).toBe('en');
    await page.screenshot({ path: join(shots, 'home-en-phone.png'), fullPage: true });
    await page.context().close();
  });
});

describe('staff sign-in', () => {
  it('signs in as lead.wuzhong and shows who that is', async () => {
    const page = await newPage();
    await page.goto(`${url}/staff/sign-in/`);
    expect(await axeViolations(page)).toEqual([]);
    await page.fill('#username', 'lead.wuzhong');
    await page.fill('#password', 'demo');
    await page.click('#sign-in-form button[type=submit]');
    const me = page.locator('#me');
    await me.waitFor({ state: 'visible' });
    expect(await me.locator('[data-field=username]').innerText()).toContain('lead.wuzhong');
    expect(await me.locator('[data-field=jurisdiction]').innerText()).toContain('吴中区');
    expect(await me.locator('[data-field=role]').innerText()).toContain('联系领导');
    await page.screenshot({ path: join(shots, 'me-zh-phone.png'), fullPage: true });
    expect(await axeViolations(page)).toEqual([]);

    // A reload keeps the session; signing out returns to the form.
    await page.reload();
    await me.waitFor({ state: 'visible' });
    await page.click('#sign-out');
    await page.locator('#sign-in-form').waitFor({ state: 'visible' });
    expect(await page.evaluate(() => sessionStorage.getItem('eco.token'))).toBeNull();
    await page.context().close();
  });

  it('tells a wrong password in the page language and moves focus to the message', async () => {
    const page = await newPage();
    await page.goto(`${url}/en/staff/sign-in/`);
    await page.fill('#username', 'lead.wuzhong');
    await page.fill('#password', 'wrong');
    await page.click('#sign-in-form button[type=submit]');
    const error = page.locator('#sign-in-error');
    await error.waitFor({ state: 'visible' });
    expect((await error.innerText()).length).toBeGreaterThan(0);
    expect(await page.evaluate(() => document.activeElement?.id)).toBe('sign-in-error');
    expect(await page.locator('#me').isVisible()).toBe(false);
    await page.screenshot({ path: join(shots, 'sign-in-error-en-phone.png'), fullPage: true });
    await page.context().close();
  });

  it('drops a forged stored token (the API answers 401) and shows the form', async () => {
    const page = await newPage();
    await page.goto(`${url}/staff/sign-in/`);
    await page.evaluate(() => sessionStorage.setItem('eco.token', 'eyJhbGciOiJub25lIn0.eyJzdWIiOiJ4In0.'));
    await page.reload();
    await page.locator('#sign-in-form').waitFor({ state: 'visible' });
    await expect.poll(() => page.evaluate(() => sessionStorage.getItem('eco.token'))).toBeNull();
    expect(await page.locator('#me').isVisible()).toBe(false);
    await page.context().close();
  });
});
