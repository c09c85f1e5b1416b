import { join } from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { monthBefore, monthOf } from '../../shared/monthly.ts';
import { shanghaiDate } from '../../shared/time.ts';
import { cspWatch, deskSize, phoneSize, productClient } from '../support/e2e.ts';
import { signInFirm } from '../support/firm.ts';
import { png } from '../support/png.ts';
import { axeViolations, type Product, SHOTS, startProduct } from '../support/product.ts';
import { distinctUsccs } from '../support/uscc.ts';

// The leader's ledger statistics and evidence on ledger moves, as `npm start` runs the product. Items are
// raised through the API in two Suzhou counties (Wuzhong 320506, Xiangcheng 320507); some are closed by a
// lead's override, one cancelled, three left overdue. The Suzhou lead reads the statistics on a desk and a
// 360-pixel phone: the figures are the API's, the county table lists both counties with their overdue
// counts, a county drills in and the path leads back, the months chart has its bars, the range picker
// works. The Wuzhong lead then starts work on an item with a photo attached, and the item's history shows
// the photo's thumbnail. Screenshots go to test-results/screenshots/ledger-stats-*.png.
let product: Product;
let url: string;
let browser: Browser;
let desk: BrowserContext;
let page: Page;
let phoneContext: BrowserContext;
let mobile: Page;
const { call, apiSignIn, signIn } = productClient(() => url);
/** What the browser refused under the page's Content-Security-Policy (nothing must be). */
const { blocked, watchCsp } = cspWatch();

const [wuzhongFirm, wuzhongOther, xiangchengFirm] = distinctUsccs(3) as [string, string, string];
const month = monthOf(new Date());
const firmMobile = '13912345678';
const day = (offset: number) => shanghaiDate(new Date(Date.now() + offset * 86_400_000));
let photoItemId = '';

interface Totals {
  raised: number;
  closed: number;
  cancelled: number;
  completionRate: number | null;
}
interface Stats extends Totals {
  bySeverity: Record<'low' | 'medium' | 'high', Totals>;
  medianDaysToClose: number | null;
  overdueNow: number;
  months: { month: string; raised: number; closed: number }[];
  satisfaction: {
    rated: number;
    stars: number;
    low: number;
    average: number | null;
    months: { month: string; rated: number; average: number | null; low: number }[];
  };
}

const stats = async (jurisdiction: string, who = 'lead.suzhou') => {
  const res = await call('GET', `/api/staff/ledger-stats?jurisdiction=${jurisdiction}`, who);
  expect(res.status).toBe(200);
  return res.body as unknown as Stats;
};

const firm = (uscc: string, name: string, county: string) => ({
  uscc,
  name,
  county,
  address: county === '320506' ? '苏州市吴中区木渎镇金枫路 88 号' : '苏州市相城区黄埭镇春秋路 9 号',
  industry: '金属表面处理',
  size: 'small',
  tier: 'county',
  contacts: [{ name: '周主任', role: '环保负责人', mobile: firmMobile }],
});

/** Raises an item and answers its id and version. */
const raise = async (
  who: string,
  uscc: string,
  title: string,
  severity: 'low' | 'medium' | 'high',
  dueOn: string,
): Promise<{ itemId: string; version: number }> => {
  const res = await call('POST', '/api/staff/ledger-items', who, {
    uscc,
    title,
    detail: `${title}：走访中企业提出，需协调办理。`,
    source: 'contact',
    severity,
    dueOn,
    ownerDepartment: '环评科',
  });
  expect(res.status).toBe(201);
  const item = res.body?.item as { itemId: string; version: number };
  return { itemId: item.itemId, version: item.version };
};

const move = async (who: string, itemId: string, version: number, to: string, extra: object = {}) => {
  const res = await call('POST', `/api/staff/ledger-items/${itemId}/transitions`, who, {
    to,
    note: '按程序办理，情况已记录。',
    version,
    ...extra,
  });
  expect(res.status).toBe(200);
  return (res.body as { item: { version: number } }).item.version;
};

