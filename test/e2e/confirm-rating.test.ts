import { mkdirSync } from 'node:fs';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { OutboxEntry } from '../../shared/outbox.ts';
import { cspWatch, phoneSize, productClient } from '../support/e2e.ts';
import { uploadEvidence } from '../support/evidence.ts';
import { waitForOutbox } from '../support/outbox.ts';
import { axeViolations, type Product, startProduct } from '../support/product.ts';
import { distinctUsccs } from '../support/uscc.ts';

// Issue 16, the confirmation page on a phone: "not solved" asks for the reason and a second tap before
// it reopens the item (nothing is sent without a reason); "solved" closes it and asks for a rating
// (好差评), which is stored once. The page shows the resolution and the photo attached at resolve.
// Screenshots (zh and en) go to /tmp/ratings-shots/.
const shots = '/tmp/ratings-shots';
let product: Product;
let url: string;
let browser: Browser;
let context: BrowserContext;
let firmPage: Page;
const { token, call, apiSignIn } = productClient(() => url);
const { blocked, watchCsp } = cspWatch();
const [uscc] = distinctUsccs(1) as [string];
const email = 'zhou@taihu-dye.example';

interface Item {
  itemId: string;
  version: number;
}

/** An item raised, taken on and resolved (with a photo when given); answers its confirmation link. */
const resolvedWithLink = async (title: string, evidenceIds: string[] = []) => {
  const raised = await call('POST', '/api/staff/ledger-items', 'lead.wuzhong', {
    uscc,
    title,
    detail: '企业反映厂区雨水排口在暴雨时有异味，请求核查。',
    source: 'request',
    severity: 'medium',
    dueOn: '2026-12-31',
    ownerDepartment: '水环境科',
  });
  expect(raised.status).toBe(201);
  let item = raised.body?.item as Item;
  for (const [to, note, files] of [
    ['in_progress', '已安排现场核查', []],
    ['resolved', '已疏通雨污管网并封堵错接管道，复测无异味。', evidenceIds],
  ] as const) {
    const moved = await call('POST', `/api/staff/ledger-items/${item.itemId}/transitions`, 'lead.wuzhong', {
      to,
      note,
      version: item.version,
      ...(files.length > 0 ? { evidenceIds: files } : {}),
    });
    expect(moved.status).toBe(200);
    item = moved.body?.item as Item;
  }
  const mail = (e: OutboxEntry) => e.channel === 'email' && e.to.includes(email) && e.subject.includes(title);
  const sent = (await waitForOutbox((entries) => entries.some(mail), { url })).find(mail);
  const path = /(\/ledger\/confirm\/#[A-Za-z0-9_-]{32})/.exec(sent?.channel === 'email' ? sent.text : '')?.[1];
  expect(path).toBeDefined();
  return { item, path: path as string };
};

beforeAll(async () => {
  mkdirSync(shots, { recursive: true });
  product = await startProduct('eco-e2e-rating-');
  ({ url, browser } = product);
  await apiSignIn('lead.wuzhong');
  expect(
    (
      await call('POST', '/api/staff/enterprises', 'lead.wuzhong', {
        uscc,
        name: '苏州太湖印染有限公司',
        county: '320506',
        address: '苏州市吴中区胥口镇 6 号',
        industry: '印染',
        size: 'medium',
        tier: 'county',
        contacts: [{ name: '周经理', mobile: '13912348888', email }],
      })
    ).status,
  ).toBe(201);
  context = await browser.newContext(phoneSize);
  firmPage = await context.newPage();
  watchCsp(firmPage);
});

afterAll(async () => {
  await product?.stop();
});

describe('the confirmation page on a phone', () => {
  it('"not solved" needs a reason and a second tap, then reopens the item', async () => {
    // Prepare
    const { item, path } = await resolvedWithLink('雨水排口异味');
    await firmPage.goto(`${url}${path}`);
    await firmPage.locator('#confirm-view').waitFor({ state: 'visible' });
    expect(await firmPage.locator('#confirm-facts').innerText()).toContain('复测无异味');

    // Act: "not solved" with no reason, then confirm without one.
    await firmPage.click('#confirm-no');
    await firmPage.locator('#confirm-not-solved').waitFor({ state: 'visible' });
    await firmPage.screenshot({ path: `${shots}/confirm-not-solved-zh-phone.png`, fullPage: true });
    await firmPage.click('#confirm-no-submit');

    // Assess: asked for the reason; nothing was sent (the item is still resolved).
    await firmPage.locator('#confirm-reason-error').waitFor({ state: 'visible' });
    expect(await firmPage.getAttribute('#confirm-reason', 'aria-invalid')).toBe('true');
    expect(await axeViolations(firmPage)).toEqual([]);
    const still = await call('GET', `/api/staff/ledger-items/${item.itemId}`, 'lead.wuzhong');
    expect((still.body?.item as { state: string } | undefined)?.state).toBe('resolved');

    // Act: the reason, and the confirmation.
    await firmPage.fill('#confirm-reason', '暴雨后异味仍然存在，雨水井内仍有积水。');
    await firmPage.click('#confirm-no-submit');

    // Assess
    await firmPage.locator('#confirm-done').waitFor({ state: 'visible' });
    expect(await firmPage.locator('#confirm-done').innerText()).toContain('退回继续办理');
    expect(await firmPage.locator('#confirm-rating').isVisible()).toBe(false);
    const reopened = (await call('GET', `/api/staff/ledger-items/${item.itemId}`, 'lead.wuzhong')).body?.item as {
      state: string;
      history: { note: string }[];
    };
    expect(reopened.state).toBe('in_progress');
    expect(reopened.history.at(-1)?.note).toBe('暴雨后异味仍然存在，雨水井内仍有积水。');
  });

  it('"solved" shows the fix’s photo, closes the item and asks for a rating, stored once', async () => {
    // Prepare: resolved with a photo.
    const photo = await uploadEvidence(url, token['lead.wuzhong'] ?? '', { fileName: '封堵后的雨水井.png' });
    const { item, path } = await resolvedWithLink('雨水井错接', [photo]);
    await firmPage.goto(`${url}${path}`);
    await firmPage.locator('#confirm-view').waitFor({ state: 'visible' });
    const img = firmPage.locator('.confirm-photos img');
    await img.waitFor({ state: 'visible' });
    expect(await img.getAttribute('alt')).toContain('封堵后的雨水井.png');
    await firmPage.screenshot({ path: `${shots}/confirm-zh-phone.png`, fullPage: true });

    // Act: solved, then four stars with a comment.
    await firmPage.click('#confirm-yes');
    await firmPage.locator('#confirm-rating').waitFor({ state: 'visible' });
    expect(await firmPage.locator('#confirm-done').innerText()).toContain('已销号');
    await firmPage.click('#confirm-rating button[type=submit]');
    await firmPage.locator('#confirm-rating-stars-error').waitFor({ state: 'visible' });
    await firmPage.locator('#confirm-rating .rating-star').nth(3).click();
    await firmPage.fill('#confirm-rating-comment', '处理及时，感谢。');
    await firmPage.screenshot({ path: `${shots}/confirm-rating-zh-phone.png`, fullPage: true });
    expect(await axeViolations(firmPage)).toEqual([]);
    await firmPage.click('#confirm-rating button[type=submit]');

    // Assess: thanked; the item is closed and rated four stars, once.
    await firmPage.locator('#confirm-rating .rating-done').waitFor({ state: 'visible' });
    expect(await firmPage.locator('#confirm-rating .rating-done').innerText()).toContain('4 星');
    await firmPage.screenshot({ path: `${shots}/confirm-rated-zh-phone.png`, fullPage: true });
    const rated = (await call('GET', `/api/staff/ledger-items/${item.itemId}`, 'lead.wuzhong')).body?.item as {
      state: string;
      rating: { stars: number; comment: string };
    };
    expect(rated.state).toBe('closed');
    expect(rated.rating).toMatchObject({ stars: 4, comment: '处理及时，感谢。' });
    expect(blocked).toEqual([]);
  });

  it('speaks English at /en/, phone first', async () => {
    const { path } = await resolvedWithLink('雨水管网清淤');
    await firmPage.goto(`${url}${path.replace('/ledger/confirm/', '/en/ledger/confirm/')}`);
    await firmPage.locator('#confirm-view').waitFor({ state: 'visible' });
    await firmPage.click('#confirm-no');
    expect(await firmPage.locator('#confirm-not-solved').innerText()).toContain('What is still wrong');
    await firmPage.screenshot({ path: `${shots}/confirm-not-solved-en-phone.png`, fullPage: true });
    await firmPage.click('#confirm-back');
    await firmPage.click('#confirm-yes');
    await firmPage.locator('#confirm-rating').waitFor({ state: 'visible' });
    await firmPage.locator('#confirm-rating .rating-star').nth(1).click();
    await firmPage.screenshot({ path: `${shots}/confirm-rating-en-phone.png`, fullPage: true });
    await firmPage.click('#confirm-rating button[type=submit]');
    await firmPage.locator('#confirm-rating .rating-done').waitFor({ state: 'visible' });
    expect(await firmPage.locator('#confirm-rating .rating-done').innerText()).toContain('call you back');
  });
});
