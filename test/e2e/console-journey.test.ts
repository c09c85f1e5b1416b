import { join } from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { shanghaiDate, toShanghaiIso } from '../../shared/time.ts';
import { cspWatch, deskSize, phoneSize, productClient } from '../support/e2e.ts';
import { png } from '../support/png.ts';
import { axeViolations, type Product, SHOTS, startProduct } from '../support/product.ts';
import { distinctUsccs } from '../support/uscc.ts';

// The staff console's main journey end to end in Chromium, as `npm start` runs the product, through the
// pages only (the API is used just to check what the pages did): the Wuzhong lead imports the bureau's
// list of three new firms and sees the row report and the firms on the roster; pairs one of them with the
// Wuzhong liaison on the pairings page; the liaison, on a phone, logs a visit with a photo from the
// camera input; the lead opens the firm's page and sees the visit on its service record with the photo's
// thumbnail loaded. Screenshots go to test-results/screenshots/journey-*.png.
let product: Product;
let url: string;
let browser: Browser;
let desk: BrowserContext;
let lead: Page;
let phoneContext: BrowserContext;
let liaison: Page;
const { call, apiSignIn, signIn } = productClient(() => url);
/** What the browser refused under a page's Content-Security-Policy (uploads and thumbnails must not be). */
const { blocked, watchCsp } = cspWatch();

/** All three firm names carry this, so a search finds them among `npm start`'s demo firms. */
const marker = '石湖旅程';
const codes = distinctUsccs(3);
const firms = [
  { name: `苏州${marker}环保科技有限公司`, industry: '环保设备制造', size: '小型', tier: '县级', contact: '王经理' },
  { name: `苏州${marker}精密电镀有限公司`, industry: '金属表面处理', size: '中型', tier: '市级', contact: '李工' },
  { name: `苏州${marker}纺织印染有限公司`, industry: '纺织印染', size: '微型', tier: '县级', contact: '陈主任' },
].map((firm, i) => ({ ...firm, uscc: codes[i] as string, mobile: `1370000${String(i + 1).padStart(4, '0')}` }));
const paired = firms[0] as (typeof firms)[number];
const year = Number(shanghaiDate(new Date()).slice(0, 4));
/** Two weeks ago (Beijing): the pairing has started before the visit. */
const startsOn = shanghaiDate(new Date(Date.now() - 14 * 86_400_000));
const visitSummary = '走访企业废气处理设施，活性炭更换台账齐全，提醒按期提交排污许可执行报告。';
const photoSize = { width: 120, height: 90 };
let pairingId = '';
let evidenceId = '';

/** `datetime-local` value of an instant in Beijing. */
const beijingLocal = (msFromNow: number) => toShanghaiIso(new Date(Date.now() + msFromNow)).slice(0, 16);

const rosterRows = (p: Page) => p.locator('#roster-table tbody tr');
const pairingCard = (p: Page, uscc: string) => p.locator(`#pairings-list li[data-uscc="${uscc}"]`);

beforeAll(async () => {
  product = await startProduct('eco-e2e-journey-');
  ({ url, browser } = product);
  // Tokens for checking through the API what the pages did (the steps themselves go through the pages).
  for (const who of ['lead.wuzhong', 'liaison.wuzhong']) expect((await apiSignIn(who)).status).toBe(200);
  for (const firm of firms) {
    expect((await call('GET', `/api/staff/enterprises/${firm.uscc}`, 'lead.wuzhong')).status).toBe(404);
  }
  desk = await browser.newContext(deskSize);
  lead = await desk.newPage();
  watchCsp(lead);
  phoneContext = await browser.newContext(phoneSize);
  liaison = await phoneContext.newPage();
  watchCsp(liaison);
});

afterAll(async () => {
  await product?.stop();
});

