import { join } from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_TEMPLATE } from '../../shared/checkups.ts';
import type { OutboxEntry } from '../../shared/outbox.ts';
import { cspWatch, deskSize, phoneSize, productClient } from '../support/e2e.ts';
import { uploadSignature } from '../support/evidence.ts';
import { fetchOutbox, waitForOutbox } from '../support/outbox.ts';
import { png } from '../support/png.ts';
import { axeViolations, type Product, SHOTS, startProduct } from '../support/product.ts';
import { distinctUsccs } from '../support/uscc.ts';

// The firm's door on a phone (issue 16), as `npm start` runs the product: the firm signs in with its
// credit code, its contact mobile and the code the SMS stand-in received; its record shows its
// liaison with a tap-to-call link and the explanation staff gave on its ledger item; it raises a
// difficulty with a photo; the liaison finds it on its board. Screenshots, zh and en, go to
// test-results/screenshots/firm-*.png.
let product: Product;
let url: string;
let browser: Browser;
let firmContext: BrowserContext;
let firmPage: Page;
const { call, apiSignIn, signIn, token } = productClient(() => url);
const { blocked, watchCsp } = cspWatch();
const [uscc] = distinctUsccs(1) as [string];
const mobile = '13912346666';
const liaisonMobile = '13800138000';
const difficulty = '雨水排口旁发现油污，请帮助排查';

beforeAll(async () => {
  product = await startProduct('eco-e2e-firm-door-');
  ({ url, browser } = product);
  await apiSignIn('lead.wuzhong');
  expect(
    (
      await call('POST', '/api/staff/enterprises', 'lead.wuzhong', {
        uscc,
        name: '苏州太湖精密五金有限公司',
        county: '320506',
        address: '苏州市吴中区胥口镇孙武路 18 号',
        industry: '金属表面处理',
        size: 'small',
        tier: 'county',
        contacts: [{ name: '周工', role: '安环主管', mobile }],
      })
    ).status,
  ).toBe(201);
  const users = (await call('GET', '/api/staff/users', 'lead.wuzhong')).body?.users as {
    username: string;
    version: number;
  }[];
  const liaison = users.find((u) => u.username === 'liaison.wuzhong');
  expect(
    (
      await call('PATCH', '/api/staff/users/liaison.wuzhong', 'lead.wuzhong', {
        version: liaison?.version,
        mobile: liaisonMobile,
      })
    ).status,
  ).toBe(200);
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
  const item = (
    await call('POST', '/api/staff/ledger-items', 'lead.wuzhong', {
      uscc,
      title: '危废贮存间标识不规范',
      detail: '走访发现危废贮存间标识不全，需按新标准补设。',
      source: 'contact',
      severity: 'medium',
      dueInWorkingDays: 10,
      ownerDepartment: '固废科',
    })
  ).body?.item as { itemId: string; version: number };
  expect(
    (
      await call('POST', `/api/staff/ledger-items/${item.itemId}/transitions`, 'lead.wuzhong', {
        to: 'in_progress',
        note: '已安排固废科下周现场核查',
        version: item.version,
      })
    ).status,
  ).toBe(200);
  // A submitted check-up of the firm, one item failed with the inspector's note.
  const checkup = (
    await call('POST', '/api/staff/checkups', 'lead.wuzhong', {
      uscc,
      at: '2026-11-10T09:30:00+08:00',
      inspectors: ['王工'],
    })
  ).body?.checkup as { checkupId: string };
  const answers = {
    ...Object.fromEntries(DEFAULT_TEMPLATE.items.map((i) => [i.itemId, { result: 'pass' }])),
    M3: { result: 'fail', note: '排污许可证已过期' },
  };
  await call('PATCH', `/api/staff/checkups/${checkup.checkupId}`, 'lead.wuzhong', { version: 1, answers });
  expect(
    (
      await call('POST', `/api/staff/checkups/${checkup.checkupId}/submit`, 'lead.wuzhong', {
        version: 2,
        signature: await uploadSignature(url, token['lead.wuzhong'] ?? ''),
      })
    ).status,
  ).toBe(200);
  firmContext = await browser.newContext(phoneSize);
  firmPage = await firmContext.newPage();
  watchCsp(firmPage);
});

