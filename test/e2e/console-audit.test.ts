import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { shanghaiDate } from '../../shared/time.ts';
import { deskSize, phoneSize, productClient } from '../support/e2e.ts';
import { axeViolations, type Product, SHOTS, startProduct } from '../support/product.ts';
import { distinctUsccs } from '../support/uscc.ts';

/**
 * Issue 18, the audit log in the bureau's words: actions, fields and values in Chinese on the zh page,
 * people by name (never a username), firms by name, no record keys, versions or raw JSON.
 */
let product: Product;
let url: string;
let browser: Browser;
const { call, apiSignIn, signIn } = productClient(() => url);
/** A signed-in user's display name, as `GET /api/staff/me` answers it. */
const displayNameOf = async (who: string) =>
  ((await call('GET', '/api/staff/me', who)).body as { me?: { displayName?: string } } | null)?.me?.displayName;
const desk = { ...deskSize, viewport: { width: 1366, height: 768 } };
const [uscc] = distinctUsccs(1) as [string];
const firmName = '苏州吴中审计测试环保有限公司';
let pairingId = '';
let liaisonName = '';

beforeAll(async () => {
  product = await startProduct('eco-audit-e2e-');
  ({ url, browser } = product);
  for (const who of ['lead.wuzhong', 'liaison.wuzhong']) expect((await apiSignIn(who)).status).toBe(200);
  liaisonName = String(await displayNameOf('liaison.wuzhong'));
  // A firm registered, then edited (size and tier), then paired: three events with English values stored.
  const created = await call('POST', '/api/staff/enterprises', 'lead.wuzhong', {
    uscc,
    name: firmName,
    county: '320506',
    address: '苏州市吴中区审计路 1 号',
    industry: '印染',
    size: 'medium',
    tier: 'city',
    contacts: [],
  });
  expect(created.status, JSON.stringify(created.body)).toBe(201);
  const version = (created.body as { enterprise: { version: number } }).enterprise.version;
  const edited = await call('PATCH', `/api/staff/enterprises/${uscc}`, 'lead.wuzhong', {
    version,
    size: 'small',
    tier: 'county',
  });
  expect(edited.status, JSON.stringify(edited.body)).toBe(200);
  const paired = await call('POST', '/api/staff/pairings', 'lead.wuzhong', {
    uscc,
    liaison: 'liaison.wuzhong',
    serviceYear: Number(shanghaiDate(new Date()).slice(0, 4)),
    startsOn: shanghaiDate(new Date()),
  });
  expect(paired.status, JSON.stringify(paired.body)).toBe(201);
  pairingId = (paired.body as { pairing: { pairingId: string } }).pairing.pairingId;
});

afterAll(async () => {
  await product?.stop();
});

const openAudit = async (page: Page, scripts: Promise<number>[] = []) => {
  await signIn(page, 'lead.wuzhong');
  // The audit page's own scripts (not those of the pages signing in went through).
  page.on('response', (res) => {
    if (res.request().resourceType() === 'script') scripts.push(res.body().then((b) => gzipSync(b).length));
  });
  await page.goto(`${url}/staff/audit/`);
  await page.locator(`#audit-list tr[data-entity="pairing:${pairingId}"]`).waitFor();
};

