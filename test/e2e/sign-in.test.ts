import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import AxeBuilder from '@axe-core/playwright';
import { type Browser, chromium, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ROOT } from '../../infra/local/runtime.ts';
import { javaUsing, startCli } from '../support/cli.ts';

// The product as `npm start` runs it (built site, real handlers, DynamoDB Local, issuer),
// driven in headless Chromium as a person on a phone would use it.
const shots = join(ROOT, 'test-results', 'screenshots');
let dataDir: string;
let cli: Awaited<ReturnType<typeof startCli>>;
let url: string;
let browser: Browser;

const phone = { viewport: { width: 390, height: 844 }, deviceScaleFactor: 2, isMobile: true, hasTouch: true };

beforeAll(async () => {
  mkdirSync(shots, { recursive: true });
  dataDir = mkdtempSync(join(tmpdir(), 'eco-e2e-'));
  cli = await startCli(dataDir);
  url = await cli.url;
  browser = await chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--no-first-run',
    ],
  });
});

afterAll(async () => {
  await browser?.close();
  if (cli) {
    cli.child.kill('SIGINT');
    await cli.exited;
    expect(javaUsing(dataDir)).toBe(false);
  }
  rmSync(dataDir, { recursive: true, force: true });
});

const newPage = async (): Promise<Page> => (await browser.newContext(phone)).newPage();

const axeViolations = async (page: Page) => {
  const result = await new AxeBuilder({ page }).analyze();
  return result.violations.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`);
};

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
