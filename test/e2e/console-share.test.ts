import { spawnSync } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { DynamoDBClient, ListTablesCommand } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, QueryCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { shanghaiDate } from '../../shared/time.ts';
import { bookOverHttp } from '../support/bookings.ts';
import { productClient } from '../support/e2e.ts';
import { axeViolations, type Product, phone, startProduct } from '../support/product.ts';
import { randomUscc } from '../support/uscc.ts';

// The lead's desk around a consultation day (issue 20, part 2), on the product as `npm start` runs it:
// the days list's month calendar, the share link and QR of a published day opening that day on the
// public page, the booker's check-in QR, and check-in at the door by code on a phone.
// Screenshots go to /tmp/share-shots/ for a person to look at.
const shots = '/tmp/share-shots';
let product: Product;
let url: string;
let browser: Browser;
const { call, apiSignIn, signIn } = productClient(() => url);

const desk = { viewport: { width: 1366, height: 768 }, locale: 'zh-CN' };
const phoneZh = { ...phone, locale: 'zh-CN' };
const today = shanghaiDate(new Date());
const ahead = (days: number) => shanghaiDate(new Date(Date.now() + days * 86_400_000));
const company = '苏州澄湖精细化工有限公司';

/** A day in Wuzhong on `date` with one 09:00–09:45 slot of `capacity`, published through the staff API. */
const publishDay = async (date: string, venue: string, capacity = 5): Promise<string> => {
  const res = await call('POST', '/api/staff/consultation-days', 'lead.wuzhong', {
    date,
    jurisdiction: '320506',
    mode: 'onsite',
    venue,
    topics: ['排污许可'],
    slots: [{ startsAt: `${date}T09:00:00+08:00`, endsAt: `${date}T09:45:00+08:00`, capacity }],
  });
  expect(res.status, JSON.stringify(res.body)).toBe(201);
  return (res.body?.day as { dayId: string } | undefined)?.dayId as string;
};

/** The product's DynamoDB Local: the port its java process was started with, found by its data folder. */
const productTable = async (dataDir: string) => {
  const lines = spawnSync('pgrep', ['-af', `java.*${dataDir}`], { encoding: 'utf8' }).stdout;
  const port = /-port (\d+)/.exec(lines)?.[1];
  if (!port) throw new Error(`No DynamoDB Local found for ${dataDir}`);
  const client = new DynamoDBClient({
    endpoint: `http://127.0.0.1:${port}`,
    region: 'local',
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
  });
  const names = (await client.send(new ListTablesCommand({}))).TableNames ?? [];
  const name = names.find((n) => n.includes('EcoLiaison')) ?? names[0];
  if (!name) throw new Error('The product has no table');
  return { doc: DynamoDBDocumentClient.from(client), name };
};

/**
 * Moves a stored day (and its slots' times) to `date`. The API refuses to publish a day whose slots
 * have passed, and check-in needs the day to be today: the test publishes it ahead, books it, then
 * moves it, as the calendar would.
 */
const moveDay = async (dayId: string, from: string, date: string) => {
  const { doc, name } = await productTable(product.dataDir);
  const items =
    (
      await doc.send(
        new QueryCommand({
          TableName: name,
          KeyConditionExpression: 'pk = :p',
          ExpressionAttributeValues: { ':p': `DAY#${dayId}` },
        }),
      )
    ).Items ?? [];
  for (const item of items) {
    if (item.sk === 'DAY') {
      await doc.send(
        new UpdateCommand({
          TableName: name,
          Key: { pk: item.pk, sk: item.sk },
          UpdateExpression: 'SET #date = :date, parentSk = :parentSk',
          ExpressionAttributeNames: { '#date': 'date' },
          ExpressionAttributeValues: { ':date': date, ':parentSk': `${date}#${dayId}` },
        }),
      );
    } else if (String(item.sk).startsWith('SLOT#')) {
      await doc.send(
        new UpdateCommand({
          TableName: name,
          Key: { pk: item.pk, sk: item.sk },
          UpdateExpression: 'SET startsAt = :s, endsAt = :e',
          ExpressionAttributeValues: {
            ':s': String(item.startsAt).replace(from, date),
            ':e': String(item.endsAt).replace(from, date),
          },
        }),
      );
    }
  }
};

