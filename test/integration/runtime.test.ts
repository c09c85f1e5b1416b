import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { GetObjectCommand, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { getSignedUrl } from '@aws-sdk/s3-request-presigner';
import { generateKeyPair, SignJWT } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LOCAL_AUDIENCE } from '../../infra/local/issuer.ts';
import { EVIDENCE_BUCKET, type Runtime, startRuntime } from '../../infra/local/runtime.ts';
import type { OutboxEntry } from '../../shared/outbox.ts';
import { shanghaiDate } from '../../shared/time.ts';
import { javaUsing, startCli } from '../support/cli.ts';
import { distinctUsccs } from '../support/uscc.ts';

const quiet = () => undefined;
const dirs: string[] = [];
const tempDir = (name: string) => {
  const dir = mkdtempSync(join(tmpdir(), `eco-${name}-`));
  dirs.push(dir);
  return dir;
};

let site: string;
let dataDir: string;
let runtime: Runtime;

beforeAll(async () => {
  site = tempDir('site');
  writeFileSync(join(site, 'index.html'), '<!doctype html><title>home</title>');
  writeFileSync(join(site, '404.html'), '<!doctype html><title>missing</title>');
  dataDir = tempDir('data');
  runtime = await startRuntime({ port: 0, dataDir, siteDir: site, scheduler: false, log: quiet });
});

afterAll(async () => {
  await runtime?.stop();
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});

const api = (path: string, init: RequestInit = {}) => fetch(`${runtime.url}${path}`, init);
const signIn = async (username: string, password = 'demo') =>
  api('/api/local-auth/sign-in', { method: 'POST', body: JSON.stringify({ username, password }) });
const me = (token?: string) => api('/api/staff/me', token ? { headers: { authorization: `Bearer ${token}` } } : {});

const b64 = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');

