import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { shanghaiMonth } from '../../shared/time.ts';
import { pairWuzhongFirms, phoneAndDesk, productClient } from '../support/e2e.ts';
import { axeViolations, type Product, SHOTS, startProduct } from '../support/product.ts';
import { distinctUsccs } from '../support/uscc.ts';

// The annual service items (issue 19) as `npm start` runs the product: a liaison on a phone ticks the
// items a visit counts under, the Wuzhong lead reads the work per item and category (送政策、送技术、
// 送服务) on a desktop, and the admin adds an item to the catalogue, which the phone offers at once.
let product: Product;
let url: string;
let phonePage: Page;
let deskPage: Page;
let closePages: () => Promise<void>;
const { call, apiSignIn, signIn } = productClient(() => url);
/** A signed-in user's display name, as `GET /api/staff/me` answers it. */
const displayNameOf = async (who: string) =>
  ((await call('GET', '/api/staff/me', who)).body as { me?: { displayName?: string } } | null)?.me?.displayName;
const [uscc] = distinctUsccs(1) as [string];
let pairingId = '';

beforeAll(async () => {
  product = await startProduct('eco-e2e-service-items-');
  url = product.url;
  await apiSignIn('lead.wuzhong');
  const pairings = await pairWuzhongFirms(call, shanghaiMonth(new Date()), [[uscc, '服务事项走访测试企业']]);
  pairingId = pairings[uscc] ?? '';
  ({ phonePage, deskPage, close: closePages } = await phoneAndDesk(product.browser));
}, 120_000);

afterAll(async () => {
  await closePages?.();
  await product?.stop();
});

describe('service items', () => {
  it('lets a liaison tick the items a visit counts under on a phone, at most five', async () => {
    // Prepare
    await signIn(phonePage, 'liaison.wuzhong');
    await phonePage.goto(`${url}/staff/pairings/contact/?id=${pairingId}`);
    const tags = phonePage.locator('#contact-tags');
    await tags.locator('input[value=S01]').waitFor({ state: 'visible' });

    // Act
    await phonePage.check('input[name=mode][value=visit]');
    await phonePage.fill('#contact-participants', '王经理');
    await phonePage.fill('#contact-summary', '上门宣讲排污许可新规，指导企业申领许可证。');
    for (const id of ['S01', 'S03', 'S06', 'S09', 'S11']) await tags.locator(`input[value=${id}]`).check();

    // Assess: a sixth waits disabled, and the box says why
    expect(await tags.locator('input[value=S14]').isDisabled()).toBe(true);
    expect(await tags.locator('.tag-full').innerText()).toContain('5');
    await tags.locator('input[value=S11]').uncheck();
    expect(await tags.locator('input[value=S14]').isDisabled()).toBe(false);
    expect(await axeViolations(phonePage)).toEqual([]);
    await tags.screenshot({ path: `${SHOTS}/service-items-contact-phone.png` });
    await phonePage.click('#contact-form button[type=submit]');
    await phonePage.locator('#contact-result').waitFor({ state: 'visible' });
    const contacts = await call('GET', `/api/staff/pairings/${pairingId}/contacts`, 'lead.wuzhong');
    const saved = (contacts.body?.contacts as { serviceItems?: string[] }[] | undefined)?.[0];
    expect(saved?.serviceItems).toEqual(['S01', 'S03', 'S06', 'S09']);
  });

  it('shows the lead the work per item and per category on a desktop', async () => {
    // Act
    await signIn(deskPage, 'lead.wuzhong');
    await deskPage.goto(`${url}/staff/service-items/`);
    const body = deskPage.locator('#stats-body table');
    await body.waitFor({ state: 'visible' });

    // Assess: S01 and S03 are policy (2 contacts), S06 and S09 technology (2), none service
    const rowOf = (label: string) => deskPage.locator('#stats-body tr', { hasText: label }).first();
    expect(await rowOf('送政策').innerText()).toMatch(/送政策 · 小计\s+2\s+0/);
    expect(await rowOf('送技术').innerText()).toMatch(/送技术 · 小计\s+2\s+0/);
    expect(await rowOf('送服务').innerText()).toMatch(/送服务 · 小计\s+0\s+0/);
    expect(await rowOf('S03').innerText()).toMatch(/\s1\s+0$/);
    expect(await deskPage.locator('#catalogue-actions').isVisible()).toBe(false);
    expect(await axeViolations(deskPage)).toEqual([]);
    await deskPage.screenshot({ path: `${SHOTS}/service-items-stats-desk.png`, fullPage: true });
  });

  it('lets the admin add an item and retire one; the phone offers the new one and not the retired', async () => {
    // Prepare
    await signIn(deskPage, 'admin');
    await deskPage.goto(`${url}/staff/service-items/`);
    await deskPage.locator('#catalogue-rows tr').nth(13).waitFor({ state: 'visible' });

    // Act
    await deskPage.click('#catalogue-add');
    const added = deskPage.locator('#catalogue-rows tr').last();
    await added.locator('input[type=text]').first().fill('企业开放日');
    await added.locator('input[type=text]').last().fill('Open days');
    await deskPage.locator('#catalogue-rows tr[data-id=S05] input[type=checkbox]').check();
    await deskPage.click('#catalogue-save');

    // Assess
    await expect.poll(() => deskPage.locator('#catalogue-status').innerText()).toContain('已保存');
    // The person by name, not the username, and no internal version number (issue 18).
    const adminName = String(await displayNameOf('admin'));
    await expect.poll(() => deskPage.locator('#catalogue-version').innerText()).toContain(adminName);
    const changed = await deskPage.locator('#catalogue-version').innerText();
    expect(changed).not.toMatch(/第 \d+ 版|\badmin\b/);
    await phonePage.goto(`${url}/staff/pairings/contact/?id=${pairingId}`);
    const tags = phonePage.locator('#contact-tags');
    await tags.locator('input[value=S15]').waitFor({ state: 'visible' });
    expect(await tags.locator('label', { hasText: '企业开放日' }).count()).toBe(1);
    expect(await tags.locator('input[value=S05]').count()).toBe(0);
  });
});
