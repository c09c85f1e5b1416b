import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { shanghaiDate, toShanghaiIso } from '../../shared/time.ts';
import { cspWatch, deskSize, phoneSize, productClient, sessionOnEveryPage } from '../support/e2e.ts';
import { png } from '../support/png.ts';
import { axeViolations, type Product, SHOTS, startProduct } from '../support/product.ts';
import { distinctUsccs } from '../support/uscc.ts';

// The pairing pages of the staff console, as `npm start` runs the product: the Wuzhong lead opens
// pairings from the "me" card and pairs a firm with the Wuzhong liaison (a duplicate is refused); the
// liaison, on a 360-pixel phone, logs a visit with a photo from the camera input and sees it listed with
// its evidence; a second contact within 7 days carries the repeated-visit warning; a future time is
// refused inline. The lead creates a second liaison account, reassigns the pairing to it, pauses and
// resumes another, exports the province's submission table and reads it all in the audit log.
// Screenshots go to test-results/screenshots/pairings-*.png.
const shots = SHOTS;
let product: Product;
let url: string;
let browser: Browser;
let desk: BrowserContext;
let page: Page;
let phoneContext: BrowserContext;
let mobile: Page;
const { token, call, apiSignIn, signIn } = productClient(() => url);
/** What the browser refused under the page's Content-Security-Policy (uploads and thumbnails must not be). */
const { blocked, watchCsp } = cspWatch();

const [usccA, usccB] = distinctUsccs(2) as [string, string];
const firmA = '苏州清源表面处理有限公司';
const firmB = '吴中太湖印染有限公司';
const year = Number(shanghaiDate(new Date()).slice(0, 4));
const newLiaison = `liaison.wz${Date.now().toString(36).slice(-5)}`;
let pairingA = '';

const firm = (uscc: string, name: string) => ({
  uscc,
  name,
  county: '320506',
  address: '苏州市吴中区木渎镇金枫南路 8 号',
  industry: '金属表面处理',
  size: 'small',
  tier: 'county',
  contacts: [{ name: '王经理', role: '环保专员', mobile: '13812345678' }],
});

/** `datetime-local` value of an instant in Beijing. */
const beijingLocal = (msFromNow: number) => toShanghaiIso(new Date(Date.now() + msFromNow)).slice(0, 16);

const pairingCard = (p: Page, uscc: string) => p.locator(`#pairings-list li[data-uscc="${uscc}"]`);

beforeAll(async () => {
  product = await startProduct('eco-e2e-pairings-');
  ({ url, browser } = product);
  for (const who of ['lead.wuzhong', 'liaison.wuzhong']) await apiSignIn(who);
  for (const [uscc, name] of [
    [usccA, firmA],
    [usccB, firmB],
  ] as const) {
    expect((await call('POST', '/api/staff/enterprises', 'lead.wuzhong', firm(uscc, name))).status).toBe(201);
  }
  desk = await browser.newContext({ ...deskSize, acceptDownloads: true });
  page = await desk.newPage();
  phoneContext = await browser.newContext(phoneSize);
  mobile = await phoneContext.newPage();
  watchCsp(mobile);
});

afterAll(async () => {
  await product?.stop();
});

