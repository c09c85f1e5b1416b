import { join } from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_TEMPLATE } from '../../shared/checkups.ts';
import type { OutboxEntry } from '../../shared/outbox.ts';
import { shanghaiDate } from '../../shared/time.ts';
import { cspWatch, deskSize, productClient } from '../support/e2e.ts';
import { waitForOutbox } from '../support/outbox.ts';
import { axeViolations, type Product, phone, SHOTS, startProduct } from '../support/product.ts';
import { distinctUsccs } from '../support/uscc.ts';

// Issue 16, self-inspection on a phone (390 × 844): a firm signed in by SMS code (the code read from
// the outbox) answers the current template, is told what it missed, submits once, and sees what its
// liaison made of the failed item; the liaison accepts it from the suggestions page onto the ledger;
// the firm asks for an on-site check-up once. Screenshots zh/en: test-results/screenshots/self-inspection-*.png.
let product: Product;
let url: string;
let browser: Browser;
let firmContext: BrowserContext;
let firmPhone: Page;
let deskContext: BrowserContext;
let desk: Page;
const { call, apiSignIn, signIn } = productClient(() => url);
const { blocked, watchCsp } = cspWatch();
const [uscc] = distinctUsccs(1) as [string];
const mobile = '13862019876';
const failNote = '危废暂存间没有防渗漏托盘';

/** A firm token through the SMS sign-in, with the code the SMS stand-in received. */
const firmSignIn = async () => {
  const codes = (entries: OutboxEntry[]) =>
    entries.filter((e) => e.channel === 'sms' && e.to === `+86${mobile}` && e.text.includes('验证码'));
  expect((await call('POST', '/api/public/firm-sign-in/start', undefined, { uscc, mobile })).status).toBe(202);
  const entries = await waitForOutbox((all) => codes(all).length > 0, { url, timeoutMs: 10_000 });
  const code = /验证码为 (\d{6})/.exec(codes(entries).at(-1)?.text ?? '')?.[1] ?? '';
  const verified = await call('POST', '/api/public/firm-sign-in/verify', undefined, { uscc, mobile, code });
  expect(verified.status).toBe(200);
  return verified.body as { token: string; expiresAt: string };
};

beforeAll(async () => {
  product = await startProduct('eco-e2e-self-inspection-');
  ({ url, browser } = product);
  await apiSignIn('lead.wuzhong');
  const created = await call('POST', '/api/staff/enterprises', 'lead.wuzhong', {
    uscc,
    name: '苏州吴中恒达涂装有限公司',
    county: '320506',
    address: '苏州市吴中区甪直镇凌港路 6 号',
    industry: '金属表面处理及热处理加工',
    size: 'small',
    tier: 'county',
    contacts: [{ name: '钱经理', role: '安环主管', mobile }],
  });
  expect(created.status).toBe(201);
  const paired = await call('POST', '/api/staff/pairings', 'lead.wuzhong', {
    uscc,
    liaison: 'liaison.wuzhong',
    serviceYear: Number(shanghaiDate(new Date()).slice(0, 4)),
    startsOn: '2026-01-01',
  });
  expect(paired.status).toBe(201);
  const session = await firmSignIn();
  firmContext = await browser.newContext({ ...phone, locale: 'zh-CN' });
  // The firm sign-in's session in the tab (sessionStorage `eco.firm.session`), before any script runs.
  await firmContext.addInitScript((value) => {
    if (!sessionStorage.getItem('eco.firm.session')) sessionStorage.setItem('eco.firm.session', value);
  }, JSON.stringify(session));
  firmPhone = await firmContext.newPage();
  deskContext = await browser.newContext(deskSize);
  desk = await deskContext.newPage();
  for (const p of [firmPhone, desk]) watchCsp(p);
}, 120_000);

afterAll(async () => {
  await product?.stop();
});

