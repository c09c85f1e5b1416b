import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { PutCommand } from '@aws-sdk/lib-dynamodb';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { keys } from '../../shared/keys.ts';
import { cspWatch, deskSize, phoneSize, productClient } from '../support/e2e.ts';
import { fetchEmails } from '../support/outbox.ts';
import { axeViolations, type Product, productTable, SHOTS, startProduct } from '../support/product.ts';

/**
 * The deliveries page (issue 15): a lead sees, on the console home, that a message was given up,
 * opens the page, reads the error on a phone, confirms "send again", and the product's deliveries
 * function sends the failed e-mail once. The given-up message is written straight into the product's
 * DynamoDB Local (the channels' stand-ins do not refuse a valid address), as 24 failed tries leave it.
 */
let product: Product;
let url: string;
let browser: Browser;
const { signIn } = productClient(() => url);
const { blocked, watchCsp } = cspWatch();

const email = `wang.${randomUUID().slice(0, 8)}@example.com`;
const about = `booking:E2E${randomUUID().slice(0, 6).toUpperCase()}`;

beforeAll(async () => {
  product = await startProduct('eco-deliveries-e2e-');
  url = product.url;
  browser = product.browser;
  const { doc, name } = await productTable(product.dataDir);
  const id = { about, kind: 'confirmed', occasion: '' };
  const createdAt = new Date(Date.now() - 3 * 3600_000).toISOString();
  await doc.send(
    new PutCommand({
      TableName: name,
      Item: {
        ...keys.message(id),
        ...keys.messageScope({ ...id, jurisdiction: '320506', status: 'failed', createdAt }),
        type: 'message',
        messageId: randomUUID(),
        ...id,
        jurisdiction: '320506',
        createdAt,
        subject: '预约成功：吴中区环保咨询日',
        text: '您的预约已确认。',
        deliveries: [
          {
            channel: 'email',
            to: email,
            status: 'failed',
            attempts: 24,
            failedAt: createdAt,
            lastError: 'MessageRejected: Email address is not verified.',
          },
          { channel: 'sms', to: '13812345678', status: 'sent', attempts: 1, sentAt: createdAt },
        ],
        expiresAt: Math.floor(Date.now() / 1000) + 86_400,
      },
    }),
  );
});

afterAll(async () => {
  await product?.stop();
});

describe('the deliveries page', () => {
  it('shows the given-up message with its error on a phone, and sends it again once after confirming', async () => {
    // Prepare: Wuzhong's lead on a phone, on the console home.
    const context = await browser.newContext(phoneSize);
    const page = await context.newPage();
    watchCsp(page);
    await signIn(page, 'lead.wuzhong');
    await page.locator('#home-deliveries').waitFor({ state: 'visible' });
    const homeCount = await page.locator('#home-deliveries-count').innerText();
    await page.screenshot({ path: join(SHOTS, 'deliveries-home-zh-phone.png'), fullPage: true });

    // Act: follow the link, read the card, send again (asked first).
    await page.click('#home-deliveries-link');
    const card = page.locator(`#deliveries-list article[data-about="${about}"]`);
    await card.waitFor();
    const cardText = await card.innerText();
    const channelShown = await page.locator('#deliveries-channel option:checked').innerText();
    // The list as a sheet, by the page's own buttons: the bureau's words, the given-up e-mail's row.
    const [csv] = await Promise.all([page.waitForEvent('download'), page.click('#export-csv')]);
    const sheet = readFileSync(await csv.path(), 'utf8');
    await card.locator('.delivery-retry').click();
    await card.locator('.delivery-confirm').waitFor();
    await page.screenshot({ path: join(SHOTS, 'deliveries-confirm-zh-phone.png'), fullPage: true });
    const sentBefore = (await fetchEmails(url)).filter((m) => m.to.includes(email)).length;
    await card.getByRole('button', { name: '确认重新发送' }).click();
    await card.locator('[role=status]').waitFor();
    const deadline = Date.now() + 10_000;
    let sent = 0;
    while (Date.now() < deadline) {
      sent = (await fetchEmails(url)).filter((m) => m.to.includes(email)).length;
      if (sent > 0) break;
      await new Promise((r) => setTimeout(r, 200));
    }
    await new Promise((r) => setTimeout(r, 1000));
    expect(csv.suggestedFilename()).toMatch(/^deliveries-failed-.*\.csv$/);
    expect(sheet).toContain('投递状态');
    expect(sheet).toContain('预约成功：吴中区环保咨询日');
    expect(sheet).toContain('失败');
    expect(sheet).toContain('MessageRejected');
    expect(await page.locator('#export-status').innerText()).toContain(csv.suggestedFilename());
    const sentAfter = (await fetchEmails(url)).filter((m) => m.to.includes(email)).length;

    // Assess: the home count, the masked recipient and its error, one mail after the retry, none before.
    expect(homeCount).toContain('发送失败 1 条');
    expect(channelShown).toBe('全部渠道');
    expect(cardText).toContain('类型: 预约成功');
    expect(cardText).toContain('w***@example.com');
    expect(cardText).toContain('138****5678');
    expect(cardText).toContain('Email address is not verified');
    expect(cardText).not.toContain(email);
    expect(sentBefore).toBe(0);
    expect(sentAfter).toBe(1);
    expect(await axeViolations(page)).toEqual([]);
    expect(blocked).toEqual([]);
    await context.close();
  });

  it('is in English at /en/, and the list is empty once the message went out', async () => {
    // Prepare
    const context = await browser.newContext(deskSize);
    const page = await context.newPage();
    await signIn(page, 'lead.wuzhong');

    // Act
    await page.goto(`${url}/en/staff/deliveries/?status=failed`);
    await page.locator('#deliveries-count').filter({ hasText: /./ }).waitFor();
    await page.screenshot({ path: join(SHOTS, 'deliveries-en-desk.png'), fullPage: true });

    // Assess
    expect(await page.locator('h1').innerText()).toBe('Message deliveries');
    expect(await page.locator('#deliveries-count').innerText()).toBe('No message matches.');
    expect(await page.locator('nav a[aria-current=page]').innerText()).toBe('Deliveries');
    await context.close();
  });
});
