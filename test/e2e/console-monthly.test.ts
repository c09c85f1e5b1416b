import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { monthBefore, monthOf } from '../../shared/monthly.ts';
import { toShanghaiIso } from '../../shared/time.ts';
import { deskSize, phoneSize, productClient } from '../support/e2e.ts';
import { axeViolations, type Product, SHOTS, startProduct } from '../support/product.ts';
import { distinctUsccs } from '../support/uscc.ts';

// The monthly-contact pages of the staff console, as `npm start` runs the product (with its demo
// records). Three more Wuzhong firms are paired with the Wuzhong liaison from September: X was visited
// in October, Y never, Z this month. October is closed by running the `missed` job as the scheduler
// would on 1 November, and the day-20 reminder too. The liaison, on a 360-pixel phone, sees X and Y
// (not Z) still to contact this month and its inbox, reads messages and watches the count drop; the
// Suzhou lead reads October's compliance for the city, with the chart, the trend and the missed list
// (Y escalated), and drills into Wuzhong; the Wuzhong lead sets a DingTalk robot on this machine,
// sends a test message, meets a version conflict, and replaces it with a robot that answers 500.
// Screenshots go to test-results/screenshots/monthly-*.png.
const shots = SHOTS;
let product: Product;
let url: string;
let browser: Browser;
let desk: BrowserContext;
let phoneContext: BrowserContext;
/** The liaison's tab (the session lives in the tab's sessionStorage). */
let mobile: Page;
const { call, apiSignIn, signIn } = productClient(() => url);
const [usccX, usccY, usccZ] = distinctUsccs(3) as [string, string, string];
const firms = { X: '苏州澄湖表面处理有限公司', Y: '吴中石湖印染有限公司', Z: '苏州旺山精密铸造有限公司' };
const pairing = { X: '', Y: '', Z: '' };
const lastMonth = monthBefore(monthOf(new Date()));

/** Group robots on this machine: one that takes every message, one that answers 500. */
const robotCalls: { robot: 'ok' | 'bad'; url: string; body: unknown }[] = [];
let okRobot: Server;
let badRobot: Server;
let okRobotUrl = '';
let badRobotUrl = '';

const robot = (name: 'ok' | 'bad') =>
  createServer((req, res) => {
    let body = '';
    req.on('data', (chunk) => {
      body += chunk;
    });
    req.on('end', () => {
      robotCalls.push({ robot: name, url: req.url ?? '', body: JSON.parse(body || 'null') });
      res.writeHead(name === 'ok' ? 200 : 500, { 'content-type': 'application/json' });
      res.end(JSON.stringify(name === 'ok' ? { errcode: 0, errmsg: 'ok' } : { errcode: -1, errmsg: 'system busy' }));
    });
  });

const listen = async (server: Server) => {
  await new Promise<void>((ok) => server.listen(0, '127.0.0.1', () => ok()));
  return (server.address() as AddressInfo).port;
};

const runJob = async (at: string) => {
  const res = await fetch(`${url}/api/local/jobs/nudges`, { method: 'POST', body: JSON.stringify({ at }) });
  return (await res.json()) as { runs?: { result: Record<string, number> }[] };
};

const unreadOf = async (who: string) => Number((await call('GET', '/api/staff/inbox?limit=1', who)).body?.unread);