describe('a firm’s self-inspection on its phone', () => {
  it('sends a firm without a session to the firm sign-in', async () => {
    const context = await browser.newContext({ ...phone, locale: 'zh-CN' });
    try {
      const p = await context.newPage();
      await p.goto(`${url}/firm/self-inspection/`);
      await p.waitForURL(/\/firm\/sign-in\/\?next=%2Ffirm%2Fself-inspection%2F/);
    } finally {
      await context.close();
    }
  });

  it('names the items left unanswered, then submits the answers once with the failed item for the liaison', async () => {
    await firmPhone.goto(`${url}/firm/self-inspection/`);
    await firmPhone.locator('#self-form').waitFor({ state: 'visible', timeout: 15_000 });
    expect(await firmPhone.locator('.self-item').count()).toBe(DEFAULT_TEMPLATE.items.length);

    // Sent with nothing answered: every item is named, nothing is sent.
    await firmPhone.locator('#self-submit').tap();
    await firmPhone.locator('#self-errors').waitFor({ state: 'visible' });
    expect(await firmPhone.locator('#self-errors li').count()).toBe(DEFAULT_TEMPLATE.items.length);

    for (const item of DEFAULT_TEMPLATE.items) {
      const result = item.itemId === 'F4' ? 'fail' : item.itemId === 'R4' ? 'na' : 'pass';
      await firmPhone.locator(`label[for="result-${item.itemId}-${result}"]`).tap();
    }
    await firmPhone.locator('#note-F4').fill(failNote);
    expect(await firmPhone.locator('#self-progress').innerText()).toContain('14 / 14');
    expect(await axeViolations(firmPhone)).toEqual([]);
    await firmPhone.screenshot({ path: join(SHOTS, 'self-inspection-form-zh-phone.png'), fullPage: true });

    await firmPhone.locator('#self-submit').tap();
    await firmPhone.locator('#self-done').waitFor({ state: 'visible', timeout: 15_000 });
    expect(await firmPhone.locator('#self-done').innerText()).toContain('1 项不符合已发送给您的联络员确认');
    await expect
      .poll(() => firmPhone.locator('#self-history-list').innerText(), { timeout: 15_000 })
      .toContain('待联络员确认');
    await firmPhone.screenshot({ path: join(SHOTS, 'self-inspection-done-zh-phone.png'), fullPage: true });
  });

  it('lets the liaison accept the suggestion onto the ledger, which the firm then reads', async () => {
    await signIn(desk, 'liaison.wuzhong');
    await desk.goto(`${url}/staff/ledger/suggestions/`);
    const card = desk.locator('#suggest-list li.card');
    await card.first().waitFor({ state: 'visible', timeout: 15_000 });
    expect(await card.count()).toBe(1);
    expect(await card.first().innerText()).toContain(failNote);
    await desk.screenshot({ path: join(SHOTS, 'self-inspection-suggestions-zh-desk.png'), fullPage: true });
    await card.first().getByRole('button', { name: '采纳，纳入台账', exact: true }).click();
    await desk.locator('#suggest-status a').waitFor({ state: 'visible', timeout: 15_000 });
    expect(await desk.locator('#suggest-list li.card').count()).toBe(0);

    await firmPhone.reload();
    await expect
      .poll(() => firmPhone.locator('#self-history-list').innerText(), { timeout: 15_000 })
      .toContain('已纳入服务台账');
  });

  it('asks for an on-site check-up once', async () => {
    await firmPhone.locator('#self-request-note').fill('新增一条喷涂线，想请专家上门看看');
    await firmPhone.locator('#self-request-submit').tap();
    await expect
      .poll(() => firmPhone.locator('#self-request-status').innerText(), { timeout: 15_000 })
      .toContain('申请已提交');
    await firmPhone.reload();
    await expect
      .poll(() => firmPhone.locator('#self-request-status').innerText(), { timeout: 15_000 })
      .toContain('您已于');
    expect(await firmPhone.locator('#self-request-form').isVisible()).toBe(false);
  });

  it('reads the same in English', async () => {
    await firmPhone.goto(`${url}/en/firm/self-inspection/`);
    await firmPhone.locator('#self-form').waitFor({ state: 'visible', timeout: 15_000 });
    expect(await firmPhone.locator('.self-item').first().innerText()).toContain('Meets');
    await expect
      .poll(() => firmPhone.locator('#self-history-list').innerText(), { timeout: 15_000 })
      .toContain('On your service ledger');
    expect(await axeViolations(firmPhone)).toEqual([]);
    await firmPhone.screenshot({ path: join(SHOTS, 'self-inspection-form-en-phone.png'), fullPage: true });
    expect(blocked).toEqual([]);
  });
});
