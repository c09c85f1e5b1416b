import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addMonths, DEFAULT_TEMPLATE } from '../../shared/checkups.ts';
import { shanghaiDate } from '../../shared/time.ts';
import { liaisonOnPhone, productClient } from '../support/e2e.ts';
import { uploadSignature } from '../support/evidence.ts';
import { pairedWuzhongFirm } from '../support/firms.ts';
import { png } from '../support/png.ts';
import { axeViolations, type Product, startProduct } from '../support/product.ts';
import { distinctUsccs } from '../support/uscc.ts';

// Check-up answers without signal, on a phone (issue 20: a plant's basement has no signal): two
// answers given with the browser offline, one with a photo, are kept on the device and said to wait;
// a reload without signal still shows them waiting (and submitting is refused while they wait); when
// the signal is back each reaches the server exactly once, the photo with its answer. Screenshots in
// /tmp/a-offline-shots/, looked at.
const shots = process.env.CHECKUP_OFFLINE_SHOTS ?? '/tmp/a-offline-shots';
let product: Product;
let url: string;
let browser: Browser;
let phone: BrowserContext;
let mobile: Page;
const client = productClient(() => url);
const { call, token } = client;

const [uscc] = distinctUsccs(1) as [string];
const [first, second] = DEFAULT_TEMPLATE.items.map((i) => ({ itemId: i.itemId })) as [
  { itemId: string },
  { itemId: string },
];
const note = '地下泵房没有信号：应急池阀门未关闭，标识缺失。';
let checkupId = '';

interface StoredAnswer {
  result: string;
  note?: string;
  evidenceIds?: string[];
  evidence?: { evidenceId: string; contentType: string }[];
}
const stored = async () =>
  (
    (await call('GET', `/api/staff/checkups/${checkupId}`, 'lead.wuzhong')).body as {
      checkup: { version: number; answers: Record<string, StoredAnswer> };
    }
  ).checkup;
const waiting = (p: Page) => p.locator('#checkup-outbox').getAttribute('data-waiting');
const formUrl = (itemId: string) => `${url}/staff/checkups/form/?id=${checkupId}&item=${itemId}`;

beforeAll(async () => {
  mkdirSync(shots, { recursive: true });
  product = await startProduct('eco-e2e-checkup-offline-');
  ({ url, browser } = product);
  ({ phone, mobile } = await liaisonOnPhone(browser, client));
  await pairedWuzhongFirm(call, uscc, {
    name: '苏州吴中地下泵站有限公司',
    address: '苏州市吴中区木渎镇金枫南路 8 号',
    industry: '污水处理',
    contacts: [],
  });
  const started = await call('POST', '/api/staff/checkups', 'lead.wuzhong', {
    uscc,
    at: new Date().toISOString(),
    inspectors: ['王工'],
  });
  expect(started.status).toBe(201);
  checkupId = (started.body as { checkup: { checkupId: string } }).checkup.checkupId;
});

afterAll(async () => {
  await product?.stop();
});