/** In progress, resolved, then closed by the lead's override (the firm could not confirm online); answers its id. */
const close = async (who: string, item: { itemId: string; version: number }) => {
  let version = await move(who, item.itemId, item.version, 'in_progress');
  version = await move(who, item.itemId, version, 'resolved');
  await move(who, item.itemId, version, 'closed', { override: { reason: '企业电话确认已解决，无法在线确认。' } });
  return item.itemId;
};

/** The firm signs in by SMS code and rates its closed item (好差评) through its own route. */
const rate = async (uscc: string, itemId: string, stars: number) => {
  const { token: firmToken } = await signInFirm(url, uscc, firmMobile, { outbox: url });
  const res = await fetch(`${url}/api/firm/ledger-items/${itemId}/rating`, {
    method: 'POST',
    headers: { authorization: `Bearer ${firmToken}`, 'content-type': 'application/json' },
    body: JSON.stringify({ stars, comment: '办理及时，沟通顺畅。' }),
  });
  expect(res.status).toBe(201);
};

/** Waits for the statistics of a unit to be drawn. */
const shown = async (p: Page, jurisdiction: string) => {
  await p.locator(`#stats-result[data-jurisdiction="${jurisdiction}"]:not([aria-busy])`).waitFor({ state: 'visible' });
};

const figure = (p: Page, name: string) => p.locator(`#stats-totals [data-figure=${name}] dd.tile-value`).innerText();

const percent = (rate: number | null) => (rate === null ? '—' : `${Math.round(rate * 100)}%`);

beforeAll(async () => {
  product = await startProduct('eco-e2e-ledger-stats-');
  ({ url, browser } = product);
  for (const who of ['lead.suzhou', 'lead.wuzhong', 'liaison.wuzhong', 'admin']) await apiSignIn(who);
  for (const [uscc, name, county] of [
    [wuzhongFirm, '苏州木渎精密电镀有限公司', '320506'],
    [wuzhongOther, '吴中太湖新材料有限公司', '320506'],
    [xiangchengFirm, '相城黄埭五金制品有限公司', '320507'],
  ] as const) {
    expect((await call('POST', '/api/staff/enterprises', 'lead.suzhou', firm(uscc, name, county))).status).toBe(201);
  }
  // The Wuzhong liaison serves the firm: a liaison acts only on the ledger of its own pairings' firms.
  expect(
    (
      await call('POST', '/api/staff/pairings', 'lead.wuzhong', {
        uscc: wuzhongFirm,
        liaison: 'liaison.wuzhong',
        serviceYear: 2026,
        startsOn: '2026-01-01',
      })
    ).status,
  ).toBe(201);
  // Wuzhong: five raised, two closed, one cancelled, one overdue, one left open for the photo.
  const wuzhongClosed = await close(
    'lead.wuzhong',
    await raise('lead.wuzhong', wuzhongFirm, '电镀废水在线监测数据异常', 'high', day(20)),
  );
  await close('lead.wuzhong', await raise('lead.wuzhong', wuzhongOther, '排污许可证延续咨询', 'medium', day(30)));
  await raise('lead.wuzhong', wuzhongFirm, '危废转移联单填报问题', 'low', day(-5));
  const cancelled = await raise('lead.wuzhong', wuzhongOther, '重复登记的噪声投诉', 'medium', day(15));
  await move('lead.wuzhong', cancelled.itemId, cancelled.version, 'cancelled');
  photoItemId = (await raise('lead.wuzhong', wuzhongFirm, '酸雾吸收塔喷淋管破损', 'low', day(10))).itemId;
  // Xiangcheng: three raised, one closed, two overdue.
  const xiangchengClosed = await close(
    'lead.suzhou',
    await raise('lead.suzhou', xiangchengFirm, '废气排口采样平台整改', 'high', day(25)),
  );
  // 好差评: two firms rate their closed items, four and five stars (no low rating: no call-back item).
  await rate(wuzhongFirm, wuzhongClosed, 4);
  await rate(xiangchengFirm, xiangchengClosed, 5);
  await raise('lead.suzhou', xiangchengFirm, '雨污分流改造进度滞后', 'low', day(-3));
  await raise('lead.suzhou', xiangchengFirm, '应急预案备案材料补正', 'medium', day(-1));

  desk = await browser.newContext(deskSize);
  page = await desk.newPage();
  phoneContext = await browser.newContext(phoneSize);
  mobile = await phoneContext.newPage();
  for (const p of [page, mobile]) watchCsp(p);
});

