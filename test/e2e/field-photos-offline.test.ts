import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { shanghaiMonth } from '../../shared/time.ts';
import { liaisonOnPhone, pairWuzhongFirms, productClient } from '../support/e2e.ts';
import { encodePng } from '../support/png.ts';
import { axeViolations, type Product, startProduct } from '../support/product.ts';
import { distinctUsccs } from '../support/uscc.ts';

// The liaison's photos and a visit without signal, on a phone (issue 20): photos are made smaller on
// the phone before they are uploaded (a 4000 × 3000 picture arrives as a JPEG of long side 1600, under
// a size bound) unless "keep original" is ticked; a visit logged with the browser offline is kept on
// the phone with its photo, shown as waiting, and reaches the server exactly once when the network
// comes back.
const shots = process.env.FIELD_SHOTS ?? '/tmp/field-shots';
let product: Product;
let url: string;
let browser: Browser;
let phone: BrowserContext;
let mobile: Page;
const client = productClient(() => url);
const { call, token } = client;

const [usccA, usccB] = distinctUsccs(2) as [string, string];
const month = shanghaiMonth(new Date());
const pairingOf: Record<string, string> = {};
/** What a made-smaller photo may weigh at most (a phone's original is several MB). */
const SIZE_BOUND = 700 * 1024;

/** A 4000 × 3000 PNG (a gradient with a band, as a scanner or screenshot tool would hand over). */
const bigPng = (width: number, height: number): Buffer => {
  const stride = width * 3 + 1;
  const raw = Buffer.alloc(stride * height);
  for (let y = 0; y < height; y++) {
    const band = y > height / 3 && y < (2 * height) / 3;
    for (let x = 0; x < width; x++) {
      const o = y * stride + 1 + x * 3;
      raw[o] = band ? 120 : (x * 255) / width;
      raw[o + 1] = band ? 190 : 110;
      raw[o + 2] = (y * 255) / height;
    }
  }
  return encodePng(width, height, raw, 1);
};

/** A camera-like 4000 × 3000 JPEG (gradients and fine noise, at high quality), drawn by the browser. */
const cameraJpeg = async (page: Page): Promise<Buffer> => {
  const base64 = await page.evaluate(async () => {
    const canvas = new OffscreenCanvas(4000, 3000);
    const g = canvas.getContext('2d') as OffscreenCanvasRenderingContext2D;
    const grad = g.createLinearGradient(0, 0, 4000, 3000);
    grad.addColorStop(0, '#2f6b3a');
    grad.addColorStop(1, '#c9d8e6');
    g.fillStyle = grad;
    g.fillRect(0, 0, 4000, 3000);
    const tile = g.createImageData(400, 300);
    for (let i = 0; i < tile.data.length; i += 4) {
      const n = (Math.random() * 90) | 0;
      tile.data[i] = n;
      tile.data[i + 1] = n;
      tile.data[i + 2] = n;
      tile.data[i + 3] = 60;
    }
    const noise = new OffscreenCanvas(400, 300);
    (noise.getContext('2d') as OffscreenCanvasRenderingContext2D).putImageData(tile, 0, 0);
    for (let x = 0; x < 4000; x += 400) for (let y = 0; y < 3000; y += 300) g.drawImage(noise, x, y);
    g.fillStyle = '#fff';
    g.font = '160px sans-serif';
    g.fillText('危废暂存间', 400, 1500);
    const blob = await canvas.convertToBlob({ type: 'image/jpeg', quality: 0.95 });
    const bytes = new Uint8Array(await blob.arrayBuffer());
    let text = '';
    for (let i = 0; i < bytes.length; i += 0x8000) text += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
    return btoa(text);
  });
  return Buffer.from(base64, 'base64');
};

/** A JPEG's width and height, from its frame header (SOF0–SOF15 but DHT, JPG, DAC). */
const jpegSize = (bytes: Buffer): { width: number; height: number } | undefined => {
  if (bytes[0] !== 0xff || bytes[1] !== 0xd8) return undefined;
  let at = 2;
  while (at + 9 < bytes.length) {
    if (bytes[at] !== 0xff) return undefined;
    const marker = bytes[at + 1] as number;
    const length = bytes.readUInt16BE(at + 2);
    if (marker >= 0xc0 && marker <= 0xcf && marker !== 0xc4 && marker !== 0xc8 && marker !== 0xcc) {
      return { height: bytes.readUInt16BE(at + 5), width: bytes.readUInt16BE(at + 7) };
    }
    at += 2 + length;
  }
  return undefined;
};

interface SavedEvidence {
  contentType: string;
  fileName: string;
  size: number;
  bytes: Buffer;
}

/** A saved file as the API keeps it, with its bytes from the bucket. */
const evidence = async (id: string): Promise<SavedEvidence> => {
  const got = await call('GET', `/api/staff/evidence/${id}`, 'liaison.wuzhong');
  expect(got.status).toBe(200);
  const body = got.body as { contentType: string; fileName: string; size: number; download: { url: string } };
  const bytes = Buffer.from(await (await fetch(body.download.url)).arrayBuffer());
  return { contentType: body.contentType, fileName: body.fileName, size: body.size, bytes };
};