describe('the audit log in the bureau\u2019s words', () => {
  it('names actions, fields and values in Chinese, people and firms by name, and shows no keys', async () => {
    // Prepare
    const context = await browser.newContext(desk);
    const page = await context.newPage();
    const scripts: Promise<number>[] = [];

    // Act
    await openAudit(page, scripts);
    await page.waitForLoadState('networkidle');
    const text = await page.locator('#audit-list').innerText();
    const actions = await page.locator('#audit-list td[data-label="操作"]').allInnerTexts();
    const pairingRow = await page.locator(`#audit-list tr[data-entity="pairing:${pairingId}"]`).innerText();
    const editRow = await page.locator('#audit-list tr[data-action="enterprise.update"]').first().innerText();
    await page.screenshot({ path: join(SHOTS, 'audit-words-zh-desk.png') });
    const jsGzip = (await Promise.all(scripts)).reduce((sum, n) => sum + n, 0);

    // Assess
    expect(actions.length).toBeGreaterThanOrEqual(3);
    for (const action of actions) expect(action).toMatch(/^[^A-Za-z]+$/);
    for (const raw of [pairingId, 'lead.wuzhong', 'liaison.wuzhong', 'enterprise.update', '{"', 'medium', 'city']) {
      expect(text).not.toContain(raw);
    }
    expect(pairingRow).toContain(`结对 · ${firmName}`);
    expect(pairingRow).toContain(`联络员：${liaisonName}`);
    expect(pairingRow).toContain('状态：服务中');
    expect(editRow).toContain('分级：市级名单 → 县级名单');
    expect(editRow).toContain('规模：中型 → 小型');
    expect(jsGzip).toBeLessThanOrEqual(20 * 1024);
    expect(await axeViolations(page)).toEqual([]);
    await context.close();
  });

  it('finds the actor by name: the server’s matches in the lead’s county as the field’s suggestions', async () => {
    // Prepare
    const context = await browser.newContext(desk);
    const page = await context.newPage();
    await openAudit(page);

    // Act: part of a liaison's display name, typed into the actor field.
    await page.fill('#audit-actor', liaisonName.slice(0, 4));
    const people = page.locator('#audit-actor-people option');
    await people.first().waitFor({ state: 'attached' });
    const offered = await people.evaluateAll((options) =>
      options.map((o) => ({ value: (o as HTMLOptionElement).value, label: (o as HTMLOptionElement).label })),
    );

    // Assess: usernames as values (what the filter sends), names as labels; Xiangcheng's are not the lead's.
    expect(offered).toContainEqual({ value: 'liaison.wuzhong', label: `${liaisonName} (liaison.wuzhong)` });
    expect(offered.map((o) => o.value)).not.toContain('liaison.xiangcheng');
    expect(await page.locator('#audit-actor').getAttribute('list')).toBe('audit-actor-people');
    await context.close();
  });

  it('reads on a phone: one event a card, nothing wider than the screen', async () => {
    // Prepare
    const context = await browser.newContext(phoneSize);
    const page = await context.newPage();

    // Act
    await openAudit(page);
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    const card = await page.locator(`#audit-list tr[data-entity="pairing:${pairingId}"]`).innerText();
    await page.locator(`#audit-list tr[data-entity="pairing:${pairingId}"]`).scrollIntoViewIfNeeded();
    await page.screenshot({ path: join(SHOTS, 'audit-words-zh-phone.png') });

    // Assess
    expect(overflow).toBeLessThanOrEqual(0);
    expect(card).toContain(firmName);
    expect(card).not.toContain(pairingId);
    await context.close();
  });

  it("shows the day's creator and the firm without usernames or internal versions (desk and phone)", async () => {
    // Prepare: a day the Wuzhong lead creates (its answer names the creator by username, with a version).
    const date = shanghaiDate(new Date(Date.now() + 8 * 86_400_000));
    const day = await call('POST', '/api/staff/consultation-days', 'lead.wuzhong', {
      date,
      jurisdiction: '320506',
      venue: '吴中区生态环境局三楼会议室',
      mode: 'onsite',
      topics: ['排污许可'],
      slots: [{ startsAt: `${date}T09:00:00+08:00`, endsAt: `${date}T10:00:00+08:00`, capacity: 5 }],
    });
    expect(day.status, JSON.stringify(day.body)).toBe(201);
    const dayId = (day.body as { day: { dayId: string } }).day.dayId;
    const leadName = String(await displayNameOf('lead.wuzhong'));
    const seen: Record<string, string> = {};

    // Act
    for (const [name, size] of [
      ['desk', desk],
      ['phone', phoneSize],
    ] as const) {
      const context = await browser.newContext(size);
      const page = await context.newPage();
      await signIn(page, 'lead.wuzhong');
      await page.goto(`${url}/staff/consultation-days/day/?id=${encodeURIComponent(dayId)}`);
      await page.locator('#day-facts dd', { hasText: leadName }).waitFor();
      seen[`day-${name}`] = await page.locator('#day-facts').innerText();
      await page.screenshot({ path: join(SHOTS, `day-facts-zh-${name}.png`) });
      await page.goto(`${url}/staff/enterprises/firm/?uscc=${uscc}`);
      await page.locator('#firm-facts dd').first().waitFor();
      seen[`firm-${name}`] = await page.locator('#firm-facts').innerText();
      await context.close();
    }

    // Assess
    for (const text of Object.values(seen)) {
      expect(text).not.toContain('lead.wuzhong');
      expect(text).not.toMatch(/版本/);
    }
    expect(seen['day-desk']).toContain(leadName);
  });
});