beforeAll(async () => {
  okRobot = robot('ok');
  badRobot = robot('bad');
  okRobotUrl = `http://127.0.0.1:${await listen(okRobot)}/robot/send?access_token=okrobottoken0123456789`;
  badRobotUrl = `http://127.0.0.1:${await listen(badRobot)}/cgi-bin/webhook/send?key=badrobotkey0123456789`;

  product = await startProduct('eco-e2e-monthly-');
  ({ url, browser } = product);
  for (const who of ['lead.wuzhong', 'liaison.wuzhong', 'lead.suzhou']) await apiSignIn(who);
  for (const [key, uscc] of [
    ['X', usccX],
    ['Y', usccY],
    ['Z', usccZ],
  ] as const) {
    const firm = {
      uscc,
      name: firms[key],
      county: '320506',
      address: '苏州市吴中区胥口镇孙武路 18 号',
      industry: '金属表面处理',
      size: 'small',
      tier: 'county',
      contacts: [{ name: '陈经理', role: '环保专员', mobile: '13912345678' }],
    };
    expect((await call('POST', '/api/staff/enterprises', 'lead.wuzhong', firm)).status).toBe(201);
    const paired = await call('POST', '/api/staff/pairings', 'lead.wuzhong', {
      uscc,
      liaison: 'liaison.wuzhong',
      serviceYear: 2026,
      startsOn: '2026-09-01',
    });
    expect(paired.status).toBe(201);
    pairing[key] = String((paired.body?.pairing as { pairingId?: string } | undefined)?.pairingId);
  }
  const contact = async (id: string, at: string) => {
    const res = await call('POST', `/api/staff/pairings/${id}/contacts`, 'liaison.wuzhong', {
      at,
      mode: 'visit',
      participants: ['陈经理'],
      summary: '走访企业，查看废水处理设施运行台账。',
    });
    expect(res.status).toBe(201);
  };
  await contact(pairing.X, '2026-10-15T10:00:00+08:00');
  await contact(pairing.Z, toShanghaiIso(new Date(Date.now() - 5 * 60_000)));

  // October closes on 1 November at 09:00 (Beijing), as the scheduler fires it; then the day-20 digest.
  const closed = await runJob('2026-11-01T09:00:00+08:00');
  expect(closed.runs?.[0]?.result.missed).toBeGreaterThan(0);
  expect(closed.runs?.[0]?.result.escalations).toBeGreaterThan(0);
  expect((await runJob('2026-11-20T09:00:00+08:00')).runs?.[0]?.result.digestsCreated).toBeGreaterThan(0);

  desk = await browser.newContext(deskSize);
  phoneContext = await browser.newContext(phoneSize);
}, 120_000);

afterAll(async () => {
  await product?.stop();
  okRobot?.close();
  badRobot?.close();
});