const contactsOf = async (uscc: string) =>
  ((await call('GET', `/api/staff/pairings/${pairingOf[uscc]}/contacts`, 'liaison.wuzhong')).body?.contacts ?? []) as {
    contactId: string;
    summary: string;
    evidenceIds: string[];
  }[];

let jpeg: Buffer;

beforeAll(async () => {
  mkdirSync(shots, { recursive: true });
  product = await startProduct('eco-e2e-field-photos-');
  ({ url, browser } = product);
  ({ phone, mobile } = await liaisonOnPhone(browser, client));
  Object.assign(
    pairingOf,
    await pairWuzhongFirms(call, month, [
      [usccA, '苏州木渎精密电镀有限公司'],
      [usccB, '吴中胥口印染有限公司'],
    ]),
  );
  jpeg = await cameraJpeg(mobile);
  expect(token['liaison.wuzhong']).toBeTruthy();
});

afterAll(async () => {
  await product?.stop();
});

const fillVisit = async (summary: string) => {
  await mobile.check('input[name=mode][value=visit]');
  await mobile.fill('#contact-participants', '王经理');
  await mobile.fill('#contact-summary', summary);
};

describe('photos on a phone', () => {
  it('makes a 4000 × 3000 photo and PNG a JPEG of long side 1600 under the size bound; keeps the original when asked', async () => {
    // Prepare
    const png = bigPng(4000, 3000);
    expect(jpeg.length).toBeGreaterThan(SIZE_BOUND * 2);
    await mobile.goto(`${url}/staff/pairings/contact/?id=${pairingOf[usccA]}`);
    await mobile.locator('#contact-form').waitFor({ state: 'visible' });
    // Act: two photos made smaller, then one kept as taken
    await mobile.setInputFiles('#evidence-camera', [
      { name: 'IMG_4032.JPG', mimeType: 'image/jpeg', buffer: jpeg },
      { name: 'scan.png', mimeType: 'image/png', buffer: png },
    ]);
    await mobile.locator('#evidence-list li.upload[data-state=done]').nth(1).waitFor({ timeout: 60_000 });
    await mobile.check('#upload-keep-original');
    await mobile.setInputFiles('#evidence-files', [{ name: 'original.jpg', mimeType: 'image/jpeg', buffer: jpeg }]);
    await mobile.locator('#evidence-list li.upload[data-state=done]').nth(2).waitFor({ timeout: 60_000 });
    await mobile.screenshot({ path: join(shots, 'field-photos-zh-phone.png'), fullPage: true });
    expect(await axeViolations(mobile)).toEqual([]);
    await fillVisit('现场走访，拍摄了危废暂存间和排污口照片。');
    await mobile.click('#contact-form button[type=submit]');
    await mobile.locator('#contact-result').waitFor({ state: 'visible' });
    // Assess
    const [saved] = await contactsOf(usccA);
    expect(saved?.evidenceIds).toHaveLength(3);
    const [photo, scan, original] = await Promise.all((saved?.evidenceIds ?? []).map(evidence));
    for (const small of [photo, scan]) {
      expect(small?.contentType).toBe('image/jpeg');
      expect(small?.size).toBeLessThan(SIZE_BOUND);
      expect(small?.bytes.length).toBe(small?.size);
      const size = jpegSize(small?.bytes as Buffer);
      expect(Math.max(size?.width ?? 0, size?.height ?? 0)).toBe(1600);
      expect(size).toEqual({ width: 1600, height: 1200 });
    }
    expect(photo?.fileName).toBe('IMG_4032.jpg');
    expect(scan?.fileName).toBe('scan.jpg');
    expect(original?.fileName).toBe('original.jpg');
    expect(original?.size).toBe(jpeg.length);
    expect(jpegSize(original?.bytes as Buffer)).toEqual({ width: 4000, height: 3000 });
  });
});