afterAll(async () => {
  await product?.stop();
});

describe('the firm’s door on a phone', () => {
  it('signs the firm in with the code from the outbox and shows its liaison with a tap-to-call link', async () => {
    // Prepare
    await firmPage.goto(`${url}/`);
    await firmPage.click('a[href="/firm/sign-in/"]');
    await firmPage.locator('#firm-start').waitFor({ state: 'visible' });
    expect(await axeViolations(firmPage)).toEqual([]);

    // Act: a wrong mobile format is caught on the page; then the real one.
    await firmPage.fill('#firm-uscc', uscc);
    await firmPage.fill('#firm-mobile', '123');
    await firmPage.click('#firm-send');
    expect(await firmPage.locator('#firm-mobile-error').innerText()).toContain('11 位手机号');
    await firmPage.fill('#firm-mobile', mobile);
    await firmPage.click('#firm-send');
    await firmPage.locator('#firm-verify').waitFor({ state: 'visible' });
    // The resend waits 60 s, counted down on the button.
    expect(await firmPage.locator('#firm-send').isDisabled()).toBe(true);
    expect(await firmPage.locator('#firm-send').innerText()).toMatch(/\d+ 秒后可重新获取/);
    const entries = await waitForOutbox(
      (all) => all.some((e) => e.channel === 'sms' && e.to === `+86${mobile}` && e.text.includes('验证码')),
      { url },
    );
    const code = /验证码为 (\d{6})/.exec(
      entries.filter((e) => e.channel === 'sms' && e.to === `+86${mobile}`).at(-1)?.text ?? '',
    )?.[1];
    // A wrong code says so, next to the field.
    await firmPage.fill('#firm-code', code === '000000' ? '111111' : '000000');
    await firmPage.click('#firm-verify-button');
    await firmPage.locator('#firm-code-error').waitFor({ state: 'visible' });
    expect(await firmPage.locator('#firm-code-error').innerText()).toContain('验证码不正确');
    await firmPage.screenshot({ path: join(SHOTS, 'firm-sign-in-zh.png'), fullPage: true });
    await firmPage.fill('#firm-code', code ?? '');
    await firmPage.click('#firm-verify-button');

    // Assess
    await firmPage.waitForURL(`${url}/firm/`);
    await firmPage.locator('#firm-view').waitFor({ state: 'visible' });
    expect(await firmPage.locator('#firm-name').innerText()).toBe('苏州太湖精密五金有限公司');
    const tel = firmPage.locator(`#firm-liaisons a[href="tel:${liaisonMobile}"]`);
    expect(await tel.count()).toBe(1);
    const open = await firmPage.locator('#firm-open').innerText();
    expect(open).toContain('危废贮存间标识不规范');
    await firmPage.locator('#firm-open summary', { hasText: '危废贮存间标识不规范' }).click();
    expect(await firmPage.locator('#firm-open').innerText()).toContain('已安排固废科下周现场核查');
    // Its check-up report, read on demand: the failed item with the inspector's note.
    await firmPage.locator('#firm-checkups button').click();
    await firmPage.locator('#firm-checkups .firm-report').waitFor({ state: 'visible' });
    const report = await firmPage.locator('#firm-checkups .firm-report li[data-result="fail"]').innerText();
    expect(report).toContain('不符合');
    expect(report).toContain('排污许可证已过期');
    expect(await axeViolations(firmPage)).toEqual([]);
    await firmPage.screenshot({ path: join(SHOTS, 'firm-record-zh.png'), fullPage: true });
  });

  it('raises a difficulty with a photo, which the liaison finds on its board', async () => {
    // Act
    await firmPage.fill('#request-title', difficulty);
    await firmPage.fill('#request-detail', '厂区东侧雨水排口旁发现油污，想请联络员帮忙确认排查方法。');
    await firmPage.setInputFiles('#request-photo', {
      name: '油污.png',
      mimeType: 'image/png',
      buffer: png(64, 48),
    });
    await firmPage.click('#request-send');
    await firmPage.locator('#request-done').waitFor({ state: 'visible' });

    // Assess: the firm sees its dates and the item among its open ones.
    expect(await firmPage.locator('#request-done').innerText()).toMatch(/\d{4}-\d{2}-\d{2} 前受理/);
    await firmPage.locator('#firm-open', { hasText: difficulty }).waitFor({ state: 'visible' });
    await firmPage.screenshot({ path: join(SHOTS, 'firm-request-zh.png'), fullPage: true });
    const desk = await (await browser.newContext(deskSize)).newPage();
    await signIn(desk, 'liaison.wuzhong');
    await desk.goto(`${url}/staff/ledger/`);
    await desk.locator('.ledger-card', { hasText: difficulty }).waitFor({ state: 'visible' });
    const card = await desk.locator('.ledger-card', { hasText: difficulty }).innerText();
    expect(card).toContain('苏州太湖精密五金有限公司');
    await desk.context().close();
  });

  it('is taken up and resolved by staff; the firm confirms it on the link texted to its mobile and rates it', async () => {
    // Prepare: the lead takes the difficulty up and resolves it (the liaison's moves, through the API)
    const listed = await call('GET', `/api/staff/ledger-items?uscc=${uscc}`, 'lead.wuzhong');
    let item = ((listed.body?.items ?? []) as { itemId: string; title: string; version: number }[]).find(
      (i) => i.title === difficulty,
    ) as { itemId: string; version: number };
    for (const [to, note] of [
      ['in_progress', '已安排联络员现场查看'],
      ['resolved', '已清理油污并更换隔油池滤网，雨水排口复查无油膜。'],
    ] as const) {
      const moved = await call('POST', `/api/staff/ledger-items/${item.itemId}/transitions`, 'lead.wuzhong', {
        to,
        note,
        version: item.version,
      });
      expect(moved.status).toBe(200);
      item = moved.body?.item as { itemId: string; version: number };
    }
    // The firm gave only a mobile: the confirmation link comes by SMS.
    const texted = (e: OutboxEntry) =>
      e.channel === 'sms' && e.to.endsWith(mobile) && /\/ledger\/confirm\/#/.test(e.text);
    const sent = (await waitForOutbox((entries) => entries.some(texted), { url })).find(texted);
    const link = /(\/ledger\/confirm\/#[A-Za-z0-9_-]{32})/.exec(sent?.text ?? '')?.[1];
    expect(link).toBeDefined();

    // Act: on its phone the firm says it is solved and gives five stars
    await firmPage.goto(`${url}${link}`);
    await firmPage.locator('#confirm-view').waitFor({ state: 'visible' });
    await firmPage.click('#confirm-yes');
    await firmPage.locator('#confirm-rating').waitFor({ state: 'visible' });
    await firmPage.locator('#confirm-rating .rating-star').nth(4).click();
    await firmPage.click('#confirm-rating button[type=submit]');
    await firmPage.locator('#confirm-rating .rating-done').waitFor({ state: 'visible' });

    // Assess: closed and rated, as staff see it
    const closed = (await call('GET', `/api/staff/ledger-items/${item.itemId}`, 'lead.wuzhong')).body?.item as {
      state: string;
      rating?: { stars: number };
    };
    expect(closed.state).toBe('closed');
    expect(closed.rating?.stars).toBe(5);
    await firmPage.screenshot({ path: join(SHOTS, 'firm-confirmed-rated-zh.png'), fullPage: true });
  });

  it('shows the record in English, and signs out back to the sign-in', async () => {
    // Act
    await firmPage.goto(`${url}/en/firm/`);
    await firmPage.locator('#firm-view').waitFor({ state: 'visible' });
    await firmPage.screenshot({ path: join(SHOTS, 'firm-record-en.png'), fullPage: true });
    expect(await firmPage.locator('#firm-liaison-title').innerText()).toBe('Your liaison');
    await firmPage.click('#firm-sign-out');

    // Assess
    await firmPage.waitForURL(`${url}/en/firm/sign-in/`);
    await firmPage.screenshot({ path: join(SHOTS, 'firm-sign-in-en.png'), fullPage: true });
    await firmPage.goto(`${url}/en/firm/`);
    await firmPage.waitForURL(`${url}/en/firm/sign-in/`);
    expect(blocked).toEqual([]);
    expect((await fetchOutbox(url)).length).toBeGreaterThan(0);
  });
});