describe('check-up answers without signal', () => {
  it('keeps two answers and a photo on the phone through an offline reload, refuses to submit, and sends each once when the signal is back', async () => {
    // Prepare: the form open (its page kept for a reload without signal), then the signal goes
    await mobile.goto(formUrl(first.itemId));
    await mobile.locator(`#item-${first.itemId}`).waitFor({ state: 'visible' });
    await mobile.evaluate(() => navigator.serviceWorker.ready);
    await expect
      .poll(() =>
        mobile.evaluate(async () => (await (await caches.open('eco-field-shell-v1')).keys()).map((r) => r.url)),
      )
      .toEqual(expect.arrayContaining([expect.stringContaining('/staff/checkups/form/')]));
    await phone.setOffline(true);
    await mobile.locator('#checkup-offline').waitFor({ state: 'visible' });

    // Act: the first item fails with a note and a photo, the second passes
    await mobile.locator(`label[for="result-${first.itemId}-fail"]`).tap();
    await mobile.fill(`#note-${first.itemId}`, note);
    await mobile.locator(`#camera-${first.itemId}`).setInputFiles({
      name: 'IMG_0917.png',
      mimeType: 'image/png',
      buffer: png(640, 480),
    });
    await expect.poll(() => mobile.locator(`#item-${first.itemId} .checkup-waiting`).innerText()).toContain('1 张照片');
    await mobile.click('#step-next');
    await mobile.locator(`label[for="result-${second.itemId}-pass"]`).tap();
    await expect.poll(() => waiting(mobile)).toBe('2');
    await expect.poll(() => mobile.locator('#save-status').getAttribute('data-state')).toBe('kept');

    // Assess: said to wait, nothing on the server
    const outbox = mobile.locator('#checkup-outbox');
    expect(await outbox.innerText()).toContain('2 条答案等待发送');
    expect(await outbox.locator('li.outbox-item[data-state=waiting]').count()).toBe(2);
    expect(await outbox.innerText()).toContain('1 张照片');
    expect((await stored()).answers).toEqual({});
    expect(await axeViolations(mobile)).toEqual([]);
    await mobile.screenshot({ path: join(shots, 'checkup-offline-waiting-zh-phone.png'), fullPage: true });

    // Act: a reload without signal
    await mobile.goto(formUrl(first.itemId));
    // Assess: the form opens from the device's copy, the answers still waiting over it
    await outbox.waitFor({ state: 'visible' });
    expect(await waiting(mobile)).toBe('2');
    expect(await mobile.isChecked(`#result-${first.itemId}-fail`)).toBe(true);
    expect(await mobile.inputValue(`#note-${first.itemId}`)).toBe(note);
    expect(await mobile.locator(`#item-${first.itemId} .checkup-waiting`).innerText()).toContain('1 张照片');
    await mobile.screenshot({ path: join(shots, 'checkup-offline-reloaded-zh-phone.png'), fullPage: true });
    // Submitting is refused while answers wait.
    await mobile.click('#submit-button');
    await mobile.locator('#submit-problem').waitFor({ state: 'visible' });
    expect(await mobile.locator('#submit-problem').innerText()).toContain('2 条答案');
    expect(await mobile.locator('#submit-confirm').isVisible()).toBe(false);

    // Act: the signal is back
    await phone.setOffline(false);
    await outbox.waitFor({ state: 'hidden', timeout: 60_000 });

    // Assess: each answer once (one version per answer), the photo with the first
    const after = await stored();
    expect(after.version).toBe(3);
    expect(after.answers[first.itemId]).toMatchObject({ result: 'fail', note });
    expect(after.answers[first.itemId]?.evidence).toHaveLength(1);
    expect(after.answers[second.itemId]).toMatchObject({ result: 'pass' });
    expect(Object.keys(after.answers).sort()).toEqual([first.itemId, second.itemId].sort());
    const photoId = after.answers[first.itemId]?.evidence?.[0]?.evidenceId as string;
    const photo = await call('GET', `/api/staff/evidence/${photoId}`, 'liaison.wuzhong');
    expect(photo.status).toBe(200);
    const file = photo.body as { size: number; download: { url: string } };
    const bytes = Buffer.from(await (await fetch(file.download.url)).arrayBuffer());
    expect(bytes.length).toBe(file.size);
    expect(bytes.length).toBeGreaterThan(0);
    // The item shows its photo saved, not waiting.
    await mobile.locator(`#item-${first.itemId} .checkup-waiting`).waitFor({ state: 'hidden' });
    expect(await mobile.locator(`#item-${first.itemId} li[data-state=saved]`).count()).toBe(1);
    await mobile.screenshot({ path: join(shots, 'checkup-offline-sent-zh-phone.png'), fullPage: true });

    // Assess: opening the page again sends nothing more
    await mobile.reload();
    await mobile.locator(`#item-${first.itemId}`).waitFor({ state: 'visible' });
    await mobile.waitForTimeout(1500);
    expect(await outbox.isVisible()).toBe(false);
    expect((await stored()).version).toBe(3);
  });

  it('says what waits in English', async () => {
    // Prepare
    await phone.setOffline(false);
    await mobile.goto(`${url}/en/staff/checkups/form/?id=${checkupId}&item=${second.itemId}`);
    await mobile.locator(`#item-${second.itemId}`).waitFor({ state: 'visible' });
    await phone.setOffline(true);
    await mobile.locator('#checkup-offline').waitFor({ state: 'visible' });
    // Act
    await mobile.locator(`label[for="result-${second.itemId}-na"]`).tap();
    // Assess
    await expect.poll(() => waiting(mobile)).toBe('1');
    expect(await mobile.locator('#checkup-outbox').innerText()).toContain('Answers waiting to send: 1');
    await mobile.screenshot({ path: join(shots, 'checkup-offline-waiting-en-phone.png'), fullPage: true });
    await phone.setOffline(false);
    await mobile.locator('#checkup-outbox').waitFor({ state: 'hidden', timeout: 60_000 });
    const after = await stored();
    expect(after.answers[second.itemId]?.result).toBe('na');
    expect(after.version).toBe(4);
  });

  it('shows an answer kept offline whose item was changed elsewhere meanwhile, with both answers, and sends it when the liaison chooses', async () => {
    // Prepare: the third item answered without signal
    const third = (DEFAULT_TEMPLATE.items[2] as { itemId: string }).itemId;
    await phone.setOffline(false);
    await mobile.goto(formUrl(third));
    await mobile.locator(`#item-${third}`).waitFor({ state: 'visible' });
    await phone.setOffline(true);
    await mobile.locator('#checkup-offline').waitFor({ state: 'visible' });
    await mobile.locator(`label[for="result-${third}-fail"]`).tap();
    await expect.poll(() => waiting(mobile)).toBe('1');
    // Meanwhile the lead answers the same item on another device.
    const theirs = await call('PATCH', `/api/staff/checkups/${checkupId}`, 'lead.wuzhong', {
      version: (await stored()).version,
      answers: { [third]: { result: 'pass', note: '组长复核：符合' } },
    });
    expect(theirs.status).toBe(200);

    // Act: the signal is back
    await phone.setOffline(false);

    // Assess: not sent over theirs, not dropped: shown with both answers
    const conflict = mobile.locator(`#checkup-outbox li.outbox-item[data-state=conflict][data-item-id="${third}"]`);
    await conflict.waitFor({ state: 'visible', timeout: 60_000 });
    expect(await conflict.innerText()).toContain('不符合');
    expect(await conflict.innerText()).toContain('组长复核：符合');
    expect((await stored()).answers[third]).toMatchObject({ result: 'pass', note: '组长复核：符合' });
    expect(await mobile.isChecked(`#result-${third}-fail`)).toBe(true);
    await mobile.locator('#checkup-outbox').screenshot({ path: join(shots, 'checkup-offline-conflict-zh-phone.png') });

    // Act: the liaison keeps its own answer
    await conflict.getByRole('button', { name: '用我的答案' }).click();
    await mobile.locator('#checkup-outbox').waitFor({ state: 'hidden', timeout: 60_000 });
    // Assess
    expect((await stored()).answers[third]?.result).toBe('fail');
  });

  it('warns the liaison on its home of its firms whose check-up is overdue or due within 30 days', async () => {
    // Prepare: two firms of the liaison, checked a year ago less 10 days and a year ago and 5 days
    const today = shanghaiDate(new Date());
    const shift = (date: string, days: number) =>
      new Date(Date.parse(`${date}T00:00:00Z`) + days * 86_400_000).toISOString().slice(0, 10);
    const [soonFirm, lateFirm] = distinctUsccs(3).slice(1) as [string, string];
    const allPass = Object.fromEntries(DEFAULT_TEMPLATE.items.map((i) => [i.itemId, { result: 'pass' }]));
    for (const [firm, name, day] of [
      [soonFirm, '苏州吴中即将体检有限公司', shift(addMonths(today, -12), 10)],
      [lateFirm, '苏州吴中逾期体检有限公司', shift(addMonths(today, -12), -5)],
    ] as const) {
      await call('POST', '/api/staff/enterprises', 'lead.wuzhong', {
        uscc: firm,
        name,
        county: '320506',
        address: '吴中区',
        industry: '印染',
        size: 'small',
        tier: 'county',
        contacts: [],
      });
      await call('POST', '/api/staff/pairings', 'lead.wuzhong', {
        uscc: firm,
        liaison: 'liaison.wuzhong',
        serviceYear: 2026,
        startsOn: '2026-01-01',
      });
      const started = await call('POST', '/api/staff/checkups', 'lead.wuzhong', {
        uscc: firm,
        templateVersion: 1,
        at: `${day}T10:00:00+08:00`,
        inspectors: ['王工'],
      });
      const id = (started.body as { checkup: { checkupId: string } }).checkup.checkupId;
      await call('PATCH', `/api/staff/checkups/${id}`, 'liaison.wuzhong', { version: 1, answers: allPass });
      const submitted = await call('POST', `/api/staff/checkups/${id}/submit`, 'liaison.wuzhong', {
        version: 2,
        signature: await uploadSignature(url, token['liaison.wuzhong'] ?? ''),
      });
      expect(submitted.status).toBe(200);
    }

    // Act
    await mobile.goto(`${url}/staff/`);
    const due = mobile.locator('#home-due');
    await due.locator(`li.due-card[data-uscc="${soonFirm}"]`).waitFor({ state: 'visible' });

    // Assess: the overdue first, each with its due day and a way to its check-up
    const cards = due.locator('li.due-card');
    expect(await cards.first().getAttribute('data-uscc')).toBe(lateFirm);
    const late = due.locator(`li.due-card[data-uscc="${lateFirm}"]`);
    expect(await late.getAttribute('data-state')).toBe('overdue');
    expect(await late.innerText()).toContain('已逾期 5 天');
    const soon = due.locator(`li.due-card[data-uscc="${soonFirm}"]`);
    expect(await soon.getAttribute('data-state')).toBe('due_soon');
    expect(await soon.innerText()).toContain('10 天后到期');
    expect(await soon.locator('a.todo-log').getAttribute('href')).toBe(
      `/staff/enterprises/firm/?uscc=${soonFirm}#firm-health`,
    );
    expect(await axeViolations(mobile)).toEqual([]);
    await due.screenshot({ path: join(shots, 'home-due-zh-phone.png') });
  });
});
