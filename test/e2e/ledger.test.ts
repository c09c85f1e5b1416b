import { join } from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { OutboxEntry } from '../../shared/outbox.ts';
import { shanghaiDate } from '../../shared/time.ts';
import { cspWatch, deskSize, phoneSize, productClient } from '../support/e2e.ts';
import { waitForOutbox } from '../support/outbox.ts';
import { axeViolations, type Product, SHOTS, startProduct } from '../support/product.ts';
import { distinctUsccs } from '../support/uscc.ts';

// The service ledger pages, as `npm start` runs the product: the Wuzhong lead raises an item for a firm
// on the board; the Wuzhong liaison, on a 360-pixel phone, starts work and resolves it on the item page;
// the firm's link is read from the local outbox and answered "solved" on the public confirmation page
// (a phone); the lead sees the item closed, and the link, opened again, says it is used. A second item,
// reopened and resolved again the same day, sends the firm nothing more, and its earlier link says it
// is for an earlier resolution.
// Screenshots go to test-results/screenshots/ledger-*.png.
const shots = SHOTS;
let product: Product;
let url: string;
let browser: Browser;
let desk: BrowserContext;
let page: Page;
let phoneContext: BrowserContext;
let mobile: Page;
let firmContext: BrowserContext;
let firmPage: Page;
const { call, apiSignIn, signIn } = productClient(() => url);
/** What the browser refused under the page's Content-Security-Policy (nothing must be). */
const { blocked, watchCsp } = cspWatch();

const [uscc, otherUscc] = distinctUsccs(2) as [string, string];
const firmName = '苏州澄湖精细化工有限公司';
const title = '危废暂存间改造是否需要重新环评';
const resolution = '经核实，暂存间改造不涉及产能变化，无需重新环评，已电话告知并发送书面答复。';
let itemId = '';
let confirmLink = '';

const firm = (code: string, name: string, email?: string) => ({
  uscc: code,
  name,
  county: '320506',
  address: '苏州市吴中区临湖镇银藏路 18 号',
  industry: '精细化工',
  size: 'small',
  tier: 'county',
  contacts: [{ name: '陈经理', role: '环保负责人', mobile: '13912345678', ...(email ? { email } : {}) }],
});

beforeAll(async () => {
  product = await startProduct('eco-e2e-ledger-');
  ({ url, browser } = product);
  for (const who of ['lead.wuzhong', 'liaison.wuzhong']) await apiSignIn(who);
  expect(
    (await call('POST', '/api/staff/enterprises', 'lead.wuzhong', firm(uscc, firmName, 'chen@chenghu-chem.example')))
      .status,
  ).toBe(201);
  expect(
    (await call('POST', '/api/staff/enterprises', 'lead.wuzhong', firm(otherUscc, '吴中太湖纺织有限公司'))).status,
  ).toBe(201);
  // The Wuzhong liaison serves the firm: a liaison acts only on the ledger of its own pairings' firms.
  expect(
    (
      await call('POST', '/api/staff/pairings', 'lead.wuzhong', {
        uscc,
        liaison: 'liaison.wuzhong',
        serviceYear: 2026,
        startsOn: '2026-01-01',
      })
    ).status,
  ).toBe(201);
  // An overdue item, so the board shows one in red.
  const overdue = await call('POST', '/api/staff/ledger-items', 'lead.wuzhong', {
    uscc: otherUscc,
    title: '废水排放口标识牌缺失',
    detail: '走访发现雨水排放口标识牌缺失，需督促企业补设。',
    source: 'contact',
    severity: 'high',
    dueOn: shanghaiDate(new Date(Date.now() - 3 * 86_400_000)),
    ownerDepartment: '执法大队',
  });
  expect(overdue.status).toBe(201);
  desk = await browser.newContext(deskSize);
  page = await desk.newPage();
  phoneContext = await browser.newContext(phoneSize);
  mobile = await phoneContext.newPage();
  firmContext = await browser.newContext(phoneSize);
  firmPage = await firmContext.newPage();
  for (const p of [page, mobile, firmPage]) watchCsp(p);
});

afterAll(async () => {
  await product?.stop();
});