describe('staff console: the monthly-contact pages', () => {
  it('shows the liaison, on a phone, the firms still to contact this month and its unread count', async () => {
    mobile = await phoneContext.newPage();
    const page = mobile;
    await signIn(page, 'liaison.wuzhong');
    const unread = await unreadOf('liaison.wuzhong');
    expect(unread).toBeGreaterThan(1);

    await page.goto(`${url}/staff/`);
    await page.locator('#home-todo-list li.todo').first().waitFor({ state: 'visible' });
    await page.locator('#home-unread .unread-count').waitFor({ state: 'visible' });
    expect(await page.locator('#home-unread .unread-count').innerText()).toBe(String(unread));
    expect(await page.locator('#home-summary').isVisible()).toBe(false);

    // X (visited in October) and Y (never) are due; Z was visited this month.
    const x = page.locator(`#home-todo-list li[data-uscc="${usccX}"]`);
    const y = page.locator(`#home-todo-list li[data-uscc="${usccY}"]`);
    expect(await x.innerText()).toContain(firms.X);
    expect(await x.innerText()).toContain('2026年10月15日');
    expect(await y.innerText()).toContain('尚无');
    expect(await page.locator(`#home-todo-list li[data-uscc="${usccZ}"]`).count()).toBe(0);
    expect(await x.locator('a.todo-log').getAttribute('href')).toBe(`/staff/pairings/contact/?id=${pairing.X}`);
    expect(await x.locator('h3 a').getAttribute('href')).toBe(`/staff/enterprises/firm/?uscc=${usccX}`);
    expect(await page.locator('#home-todo-heading').innerText()).toMatch(/本月待联系（\d{4}年\d{1,2}月）/);
    expect(await page.locator('#home-todo-hint').innerText()).toMatch(/本月还剩 \d+ 天/);
    // Nothing wider than the phone.
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(360);
    expect(await axeViolations(page)).toEqual([]);
    await page.screenshot({ path: join(shots, 'monthly-home-liaison-zh-phone.png'), fullPage: true });

    // The log-a-contact link opens the pairing's contact page.
    await x.locator('a.todo-log').click();
    await page.waitForURL(new RegExp(`/staff/pairings/contact/\\?id=${pairing.X}$`));
  });

  it('lets the liaison read its inbox: unread ones stand out, reading one lowers the count', async () => {
    const page = mobile;
    const unread = await unreadOf('liaison.wuzhong');
    await page.goto(`${url}/staff/`);
    await page.locator('#home-unread .unread-count').waitFor({ state: 'visible' });
    await page.click('#home-inbox-link');
    await page.waitForURL(/\/staff\/inbox\/$/);
    const heading = page.locator('#inbox-heading');
    await page.locator('#inbox-list li.inbox-message').first().waitFor({ state: 'visible' });
    expect(await heading.innerText()).toContain(`${unread} 条未读`);
    expect(await page.locator('li.inbox-message[data-read="false"]').count()).toBe(unread);
    const first = page.locator('li.inbox-message[data-read="false"]').first();
    expect(await first.innerText()).toMatch(/未走访或视频连线/);
    expect(await page.locator('.badge-kind[data-kind="missed"]').count()).toBeGreaterThan(0);
    expect(await page.locator('.badge-kind[data-kind="reminder"]').count()).toBe(1);
    // Z was missed in October and visited minutes ago: its nudges say so; Y's (never visited) do not.
    const z = page.locator(`li.inbox-message:has(.badge-kind[data-kind="missed"]):has-text("${firms.Z}")`);
    expect(await z.count()).toBeGreaterThan(0);
    for (const text of await z.locator('.badge-contacted').allInnerTexts())
      expect(text).toMatch(/^已于 \d{4}-\d\d-\d\d 联系$/);
    expect(await z.locator('.badge-contacted').count()).toBe(await z.count());
    expect(
      await page
        .locator(`li.inbox-message:has(.badge-kind[data-kind="missed"]):has-text("${firms.Y}") .badge-contacted`)
        .count(),
    ).toBe(0);
    expect(await axeViolations(page)).toEqual([]);
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(360);
    await page.screenshot({ path: join(shots, 'monthly-inbox-liaison-zh-phone.png'), fullPage: true });

    // Mark one read: the heading says one less, and so does the API.
    const id = (await first.getAttribute('data-id')) as string;
    await first.locator('button[data-action=read]').click();
    await page.locator(`li.inbox-message[data-id="${id}"][data-read="true"]`).waitFor();
    expect(await heading.innerText()).toContain(`${unread - 1} 条未读`);
    expect(await unreadOf('liaison.wuzhong')).toBe(unread - 1);
    expect(await page.evaluate(() => document.activeElement?.closest('li')?.dataset.id)).toBe(id);

    // Opening an unread message marks it read and follows its link to the pairing.
    const second = page.locator('li.inbox-message[data-read="false"]:has(.badge-kind[data-kind="missed"])').first();
    const link = second.locator('.inbox-title a');
    expect(await link.getAttribute('href')).toMatch(/^\/staff\/pairings\/contact\/\?id=/);
    await link.click();
    await page.waitForURL(/\/staff\/pairings\/contact\/\?id=/);
    expect(await unreadOf('liaison.wuzhong')).toBe(unread - 2);
    await page.goto(`${url}/staff/`);
    await page.locator('#home-unread .unread-count').waitFor({ state: 'visible' });
    expect(await page.locator('#home-unread .unread-count').innerText()).toBe(String(unread - 2));
  });

  it('pages the inbox with "load more" and keeps it in English on the English page', async () => {
    const page = mobile;
    // Two messages a page, so the real cursor is used.
    await page.route(/\/api\/staff\/inbox\?/, (route) =>
      route.continue({
        url: route
          .request()
          .url()
          .replace(/limit=\d+/, 'limit=2'),
      }),
    );
    const all = (await call('GET', '/api/staff/inbox?limit=100', 'liaison.wuzhong')).body;
    const total = (all?.messages as unknown[] | undefined)?.length ?? 0;
    expect(total).toBeGreaterThan(2);
    await page.goto(`${url}/en/staff/inbox/`);
    await page.locator('#inbox-list li.inbox-message').first().waitFor({ state: 'visible' });
    expect(await page.locator('li.inbox-message').count()).toBe(2);
    expect(await page.locator('#inbox-heading').innerText()).toMatch(/Inbox\s+\d+ unread/);
    let pages = 1;
    while (await page.locator('#inbox-more').isVisible()) {
      await page.click('#inbox-more');
      await expect.poll(() => page.locator('#inbox-more').isDisabled()).toBe(false);
      pages++;
    }
    expect(pages).toBeGreaterThanOrEqual(Math.ceil(total / 2));
    expect(await page.locator('li.inbox-message').count()).toBe(total);
    expect(await page.locator('#inbox-end').isVisible()).toBe(true);
    expect(await page.getAttribute('li.inbox-message .inbox-title', 'lang')).toBe('zh-CN');
    expect(await axeViolations(page)).toEqual([]);
    await page.screenshot({ path: join(shots, 'monthly-inbox-liaison-en-phone.png'), fullPage: true });
    await page.unrouteAll();

    // Compliance is for leads and admins: a liaison is told so, in this page's words.
    await page.goto(`${url}/staff/compliance/`);
    await page.locator('#console-no-access').waitFor({ state: 'visible' });
    expect(await page.locator('#console-no-access').innerText()).toContain('本页仅限联系领导和管理员使用');
    expect(await page.locator('#console-body').isVisible()).toBe(false);
  });

  it("shows the Suzhou lead October's compliance: chart per county, trend, missed list; drills into Wuzhong", async () => {
    const page = await desk.newPage();
    await signIn(page, 'lead.suzhou');
    const api = (await call('GET', '/api/staff/compliance?month=2026-10&jurisdiction=320500', 'lead.suzhou')).body as {
      totals: { judged: number; contacted: number; missed: number };
      children: { code: string; missed: number; contacted: number }[];
    };
    expect(api.totals.missed).toBeGreaterThan(0);

    await page.goto(`${url}/staff/compliance/`);
    const result = page.locator('#compliance-result');
    await result.waitFor({ state: 'visible' });
    // The running month by default, with the note that "missed" waits for the month to close.
    expect(await page.locator('#compliance-running').isVisible()).toBe(true);
    expect(await page.locator('#compliance-running').innerText()).toContain('下月 1 日');
    expect(await page.inputValue('#compliance-jurisdiction')).toBe('320500');

    await page.selectOption('#compliance-month', '2026-10');
    await page.click('#compliance-filters button[type=submit]');
    await page.locator('#compliance-result[data-month="2026-10"]').waitFor();
    expect(page.url()).toContain('month=2026-10');
    expect(await page.locator('#compliance-running').isVisible()).toBe(false);
    expect(await page.locator('#compliance-title').innerText()).toBe('苏州市 · 2026年10月');
    expect(await page.locator('#compliance-totals .tile-missed dd').innerText()).toBe(String(api.totals.missed));
    expect(await page.locator('#compliance-totals .tile-judged dd').innerText()).toBe(String(api.totals.judged));

    // The bars: one row per county, with its numbers in words and red for missed.
    const wuzhong = page.locator('#children-bars li[data-code="320506"]');
    const wz = api.children.find((c) => c.code === '320506') as { missed: number; contacted: number };
    expect(await page.locator('#children-bars li').count()).toBe(api.children.length);
    expect(await wuzhong.locator('.bar-numbers').innerText()).toBe(`已联系 ${wz.contacted} · 未联系 ${wz.missed}`);
    expect(await wuzhong.locator('svg rect.seg-missed').count()).toBe(1);
    expect(await wuzhong.locator('svg rect.seg-contacted').count()).toBe(1);
    const red = await wuzhong
      .locator('svg rect.seg-missed')
      .evaluate((rect) => getComputedStyle(rect).getPropertyValue('fill'));
    expect(red).toBe('rgb(179, 38, 30)');
    // The same figures as a table.
    await page.click('#children-details summary');
    expect(await page.locator('#children-table tr[data-key="320506"]').innerText()).toContain(String(wz.missed));
    // Twelve months of trend, October marked.
    expect(await page.locator('#trend-bars li').count()).toBe(12);
    expect(await page.locator('#trend-bars li[data-month="2026-10"]').getAttribute('class')).toContain('trend-chosen');
    expect(await page.locator('#trend-bars li[data-month="2026-10"] .visually-hidden').innerText()).toContain('未联系');

    // The missed list: Y, missed two months running, is marked and links to the pairing.
    const rowY = page.locator(`#missed-list tr[data-pairing-id="${pairing.Y}"]`);
    expect(await rowY.getAttribute('data-kind')).toBe('escalation');
    expect(await rowY.innerText()).toContain(firms.Y);
    expect(await rowY.innerText()).toContain('连续两月未联系');
    expect(await rowY.locator('a').getAttribute('href')).toBe(`/staff/pairings/contact/?id=${pairing.Y}`);
    expect(await page.locator(`#missed-list tr[data-pairing-id="${pairing.X}"]`).count()).toBe(0);
    expect(await page.locator('#missed-list tbody tr').count()).toBe(api.totals.missed);
    expect(await axeViolations(page)).toEqual([]);
    await page.screenshot({ path: join(shots, 'monthly-compliance-city-zh-desk.png'), fullPage: true });

    // Drill into Wuzhong from its bar.
    await wuzhong.locator('a.bar-name').click();
    await page.locator('#compliance-result[data-jurisdiction="320506"]').waitFor();
    expect(page.url()).toContain('jurisdiction=320506');
    expect(await page.locator('#compliance-title').innerText()).toBe('吴中区 · 2026年10月');
    expect(await page.locator('#compliance-path').innerText()).toContain('苏州市');
    expect(await page.locator('#children-hint').innerText()).toContain('县级单位没有下级单位');
    expect(await page.locator('#compliance-totals .tile-missed dd').innerText()).toBe(String(wz.missed));
    expect(await page.locator(`#missed-list tr[data-pairing-id="${pairing.Y}"]`).count()).toBe(1);
    expect(await page.evaluate(() => document.activeElement?.id)).toBe('compliance-title');
    expect(await axeViolations(page)).toEqual([]);
    await page.screenshot({ path: join(shots, 'monthly-compliance-county-zh-desk.png'), fullPage: true });

    // Back up to the city from the path, then on to November: running, nothing missed yet.
    await page.click('#compliance-path a[data-code="320500"]');
    await page.locator('#compliance-result[data-jurisdiction="320500"]').waitFor();
    await page.click('#compliance-next');
    await page.locator('#compliance-result[data-month="2026-11"]').waitFor();
    expect(await page.locator('#compliance-running').isVisible()).toBe(monthOf(new Date()) === '2026-11');
    // The running month, chosen from the picker: no missed list before the month closes.
    await page.selectOption('#compliance-month', monthOf(new Date()));
    await page.click('#compliance-filters button[type=submit]');
    await page.locator(`#compliance-result[data-month="${monthOf(new Date())}"]`).waitFor();
    expect(await page.locator('#compliance-running').isVisible()).toBe(true);
    expect(await page.locator('#missed-list').innerText()).toContain('下月 1 日生成');
    expect(await page.locator('#compliance-next').isDisabled()).toBe(true);
    await page.close();
  });

  it('works for the Suzhou lead on a phone and in English too', async () => {
    const context = await browser.newContext({ ...phoneSize, locale: 'en-GB' });
    const page = await context.newPage();
    await signIn(page, 'lead.suzhou');
    await page.goto(`${url}/en/staff/compliance/?month=2026-10&jurisdiction=320500`);
    await page.locator('#compliance-result[data-month="2026-10"]').waitFor();
    expect(await page.locator('#compliance-title').innerText()).toBe('Suzhou · October 2026');
    expect(await page.locator(`#missed-list tr[data-pairing-id="${pairing.Y}"]`).innerText()).toContain(
      'Missed two months',
    );
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(360);
    expect(await axeViolations(page)).toEqual([]);
    await page.screenshot({ path: join(shots, 'monthly-compliance-city-en-phone.png'), fullPage: true });

    // The lead's home: this month's summary for the city, no liaison list.
    await page.goto(`${url}/en/staff/`);
    await page.locator('#home-summary .tiles').waitFor({ state: 'visible' });
    expect(await page.locator('#home-summary-heading').innerText()).toBe('This month: Suzhou');
    expect(await page.locator('#home-summary').innerText()).toMatch(/Last month \(\w+ \d{4}\)/);
    expect(await page.locator('#home-todo').isVisible()).toBe(false);
    expect(await axeViolations(page)).toEqual([]);
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(360);
    await page.screenshot({ path: join(shots, 'monthly-home-lead-en-phone.png'), fullPage: true });

    // A city lead picks a unit below by code; one outside its city is refused on the field.
    await page.goto(`${url}/en/staff/webhooks/`);
    await page.locator('#unit-form').waitFor({ state: 'visible' });
    expect(await page.inputValue('#unit-code')).toBe('320500');
    await page.fill('#unit-code', '320281');
    await page.click('#unit-form button[type=submit]');
    await page.locator('#unit-code-error').waitFor({ state: 'visible' });
    expect(await page.getAttribute('#unit-code', 'aria-invalid')).toBe('true');
    await page.fill('#unit-code', '320507');
    await page.click('#unit-form button[type=submit]');
    await expect.poll(() => page.locator('#hook-current-heading').innerText()).toContain('320507');
    expect(await page.getAttribute('#unit-code', 'aria-invalid')).toBeNull();
    expect(await axeViolations(page)).toEqual([]);
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(360);
    await page.screenshot({ path: join(shots, 'monthly-webhooks-unit-en-phone.png'), fullPage: true });
    await context.close();
  });

  it('lets the Wuzhong lead set a DingTalk robot, send a test message, and see a failing robot answer', async () => {
    const page = await desk.newPage();
    await signIn(page, 'lead.wuzhong');
    await page.goto(`${url}/staff/webhooks/`);
    // The demo points each demo county's robot at the local robot stand-in (WeCom's protocol).
    await expect.poll(() => page.locator('#hook-current-body').innerText()).toContain('企业微信');
    expect(await page.locator('#unit-form').isVisible()).toBe(false);
    expect(await page.locator('.help-box').innerText()).toContain('SEC');

    // A secret that is not DingTalk's is caught on the field, before anything is sent.
    await page.check('#hook-kind-dingtalk');
    await page.locator('#hook-secret').waitFor({ state: 'visible' });
    await page.fill('#hook-url', okRobotUrl);
    await page.fill('#hook-secret', 'mysecret');
    await page.click('#hook-form button[type=submit]');
    await page.locator('#hook-errors').waitFor({ state: 'visible' });
    expect(await page.evaluate(() => document.activeElement?.id)).toBe('hook-errors');
    expect(await page.getAttribute('#hook-secret', 'aria-invalid')).toBe('true');
    expect(await page.locator('#hook-secret-error').innerText()).toContain('SEC');
    expect(await axeViolations(page)).toEqual([]);
    await page.screenshot({ path: join(shots, 'monthly-webhooks-errors-zh-desk.png'), fullPage: true });

    await page.fill('#hook-secret', 'SEC0123456789abcdef0123456789abcdef');
    await page.click('#hook-form button[type=submit]');
    await page.locator('#hook-status[data-kind="success"]').waitFor({ state: 'visible' });
    const current = page.locator('#hook-current-body');
    expect(await current.innerText()).toContain('钉钉');
    expect(await current.innerText()).toContain('已启用');
    expect(await current.innerText()).not.toContain('okrobottoken0123456789');
    expect(await page.locator('#hook-form-heading').innerText()).toBe('更换群机器人');

    // The test message reaches the robot, signed.
    await page.click('#hook-test');
    await page.locator('#hook-test-result[data-kind="success"]').waitFor({ state: 'visible' });
    expect(await page.locator('#hook-test-result').innerText()).toContain('测试消息已发送');
    const sent = robotCalls.filter((call) => call.robot === 'ok');
    expect(sent).toHaveLength(1);
    expect(sent[0]?.url).toMatch(/timestamp=\d+&sign=/);
    expect(JSON.stringify(sent[0]?.body)).toContain('测试消息');
    expect(await axeViolations(page)).toEqual([]);
    await page.screenshot({ path: join(shots, 'monthly-webhooks-sent-zh-desk.png'), fullPage: true });

    // Someone else replaces the robot meanwhile: this page's version is stale.
    const seen = await call('GET', '/api/staff/webhooks/320506', 'lead.wuzhong');
    const other = await call('PUT', '/api/staff/webhooks/320506', 'lead.wuzhong', {
      kind: 'dingtalk',
      url: okRobotUrl,
      version: (seen.body?.webhook as { version?: number } | undefined)?.version,
    });
    expect(other.status).toBe(200);
    await page.check('#hook-kind-wecom');
    await page.fill('#hook-url', badRobotUrl);
    await page.click('#hook-form button[type=submit]');
    await page.locator('#hook-conflict').waitFor({ state: 'visible' });
    expect(await page.evaluate(() => document.activeElement?.id)).toBe('hook-conflict');
    expect(await current.innerText()).toContain('未启用');
    expect(await page.inputValue('#hook-url')).toBe(badRobotUrl);
    expect(await axeViolations(page)).toEqual([]);

    // Saved on the second try, against the version now read: the robot that answers 500.
    await page.click('#hook-form button[type=submit]');
    await page.locator('#hook-status[data-kind="success"]').waitFor({ state: 'visible' });
    expect(await page.locator('#hook-conflict').isVisible()).toBe(false);
    expect(await current.innerText()).toContain('企业微信');
    await page.click('#hook-test');
    await page.locator('#hook-test-result[data-kind="error"]').waitFor({ state: 'visible' });
    expect(await page.locator('#hook-test-result').innerText()).toContain('Webhook answered 500');
    expect(await page.evaluate(() => document.activeElement?.id)).toBe('hook-test-result');
    expect(robotCalls.filter((call) => call.robot === 'bad')).toHaveLength(1);
    expect(await axeViolations(page)).toEqual([]);
    await page.screenshot({ path: join(shots, 'monthly-webhooks-failed-zh-desk.png'), fullPage: true });

    // The lead's home: this month's Wuzhong summary and last month's result.
    await page.goto(`${url}/staff/`);
    await page.locator('#home-summary .tiles').waitFor({ state: 'visible' });
    const [year, month] = lastMonth.split('-').map(Number);
    expect(await page.locator('#home-summary').innerText()).toContain(`上月（${year}年${month}月）`);
    expect(await axeViolations(page)).toEqual([]);
    await page.screenshot({ path: join(shots, 'monthly-home-lead-zh-desk.png'), fullPage: true });
    await page.close();
  });
});