describe('local issuer and gateway', () => {
  it('signs in a demo account and /api/staff/me accepts the token', async () => {
    const res = await signIn('lead.wuzhong');
    expect(res.status).toBe(200);
    const session = (await res.json()) as { token: string; expiresAt: string };
    expect(new Date(session.expiresAt).getTime()).toBeGreaterThan(Date.now());
    const who = await me(session.token);
    expect(who.status).toBe(200);
    expect(await who.json()).toMatchObject({
      me: { username: 'lead.wuzhong', role: 'lead', jurisdiction: { code: '320506' } },
    });
  });

  it('refuses a wrong password with 401 and a malformed sign-in with 400 naming the field', async () => {
    const wrong = await signIn('lead.wuzhong', 'nope');
    expect(wrong.status).toBe(401);
    expect(((await wrong.json()) as { error: { code: string } }).error.code).toBe('UNAUTHENTICATED');
    const bad = await api('/api/local-auth/sign-in', { method: 'POST', body: '{"username":""}' });
    expect(bad.status).toBe(400);
    expect(((await bad.json()) as { error: { fields: object } }).error.fields).toHaveProperty('password');
  });

  it('answers 401 to a missing, expired, forged, tampered or alg:none token', async () => {
    const claims = {
      sub: 'x',
      'cognito:username': 'admin',
      'cognito:groups': ['admin'],
      'custom:jurisdiction': '320000',
    };
    const LOCAL_ISSUER = runtime.issuer.issuer;
    const expired = await runtime.issuer.sign(claims, -60);
    const otherKey = await generateKeyPair('RS256');
    const forged = await new SignJWT(claims)
      .setProtectedHeader({ alg: 'RS256' })
      .setIssuer(LOCAL_ISSUER)
      .setAudience(LOCAL_AUDIENCE)
      .setExpirationTime('1h')
      .sign(otherKey.privateKey);
    const valid = ((await (await signIn('liaison.wuzhong')).json()) as { token: string }).token;
    const [header, , signature] = valid.split('.');
    const tampered = `${header}.${b64({ ...claims, iss: LOCAL_ISSUER, aud: LOCAL_AUDIENCE, exp: 9e9 })}.${signature}`;
    const none = `${b64({ alg: 'none', typ: 'JWT' })}.${b64({ ...claims, iss: LOCAL_ISSUER, aud: LOCAL_AUDIENCE, exp: 9e9 })}.`;
    const control = await runtime.issuer.sign(claims);
    for (const token of [undefined, expired, forged, tampered, none, 'not-a-jwt']) {
      const res = await me(token);
      expect(res.status, `token ${token?.slice(0, 20)}`).toBe(401);
      expect(await res.json()).toEqual({ error: { code: 'UNAUTHENTICATED', message: expect.any(String) } });
    }
    expect((await me(control)).status).toBe(200);
  });

  it('answers unknown API paths with 404 in the error shape and bodies over 10 MB with 413', async () => {
    const res = await api('/api/staff/nothing-here');
    expect(res.status).toBe(404);
    expect(((await res.json()) as { error: { code: string } }).error.code).toBe('NOT_FOUND');
    const tooLarge = await api('/api/health', { method: 'POST', body: Buffer.alloc(11 * 1024 * 1024, 97) });
    expect(tooLarge.status).toBe(413);
  });

  it('serves the site with security headers, a 404 page, and no way out of the site folder', async () => {
    const home = await api('/');
    expect(home.status).toBe(200);
    const csp = home.headers.get('content-security-policy') ?? '';
    expect(csp).toContain("default-src 'self'");
    // Evidence goes to and comes from the S3-compatible server, as from the bucket in AWS; nothing else.
    expect(csp).toMatch(/connect-src 'self' http:\/\/127\.0\.0\.1:\d+;/);
    expect(csp).toMatch(/img-src 'self' data: blob: http:\/\/127\.0\.0\.1:\d+;/);
    expect(home.headers.get('x-frame-options')).toBe('DENY');
    const missing = await api('/no/such/page');
    expect(missing.status).toBe(404);
    expect(await missing.text()).toContain('missing');
    const traversal = await api('/..%2f..%2f..%2fetc%2fpasswd');
    expect(traversal.status).toBe(404);
    expect(await traversal.text()).not.toContain('root:');
  });

  it('runs a scheduled job now through POST /api/local/jobs/{name}, and refuses unknown jobs', async () => {
    const res = await api('/api/local/jobs/heartbeat', {
      method: 'POST',
      body: JSON.stringify({ at: '2026-12-01T08:00:00+08:00' }),
    });
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ scheduledTime: '2026-12-01T00:00:00Z', result: { created: true } });
    const health = (await (await api('/api/health')).json()) as { jobs: { heartbeat: string } };
    expect(health.jobs.heartbeat).toBe('2026-12-01T08:00:00+08:00');
    const unknown = await api('/api/local/jobs/nope', {
      method: 'POST',
      body: JSON.stringify({ at: '2026-12-01T08:00:00+08:00' }),
    });
    expect(((await unknown.json()) as { error: { code: string } }).error.code).toBe('NOT_FOUND');
    const bad = await api('/api/local/jobs/heartbeat', { method: 'POST', body: JSON.stringify({ at: 'tomorrow' }) });
    expect(bad.status).toBe(400);
  });

  it('runs the booking reminders through POST /api/local/jobs/booking-reminders for the next Beijing day', async () => {
    // Act: 18:00 Beijing on 14 December, as Scheduler fires it
    const res = await api('/api/local/jobs/booking-reminders', {
      method: 'POST',
      body: JSON.stringify({ at: '2026-12-14T18:00:00+08:00' }),
    });

    // Assess: this runtime has no booking on the 15th, so nothing is created or sent
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({
      job: 'booking-reminders',
      scheduledTime: '2026-12-14T10:00:00Z',
      result: { date: '2026-12-15', remindersCreated: 0 },
    });
  });

  it('lists the outbox (empty until something is sent)', async () => {
    const res = await api('/api/local/outbox');
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ entries: [] });
  });

  it('hands a booking’s message to its channel within 5 s of its request, not inside it (rule 11): the hold’s code, then the confirmation', async () => {
    // Prepare: a day, made as a lead would.
    const token = ((await (await signIn('lead.wuzhong')).json()) as { token: string }).token;
    const date = shanghaiDate(new Date(Date.now() + 9 * 86_400_000));
    const made = await api('/api/staff/consultation-days', {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: JSON.stringify({
        date,
        jurisdiction: '320506',
        venue: '吴中区生态环境局三楼',
        mode: 'onsite',
        topics: ['排污许可'],
        slots: [{ startsAt: `${date}T09:00:00+08:00`, endsAt: `${date}T09:45:00+08:00`, capacity: 3 }],
      }),
    });
    const day = ((await made.json()) as { day: { dayId: string; slots: { slotId: string }[] } }).day;

    // Act: a firm that gave only its mobile holds a seat.
    const held = await api(`/api/public/consultation-days/${day.dayId}/bookings`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        slotId: day.slots[0]?.slotId,
        uscc: distinctUsccs(1)[0],
        companyName: '苏州本地运行测试有限公司',
        contactName: '王小明',
        mobile: '13800138123',
        topic: '排污许可',
        question: '我们的排污许可证明年到期，延续需要准备哪些材料？',
        consent: true,
      }),
    });
    const heldAt = Date.now();
    const textsNow = async () =>
      ((await (await api('/api/local/outbox')).json()) as { entries: OutboxEntry[] }).entries.filter(
        (e): e is Extract<OutboxEntry, { channel: 'sms' }> => e.channel === 'sms' && e.to === '+8613800138123',
      );
    /** The first text to the booker whose words include `words`, waiting up to 5 s. */
    const textWith = async (words: string) => {
      const since = Date.now();
      for (;;) {
        const found = (await textsNow()).find((t) => t.text.includes(words));
        if (found || Date.now() - since > 5000) return found;
        await new Promise((r) => setTimeout(r, 50));
      }
    };
    const codeInRequest = await textsNow();
    const codeText = await textWith('验证码');
    const codeAt = Date.now();
    // Act: the booker types the code.
    const smsCode = /验证码为 (\d{6})/.exec(codeText?.text ?? '')?.[1];
    const { booking } = (await held.clone().json()) as { booking: { code: string } };
    const booked = await api(`/api/public/bookings/${booking.code}/verify`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ smsCode }),
    });
    const answeredAt = Date.now();
    const inRequest = (await textsNow()).find((t) => t.text.includes('已确认'));
    const text = await textWith('已确认');

    // Assess: each text went out after its request answered, within 5 s.
    expect(held.status).toBe(202);
    expect(codeInRequest).toEqual([]);
    expect(codeAt - heldAt).toBeLessThan(5000);
    expect(booked.status).toBe(200);
    expect(inRequest).toBeUndefined();
    expect(text?.text).toContain('已确认');
    expect(text?.text).toContain(date);
    expect(Date.now() - answeredAt).toBeLessThan(5000);
  });

  it('hosts an S3-compatible evidence bucket that takes presigned PUTs and GETs', async () => {
    const s3 = new S3Client({
      endpoint: process.env.S3_ENDPOINT,
      region: 'us-east-1',
      forcePathStyle: true,
      credentials: { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' },
    });
    const key = 'unattached/test.pdf';
    const put = await getSignedUrl(
      s3,
      new PutObjectCommand({ Bucket: EVIDENCE_BUCKET, Key: key, ContentType: 'application/pdf' }),
      {
        expiresIn: 300,
      },
    );
    expect(
      (await fetch(put, { method: 'PUT', body: '%PDF-1.4', headers: { 'content-type': 'application/pdf' } })).status,
    ).toBe(200);
    const get = await getSignedUrl(s3, new GetObjectCommand({ Bucket: EVIDENCE_BUCKET, Key: key }), { expiresIn: 300 });
    expect(await (await fetch(get)).text()).toBe('%PDF-1.4');
    s3.destroy();
  });
});

