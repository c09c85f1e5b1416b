import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { deskSize, productClient, sessionOnEveryPage } from '../support/e2e.ts';
import { axeViolations, type Product, startProduct } from '../support/product.ts';
import { distinctUsccs } from '../support/uscc.ts';

// Issue 20 on a desk: the Wuzhong lead imports a 20-row sheet of new firms through the roster page,
// takes the report's "pair these firms", picks a liaison by its workload and pairs all 20 at once;
// the page reports 20 created, the list then shows them paired, and the unpaired filter no longer
// lists them. Screenshots to /tmp/roster-shots/.
const SHOTS = '/tmp/roster-shots';
let product: Product;
let url: string;
let lead: BrowserContext;
let page: Page;
const { token, call, apiSignIn } = productClient(() => url);
const codes = distinctUsccs(20);
const marker = `批量${Date.now().toString(36).slice(-4)}`;

beforeAll(async () => {
  mkdirSync(SHOTS, { recursive: true });
  product = await startProduct('eco-e2e-roster-bulk-');
  url = product.url;
  expect((await apiSignIn('lead.wuzhong')).status).toBe(200);
  lead = await product.browser.newContext({ ...deskSize, viewport: { width: 1366, height: 768 } });
  await sessionOnEveryPage(lead, token['lead.wuzhong'] as string);
  page = await lead.newPage();
}, 180_000);

afterAll(async () => {
  await lead?.close();
  await product?.stop();
});

describe('bulk pairing from the roster', () => {
  it('imports 20 firms, pairs them all with one liaison, and sees 20 created', async () => {
    // Prepare: the bureau's sheet of 20 new Wuzhong firms.
    const csv = [
      '统一社会信用代码,企业名称,所在区县代码,地址,行业,规模,分级,排污许可证编号,许可证有效期至,联系人,联系电话,电子邮箱',
      ...codes.map(
        (uscc, i) =>
          `${uscc},苏州${marker}第${i + 1}有限公司,320506,苏州市吴中区某路 ${i + 1} 号,电子,small,county,,,刘经理,13700001111,`,
      ),
    ].join('\n');
    await page.goto(`${url}/staff/enterprises/`);
    await page.locator('#import-file').setInputFiles({
      name: '名录.csv',
      mimeType: 'text/csv',
      buffer: Buffer.from(`\uFEFF${csv}\n`, 'utf8'),
    });
    await page.click('#import-submit');
    await page.locator('#import-report').waitFor({ state: 'visible' });
    expect(await page.locator('#import-counts [data-count=imported] dd').innerText()).toBe('20');

    // Act: "pair these firms", then a liaison (its workload in the option), then pair.
    const pairThese = page.locator('#import-pair');
    expect(await pairThese.innerText()).toContain('20');
    await pairThese.click();
    await expect.poll(() => page.locator('#bulk-selected').innerText()).toContain('20');
    const option = page.locator('#bulk-liaison option[value="liaison.wuzhong"]');
    await expect.poll(() => option.count(), { timeout: 10_000 }).toBe(1);
    expect(await option.innerText()).toMatch(/结对 \d+ 家，本月待联系 \d+ 家/);
    await page.selectOption('#bulk-liaison', 'liaison.wuzhong');
    await page.screenshot({ path: join(SHOTS, 'bulk-selected-desk.png'), fullPage: false });
    await page.click('#bulk-submit');
    // Under load the 20 transactions take a few seconds; a refusal would show in the problem box.
    const problem = page.locator('#bulk-problem');

    // Assess
    const results = page.locator('#bulk-rows tbody tr');
    await expect
      .poll(async () => ((await problem.isVisible()) ? await problem.innerText() : await results.count()), {
        timeout: 20_000,
      })
      .toBe(20);
    expect(await page.locator('#bulk-rows tr[data-outcome=created]').count()).toBe(20);
    expect(await page.locator('#bulk-summary').innerText()).toContain('已结对 20 家');
    expect(await page.evaluate(() => document.activeElement?.id)).toBe('bulk-results-heading');
    await page.locator('#bulk').screenshot({ path: join(SHOTS, 'bulk-results-desk.png') });
    expect(await axeViolations(page)).toEqual([]);
    const pairings = await call('GET', '/api/staff/pairings?county=320506', 'lead.wuzhong');
    const mine = ((pairings.body?.pairings ?? []) as { uscc: string; liaison: string }[]).filter((p) =>
      codes.includes(p.uscc),
    );
    expect(mine).toHaveLength(20);
    expect(mine.every((p) => p.liaison === 'liaison.wuzhong')).toBe(true);

    // The unpaired filter no longer lists them; the list marks them paired.
    await page.goto(`${url}/staff/enterprises/?q=${encodeURIComponent(marker)}&paired=false`);
    await expect.poll(() => page.locator('#roster-empty').isVisible(), { timeout: 10_000 }).toBe(true);
    await page.goto(`${url}/staff/enterprises/?q=${encodeURIComponent(marker)}`);
    await expect
      .poll(() => page.locator('#roster-table tbody tr[data-paired=true]').count(), { timeout: 10_000 })
      .toBeGreaterThan(0);
    expect(await page.locator('#roster-table tbody tr[data-paired=false]').count()).toBe(0);
    expect(await page.locator('#roster-table tbody input.pick:not([disabled])').count()).toBe(0);
    await page.screenshot({ path: join(SHOTS, 'roster-paired-desk.png'), fullPage: true });

    // On a phone the rows stack; the checkbox and the pairing mark stay with each firm.
    const phone = await product.browser.newContext({ ...deskSize, viewport: { width: 390, height: 844 } });
    await sessionOnEveryPage(phone, token['lead.wuzhong'] as string);
    const small = await phone.newPage();
    await small.goto(`${url}/staff/enterprises/?paired=false`);
    await expect.poll(() => small.locator('#roster-table tbody tr').count(), { timeout: 10_000 }).toBeGreaterThan(0);
    await small.click('#bulk-select-unpaired');
    await small.locator('#bulk').screenshot({ path: join(SHOTS, 'bulk-phone.png') });
    await small.screenshot({ path: join(SHOTS, 'roster-unpaired-phone.png'), fullPage: false });
    await phone.close();
  });

  it('finds a firm by a fragment of its name on the new pairing form, within scope', async () => {
    // Act: part of the imported firms' name typed where the USCC goes.
    await page.goto(`${url}/staff/pairings/`);
    const field = page.locator('#pairing-uscc');
    await field.waitFor({ state: 'visible' });
    await field.pressSequentially(`${marker}第1`);

    // Assess: the field's suggestions are those firms (第1, 第10 … 第19), each by its USCC.
    const options = page.locator('#pairing-uscc-firms option');
    await expect.poll(() => options.count(), { timeout: 10_000 }).toBe(10);
    const values = await options.evaluateAll((all) => all.map((o) => (o as HTMLOptionElement).value));
    expect(values.every((v) => codes.includes(v))).toBe(true);
    expect(await field.getAttribute('list')).toBe('pairing-uscc-firms');
    expect(await axeViolations(page)).toEqual([]);
  });
});