afterAll(async () => {
  await product?.stop();
});

describe('staff console: the leader’s ledger statistics', () => {
  it('shows the city lead the figures the API gives, by county, with the months chart', async () => {
    const city = await stats('320500');
    expect(city).toMatchObject({ raised: 8, closed: 3, cancelled: 1, overdueNow: 3 });
    await signIn(page, 'lead.suzhou');
    // The console bar leads managers to the page.
    await page.goto(`${url}/staff/`);
    await page.locator('.console-nav a[href="/staff/ledger-stats/"]').click();
    await shown(page, '320500');
    expect(page.url()).toContain(`from=${monthBefore(month, 11)}`);
    expect(page.url()).toContain(`to=${month}`);
    expect(await page.locator('.console-nav a[aria-current=page]').innerText()).toBe('台账统计');
    expect(await page.locator('#stats-title').innerText()).toContain('苏州市');

    expect(await figure(page, 'rate')).toBe(percent(city.completionRate));
    expect(await figure(page, 'raised')).toBe(`${city.raised} 项`);
    expect(await figure(page, 'closed')).toBe(`${city.closed} 项`);
    expect(await figure(page, 'cancelled')).toBe(`${city.cancelled} 项`);
    expect(await figure(page, 'median')).toBe(`${city.medianDaysToClose} 天`);
    expect(await figure(page, 'overdue')).toBe(`${city.overdueNow} 项`);
    // Overdue is said in words, not in red alone.
    const overdueTile = page.locator('#stats-totals [data-figure=overdue]');
    expect(await overdueTile.getAttribute('class')).toContain('tile-overdue-yes');
    expect(await overdueTile.innerText()).toContain('需督办');
    for (const severity of ['low', 'medium', 'high'] as const) {
      const row = page.locator(`#severity-table tr[data-severity=${severity}] td`);
      expect(await row.allInnerTexts()).toEqual([
        String(city.bySeverity[severity].raised),
        String(city.bySeverity[severity].closed),
        String(city.bySeverity[severity].cancelled),
        percent(city.bySeverity[severity].completionRate),
      ]);
    }

    // Both counties, with their overdue counts, in the bars and the table.
    const [wuzhong, xiangcheng] = [await stats('320506'), await stats('320507')];
    expect(wuzhong).toMatchObject({ raised: 5, closed: 2, cancelled: 1, overdueNow: 1 });
    expect(xiangcheng).toMatchObject({ raised: 3, closed: 1, cancelled: 0, overdueNow: 2 });
    expect(await page.locator('#children-heading').innerText()).toBe('各县（市、区）');
    for (const [code, county, name] of [
      ['320506', wuzhong, '吴中区'],
      ['320507', xiangcheng, '相城区'],
    ] as const) {
      const bar = page.locator(`#children-bars li[data-code="${code}"]`);
      expect(await bar.getAttribute('data-overdue')).toBe(String(county.overdueNow));
      expect(await bar.innerText()).toContain(name);
      expect(await bar.innerText()).toContain(`⚠ ${county.overdueNow} 项`);
      expect(await bar.locator('.bar-rate').innerText()).toBe(percent(county.completionRate));
      const cells = await page.locator(`#children-table tr[data-key="${code}"] td`).allInnerTexts();
      expect(cells).toEqual([
        String(county.raised),
        String(county.closed),
        String(county.cancelled),
        percent(county.completionRate),
        `${county.medianDaysToClose} 天`,
        `⚠ ${county.overdueNow} 项`,
      ]);
    }
    expect(await page.locator('#children-table tfoot td').last().innerText()).toBe(`⚠ ${city.overdueNow} 项`);
    // Every item is in a named county: no "others" row.
    expect(await page.locator('#children-bars li[data-code=other]').count()).toBe(0);

    // The months: a bar for this month's raised and closed items; a table repeats every month.
    const thisMonth = page.locator(`#months-plot svg g[data-month="${month}"]`);
    expect(await thisMonth.locator('rect.m-raised').count()).toBe(1);
    expect(await thisMonth.locator('rect.m-closed').count()).toBe(1);
    expect(await page.locator('#months-plot svg g').count()).toBe(12);
    expect(await page.locator('#months-table tbody tr').count()).toBe(12);
    expect(await page.locator(`#months-table tr[data-month="${month}"] td`).allTextContents()).toEqual([
      String(city.months.find((p) => p.month === month)?.raised),
      String(city.months.find((p) => p.month === month)?.closed),
    ]);
    expect(await page.locator('#months-summary').innerText()).toContain('共登记 8 项、销号 3 项');
    expect(await axeViolations(page)).toEqual([]);
    await page.screenshot({ path: join(SHOTS, 'ledger-stats-zh-desk.png'), fullPage: true });
  });

  it('drills into a county and back up by the path, keeping the range in the URL', async () => {
    await page.locator('#children-bars a[data-code="320507"]').click();
    await shown(page, '320507');
    expect(page.url()).toContain('jurisdiction=320507');
    expect(await page.locator('#stats-title').innerText()).toContain('相城区');
    expect(await page.evaluate(() => document.activeElement?.id)).toBe('stats-title');
    const xiangcheng = await stats('320507');
    expect(await figure(page, 'raised')).toBe(`${xiangcheng.raised} 项`);
    expect(await figure(page, 'overdue')).toBe(`${xiangcheng.overdueNow} 项`);
    expect(await figure(page, 'rate')).toBe(percent(xiangcheng.completionRate));
    // A county has no units below: the section says so and leads to the county's board.
    expect(await page.locator('#children-chart').isVisible()).toBe(false);
    expect(await page.locator('#children-hint').innerText()).toContain('没有下级辖区');
    expect(await page.locator('#children-hint a').getAttribute('href')).toBe('/staff/ledger/?county=320507');
    expect(await page.locator('#stats-totals [data-figure=overdue] a').getAttribute('href')).toBe(
      '/staff/ledger/?overdue=true&county=320507',
    );
    expect(await page.locator('#stats-path [aria-current=page]').innerText()).toBe('相城区');
    expect(await axeViolations(page)).toEqual([]);
    await page.screenshot({ path: join(SHOTS, 'ledger-stats-county-zh-desk.png'), fullPage: true });

    // Back up by the path; then the browser's back button comes down again.
    await page.locator('#stats-path a[data-code="320500"]').click();
    await shown(page, '320500');
    expect(await page.locator('#stats-title').innerText()).toContain('苏州市');
    await page.goBack();
    await shown(page, '320507');
    await page.goForward();
    await shown(page, '320500');
  });

  it('counts the chosen months only, with quick ranges and a range check', async () => {
    // Only last month: nothing was raised then.
    const last = monthBefore(month);
    await page.selectOption('#stats-from', last);
    await page.selectOption('#stats-to', last);
    await page.click('#stats-filters button[type=submit]');
    await expect.poll(() => page.locator('#stats-result').getAttribute('data-to')).toBe(last);
    await shown(page, '320500');
    expect(await figure(page, 'raised')).toBe('0 项');
    expect(await figure(page, 'rate')).toBe('—');
    // "Overdue now" does not depend on the months.
    expect(await figure(page, 'overdue')).toBe('3 项');
    expect(await page.locator('#months-plot svg g').count()).toBe(1);
    expect(await page.locator('#months-plot svg rect').count()).toBe(0);

    // A quick range is one press and shows as pressed.
    await page.click('[data-preset="3"]');
    await expect.poll(() => page.locator('#stats-result').getAttribute('data-from')).toBe(monthBefore(month, 2));
    expect(await page.getAttribute('[data-preset="3"]', 'aria-pressed')).toBe('true');
    expect(await figure(page, 'raised')).toBe('8 项');
    expect(await page.locator('#months-plot svg g').count()).toBe(3);

    // The first month after the last is refused on the field.
    await page.selectOption('#stats-from', month);
    await page.selectOption('#stats-to', last);
    await page.click('#stats-filters button[type=submit]');
    expect(await page.getAttribute('#stats-from', 'aria-invalid')).toBe('true');
    expect(await page.evaluate(() => document.activeElement?.id)).toBe('stats-from');
    expect(await page.locator('#stats-from-error').innerText()).toContain('不能晚于');
    expect(await axeViolations(page)).toEqual([]);

    // In English too.
    await page.goto(`${url}/en/staff/ledger-stats/?jurisdiction=320500`);
    await shown(page, '320500');
    expect(await page.locator('#children-heading').innerText()).toBe('By county');
    expect(await page.locator('#stats-totals [data-figure=overdue]').innerText()).toContain('follow them up');
    expect(await axeViolations(page)).toEqual([]);
    await page.screenshot({ path: join(SHOTS, 'ledger-stats-en-desk.png'), fullPage: true });
  });

  it('works on a 360-pixel phone', async () => {
    await signIn(mobile, 'lead.suzhou');
    await mobile.goto(`${url}/staff/ledger-stats/`);
    await shown(mobile, '320500');
    expect(await mobile.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(360);
    expect(await mobile.locator('#months-plot svg g').count()).toBe(12);
    const width = await mobile.locator('#months-plot svg').evaluate((svg) => svg.getBoundingClientRect().width);
    expect(width).toBeGreaterThan(250);
    expect(width).toBeLessThanOrEqual(340);
    expect(await axeViolations(mobile)).toEqual([]);
    await mobile.screenshot({ path: join(SHOTS, 'ledger-stats-zh-phone.png'), fullPage: true });
    await mobile.locator('#children-bars a[data-code="320506"]').click();
    await shown(mobile, '320506');
    expect(await mobile.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(360);
    await mobile.screenshot({ path: join(SHOTS, 'ledger-stats-county-zh-phone.png'), fullPage: true });
  });

  it('shows the firms’ ratings (好差评) beside the statistics, as the counters give them', async () => {
    // Prepare: the API's satisfaction of the city and of each county.
    const city = await stats('320500');
    expect(city.satisfaction).toMatchObject({ rated: 2, stars: 9, low: 0, average: 4.5 });
    expect((await stats('320506')).satisfaction).toMatchObject({ rated: 1, stars: 4, average: 4 });
    const wide = await browser.newContext({ viewport: { width: 1366, height: 768 }, locale: 'zh-CN' });
    const p = await wide.newPage();
    watchCsp(p);

    // Act
    await signIn(p, 'lead.suzhou');
    await p.goto(`${url}/staff/ledger-stats/`);
    await shown(p, '320500');

    // Assess: the tiles and this month's row are the API's figures.
    const tile = (name: string) => p.locator(`#satisfaction-tiles [data-figure=${name}] dd.tile-value`).innerText();
    expect(await tile('stars')).toBe('4.5 星');
    expect(await tile('rated')).toBe('2 条');
    expect(await tile('low')).toBe('0 条');
    expect(await p.locator('#satisfaction-empty').isVisible()).toBe(false);
    expect(await p.locator(`#satisfaction-table tr[data-month="${month}"] td`).allTextContents()).toEqual([
      '2',
      '4.5 星',
      '0',
    ]);
    expect(await p.locator('#satisfaction-table tbody tr').count()).toBe(12);
    expect(await axeViolations(p)).toEqual([]);
    await p.locator('#satisfaction-section').screenshot({ path: join(SHOTS, 'ledger-stats-satisfaction-1366.png') });
    await p.screenshot({ path: join(SHOTS, 'ledger-stats-satisfaction-1366-full.png'), fullPage: true });

    // A county shows its own rating only; a month without ratings says so.
    await p.goto(`${url}/staff/ledger-stats/?jurisdiction=320506`);
    await shown(p, '320506');
    expect(await tile('stars')).toBe('4.0 星');
    expect(await tile('rated')).toBe('1 条');
    const last = monthBefore(month);
    await p.goto(`${url}/staff/ledger-stats/?jurisdiction=320500&from=${last}&to=${last}`);
    await shown(p, '320500');
    expect(await p.locator('#satisfaction-empty').isVisible()).toBe(true);
    expect(await tile('stars')).toBe('—');
    await wide.close();

    // On a 390 × 844 phone, the section fits the width.
    const phone = await browser.newContext({ ...phoneSize, viewport: { width: 390, height: 844 } });
    const q = await phone.newPage();
    watchCsp(q);
    await signIn(q, 'lead.suzhou');
    await q.goto(`${url}/en/staff/ledger-stats/`);
    await shown(q, '320500');
    expect(await q.locator('#satisfaction-tiles [data-figure=stars] dd.tile-value').innerText()).toBe('4.5 stars');
    expect(await q.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
    expect(await axeViolations(q)).toEqual([]);
    await q.locator('#satisfaction-section').screenshot({ path: join(SHOTS, 'ledger-stats-satisfaction-390.png') });
    await phone.close();
    expect(blocked).toEqual([]);
  });

  it('is for managers: a liaison is turned away, a county lead sees its county, the admin the province', async () => {
    const liaison = await browser.newContext(deskSize);
    const p = await liaison.newPage();
    watchCsp(p);
    await signIn(p, 'liaison.wuzhong');
    await p.goto(`${url}/staff/`);
    await p.locator('#console-me').waitFor({ state: 'visible' });
    expect(await p.locator('.console-nav a[href="/staff/ledger-stats/"]').isVisible()).toBe(false);
    await p.goto(`${url}/staff/ledger-stats/`);
    await p.locator('#console-no-access').waitFor({ state: 'visible' });
    expect(await p.locator('#console-body').isVisible()).toBe(false);
    await liaison.close();

    const lead = await browser.newContext(deskSize);
    const q = await lead.newPage();
    watchCsp(q);
    await signIn(q, 'lead.wuzhong');
    // A unit outside one's own is not offered: the page falls back to one's own county.
    await q.goto(`${url}/staff/ledger-stats/?jurisdiction=320507`);
    await shown(q, '320506');
    expect(await q.locator('#stats-jurisdiction option').allInnerTexts()).toEqual(['吴中区（320506）']);
    expect(await figure(q, 'raised')).toBe(`${(await stats('320506', 'lead.wuzhong')).raised} 项`);
    await lead.close();

    // The province's admin sees the cities, Suzhou with its three overdue items, Wuxi with the demo's.
    const admin = await browser.newContext(deskSize);
    const r = await admin.newPage();
    watchCsp(r);
    await signIn(r, 'admin');
    await r.goto(`${url}/staff/ledger-stats/`);
    await shown(r, '320000');
    expect(await r.locator('#children-heading').innerText()).toBe('各设区市');
    expect(
      await r.locator('#children-bars li').evaluateAll((els) => els.map((e) => (e as HTMLElement).dataset.code)),
    ).toEqual(['320200', '320500']);
    expect(await r.locator('#children-bars li[data-code="320500"]').getAttribute('data-overdue')).toBe('3');
    // Wuxi holds only the demo data's Jiangyin items: its bar says what the API says.
    const wuxi = await stats('320200', 'admin');
    expect(await r.locator('#children-bars li[data-code="320200"]').getAttribute('data-overdue')).toBe(
      String(wuxi.overdueNow),
    );
    await r.locator('#children-bars a[data-code="320500"]').click();
    await shown(r, '320500');
    expect(await r.locator('#stats-path ol').innerText()).toContain('江苏省');
    expect(await axeViolations(r)).toEqual([]);
    await admin.close();
  });
});

describe('staff console: evidence on a ledger move', () => {
  it('uploads a photo with a move and shows its thumbnail in the history', async () => {
    const phone = await browser.newContext(phoneSize);
    const mobile = await phone.newPage();
    watchCsp(mobile);
    await signIn(mobile, 'lead.wuzhong');
    await mobile.goto(`${url}/staff/ledger/item/?id=${photoItemId}`);
    await mobile.locator('#item-view').waitFor({ state: 'visible' });
    const start = mobile.locator('.ledger-move[data-to=in_progress]');
    await start.locator('summary').click();
    await mobile.fill('#move-in_progress-note', '已到现场查看，喷淋管破损处已拍照，企业当天更换。');
    await mobile.setInputFiles('#move-in_progress-camera', {
      name: '喷淋管更换前.png',
      mimeType: 'image/png',
      buffer: png(320, 240),
    });
    const upload = start.locator('li.upload');
    await expect.poll(() => upload.getAttribute('data-state'), { timeout: 20_000 }).toBe('done');
    expect(await upload.innerText()).toContain('喷淋管更换前.png');
    expect(await axeViolations(mobile)).toEqual([]);
    expect(await mobile.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(360);
    await mobile.screenshot({ path: join(SHOTS, 'ledger-stats-item-upload-zh-phone.png'), fullPage: true });
    await start.locator('button[type=submit]').click();
    await expect.poll(() => mobile.locator('#item-state').innerText()).toBe('办理中');

    const entry = mobile.locator('#item-history li.ledger-history-entry').last();
    expect(await entry.innerText()).toContain('附件（1）');
    const thumb = entry.locator('li.evidence-thumb img');
    await thumb.waitFor({ state: 'visible' });
    await expect.poll(() => thumb.evaluate((img) => (img as HTMLImageElement).naturalWidth)).toBe(320);
    expect(await entry.locator('.evidence-name').innerText()).toBe('喷淋管更换前.png');

    const saved = (await call('GET', `/api/staff/ledger-items/${photoItemId}`, 'lead.wuzhong')).body?.item as {
      history: { to: string; evidence?: { evidenceId: string; fileName: string; contentType: string }[] }[];
    };
    const moved = saved.history.at(-1);
    expect(moved?.to).toBe('in_progress');
    expect(moved?.evidence).toEqual([
      expect.objectContaining({ fileName: '喷淋管更换前.png', contentType: 'image/png' }),
    ]);
    expect(await entry.locator('li.evidence-thumb').getAttribute('data-evidence-id')).toBe(
      moved?.evidence?.[0]?.evidenceId,
    );
    expect(await axeViolations(mobile)).toEqual([]);
    await mobile.screenshot({ path: join(SHOTS, 'ledger-stats-item-evidence-zh-phone.png'), fullPage: true });

    // The liaison of the county sees the same photo.
    const other = await browser.newContext(deskSize);
    const p = await other.newPage();
    watchCsp(p);
    await signIn(p, 'liaison.wuzhong');
    await p.goto(`${url}/staff/ledger/item/?id=${photoItemId}`);
    const seen = p.locator('#item-history li.ledger-history-entry').last().locator('li.evidence-thumb img');
    await seen.waitFor({ state: 'visible' });
    await expect.poll(() => seen.evaluate((img) => (img as HTMLImageElement).naturalWidth)).toBe(320);
    await p.screenshot({ path: join(SHOTS, 'ledger-stats-item-evidence-zh-desk.png'), fullPage: true });
    await other.close();
    await phone.close();
    expect(blocked).toEqual([]);
  });
});
