import { join } from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { shanghaiMonth } from '../../shared/time.ts';
import { pairWuzhongFirms, phoneZh, productClient } from '../support/e2e.ts';
import { axeViolations, type Product, SHOTS, startProduct } from '../support/product.ts';
import { distinctUsccs } from '../support/uscc.ts';

// The liaison's field day on a phone (issue 20), as `npm start` runs the product: the to-do card
// shows how to reach the firm (directions, a call, the last contact); the contact form warns about a
// repeated visit before anything is saved; after saving, a ledger item is raised for the firm
// without retyping its code and links to the contact; then the page goes on to the next firm.
const shots = SHOTS;
let product: Product;
let url: string;
let browser: Browser;
let phone: BrowserContext;
let mobile: Page;
const { call, apiSignIn, signIn } = productClient(() => url);

const [usccA, usccB] = distinctUsccs(2) as [string, string];
const month = shanghaiMonth(new Date());
const pairingOf: Record<string, string> = {};
const lastSummary = '检查了危废暂存间，台账齐全，建议补充应急预案演练记录。';

beforeAll(async () => {
  product = await startProduct('eco-e2e-field-');
  ({ url, browser } = product);
  for (const who of ['lead.wuzhong', 'liaison.wuzhong']) await apiSignIn(who);
  Object.assign(
    pairingOf,
    await pairWuzhongFirms(call, month, [
      [usccA, '苏州木渎精密电镀有限公司'],
      [usccB, '吴中胥口印染有限公司'],
    ]),
  );
  // A phone call with firm A an hour ago: not this month's visit, but a contact of the last 7 days.
  const earlier = await call('POST', `/api/staff/pairings/${pairingOf[usccA]}/contacts`, 'liaison.wuzhong', {
    at: new Date(Date.now() - 3600_000).toISOString(),
    mode: 'phone',
    participants: ['王经理'],
    summary: lastSummary,
  });
  expect(earlier.status).toBe(201);
  phone = await browser.newContext(phoneZh);
  mobile = await phone.newPage();
});

afterAll(async () => {
  await product?.stop();
});

