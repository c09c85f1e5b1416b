import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { shanghaiMonth } from '../../shared/time.ts';
import { phoneAndDesk, productClient } from '../support/e2e.ts';
import { axeViolations, type Product, SHOTS, startProduct } from '../support/product.ts';
import { distinctUsccs } from '../support/uscc.ts';

// Industrial parks and firm types (issue 19) as `npm start` runs the product: the Wuzhong lead keeps
// the county's parks on a desktop, adds a firm with its types and park on a phone, sees them in the
// roster, and reads the compliance of one park.
let product: Product;
let url: string;
let phonePage: Page;
let deskPage: Page;
let closePages: () => Promise<void>;
const { signIn } = productClient(() => url);
const [uscc] = distinctUsccs(1) as [string];
const parkName = `木渎测试园区${uscc.slice(-3)}`;

beforeAll(async () => {
  product = await startProduct('eco-e2e-parks-');
  url = product.url;
  ({ phonePage, deskPage, close: closePages } = await phoneAndDesk(product.browser));
}, 120_000);

afterAll(async () => {
  await closePages?.();
  await product?.stop();
});

describe('parks and firm types', () => {
  it('a county lead adds a park to its county’s list', async () => {
    // Prepare
    await signIn(deskPage, 'lead.wuzhong');
    await deskPage.goto(`${url}/staff/parks/?county=320506`);
    await deskPage.locator('#parks-actions').waitFor({ state: 'visible' });
    // Act
    await deskPage.click('#parks-add');
    await deskPage.locator('#parks-rows tr:last-child input[type=text]').fill(parkName);
    await deskPage.click('#parks-save');
    // Assess
    await expect.poll(() => deskPage.locator('#parks-status').innerText()).toContain('已保存');
    expect(await deskPage.locator('#parks-rows tr:last-child .mono').innerText()).toMatch(/^320506-P\d{3}$/);
    expect(await axeViolations(deskPage)).toEqual([]);
    await deskPage.screenshot({ path: `${SHOTS}/parks-desk.png`, fullPage: true });
  });

  it('a firm added on a phone carries its types and park, and the roster shows them', async () => {
    // Prepare
    await signIn(phonePage, 'lead.wuzhong');
    await phonePage.goto(`${url}/staff/enterprises/#new-firm`);
    const form = phonePage.locator('#new-firm-form');
    await form.locator('#new-park option', { hasText: parkName }).waitFor({ state: 'attached' });
    // Act
    await form.locator('#new-uscc').fill(uscc);
    await form.locator('#new-name').fill('园区类型测试有限公司');
    await form.locator('#new-county').selectOption('320506');
    await form.locator('#new-size').selectOption('small');
    await form.locator('#new-tier').selectOption('county');
    await form.locator('input[name=types][value=key_discharger]').check();
    await form.locator('input[name=types][value=eagle_action]').check();
    await form.locator('#new-park').selectOption({ label: parkName });
    await form.locator('#new-industry').fill('电镀');
    await form.locator('#new-address').fill('吴中区木渎镇金山路 1 号');
    await form.locator('.contact-row input[data-contact=name]').first().fill('王经理');
    await form.locator('.contact-row input[data-contact=mobile]').first().fill('13900001234');
    expect(await axeViolations(phonePage)).toEqual([]);
    await form.screenshot({ path: `${SHOTS}/parks-firm-form-phone.png` });
    await form.locator('button[type=submit]').click();
    // Assess
    await phonePage.getByText('已新增“园区类型测试有限公司”').waitFor();
    await phonePage.goto(`${url}/staff/enterprises/?q=${uscc}`);
    const line = phonePage.locator(`tr[data-uscc="${uscc}"] .firm-tags`);
    await expect.poll(() => line.innerText()).toContain(parkName);
    expect(await line.innerText()).toContain('重点排污单位、雄鹰行动');
    await phonePage.screenshot({ path: `${SHOTS}/parks-roster-phone.png`, fullPage: true });
  });

  it('the compliance page narrows a county to one park', async () => {
    // Act
    await deskPage.goto(`${url}/staff/compliance/?month=${shanghaiMonth(new Date())}&jurisdiction=320506`);
    await deskPage.locator('#compliance-park-field').waitFor({ state: 'visible' });
    await deskPage.locator('#compliance-park').selectOption({ label: parkName });
    await deskPage.click('#compliance-filters button[type=submit]');
    // Assess
    await expect.poll(() => deskPage.locator('#compliance-title').innerText()).toContain(parkName);
    expect(new URL(deskPage.url()).searchParams.get('park')).toMatch(/^320506-P\d{3}$/);
    expect(await axeViolations(deskPage)).toEqual([]);
    await deskPage.screenshot({ path: `${SHOTS}/parks-compliance-desk.png`, fullPage: true });
  });

  it('the ledger statistics narrow a county to one park, and the park stays in the address', async () => {
    // Act
    await deskPage.goto(`${url}/staff/ledger-stats/?jurisdiction=320506`);
    await deskPage.locator('#stats-park-field').waitFor({ state: 'visible' });
    await deskPage.locator('#stats-park').selectOption({ label: parkName });
    await deskPage.click('#stats-filters button[type=submit]');
    // Assess: the heading names the park, the units below the county are gone, a reload keeps it.
    await expect.poll(() => deskPage.locator('#stats-title').innerText()).toContain(parkName);
    const park = new URL(deskPage.url()).searchParams.get('park');
    expect(park).toMatch(/^320506-P\d{3}$/);
    await deskPage.reload();
    await expect.poll(() => deskPage.locator('#stats-title').innerText()).toContain(parkName);
    expect(await deskPage.locator('#stats-park').inputValue()).toBe(park);
    expect(await axeViolations(deskPage)).toEqual([]);
    await deskPage.screenshot({ path: `${SHOTS}/parks-ledger-stats-desk.png`, fullPage: true });
  });
});