describe('data folders', () => {
  it('refuses a second instance on the same folder, in this process or another', async () => {
    await expect(startRuntime({ port: 0, dataDir, siteDir: site, scheduler: false, log: quiet })).rejects.toThrow(
      /Another instance/,
    );
    const second = await startCli(dataDir);
    expect(await second.exited).toBe(1);
    expect(second.output()).toMatch(/Another instance/);
  });

  it('keeps two folders apart, and Ctrl-C stops every child process', async () => {
    const otherDir = tempDir('other');
    const other = await startCli(otherDir);
    const url = await other.url;
    const health = (await (await fetch(`${url}/api/health`)).json()) as { jobs: { heartbeat: string | null } };
    expect(health.jobs.heartbeat).toBeNull();
    expect(javaUsing(otherDir)).toBe(true);
    other.child.kill('SIGINT');
    expect(await other.exited).toBe(0);
    expect(javaUsing(otherDir)).toBe(false);
  });

  it('leaves no DynamoDB Local behind when the runtime is killed outright (SIGKILL)', async () => {
    const crashDir = tempDir('crash');
    const crashing = await startCli(crashDir);
    await crashing.url;
    expect(javaUsing(crashDir)).toBe(true);
    crashing.child.kill('SIGKILL');
    await crashing.exited;
    await expect.poll(() => javaUsing(crashDir), { timeout: 10_000, interval: 200 }).toBe(false);
  });

  it('keeps data, accounts and the signing key across a restart on the same folder', async () => {
    const token = ((await (await signIn('lead.suzhou')).json()) as { token: string }).token;
    // The issuer is `<origin>/oidc`: the same port (as `npm start` keeps 3000) is the same issuer.
    const port = Number(new URL(runtime.url).port);
    await runtime.stop();
    runtime = await startRuntime({ port, dataDir, siteDir: site, scheduler: false, log: quiet });
    expect(runtime.seeded).toBe(0);
    expect((await me(token)).status).toBe(200);
    const health = (await (await api('/api/health')).json()) as { jobs: { heartbeat: string } };
    expect(health.jobs.heartbeat).toBe('2026-12-01T08:00:00+08:00');
  });
});