describe('the liaison in the field, on a phone', () => {
  it('shows on the to-do card the firm’s address with directions, a call to its contact and the last contact', async () => {
    // Act
    await signIn(mobile, 'liaison.wuzhong');
    const card = mobile.locator(`#home-todo-list li.todo[data-uscc="${usccA}"]`);
    await card.waitFor({ state: 'visible' });
    // Assess
    expect(await card.locator('[data-reach=person] a').getAttribute('href')).toBe('tel:13812345678');
    const directions = new URL((await card.locator('[data-reach=address] a').getAttribute('href')) as string);
    expect(directions.origin).toBe('https://uri.amap.com');
    expect(directions.searchParams.get('keyword')).toBe('苏州市吴中区木渎镇金枫南路 8 号');
    expect(await card.locator('[data-reach=last]').innerText()).toContain(lastSummary);
    expect(await axeViolations(mobile)).toEqual([]);
    await mobile.screenshot({ path: join(shots, 'field-todo-zh-phone.png'), fullPage: true });
  });

  it('warns about the repeated visit as soon as the form opens, before saving', async () => {
    // Act
    await mobile.goto(`${url}/staff/pairings/contact/?id=${pairingOf[usccA]}`);
    const warning = mobile.locator('#contact-repeat');
    await warning.waitFor({ state: 'visible' });
    // Assess: the liaison's own call, said as such; nothing was sent
    expect(await warning.innerText()).toContain('近 7 天内已联系过这家企业');
    expect(await warning.locator('li[data-mine=true]').innerText()).toMatch(/^你于 .+联系过（电话）$/);
    expect(await warning.innerText()).not.toContain('部门');
    expect(await mobile.locator('#contact-result').isVisible()).toBe(false);
    expect(await axeViolations(mobile)).toEqual([]);
    await mobile.screenshot({ path: join(shots, 'field-repeat-zh-phone.png'), fullPage: true });
  });

  it('raises a ledger item from the saved contact without retyping the USCC, linked to the contact', async () => {
    // Prepare: the visit is saved
    await mobile.check('input[name=mode][value=visit]');
    await mobile.fill('#contact-participants', '王经理');
    await mobile.fill('#contact-summary', '现场走访，危废暂存间标识不全，已提醒整改。');
    await mobile.click('#contact-form button[type=submit]');
    await mobile.locator('#contact-result').waitFor({ state: 'visible' });
    // Act
    await mobile.click('ledger-raise summary');
    expect(await mobile.locator('ledger-raise [data-linked]').isVisible()).toBe(true);
    await mobile.fill('#raise-title', '危废暂存间标识不全');
    await mobile.fill('#raise-detail', '走访发现危废暂存间缺少标识牌，需在两周内补齐。');
    await mobile.fill('#raise-owner', '执法大队');
    await mobile.screenshot({ path: join(shots, 'field-ledger-zh-phone.png'), fullPage: true });
    await mobile.click('ledger-raise form button[type=submit]');
    const done = mobile.locator('ledger-raise .raise-done');
    await done.waitFor({ state: 'visible' });
    // Assess
    expect(await done.innerText()).toContain('危废暂存间标识不全');
    const listed = await call('GET', `/api/staff/ledger-items?uscc=${usccA}`, 'liaison.wuzhong');
    const items = listed.body?.items as { uscc: string; source: string; sourceRef: string }[];
    const contacts = await call('GET', `/api/staff/pairings/${pairingOf[usccA]}/contacts`, 'liaison.wuzhong');
    const visit = (contacts.body?.contacts as { contactId: string; mode: string }[] | undefined)?.find(
      (c) => c.mode === 'visit',
    );
    expect(items).toHaveLength(1);
    expect(items[0]).toMatchObject({
      uscc: usccA,
      source: 'contact',
      sourceRef: `${pairingOf[usccA]}/${visit?.contactId}`,
    });
    expect(await axeViolations(mobile)).toEqual([]);
  });

  it('goes on to the next firm of the month’s list after saving, not a blank form for the same firm', async () => {
    // Assess: the form of the firm just visited is folded away; the next firm is offered
    expect(await mobile.locator('#contact-form').isVisible()).toBe(false);
    const left = mobile.locator('#contact-next .next-left');
    expect(await left.innerText()).toMatch(/本月还剩 \d+ 家待联系/);
    const next = mobile.locator('#contact-next-link');
    expect(await next.innerText()).toContain('下一家');
    await mobile.screenshot({ path: join(shots, 'field-next-zh-phone.png'), fullPage: true });
    // Act
    await next.click();
    // Assess: another pairing's form, empty and ready
    await mobile.waitForURL((u) => u.searchParams.get('id') !== pairingOf[usccA]);
    await mobile.locator('#contact-form').waitFor({ state: 'visible' });
    expect(await mobile.inputValue('#contact-summary')).toBe('');
  });

  it('reads the same in English', async () => {
    await mobile.goto(`${url}/en/staff/pairings/contact/?id=${pairingOf[usccA]}`);
    await mobile.locator('#contact-repeat').waitFor({ state: 'visible' });
    expect(await mobile.locator('#contact-repeat li[data-mine=true]').first().innerText()).toMatch(/^You contacted/);
    expect(await mobile.locator('#pairing-reach [data-reach=person] a').innerText()).toBe('Call 13812345678');
    await mobile.screenshot({ path: join(shots, 'field-contact-en-phone.png'), fullPage: true });
    await mobile.goto(`${url}/en/staff/`);
    await mobile.locator(`#home-todo-list li.todo[data-uscc="${usccB}"]`).waitFor({ state: 'visible' });
    await mobile.screenshot({ path: join(shots, 'field-todo-en-phone.png'), fullPage: true });
  });
});