describe('a visit without signal', () => {
  it('has what the form loads on first use as soon as it opens, so a photo is still taken after the signal goes', async () => {
    // Prepare: a phone that never opened the form (nothing cached), the form open and the photo field
    // not touched yet
    const fresh = await liaisonOnPhone(browser, client);
    const fetched: string[] = [];
    fresh.mobile.on('response', (response) => fetched.push(new URL(response.url()).pathname));
    await fresh.mobile.goto(`${url}/staff/pairings/contact/?id=${pairingOf[usccA]}`);
    await fresh.mobile.locator('#contact-form').waitFor({ state: 'visible' });
    // The photo field's uploader and its work, the sending of a kept contact, the list's cards, what
    // follows a save: each fetched without being asked for.
    const deferred = ['photo-field-work', 'uploader', 'outbox-send', 'contact-card', 'next-firm'];
    await expect
      .poll(() => deferred.filter((name) => !fetched.some((path) => path.includes(`/${name}.`))), { timeout: 20_000 })
      .toEqual([]);
    // Act: the signal goes, then a photo is taken
    await fresh.phone.setOffline(true);
    await fresh.mobile.setInputFiles('#evidence-camera', [
      { name: 'IMG_4040.JPG', mimeType: 'image/jpeg', buffer: jpeg },
    ]);
    // Assess: the uploader has it (it failed to go, and waits to be kept with the contact)
    await fresh.mobile.locator('#evidence-list li.upload[data-state=failed]').waitFor({ timeout: 60_000 });
    await fresh.phone.close();
  });

  it('is kept on the phone with its photo, shown as waiting, and reaches the server once when the signal is back', async () => {
    // Prepare: the form is open when the signal goes (a plant's basement)
    await mobile.goto(`${url}/staff/pairings/contact/?id=${pairingOf[usccB]}`);
    await mobile.locator('#contact-form').waitFor({ state: 'visible' });
    await phone.setOffline(true);
    await mobile.locator('#contact-offline').waitFor({ state: 'visible' });
    const summary = '地下室没有信号：检查了污水处理站，运行记录齐全。';
    // Act
    await mobile.setInputFiles('#evidence-camera', [{ name: 'IMG_4033.JPG', mimeType: 'image/jpeg', buffer: jpeg }]);
    await mobile.locator('#evidence-list li.upload[data-state=failed]').waitFor({ timeout: 60_000 });
    await fillVisit(summary);
    await mobile.click('#contact-form button[type=submit]');
    // Assess: kept, and said so; nothing reached the server
    await mobile.locator('#contact-result[data-kind=kept]').waitFor({ state: 'visible' });
    const outbox = mobile.locator('#contact-outbox');
    await outbox.waitFor({ state: 'visible' });
    expect(await outbox.locator('li.outbox-item').count()).toBe(1);
    expect(await outbox.locator('li.outbox-item').getAttribute('data-state')).toBe('waiting');
    expect(await outbox.innerText()).toContain('吴中胥口印染有限公司');
    expect(await outbox.innerText()).toContain('1 个照片或文件');
    expect(await outbox.innerText()).toContain('等待网络');
    expect(await mobile.locator('ledger-raise').isVisible()).toBe(false);
    expect(await contactsOf(usccB)).toHaveLength(0);
    expect(await axeViolations(mobile)).toEqual([]);
    await mobile.screenshot({ path: join(shots, 'field-offline-waiting-zh-phone.png'), fullPage: true });

    // Act: the signal is back
    await phone.setOffline(false);
    await outbox.waitFor({ state: 'hidden', timeout: 60_000 });
    // Assess: one contact, with its photo made smaller, listed on the page
    const contacts = await contactsOf(usccB);
    expect(contacts).toHaveLength(1);
    expect(contacts[0]?.summary).toBe(summary);
    expect(contacts[0]?.evidenceIds).toHaveLength(1);
    const sent = await evidence(contacts[0]?.evidenceIds[0] as string);
    expect(sent.contentType).toBe('image/jpeg');
    expect(sent.size).toBeLessThan(SIZE_BOUND);
    expect(jpegSize(sent.bytes)).toEqual({ width: 1600, height: 1200 });
    await mobile.locator('#contact-list li.contact').first().waitFor({ state: 'visible' });
    expect(await mobile.locator('#contact-list').innerText()).toContain(summary);
    // The page no longer says "kept": the contact is saved, and a ledger item may now link to it.
    await mobile.locator('#contact-result[data-kind=success]').waitFor({ state: 'visible' });
    expect(await mobile.locator('#contact-result-title').innerText()).toBe('联系记录已保存。');
    expect(await mobile.locator('ledger-raise').isVisible()).toBe(true);
    await mobile.screenshot({ path: join(shots, 'field-offline-sent-zh-phone.png'), fullPage: true });

    // Assess: opening the page again sends nothing more
    await mobile.reload();
    await mobile.locator('#contact-list li.contact').first().waitFor({ state: 'visible' });
    await mobile.waitForTimeout(1000);
    expect(await mobile.locator('#contact-outbox').isVisible()).toBe(false);
    expect(await contactsOf(usccB)).toHaveLength(1);
  });

  it('reads the same in English while waiting', async () => {
    await mobile.goto(`${url}/en/staff/pairings/contact/?id=${pairingOf[usccB]}`);
    await mobile.locator('#contact-form').waitFor({ state: 'visible' });
    await phone.setOffline(true);
    await mobile.locator('#contact-offline').waitFor({ state: 'visible' });
    await fillVisit('No signal in the basement: the log book was checked.');
    await mobile.click('#contact-form button[type=submit]');
    await mobile.locator('#contact-outbox li.outbox-item').waitFor({ state: 'visible' });
    expect(await mobile.locator('#contact-outbox').innerText()).toContain('Waiting for a signal');
    await mobile.screenshot({ path: join(shots, 'field-offline-waiting-en-phone.png'), fullPage: true });
    await phone.setOffline(false);
    await mobile.locator('#contact-outbox').waitFor({ state: 'hidden', timeout: 60_000 });
    expect(await contactsOf(usccB)).toHaveLength(2);
  });
});
