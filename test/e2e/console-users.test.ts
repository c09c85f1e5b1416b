import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cspWatch, deskSize, phoneSize, productClient } from '../support/e2e.ts';
import { axeViolations, type Product, SHOTS, startProduct } from '../support/product.ts';

/**
 * The staff-accounts page's account lifecycle (issue 14): a city lead edits an account below it,
 * disables one after confirming, sees it disabled, and finds no Edit on accounts it may not manage.
 */
let product: Product;
let url: string;
let browser: Browser;
const { token, call, apiSignIn, signIn } = productClient(() => url);
const { blocked, watchCsp } = cspWatch();

beforeAll(async () => {
  product = await startProduct('eco-users-e2e-');
  url = product.url;
  browser = product.browser;
  await apiSignIn('lead.wuzhong');
});

afterAll(async () => {
  await product?.stop();
});

const openUsers = async (page: Page, path = '/staff/users/') => {
  watchCsp(page);
  await signIn(page, 'lead.suzhou');
  await page.goto(`${url}${path}`);
  await page.locator('#users-list tr[data-username="liaison.wuzhong"]').waitFor();
};

describe('editing staff accounts in the console', () => {
  it('offers Edit only on accounts below the caller, and saves a new name and mobile', async () => {
    // Prepare
    const context = await browser.newContext(deskSize);
    const page = await context.newPage();
    await openUsers(page);

    // Act
    const ownRow = page.locator('#users-list tr[data-username="lead.suzhou"]');
    const below = page.locator('#users-list tr[data-username="lead.wuzhong"]');
    await below.getByRole('button').click();
    await page.fill('#edit-display-name', '吴中区联系领导（改）');
    await page.fill('#edit-mobile', '13912340000');
    await page.click('#edit-user-form button[type=submit]');
    await page.locator('#users-status').waitFor({ state: 'visible' });

    // Assess
    expect(await ownRow.getByRole('button').count()).toBe(1); // its own name and mobile only
    expect(await below.innerText()).toContain('13912340000');
    expect(await below.innerText()).toContain('吴中区联系领导（改）');
    await context.close();
  });

  it('disables an account only after confirming, shows it disabled, and the API refuses its token', async () => {
    // Prepare
    const context = await browser.newContext(deskSize);
    const page = await context.newPage();
    await openUsers(page);
    const row = page.locator('#users-list tr[data-username="lead.wuzhong"]');

    // Act
    await row.getByRole('button').click();
    await page.click('#edit-toggle');
    await page.locator('#edit-confirm').waitFor({ state: 'visible' });
    await page.screenshot({ path: join(SHOTS, 'users-disable-confirm-zh-desk.png'), fullPage: true });
    const beforeConfirm = await call('GET', '/api/staff/me', 'lead.wuzhong');
    await page.click('#edit-confirm-yes');
    await page.locator('#users-list tr[data-username="lead.wuzhong"][data-enabled="false"]').waitFor();
    const afterConfirm = await call('GET', '/api/staff/me', 'lead.wuzhong');

    // Assess
    expect(beforeConfirm.status).toBe(200);
    expect(afterConfirm.status).toBe(401);
    expect(afterConfirm.body).toMatchObject({ error: { code: 'ACCOUNT_DISABLED' } });
    expect(await row.innerText()).toContain('已停用');
    expect(await axeViolations(page)).toEqual([]);
    await page.screenshot({ path: join(SHOTS, 'users-disabled-zh-desk.png'), fullPage: true });
    await context.close();
  });

  it('takes a unit by its name: offers the places of the caller’s subtree, keeps the code', async () => {
    // Prepare
    const context = await browser.newContext(deskSize);
    const page = await context.newPage();
    await openUsers(page);
    const field = page.locator('#user-jurisdiction');

    // Act: a Suzhou lead types part of a county's name and leaves the field without choosing.
    const offered = await page
      .locator('#user-jurisdiction-places option')
      .evaluateAll((options) => options.map((o) => (o as HTMLOptionElement).value));
    await field.fill('相城');
    await field.blur();
    await expect.poll(() => field.inputValue()).toBe('320507');
    const shown = await page.locator('#user-jurisdiction-name').innerText();
    // A name that fits two places stays as typed, for the person to choose.
    await field.fill('区');
    await field.blur();

    // Assess
    expect(offered).toEqual(['320500', '320506', '320507']);
    expect(shown).toContain('相城区');
    expect(await field.inputValue()).toBe('区');
    expect(await axeViolations(page)).toEqual([]);
    await context.close();
  });

  it('works on a phone in English: the edit form fits and saves', async () => {
    // Prepare
    const context = await browser.newContext({ ...phoneSize, locale: 'en' });
    const page = await context.newPage();
    await openUsers(page, '/en/staff/users/');

    // Act
    await page.locator('#users-list tr[data-username="liaison.xiangcheng"]').getByRole('button').click();
    await page.fill('#edit-mobile', '13800001111');
    await page.screenshot({ path: join(SHOTS, 'users-edit-en-phone.png'), fullPage: true });
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth > window.innerWidth);
    await page.click('#edit-user-form button[type=submit]');
    await page.locator('#users-status').waitFor({ state: 'visible' });

    // Assess
    expect(overflow).toBe(false);
    expect(await page.locator('#users-status').innerText()).toContain('saved');
    expect(blocked).toEqual([]);
    expect(token['lead.wuzhong']).toBeDefined();
    await context.close();
  });
});