describe('staff console: the service ledger', () => {
  it('lets the lead raise an item on the board, which shows it in the collected column', async () => {
    await signIn(page, 'lead.wuzhong');
    await page.goto(`${url}/staff/ledger/`);
    await page.locator('#new-item-form').waitFor({ state: 'visible' });
    await page.locator('.ledger-column').first().waitFor({ state: 'visible' });
    // The overdue item is red, with its due date.
    const late = page.locator('.ledger-card.ledger-overdue').first();
    expect(await late.innerText()).toContain('已逾期');
    expect(await axeViolations(page)).toEqual([]);

    // An empty submit is caught inline, with focus on the error summary.
    await page.click('#new-item-form button[type=submit]');
    await page.locator('#item-errors').waitFor({ state: 'visible' });
    expect(await page.evaluate(() => document.activeElement?.id)).toBe('item-errors');
    expect(await page.getAttribute('#item-uscc', 'aria-invalid')).toBe('true');
    expect(await axeViolations(page)).toEqual([]);

    await page.fill('#item-uscc', uscc.toLowerCase());
    await page.fill('#item-title', title);
    await page.fill(
      '#item-detail',
      '企业计划改造危险废物暂存间（面积由 20 平方米扩至 35 平方米），询问是否需要重新办理环评手续。',
    );
    await page.selectOption('#item-source', 'request');
    await page.selectOption('#item-severity', 'medium');
    await page.fill('#item-owner', '环评科');
    await page.click('#new-item-form button[type=submit]');
    await page.locator('#ledger-status a').waitFor({ state: 'visible' });
    expect(await page.locator('#item-errors').isVisible()).toBe(false);
    const card = page.locator('.ledger-column[data-state=collected] .ledger-card', { hasText: title });
    await card.waitFor({ state: 'visible' });
    itemId = (await card.getAttribute('data-item-id')) as string;
    expect(itemId).toMatch(/^[a-f0-9-]{36}$/);
    expect(await card.innerText()).toContain(firmName);
    expect(await card.innerText()).toContain('环评科');
    await page.screenshot({ path: join(shots, 'ledger-board-zh-desk.png'), fullPage: true });

    // The filters narrow the board (and the lead's view in English works too).
    await page.goto(`${url}/en/staff/ledger/?overdue=true`);
    await page.locator('.ledger-column').first().waitFor({ state: 'visible' });
    expect(await page.locator('.ledger-card').count()).toBe(1);
    expect(await page.locator('#ledger-board').innerText()).toContain('Overdue');
    expect(await axeViolations(page)).toEqual([]);
    await page.screenshot({ path: join(shots, 'ledger-board-en-overdue-desk.png'), fullPage: true });
  });

  it('lets the liaison on a phone start work and resolve the item on the item page', async () => {
    await signIn(mobile, 'liaison.wuzhong');
    await mobile.goto(`${url}/staff/ledger/`);
    const card = mobile.locator(`.ledger-card[data-item-id="${itemId}"]`);
    await card.waitFor({ state: 'visible' });
    // The columns stack on a phone: nothing wider than the screen.
    expect(await mobile.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(360);
    await mobile.screenshot({ path: join(shots, 'ledger-board-zh-phone.png'), fullPage: true });
    await card.locator('a').click();
    await mobile.waitForURL(/\/staff\/ledger\/item\/\?id=/);
    await mobile.locator('#item-view').waitFor({ state: 'visible' });
    expect(await mobile.locator('#item-heading').innerText()).toBe(title);
    // A liaison may only start work on a collected item (no hand-over or cancel).
    expect(
      await mobile.locator('.ledger-move').evaluateAll((els) => els.map((e) => (e as HTMLElement).dataset.to)),
    ).toEqual(['in_progress']);
    expect(await axeViolations(mobile)).toEqual([]);

    const start = mobile.locator('.ledger-move[data-to=in_progress]');
    await start.locator('summary').click();
    // A note is required: the empty submit marks it and focuses it.
    await start.locator('button[type=submit]').click();
    expect(await mobile.evaluate(() => document.activeElement?.id)).toBe('move-in_progress-note');
    expect(await mobile.getAttribute('#move-in_progress-note', 'aria-invalid')).toBe('true');
    await mobile.fill('#move-in_progress-note', '已联系企业，约定下周现场查看暂存间。');
    await start.locator('button[type=submit]').click();
    await expect.poll(() => mobile.locator('#item-state').innerText()).toBe('办理中');
    expect(await mobile.evaluate(() => document.activeElement?.id)).toBe('item-status');

    const resolve = mobile.locator('.ledger-move[data-to=resolved]');
    await resolve.locator('summary').click();
    await mobile.fill('#move-resolved-note', resolution);
    await mobile.screenshot({ path: join(shots, 'ledger-item-resolving-zh-phone.png'), fullPage: true });
    await resolve.locator('button[type=submit]').click();
    await expect.poll(() => mobile.locator('#item-state').innerText()).toBe('已办结');
    // The staff are told the firm has been sent its link.
    expect(await mobile.locator('#item-status').innerText()).toContain('已向企业发送办结确认链接');
    const history = mobile.locator('#item-history li');
    expect(await history.count()).toBe(3);
    expect(await history.last().innerText()).toContain('办理中 → 已办结');
    // Who moved it, by name (the answer carries it); the username is not shown.
    expect(await history.last().innerText()).toContain('吴中区联络员 Wuzhong liaison');
    expect(await history.last().innerText()).not.toContain('liaison.wuzhong');
    expect(await mobile.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(360);
    expect(await axeViolations(mobile)).toEqual([]);
    await mobile.screenshot({ path: join(shots, 'ledger-item-resolved-zh-phone.png'), fullPage: true });
  });

  it('lets the firm answer "solved" once on the public page (a phone); the item is closed for the lead', async () => {
    // Sent after the resolve, by the deliveries function (rule 11).
    const about = (e: OutboxEntry) => e.channel === 'email' && e.subject.includes(title);
    const outbox = await waitForOutbox((entries) => entries.some(about), { url });
    const mail = outbox.filter(about).at(-1) as Extract<OutboxEntry, { channel: 'email' }> | undefined;
    expect(mail?.to).toEqual(['chen@chenghu-chem.example']);
    const match = /(\/ledger\/confirm\/#[A-Za-z0-9_-]{32})/.exec(mail?.text ?? '');
    expect(match).not.toBeNull();
    confirmLink = `${url}${match?.[1]}`;

    // Reading the page changes nothing: the item stays resolved.
    await firmPage.goto(confirmLink);
    await firmPage.locator('#confirm-view').waitFor({ state: 'visible' });
    expect(await firmPage.locator('#confirm-facts').innerText()).toContain(title);
    expect(await firmPage.locator('#confirm-facts').innerText()).toContain(resolution);
    expect(await firmPage.locator('#confirm-facts').innerText()).toContain(firmName);
    const still = (await call('GET', `/api/staff/ledger-items/${itemId}`, 'lead.wuzhong')).body?.item as {
      state: string;
    };
    expect(still.state).toBe('resolved');
    expect(await firmPage.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(360);
    expect(await axeViolations(firmPage)).toEqual([]);
    await firmPage.screenshot({ path: join(shots, 'ledger-confirm-zh-phone.png'), fullPage: true });

    await firmPage.fill('#confirm-comment', '已收到书面答复，谢谢。');
    await firmPage.click('#confirm-yes');
    await firmPage.locator('#confirm-done').waitFor({ state: 'visible' });
    expect(await firmPage.locator('#confirm-done').innerText()).toContain('已销号');
    expect(await firmPage.locator('#confirm-form').isVisible()).toBe(false);
    expect(await axeViolations(firmPage)).toEqual([]);
    await firmPage.screenshot({ path: join(shots, 'ledger-confirm-done-zh-phone.png'), fullPage: true });

    await page.goto(`${url}/staff/ledger/item/?id=${itemId}`);
    await page.locator('#item-view').waitFor({ state: 'visible' });
    expect(await page.locator('#item-state').innerText()).toBe('已销号');
    expect(await page.locator('#item-history li').last().innerText()).toContain('已收到书面答复');
    expect(await page.locator('#moves-list').innerText()).toContain('不再办理');
    expect(await axeViolations(page)).toEqual([]);
    await page.screenshot({ path: join(shots, 'ledger-item-closed-zh-desk.png'), fullPage: true });
  });

  it('says a used link is used, in either language', async () => {
    const again = await firmContext.newPage();
    await again.goto(confirmLink);
    await again.locator('#confirm-gone').waitFor({ state: 'visible' });
    expect(await again.locator('#confirm-gone').innerText()).toContain('已使用或已过期');
    expect(await again.locator('#confirm-view').isVisible()).toBe(false);
    expect(await axeViolations(again)).toEqual([]);
    await again.screenshot({ path: join(shots, 'ledger-confirm-used-zh-phone.png'), fullPage: true });
    await again.goto(confirmLink.replace('/ledger/confirm/', '/en/ledger/confirm/'));
    await again.locator('#confirm-gone').waitFor({ state: 'visible' });
    expect(await again.locator('#confirm-gone').innerText()).toContain('used or expired');
    expect(blocked).toEqual([]);
  });

  it('tells a tab holding a stale version to reload; the firm’s link of the earlier resolution is void', async () => {
    // A second item of the firm, resolved (the firm is mailed its link), open in a tab.
    const otherTitle = '危废标签样式更新咨询';
    let other = (
      await call('POST', '/api/staff/ledger-items', 'lead.wuzhong', {
        uscc,
        title: otherTitle,
        detail: '企业询问危险废物标签新样式的启用时间。',
        source: 'request',
        severity: 'low',
        dueOn: shanghaiDate(new Date(Date.now() + 20 * 86_400_000)),
        ownerDepartment: '固废科',
      })
    ).body?.item as { itemId: string; version: number };
    for (const to of ['in_progress', 'resolved']) {
      const res = await call('POST', `/api/staff/ledger-items/${other.itemId}/transitions`, 'liaison.wuzhong', {
        to,
        note: '已电话答复企业。',
        version: other.version,
      });
      expect(res.status).toBe(200);
      other = res.body?.item as typeof other;
    }
    const aboutOther = (e: OutboxEntry) => e.channel === 'email' && e.subject.includes(otherTitle);
    const outbox = await waitForOutbox((entries) => entries.some(aboutOther), { url });
    const mail = outbox.filter(aboutOther).at(-1) as Extract<OutboxEntry, { channel: 'email' }> | undefined;
    const earlierLink = /(\/ledger\/confirm\/#[A-Za-z0-9_-]{32})/.exec(mail?.text ?? '')?.[1] ?? '';
    expect(earlierLink).not.toBe('');
    await page.goto(`${url}/staff/ledger/item/?id=${other.itemId}`);
    await page.locator('#item-view').waitFor({ state: 'visible' });
    // Someone else moves it back meanwhile and then resolves it again (the version moves on by two);
    // the firm was messaged about it today already, so nothing is sent again.
    expect(
      (
        await call('POST', `/api/staff/ledger-items/${other.itemId}/transitions`, 'liaison.wuzhong', {
          to: 'in_progress',
          note: '企业补充了材料，继续办理。',
          version: other.version,
        })
      ).status,
    ).toBe(200);
    const again = await call('POST', `/api/staff/ledger-items/${other.itemId}/transitions`, 'liaison.wuzhong', {
      to: 'resolved',
      note: '已书面答复企业。',
      version: other.version + 1,
    });
    expect(again.status).toBe(200);
    expect(again.body?.confirmation).toBe('alreadyMessagedToday');
    const close = page.locator('.ledger-move[data-to=closed]');
    await close.locator('summary').click();
    await page.fill('#move-closed-note', '企业电话确认已解决。');
    // Closing without the firm needs an override reason.
    await close.locator('button[type=submit]').click();
    expect(await page.evaluate(() => document.activeElement?.id)).toBe('move-closed-reason');
    await page.fill('#move-closed-reason', '企业无法打开链接，电话确认。');
    await close.locator('button[type=submit]').click();
    await page.locator('#conflict-message').waitFor({ state: 'visible' });
    expect(await page.evaluate(() => document.activeElement?.id)).toBe('conflict-message');
    expect(await axeViolations(page)).toEqual([]);
    await page.screenshot({ path: join(shots, 'ledger-item-conflict-zh-desk.png'), fullPage: true });
    await page.click('#conflict-reload');
    await page.locator('#conflict-message').waitFor({ state: 'hidden' });
    expect(await page.locator('#item-history li').count()).toBe(5);

    // The link the firm got for the earlier resolution says so, and offers nothing to answer.
    const stale = await firmContext.newPage();
    watchCsp(stale);
    await stale.goto(`${url}${earlierLink}`);
    await stale.locator('#confirm-gone').waitFor({ state: 'visible' });
    expect(await stale.locator('#confirm-gone').innerText()).toContain('已失效');
    expect(await stale.locator('#confirm-view').isVisible()).toBe(false);
    expect(await axeViolations(stale)).toEqual([]);
    await stale.screenshot({ path: join(shots, 'ledger-confirm-superseded-zh-phone.png'), fullPage: true });
    await stale.close();
  });
});