describe('staff console: pairings and contacts', () => {
  it('lets the lead pair a firm with the Wuzhong liaison from the pairings page', async () => {
    await signIn(page, 'lead.wuzhong');
    // Sign-in lands on the console home; its bar offers pairings to every role, consultation days to leads.
    expect(await page.locator('.console-nav a[href="/staff/consultation-days/"]').isVisible()).toBe(true);
    await page.click('.console-nav a[href="/staff/pairings/"]');
    await page.waitForURL(/\/staff\/pairings\/$/);
    await page.locator('#new-pairing-form').waitFor({ state: 'visible' });
    await page.locator('#pairings-list:not([aria-busy])').waitFor();
    expect(await page.inputValue('#filter-year')).toBe(String(year));
    expect(await page.locator('#pairing-liaison option[value="liaison.wuzhong"]').count()).toBe(1);
    expect(await axeViolations(page)).toEqual([]);

    // Nothing filled in: every problem is named, with focus on the summary.
    await page.click('#new-pairing-form button[type=submit]');
    await page.locator('#pairing-errors').waitFor({ state: 'visible' });
    expect(await page.evaluate(() => document.activeElement?.id)).toBe('pairing-errors');
    expect(await page.getAttribute('#pairing-uscc', 'aria-invalid')).toBe('true');
    expect(await page.getAttribute('#pairing-liaison', 'aria-invalid')).toBe('true');
    await page.screenshot({ path: join(shots, 'pairings-new-errors-zh-desk.png'), fullPage: true });
    expect(await axeViolations(page)).toEqual([]);

    await page.fill('#pairing-uscc', usccA.toLowerCase());
    await expect.poll(() => page.locator('#pairing-firm').innerText()).toContain(firmA);
    await page.selectOption('#pairing-liaison', 'liaison.wuzhong');
    // 联系领导: once the firm is known, the leads over its county are offered (the lead itself here).
    expect(await page.locator('#pairing-leader option[value="lead.wuzhong"]').count()).toBe(1);
    await page.selectOption('#pairing-leader', 'lead.wuzhong');
    // The check-up cadence: the default unless chosen; a key firm is seen every six months.
    expect(await page.inputValue('#pairing-cadence')).toBe('');
    expect(await page.locator('#pairing-cadence option').allInnerTexts()).toEqual([
      '按默认周期',
      '每 3 个月',
      '每 6 个月',
      '每 12 个月',
      '每 24 个月',
    ]);
    await page.selectOption('#pairing-cadence', '6');
    await page.click('#new-pairing-form button[type=submit]');
    await page.locator('#pairings-status').waitFor({ state: 'visible' });
    expect(await page.locator('#pairings-status').innerText()).toContain(firmA);
    const card = pairingCard(page, usccA);
    await card.waitFor({ state: 'visible' });
    expect(await card.getAttribute('data-status')).toBe('active');
    expect(await card.locator('h4 a').getAttribute('href')).toBe(`/staff/enterprises/firm/?uscc=${usccA}`);
    // Cards are grouped per liaison, the liaison named once in the group's heading.
    const group = page.locator('#pairings-list section[data-liaison="liaison.wuzhong"]');
    expect(await group.locator('h3').innerText()).toContain('吴中区联络员');
    expect(await group.locator(`li[data-uscc="${usccA}"]`).count()).toBe(1);
    expect(await card.innerText()).toContain('本月尚未走访或视频连线');
    expect(await card.locator('[data-fact="contactLeader"] dd').innerText()).toContain('吴中区联系领导');
    expect(await card.locator('[data-fact="cadence"] dd').innerText()).toBe('每 6 个月');
    // The form is ready for the next firm: back to the default cadence.
    expect(await page.inputValue('#pairing-cadence')).toBe('');
    pairingA = (await card.getAttribute('data-pairing-id')) as string;
    expect(pairingA).toBeTruthy();
    await page.screenshot({ path: join(shots, 'pairings-list-zh-desk.png'), fullPage: true });

    // The same firm again in the same year is refused, on the USCC field.
    await page.fill('#pairing-uscc', usccA);
    await expect.poll(() => page.locator('#pairing-firm').innerText()).toContain(firmA);
    await page.selectOption('#pairing-liaison', 'liaison.wuzhong');
    await page.click('#new-pairing-form button[type=submit]');
    await page.locator('#pairing-errors').waitFor({ state: 'visible' });
    expect(await page.locator('#pairing-errors').innerText()).toContain('已有服务中的结对');
    expect(await page.getAttribute('#pairing-uscc', 'aria-invalid')).toBe('true');

    // The second firm is paired through the API for the later steps.
    const b = await call('POST', '/api/staff/pairings', 'lead.wuzhong', {
      uscc: usccB,
      liaison: 'liaison.wuzhong',
      serviceYear: year,
      startsOn: shanghaiDate(new Date()),
    });
    expect(b.status).toBe(201);
  });

  it('lets the liaison log a visit with a photo on a phone and lists it with its evidence', async () => {
    await signIn(mobile, 'liaison.wuzhong');
    // A liaison's console bar links to its pairings, not to consultation-day management.
    expect(await mobile.locator('.console-nav a[href="/staff/consultation-days/"]').isVisible()).toBe(false);
    await mobile.screenshot({ path: join(shots, 'pairings-home-zh-phone.png'), fullPage: true });
    await mobile.click('.console-nav a[href="/staff/pairings/"]');
    await mobile.waitForURL(/\/staff\/pairings\/$/);
    const card = pairingCard(mobile, usccA);
    await card.waitFor({ state: 'visible' });
    // A liaison sees its own pairings, without the managers' parts.
    expect(await mobile.locator('#new-pairing').isVisible()).toBe(false);
    expect(await mobile.locator('#filter-liaison').isVisible()).toBe(false);
    expect(await card.locator('[data-action=pause]').count()).toBe(0);
    expect(await axeViolations(mobile)).toEqual([]);
    await mobile.screenshot({ path: join(shots, 'pairings-list-zh-phone.png'), fullPage: true });

    await card.locator('a[data-action=contact]').click();
    await mobile.waitForURL(/\/staff\/pairings\/contact\/\?id=/);
    await mobile.locator('#contact-form').waitFor({ state: 'visible' });
    expect(await mobile.locator('#pairing-firm-name').innerText()).toContain(firmA);
    expect(await mobile.getAttribute('#evidence-camera', 'capture')).toBe('environment');
    await expect.poll(() => mobile.locator('#contact-list').innerText()).toContain('尚无联系记录');
    // "When" starts at now (Beijing), and nothing on the page is wider than the phone.
    // The firm's card: directions by its address, its contact person one tap from a call.
    expect(await mobile.getAttribute('#pairing-reach [data-reach=person] a', 'href')).toBe('tel:13812345678');
    const directions = new URL((await mobile.getAttribute('#pairing-reach [data-reach=address] a', 'href')) as string);
    expect(directions.host).toBe('uri.amap.com');
    expect(directions.searchParams.get('keyword')).toBe('苏州市吴中区木渎镇金枫南路 8 号');
    expect(await mobile.locator('#pairing-reach [data-reach=last]').innerText()).toContain('尚无联系记录');
    // No contact with the firm yet: no repeated-visit warning.
    expect(await mobile.locator('#contact-repeat').isVisible()).toBe(false);
    expect(await mobile.inputValue('#contact-at')).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}$/);
    expect(await mobile.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(360);
    expect(await axeViolations(mobile)).toEqual([]);

    await mobile.fill('#contact-at', beijingLocal(-10 * 60_000));
    await mobile.check('input[name=mode][value=visit]');
    await mobile.fill('#contact-participants', '王经理、李工，张三');
    await mobile.fill(
      '#contact-summary',
      '走访企业电镀车间，了解废水处理设施运行情况；企业询问排污许可证延续办理流程，已现场说明。',
    );
    await mobile.setInputFiles('#evidence-camera', {
      name: 'workshop.png',
      mimeType: 'image/png',
      buffer: png(96, 64),
    });
    const upload = mobile.locator('#evidence-list li.upload');
    await expect.poll(() => upload.getAttribute('data-state'), { timeout: 20_000 }).not.toBe('hashing');
    await expect.poll(() => upload.getAttribute('data-state'), { timeout: 20_000 }).not.toBe('uploading');
    // The photo goes straight to the bucket's presigned URL: the page's policy must let it.
    expect(blocked).toEqual([]);
    expect(await upload.getAttribute('data-state')).toBe('done');
    expect(await upload.locator('img.upload-thumb').count()).toBe(1);
    expect(await upload.innerText()).toContain('workshop.png');
    await mobile.screenshot({ path: join(shots, 'contact-form-zh-phone.png'), fullPage: true });
    expect(await axeViolations(mobile)).toEqual([]);

    await mobile.click('#contact-form button[type=submit]');
    await mobile.locator('#contact-result').waitFor({ state: 'visible' });
    expect(await mobile.evaluate(() => document.activeElement?.id)).toBe('contact-result');
    expect(await mobile.locator('#contact-result').innerText()).toContain('联系记录已保存');
    const contacts = mobile.locator('#contact-list li.contact');
    await expect.poll(() => contacts.count()).toBe(1);
    const first = contacts.first();
    expect(await first.getAttribute('data-mode')).toBe('visit');
    expect(await first.innerText()).toContain('王经理、李工、张三');
    const thumb = first.locator('.evidence-thumb a.evidence-link');
    await thumb.waitFor({ state: 'visible' });
    expect(await thumb.innerText()).toContain('workshop.png');
    // The evidence opens through a presigned link, and the uploaded bytes are the photo's.
    // The thumbnail is the photo itself, loaded from its presigned link.
    const image = thumb.locator('img');
    const settled = async () =>
      blocked.length > 0 ||
      (await image.count()) === 0 ||
      (await image.evaluate((img) => (img as HTMLImageElement).complete));
    await expect.poll(settled).toBe(true);
    expect(blocked).toEqual([]);
    expect(await image.evaluate((img) => (img as HTMLImageElement).naturalWidth)).toBe(96);
    const href = (await thumb.getAttribute('href')) as string;
    const fetched = await fetch(href);
    expect(fetched.status).toBe(200);
    expect(
      Buffer.from(await fetched.arrayBuffer())
        .subarray(1, 4)
        .toString('ascii'),
    ).toBe('PNG');
    // The upload list is emptied for the next contact, and the pairing shows its last visit.
    expect(await mobile.locator('#evidence-list li').count()).toBe(0);
    expect(await mobile.locator('#pairing-facts [data-fact=lastQualifying]').innerText()).not.toContain('尚无');
    await mobile.screenshot({ path: join(shots, 'contact-saved-zh-phone.png'), fullPage: true });
    expect(await axeViolations(mobile)).toEqual([]);
  });

  it('warns about a repeated visit before saving when the firm was contacted in the last 7 days', async () => {
    // After saving, the page offers the next firm; another contact with this one is a tap away, and
    // the visit just saved is one of the firm's contacts of the last 7 days: the form says so at once.
    await mobile.click('#contact-again');
    const warning = mobile.locator('#contact-repeat');
    await warning.waitFor({ state: 'visible' });
    expect(await warning.innerText()).toContain('近 7 天内已联系过这家企业');
    expect(await warning.locator('li[data-mine=true]').innerText()).toContain('你于');
    await mobile.fill('#contact-at', beijingLocal(-5 * 60_000));
    await mobile.check('input[name=mode][value=video]');
    await mobile.fill('#contact-participants', '王经理');
    await mobile.fill('#contact-summary', '视频连线回访，企业已按要求补充台账资料。');
    await mobile.click('#contact-form button[type=submit]');
    await mobile.locator('#contact-result').waitFor({ state: 'visible' });
    await expect.poll(() => mobile.locator('#contact-list li.contact').count()).toBe(2);
    expect(await mobile.locator('#contact-list li.contact').first().getAttribute('data-mode')).toBe('video');
    await mobile.screenshot({ path: join(shots, 'contact-repeated-zh-phone.png'), fullPage: true });
    expect(await axeViolations(mobile)).toEqual([]);
  });

  it('refuses a contact time in the future inline, before anything is sent', async () => {
    await mobile.click('#contact-again');
    await mobile.fill('#contact-at', beijingLocal(3 * 60 * 60_000));
    await mobile.locator('#contact-at').dispatchEvent('change');
    expect(await mobile.getAttribute('#contact-at', 'aria-invalid')).toBe('true');
    expect(await mobile.locator('#contact-at-error').innerText()).toContain('不能晚于现在');
    await mobile.fill('#contact-participants', '王经理');
    await mobile.fill('#contact-summary', '这是一条不应保存的记录。');
    await mobile.click('#contact-form button[type=submit]');
    await mobile.locator('#contact-errors').waitFor({ state: 'visible' });
    expect(await mobile.evaluate(() => document.activeElement?.id)).toBe('contact-errors');
    await mobile.screenshot({ path: join(shots, 'contact-future-zh-phone.png'), fullPage: true });
    expect(await axeViolations(mobile)).toEqual([]);
    const listed = await call('GET', `/api/staff/pairings/${pairingA}/contacts`, 'liaison.wuzhong');
    expect(listed.body?.contacts).toHaveLength(2);
  });

  it('lets the lead create a liaison account on the staff page (a taken username is refused)', async () => {
    await page.goto(`${url}/staff/users/`);
    await page.locator('#new-user-form').waitFor({ state: 'visible' });
    await page.locator('#users-list tr[data-username="liaison.wuzhong"]').waitFor();
    // A lead creates only inside its subtree and never an admin.
    expect(await page.locator('#user-role option[value=admin]').count()).toBe(0);
    expect(await page.inputValue('#user-jurisdiction')).toBe('320506');
    expect(await axeViolations(page)).toEqual([]);

    await page.fill('#user-username', 'liaison.wuzhong');
    await page.fill('#user-display-name', '重名测试');
    await page.fill('#user-email', 'dup@example.com');
    await page.click('#new-user-form button[type=submit]');
    await page.locator('#user-errors').waitFor({ state: 'visible' });
    expect(await page.locator('#user-username-error').innerText()).toContain('已被使用');

    await page.fill('#user-jurisdiction', '320507');
    await page.click('#new-user-form button[type=submit]');
    expect(await page.locator('#user-jurisdiction-error').innerText()).toContain('只能在您的辖区');
    await page.screenshot({ path: join(shots, 'users-errors-zh-desk.png'), fullPage: true });

    await page.fill('#user-username', newLiaison);
    await page.fill('#user-display-name', '吴中区联络员二');
    await page.fill('#user-email', `${newLiaison}@example.com`);
    await page.fill('#user-jurisdiction', '320506');
    await page.click('#new-user-form button[type=submit]');
    await page.locator('#users-status').waitFor({ state: 'visible' });
    expect(await page.locator('#users-status').innerText()).toContain(newLiaison);
    const row = page.locator(`#users-list tr[data-username="${newLiaison}"]`);
    await row.waitFor();
    expect(await row.innerText()).toContain('企业联络员');
    expect(await row.innerText()).toContain('吴中区');
    await page.screenshot({ path: join(shots, 'users-zh-desk.png'), fullPage: true });
    expect(await axeViolations(page)).toEqual([]);
  });

  it('lets the lead reassign one pairing and pause and resume another, each after a confirmation', async () => {
    await page.goto(`${url}/staff/pairings/`);
    const card = pairingCard(page, usccA);
    await card.waitFor({ state: 'visible' });
    expect(await card.innerText()).toContain('本月已走访或视频连线');

    await card.locator('button[data-action=reassign]').click();
    const confirm = card.locator('form.pairing-confirm');
    await confirm.waitFor({ state: 'visible' });
    expect(await page.evaluate(() => document.activeElement?.tagName)).toBe('H5');
    // Confirming without a choice names the missing choice.
    await confirm.locator('select').selectOption('');
    await confirm.locator('button[type=submit]').click();
    expect(await confirm.locator('select').getAttribute('aria-invalid')).toBe('true');
    await confirm.locator('select').selectOption(newLiaison);
    await page.screenshot({ path: join(shots, 'pairings-reassign-zh-desk.png'), fullPage: true });
    expect(await axeViolations(page)).toEqual([]);
    await confirm.locator('button[type=submit]').click();
    await expect.poll(() => page.locator('#pairings-status').innerText()).toContain('吴中区联络员二');
    const moved = page.locator(`#pairings-list section[data-liaison="${newLiaison}"] li[data-uscc="${usccA}"]`);
    await moved.waitFor({ state: 'visible' });
    expect(await moved.getAttribute('data-status')).toBe('active');
    expect(await moved.getAttribute('data-pairing-id')).not.toBe(pairingA);

    // The ended pairing stays in the history.
    await page.selectOption('#filter-status', 'ended');
    await page.locator(`#pairings-list li[data-pairing-id="${pairingA}"]`).waitFor();
    expect(await page.locator(`#pairings-list li[data-pairing-id="${pairingA}"]`).innerText()).toContain('已结束');
    await page.selectOption('#filter-status', 'current');

    const other = pairingCard(page, usccB);
    await other.waitFor({ state: 'visible' });
    await other.locator('button[data-action=pause]').click();
    // "No, go back" closes the confirmation without a change.
    await other.locator('form.pairing-confirm button[type=button]').click();
    expect(await other.locator('form.pairing-confirm').isVisible()).toBe(false);
    expect(await page.evaluate(() => (document.activeElement as HTMLElement | null)?.dataset.action)).toBe('pause');
    await other.locator('button[data-action=pause]').click();
    await other.locator('form.pairing-confirm button[type=submit]').click();
    await expect.poll(() => pairingCard(page, usccB).getAttribute('data-status')).toBe('paused');
    expect(await page.locator('#pairings-status').innerText()).toContain('已暂停');
    expect(await pairingCard(page, usccB).innerText()).toContain('已暂停');
    await page.screenshot({ path: join(shots, 'pairings-paused-zh-desk.png'), fullPage: true });
    expect(await axeViolations(page)).toEqual([]);

    await pairingCard(page, usccB).locator('button[data-action=resume]').click();
    await pairingCard(page, usccB).locator('form.pairing-confirm button[type=submit]').click();
    await expect.poll(() => pairingCard(page, usccB).getAttribute('data-status')).toBe('active');

    // Ending, rare and final, waits behind "more" on each card: no red button until it is opened.
    const resumed = pairingCard(page, usccB);
    const end = resumed.locator('button[data-action=end]');
    expect(await end.isVisible()).toBe(false);
    await resumed.locator('details.more-actions > summary').click();
    await end.click();
    const ending = resumed.locator('form.pairing-confirm');
    await ending.waitFor({ state: 'visible' });
    expect(await axeViolations(page)).toEqual([]);
    await ending.locator('button[type=button]').click();
    expect(await ending.isVisible()).toBe(false);
    expect(await resumed.getAttribute('data-status')).toBe('active');
  });

  it('exports the submission table as CSV and XLSX', async () => {
    const [csv] = await Promise.all([page.waitForEvent('download'), page.click('#export-csv')]);
    expect(csv.suggestedFilename()).toMatch(/\.csv$/);
    const text = readFileSync(await csv.path(), 'utf8');
    expect(text).toContain('统一社会信用代码');
    expect(text).toContain(firmA);
    expect(text).toContain(usccB);
    expect(await page.locator('#export-status').innerText()).toContain(csv.suggestedFilename());
    const [xlsx] = await Promise.all([page.waitForEvent('download'), page.click('#export-xlsx')]);
    expect(xlsx.suggestedFilename()).toMatch(/\.xlsx$/);
    expect(
      readFileSync(await xlsx.path())
        .subarray(0, 2)
        .toString('ascii'),
    ).toBe('PK');
  });

  it('shows the events in the audit log, and one pairing’s history from its card', async () => {
    await page.click('#console-me a[href="/staff/audit/"]');
    await page.waitForURL(/\/staff\/audit\/$/);
    const rows = page.locator('#audit-list tbody tr');
    await rows.first().waitFor();
    const actions = await rows.evaluateAll((trs) => trs.map((tr) => (tr as HTMLElement).dataset.action));
    // Newest first: the resume was the last write.
    expect(actions[0]).toBe('pairing.active');
    for (const action of ['pairing.create', 'contact.log', 'pairing.reassign', 'pairing.paused', 'user.create']) {
      expect(actions).toContain(action);
    }
    expect(await page.locator('#audit-list').innerText()).toContain('更换联络员');
    await page.screenshot({ path: join(shots, 'audit-zh-desk.png'), fullPage: true });
    expect(await axeViolations(page)).toEqual([]);

    // Only the reassigned pairing: created, two contacts, reassigned.
    await page.goto(`${url}/staff/audit/?entity=${encodeURIComponent(`pairing:${pairingA}`)}`);
    await page.locator('#audit-list tbody tr').first().waitFor();
    const own = await page
      .locator('#audit-list tbody tr')
      .evaluateAll((trs) => trs.map((tr) => (tr as HTMLElement).dataset.action));
    expect(own.sort()).toEqual(['contact.log', 'contact.log', 'pairing.create', 'pairing.reassign']);
    expect(await page.inputValue('#audit-id')).toBe(pairingA);
    expect(await page.locator('#audit-list').innerText()).toContain(firmA);

    // By who did it.
    await page.fill('#audit-id', '');
    await page.selectOption('#audit-type', '');
    await page.fill('#audit-actor', 'liaison.wuzhong');
    await page.click('#audit-filters button[type=submit]');
    await expect
      .poll(() =>
        page
          .locator('#audit-list tbody tr')
          .evaluateAll((trs) => [...new Set(trs.map((tr) => (tr as HTMLElement).dataset.actor))]),
      )
      .toEqual(['liaison.wuzhong']);
    expect(await page.locator('#audit-list tbody tr[data-action="contact.log"]').count()).toBeGreaterThanOrEqual(2);
    expect(new URL(page.url()).searchParams.get('actor')).toBe('liaison.wuzhong');
    await page.screenshot({ path: join(shots, 'audit-actor-zh-desk.png'), fullPage: true });
  });

  it('fits the staff and audit pages on a lead’s phone', async () => {
    const context = await browser.newContext(phoneSize);
    await sessionOnEveryPage(context, token['lead.wuzhong'] as string);
    const p = await context.newPage();
    for (const [path, ready, shot] of [
      ['/staff/users/', `#users-list tr[data-username="${newLiaison}"]`, 'users-zh-phone.png'],
      ['/staff/audit/', '#audit-list tbody tr', 'audit-zh-phone.png'],
      ['/en/staff/audit/', '#audit-list tbody tr', 'audit-en-phone.png'],
    ] as const) {
      await p.goto(`${url}${path}`);
      await p.locator(ready).first().waitFor();
      expect(await p.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(360);
      expect(await axeViolations(p)).toEqual([]);
      await p.locator(ready).first().scrollIntoViewIfNeeded();
      await p.screenshot({ path: join(shots, shot) });
    }
    await context.close();
  });

  it('serves the pages in English and keeps the liaison out of the managers’ pages', async () => {
    await page.goto(`${url}/en/staff/pairings/`);
    await pairingCard(page, usccA).waitFor({ state: 'visible' });
    expect(await page.locator('h1').innerText()).toBe('Paired firms');
    // The new pairing after the reassignment starts without contacts.
    expect(await pairingCard(page, usccA).innerText()).toContain('No visit or video call yet this month');
    // The group is headed by the liaison's name, never its username (issue 18).
    const heading = await page.locator(`#pairings-list section[data-liaison="${newLiaison}"] h3`).innerText();
    expect(heading).toContain('吴中区联络员二');
    expect(heading).not.toContain(newLiaison);
    expect(await axeViolations(page)).toEqual([]);
    await page.screenshot({ path: join(shots, 'pairings-list-en-desk.png'), fullPage: true });

    await mobile.goto(`${url}/en/staff/pairings/contact/?id=${encodeURIComponent(pairingA)}`);
    await mobile.locator('#contact-list li.contact').first().waitFor();
    // The pairing was reassigned: it takes no more contacts, its record stays readable.
    expect(await mobile.locator('#contact-ended').isVisible()).toBe(true);
    expect(await mobile.locator('#contact-new').isVisible()).toBe(false);
    expect(await axeViolations(mobile)).toEqual([]);
    await mobile.screenshot({ path: join(shots, 'contact-ended-en-phone.png'), fullPage: true });

    await mobile.goto(`${url}/staff/users/`);
    await mobile.locator('#console-no-access').waitFor({ state: 'visible' });
    expect(await mobile.locator('#console-no-access').innerText()).toContain('工作人员账号管理仅限');
    expect(await mobile.locator('#console-body').isVisible()).toBe(false);
    await mobile.goto(`${url}/staff/audit/`);
    await mobile.locator('#console-no-access').waitFor({ state: 'visible' });
    expect(await mobile.locator('#console-no-access').innerText()).toContain('操作日志仅限');
  });
});