const shot = (p: Page, file: string) => p.screenshot({ path: join(shots, file), fullPage: true });

let sharedDay: string;
const sharedDate = ahead(6);

beforeAll(async () => {
  mkdirSync(shots, { recursive: true });
  product = await startProduct('eco-e2e-share-');
  ({ url, browser } = product);
  expect((await apiSignIn('lead.wuzhong')).status).toBe(200);
  sharedDay = await publishDay(sharedDate, '吴中区生态环境局二楼报告厅');
});

afterAll(async () => {
  await product?.stop();
});

describe('the lead at the desk: calendar, share link and QR, check-in at the door', () => {
  it('shows a published day in its month cell of the calendar, linked to its day page, the view kept in the URL', async () => {
    // Prepare
    const context = await browser.newContext(desk);
    const page = await context.newPage();
    await signIn(page, 'lead.wuzhong');
    await page.goto(`${url}/staff/consultation-days/`);
    await page.locator('#staff-days a[data-day-id]').first().waitFor({ state: 'visible' });
    // Act: the calendar view, then the day's month
    await page.click('.view-switch [data-view=calendar]');
    await page.locator('.cal-grid').waitFor({ state: 'visible' });
    if (sharedDate.slice(0, 7) !== today.slice(0, 7)) {
      await page.click('.cal-bar [data-move="1"]');
    }
    const cell = page.locator(`.cal-grid td[data-date="${sharedDate}"]`);
    const link = cell.locator(`a[data-day-id="${sharedDay}"]`);
    await link.waitFor({ state: 'visible' });
    // Assess: the cell holds the day with its venue and counts; today is marked; the URL keeps the view
    expect(await cell.innerText()).toContain('吴中区生态环境局二楼报告厅');
    expect(await cell.innerText()).toContain('0/5');
    expect(new URL(page.url()).searchParams.get('view')).toBe('calendar');
    expect(new URL(page.url()).searchParams.get('month')).toBe(sharedDate.slice(0, 7));
    if (sharedDate.slice(0, 7) === today.slice(0, 7)) {
      expect(await page.locator(`.cal-grid td[data-date="${today}"]`).getAttribute('aria-current')).toBe('date');
    }
    const headers = await page.locator('.cal-grid thead th').allInnerTexts();
    expect(headers[0]).toMatch(/一|Mon/);
    await shot(page, 'calendar-zh-desk.png');
    expect(await axeViolations(page)).toEqual([]);
    // A reload opens the same view and month.
    await page.reload();
    await link.waitFor({ state: 'visible' });
    await link.click();
    await page.waitForURL(new RegExp(`/staff/consultation-days/day/\\?id=${sharedDay}$`));
    await context.close();
  });

  it('the calendar becomes an agenda of the days that have entries on a phone', async () => {
    // Prepare
    const context = await browser.newContext(phoneZh);
    const page = await context.newPage();
    await signIn(page, 'lead.wuzhong');
    // Act
    await page.goto(`${url}/staff/consultation-days/?view=calendar&month=${sharedDate.slice(0, 7)}`);
    const cell = page.locator(`.cal-grid td[data-date="${sharedDate}"]`);
    await cell.locator('a[data-day-id]').waitFor({ state: 'visible' });
    // Assess: the empty days are not shown, the day's full date is, and nothing is wider than the phone
    const emptyShown = await page
      .locator('.cal-grid td[data-empty]:not(.cal-today)')
      .evaluateAll((cells) => cells.filter((c) => getComputedStyle(c).display !== 'none').length);
    expect(emptyShown).toBe(0);
    expect(await cell.locator('.cal-label').isVisible()).toBe(true);
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
    await shot(page, 'calendar-zh-phone.png');
    await context.close();
  });

  it('the share link opens the public day in a fresh page, and the QR is drawn from exactly that link', async () => {
    // Prepare
    const context = await browser.newContext(desk);
    const page = await context.newPage();
    await signIn(page, 'lead.wuzhong');
    await page.goto(`${url}/staff/consultation-days/day/?id=${encodeURIComponent(sharedDay)}`);
    const share = page.locator('day-share');
    await share.locator('[data-qr] svg').waitFor({ state: 'visible' });
    // Act: read the link from the page
    const link = await share.locator('#share-url').inputValue();
    // Assess: the public page of this day, and its QR encodes it
    expect(link).toBe(`${url}/consultation-days/?day=${sharedDay}`);
    const svg = share.locator('[data-qr] svg');
    expect(await svg.getAttribute('data-qr-text')).toBe(link);
    expect(await svg.evaluate((e) => e.querySelectorAll('path, rect').length)).toBeGreaterThan(0);
    expect((await svg.evaluate((e) => e.getBoundingClientRect().width)) > 100).toBe(true);
    const [download] = await Promise.all([page.waitForEvent('download'), share.locator('[data-action=png]').click()]);
    expect(download.suggestedFilename()).toBe(`consultation-day-${sharedDate}.png`);
    await shot(page, 'day-share-zh-desk.png');
    expect(await axeViolations(page)).toEqual([]);

    const visitor = await browser.newContext({ ...phoneZh });
    const opened = await visitor.newPage();
    await opened.goto(link);
    const card = opened.locator('article.day-shared');
    await card.waitFor({ state: 'visible' });
    expect(await card.locator('h3').getAttribute('id')).toBe(`day-${sharedDay}`);
    expect(await card.innerText()).toContain('吴中区生态环境局二楼报告厅');
    // Scrolled to: the day's card is on the phone's screen.
    const top = await card.evaluate((e) => e.getBoundingClientRect().top);
    expect(top).toBeGreaterThanOrEqual(0);
    expect(top).toBeLessThan(844 / 2);
    expect(await opened.evaluate(() => document.activeElement?.id)).toBe(`day-${sharedDay}`);
    await shot(opened, 'public-shared-day-zh-phone.png');
    expect(await axeViolations(opened)).toEqual([]);
    await visitor.close();

    // Without JavaScript the same link is the ordinary page, with its link to the plain list.
    const plain = await browser.newContext({ ...phoneZh, javaScriptEnabled: false });
    const noJs = await plain.newPage();
    await noJs.goto(link);
    expect(await noJs.locator('.noscript-notice a').getAttribute('href')).toContain('/api/public/consultation-days');
    await plain.close();
    await context.close();
  });

  it('offers no share link for a cancelled day', async () => {
    // Prepare
    const cancelledDay = await publishDay(ahead(8), '吴中区生态环境局一楼');
    const cancelled = await call('POST', `/api/staff/consultation-days/${cancelledDay}/cancel`, 'lead.wuzhong', {
      reason: '场地改用',
      version: 1,
    });
    expect(cancelled.status, JSON.stringify(cancelled.body)).toBeLessThan(300);
    const context = await browser.newContext(desk);
    const page = await context.newPage();
    await signIn(page, 'lead.wuzhong');
    // Act
    await page.goto(`${url}/staff/consultation-days/day/?id=${encodeURIComponent(cancelledDay)}`);
    await page.locator('#cancelled-notice').waitFor({ state: 'visible' });
    await page.waitForLoadState('networkidle');
    // Assess
    expect(await page.locator('day-share').isVisible()).toBe(false);
    await context.close();
  });

  it('checks a booking in at the door by its code on a phone, then says a second check-in was done already', async () => {
    // Prepare: a booking confirmed with its SMS code, on a day moved to today
    const doorDate = ahead(2);
    const doorDay = await publishDay(doorDate, '吴中区生态环境局三楼会议室');
    const booked = await bookOverHttp(url, doorDay, {
      slotId: 's1',
      uscc: randomUscc(),
      companyName: company,
      contactName: '陈工',
      mobile: '13912340001',
      topic: '排污许可',
      question: '我公司扩建后废气排放口增加，排污许可证如何变更？',
      consent: true,
    });
    expect(booked.status, JSON.stringify(booked.body)).toBe(200);
    const code = booked.body.booking?.code as string;
    await moveDay(doorDay, doorDate, today);

    // The booker's confirmation page shows its code as a QR, within the public pages' JavaScript budget.
    const booker = await browser.newContext(phoneZh);
    const confirmation = await booker.newPage();
    const scripts: Promise<number>[] = [];
    confirmation.on('response', (res) => {
      if (res.request().resourceType() === 'script') scripts.push(res.body().then((b) => gzipSync(b).length));
    });
    await confirmation.goto(`${url}/consultation-days/booking/?code=${code}`);
    const qr = confirmation.locator('#checkin-qr svg');
    await qr.waitFor({ state: 'visible' });
    expect(await qr.getAttribute('data-qr-text')).toBe(code);
    const shipped = (await Promise.all(scripts)).reduce((a, b) => a + b, 0);
    expect(shipped).toBeLessThanOrEqual(20 * 1024);
    await shot(confirmation, 'booking-qr-zh-phone.png');
    expect(await axeViolations(confirmation)).toEqual([]);
    await booker.close();

    const context = await browser.newContext(phoneZh);
    const page = await context.newPage();
    await signIn(page, 'lead.wuzhong');
    await page.goto(`${url}/staff/consultation-days/`);
    await page.click(`#staff-days a[data-check-in="${doorDay}"]`);
    await page.waitForURL(/\/staff\/consultation-days\/check-in\/\?day=/);
    const input = page.locator('#check-in-code');
    await input.waitFor({ state: 'visible' });

    // Act: the code as a person types it, lower case in groups of four
    await input.fill(code.toLowerCase().replace(/(.{4})(?!$)/g, '$1 '));
    await page.click('#check-in-form button[type=submit]');
    // Assess: checked in, with the firm and its slot; the booking is attended on the server
    const result = page.locator('#check-in-result');
    await expect.poll(() => result.getAttribute('data-kind')).toBe('done');
    expect(await result.innerText()).toContain(company);
    expect(await result.innerText()).toContain('09:00–09:45');
    const listed = await call('GET', `/api/staff/consultation-days/${doorDay}/bookings`, 'lead.wuzhong');
    const bookings = listed.body?.bookings as { code: string; status: string }[];
    expect(bookings.find((b) => b.code === code)?.status).toBe('attended');
    const buttonHeight = await page
      .locator('#check-in-form button[type=submit]')
      .evaluate((b) => b.getBoundingClientRect().height);
    expect(buttonHeight).toBeGreaterThanOrEqual(48);
    await shot(page, 'check-in-done-zh-phone.png');
    expect(await axeViolations(page)).toEqual([]);

    // Act: the same code again
    await input.fill(code);
    await page.click('#check-in-form button[type=submit]');
    // Assess: not an error: when it was checked in
    await expect.poll(() => result.getAttribute('data-kind')).toBe('already');
    expect(await result.innerText()).toMatch(/已于 .*\d{2}:\d{2} 签到/);
    expect(await result.innerText()).toContain(company);
    await shot(page, 'check-in-again-zh-phone.png');

    // A well-formed code that is no booking of this day marks nothing.
    await input.fill('ABCDEFGHJKLMNPQRSTUV');
    await page.click('#check-in-form button[type=submit]');
    await expect.poll(() => result.getAttribute('data-kind')).toBe('problem');
    expect(await result.innerText()).toContain('本咨询日没有这个预约码');
    await context.close();
  });
});