describe('staff console journey: import, pair, log a visit with a photo, see it on the firm page', () => {
  it('1. the Wuzhong lead signs in and imports a list of three new firms on the roster page', async () => {
    await signIn(lead, 'lead.wuzhong');
    await lead.goto(`${url}/staff/enterprises/`);
    await rosterRows(lead).first().waitFor({ state: 'visible' });
    await lead.locator('#import-form').waitFor({ state: 'visible' });

    const csv = [
      '统一社会信用代码,企业名称,所在区县代码,地址,行业,规模,分级,联系人,联系电话',
      ...firms.map((f, i) =>
        [
          f.uscc,
          f.name,
          '320506',
          `苏州市吴中区越溪街道石湖西路 ${i + 1} 号`,
          f.industry,
          f.size,
          f.tier,
          f.contact,
          f.mobile,
        ].join(','),
      ),
    ].join('\r\n');
    await lead.locator('#import-file').setInputFiles({
      name: '吴中区新增企业名录.csv',
      mimeType: 'text/csv',
      buffer: Buffer.from(`\uFEFF${csv}\r\n`, 'utf8'),
    });
    expect(await lead.isChecked('#import-mode-all-or-nothing')).toBe(true);
    await lead.click('#import-submit');

    // The row report: three rows, each imported, nothing at fault.
    const report = lead.locator('#import-report');
    await report.waitFor({ state: 'visible' });
    expect(await report.getAttribute('data-committed')).toBe('true');
    expect(await lead.locator('#import-outcome').innerText()).toContain('导入完成');
    expect(await lead.locator('#import-counts [data-count=total] dd').innerText()).toBe('3');
    expect(await lead.locator('#import-counts [data-count=imported] dd').innerText()).toBe('3');
    expect(await lead.locator('#import-counts [data-count=failed] dd').innerText()).toBe('0');
    const reportRows = lead.locator('#import-rows tbody tr');
    expect(await reportRows.count()).toBe(3);
    for (const [i, firm] of firms.entries()) {
      const row = lead.locator(`#import-rows tr[data-row="${i + 2}"]`);
      expect(await row.getAttribute('data-result')).toBe('imported');
      expect(await row.innerText()).toContain(firm.uscc);
    }
    expect(await lead.locator('#import-progress-box').isVisible()).toBe(false);
    expect(await lead.locator('#import-problem').isVisible()).toBe(false);

    // The roster lists them (searched for among the demo firms), with the list's words for size and tier.
    await lead.fill('#filter-q', marker);
    await lead.click('#filter-submit');
    await expect.poll(() => rosterRows(lead).count()).toBe(3);
    for (const firm of firms) {
      const row = lead.locator(`#roster-table tbody tr[data-uscc="${firm.uscc}"]`);
      expect(await row.innerText()).toContain(firm.name);
      expect(await row.innerText()).toContain('吴中区');
    }
    expect(await lead.locator(`#roster-table tr[data-uscc="${firms[1]?.uscc}"]`).innerText()).toContain('市级');

    // What the page sent is on the roster, as the file said.
    for (const firm of firms) {
      const saved = await call('GET', `/api/staff/enterprises/${firm.uscc}`, 'lead.wuzhong');
      expect(saved.status).toBe(200);
      expect(saved.body?.enterprise).toMatchObject({
        uscc: firm.uscc,
        name: firm.name,
        county: '320506',
        industry: firm.industry,
        contacts: [{ name: firm.contact, mobile: firm.mobile }],
      });
    }
    expect(await axeViolations(lead)).toEqual([]);
    await lead.locator('#import-report').scrollIntoViewIfNeeded();
    await lead.screenshot({ path: join(SHOTS, 'journey-1-import.png'), fullPage: true });
  });

  it('2. the lead pairs one imported firm with the Wuzhong liaison on the pairings page', async () => {
    await lead.click('.console-nav a[href="/staff/pairings/"]');
    await lead.waitForURL(/\/staff\/pairings\/$/);
    await lead.locator('#new-pairing-form').waitFor({ state: 'visible' });
    await lead.locator('#pairings-list:not([aria-busy])').waitFor();
    expect(await pairingCard(lead, paired.uscc).count()).toBe(0);

    await lead.fill('#pairing-uscc', paired.uscc);
    await expect.poll(() => lead.locator('#pairing-firm').innerText()).toContain(paired.name);
    await lead.selectOption('#pairing-liaison', 'liaison.wuzhong');
    await lead.fill('#pairing-year', String(year));
    await lead.fill('#pairing-starts', startsOn);
    await lead.click('#new-pairing-form button[type=submit]');

    const status = lead.locator('#pairings-status');
    await status.waitFor({ state: 'visible' });
    expect(await status.innerText()).toContain(paired.name);
    expect(await lead.locator('#pairing-errors').isVisible()).toBe(false);
    const card = lead.locator(`#pairings-list section[data-liaison="liaison.wuzhong"] li[data-uscc="${paired.uscc}"]`);
    await card.waitFor({ state: 'visible' });
    expect(await card.getAttribute('data-status')).toBe('active');
    expect(await card.innerText()).toContain('本月尚未走访或视频连线');
    pairingId = (await card.getAttribute('data-pairing-id')) ?? '';
    expect(pairingId).toBeTruthy();

    const listed = await call('GET', `/api/staff/pairings?serviceYear=${year}`, 'lead.wuzhong');
    expect(listed.status).toBe(200);
    const ours = ((listed.body?.pairings ?? []) as { uscc: string }[]).filter((p) => p.uscc === paired.uscc);
    expect(ours).toEqual([
      expect.objectContaining({ pairingId, liaison: 'liaison.wuzhong', serviceYear: year, startsOn, status: 'active' }),
    ]);
    expect(await axeViolations(lead)).toEqual([]);
    await card.scrollIntoViewIfNeeded();
    await lead.screenshot({ path: join(SHOTS, 'journey-2-pairing.png'), fullPage: true });
  });

  it('3. the liaison, on a phone, logs a visit with a photo from the pairing’s contact form', async () => {
    await signIn(liaison, 'liaison.wuzhong');
    await liaison.click('.console-nav a[href="/staff/pairings/"]');
    await liaison.waitForURL(/\/staff\/pairings\/$/);
    const card = pairingCard(liaison, paired.uscc);
    await card.waitFor({ state: 'visible' });
    expect(await card.getAttribute('data-pairing-id')).toBe(pairingId);
    await card.locator('a[data-action=contact]').click();
    await liaison.waitForURL(/\/staff\/pairings\/contact\/\?id=/);
    expect(new URL(liaison.url()).searchParams.get('id')).toBe(pairingId);
    await liaison.locator('#contact-form').waitFor({ state: 'visible' });
    await expect.poll(() => liaison.locator('#pairing-firm-name').innerText()).toContain(paired.name);
    await expect.poll(() => liaison.locator('#contact-list').innerText()).toContain('尚无联系记录');

    await liaison.fill('#contact-at', beijingLocal(-15 * 60_000));
    await liaison.check('input[name=mode][value=visit]');
    await liaison.fill('#contact-participants', `${paired.contact}、吴中区联络员`);
    await liaison.fill('#contact-summary', visitSummary);
    await liaison.setInputFiles('#evidence-camera', {
      name: '废气处理设施.png',
      mimeType: 'image/png',
      buffer: png(photoSize.width, photoSize.height),
    });
    const upload = liaison.locator('#evidence-list li.upload');
    await expect.poll(() => upload.getAttribute('data-state'), { timeout: 20_000 }).not.toBe('hashing');
    await expect.poll(() => upload.getAttribute('data-state'), { timeout: 20_000 }).not.toBe('uploading');
    expect(blocked).toEqual([]);
    expect(await upload.getAttribute('data-state')).toBe('done');
    expect(await upload.innerText()).toContain('废气处理设施.png');
    expect(await axeViolations(liaison)).toEqual([]);
    await liaison.screenshot({ path: join(SHOTS, 'journey-3-visit-form.png'), fullPage: true });

    await liaison.click('#contact-form button[type=submit]');
    const result = liaison.locator('#contact-result');
    await result.waitFor({ state: 'visible' });
    expect(await result.innerText()).toContain('联系记录已保存');
    expect(await liaison.locator('#contact-warnings').isVisible()).toBe(false);
    const contacts = liaison.locator('#contact-list li.contact');
    await expect.poll(() => contacts.count()).toBe(1);
    expect(await contacts.first().getAttribute('data-mode')).toBe('visit');
    expect(await contacts.first().innerText()).toContain('活性炭更换台账齐全');
    await contacts.first().locator('.evidence-thumb a.evidence-link').waitFor({ state: 'visible' });
    expect(await liaison.locator('#evidence-list li').count()).toBe(0);
    expect(await liaison.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(360);

    const logged = await call('GET', `/api/staff/pairings/${pairingId}/contacts`, 'liaison.wuzhong');
    expect(logged.status).toBe(200);
    const saved = logged.body?.contacts as {
      mode: string;
      summary: string;
      participants: string[];
      evidenceIds: string[];
    }[];
    expect(saved).toHaveLength(1);
    expect(saved[0]).toMatchObject({
      mode: 'visit',
      summary: visitSummary,
      participants: [paired.contact, '吴中区联络员'],
    });
    expect(saved[0]?.evidenceIds).toHaveLength(1);
    evidenceId = saved[0]?.evidenceIds[0] as string;
    expect(blocked).toEqual([]);
    expect(await axeViolations(liaison)).toEqual([]);
    await liaison.screenshot({ path: join(SHOTS, 'journey-3-visit-saved.png'), fullPage: true });
  });

  it('4. the lead opens the firm’s page and sees the visit with its photo on the service record', async () => {
    // The pairings page now counts the visit for this month; the firm's name links to its page.
    await lead.reload();
    const card = pairingCard(lead, paired.uscc);
    await card.waitFor({ state: 'visible' });
    expect(await card.innerText()).toContain('本月已走访或视频连线');
    await card.locator('h4 a').click();
    await lead.waitForURL(/\/staff\/enterprises\/firm\/\?uscc=/);
    expect(new URL(lead.url()).searchParams.get('uscc')).toBe(paired.uscc);
    await expect.poll(() => lead.locator('#firm-heading').innerText()).toBe(paired.name);
    expect(await lead.locator('#firm-facts').innerText()).toContain(paired.uscc);

    const pairing = lead.locator(`#firm-pairings [data-pairing-id="${pairingId}"]`);
    await pairing.waitFor({ state: 'visible' });
    expect(await pairing.innerText()).toContain('吴中区联络员');

    const visit = lead.locator(`#timeline li[data-kind=contact][data-pairing-id="${pairingId}"]`);
    await visit.waitFor({ state: 'visible' });
    expect(await lead.locator('#timeline > li').count()).toBe(1);
    expect(await visit.innerText()).toContain('走访');
    expect(await visit.innerText()).toContain(visitSummary);
    expect(await visit.innerText()).toContain(`${paired.contact}、吴中区联络员`);
    const thumb = visit.locator(`li.evidence-thumb[data-evidence-id="${evidenceId}"] img`);
    await expect.poll(() => thumb.getAttribute('data-loaded')).toBe('true');
    await thumb.scrollIntoViewIfNeeded();
    // The browser has the picture itself (not a broken image): it is decoded at the photo's size.
    await expect
      .poll(() => thumb.evaluate((img: HTMLImageElement) => (img.complete ? img.naturalWidth : -1)))
      .toBeGreaterThan(0);
    expect(await thumb.evaluate((img: HTMLImageElement) => img.naturalWidth)).toBe(photoSize.width);
    expect(await thumb.isVisible()).toBe(true);
    expect(blocked).toEqual([]);

    const timeline = await call('GET', `/api/staff/enterprises/${paired.uscc}/timeline`, 'lead.wuzhong');
    expect(timeline.status).toBe(200);
    expect(timeline.body?.items).toEqual([
      expect.objectContaining({
        kind: 'contact',
        pairingId,
        liaison: 'liaison.wuzhong',
        mode: 'visit',
        evidence: [expect.objectContaining({ evidenceId, contentType: 'image/png' })],
      }),
    ]);
    expect(await axeViolations(lead)).toEqual([]);
    await lead.screenshot({ path: join(SHOTS, 'journey-4-firm.png'), fullPage: true });
  });
});
