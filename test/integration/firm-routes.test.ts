import { createPrivateKey, generateKeyPairSync } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { decodeJwt, decodeProtectedHeader, SignJWT } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Runtime, startRuntime } from '../../infra/local/runtime.ts';
import { shanghaiDate } from '../../shared/time.ts';
import { bookAndVerify } from '../support/bookings.ts';
import { claimsFor, httpEvent, invoke } from '../support/events.ts';
import { signInFirm } from '../support/firm.ts';
import { sentTexts } from '../support/outbox.ts';
import { distinctUsccs } from '../support/uscc.ts';

// Issue 16: firm routes live under /api/firm and take a firm token only; a firm token is refused on
// staff routes and a staff token on firm routes, by the gateway (as the two JWT authorizers in AWS)
// and again by the handler stack. A firm reads its own record and nothing of another firm's.
let runtime: Runtime;
let dataDir: string;
let staff: string;
const [firmA, firmB, firmC] = distinctUsccs(3) as [string, string, string];
const mobileA = '13912340001';
const mobileB = '13912340002';
const liaisonMobile = '13800138000';
const tokens = {} as Record<'a' | 'b', string>;

const call = (method: string, path: string, token?: string, body?: unknown) =>
  fetch(`${runtime.url}${path}`, {
    method,
    headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: body === undefined ? undefined : JSON.stringify(body),
  });

const ok = async (res: Response, status = 200) => {
  const text = await res.text();
  expect(res.status, text).toBe(status);
  return JSON.parse(text);
};

const enterprise = (uscc: string, name: string, mobile: string) => ({
  uscc,
  name,
  county: '320506',
  address: '苏州市吴中区临湖镇工业园 8 号',
  industry: '化学原料和化学制品制造业',
  size: 'medium',
  tier: 'city',
  contacts: [{ name: '陈工', role: '环保主管', mobile }],
});

const ledgerItem = async (uscc: string, title: string) =>
  (
    await ok(
      await call('POST', '/api/staff/ledger-items', staff, {
        uscc,
        title,
        detail: '走访发现的问题，需要整改',
        source: 'contact',
        severity: 'medium',
        dueOn: '2026-12-31',
        ownerDepartment: '固废科',
      }),
      201,
    )
  ).item;

/** A Wuzhong consultation day `ahead` days from now with one 09:00 slot of 5 seats, made by the lead. */
const newDay = async (ahead: number) => {
  const date = shanghaiDate(new Date(Date.now() + ahead * 86_400_000));
  const made = await call('POST', '/api/staff/consultation-days', staff, {
    date,
    jurisdiction: '320506',
    venue: '吴中区',
    mode: 'onsite',
    topics: ['排污许可'],
    slots: [{ startsAt: `${date}T09:00:00+08:00`, endsAt: `${date}T10:00:00+08:00`, capacity: 5 }],
  });
  return (await ok(made, 201)).day as { dayId: string };
};

const move = async (itemId: string, to: string, note: string, version: number) =>
  ok(await call('POST', `/api/staff/ledger-items/${itemId}/transitions`, staff, { to, note, version }));

beforeAll(async () => {
  dataDir = mkdtempSync(join(tmpdir(), 'eco-firm-routes-'));
  runtime = await startRuntime({ port: 0, dataDir, siteDir: dataDir, scheduler: false, log: () => undefined });
  staff = (
    await ok(await call('POST', '/api/local-auth/sign-in', undefined, { username: 'lead.wuzhong', password: 'demo' }))
  ).token;
  await ok(await call('POST', '/api/staff/enterprises', staff, enterprise(firmA, '甲精细化工有限公司', mobileA)), 201);
  await ok(await call('POST', '/api/staff/enterprises', staff, enterprise(firmB, '乙印染有限公司', mobileB)), 201);

  // Firm A: a liaison with a mobile, two ledger items (one taken on, one cancelled with a reason), a booking.
  const users = (await ok(await call('GET', '/api/staff/users', staff))).users as {
    username: string;
    version: number;
  }[];
  const liaison = users.find((u) => u.username === 'liaison.wuzhong');
  await ok(
    await call('PATCH', '/api/staff/users/liaison.wuzhong', staff, {
      version: liaison?.version,
      mobile: liaisonMobile,
    }),
  );
  await ok(
    await call('POST', '/api/staff/pairings', staff, {
      uscc: firmA,
      liaison: 'liaison.wuzhong',
      serviceYear: Number(shanghaiDate(new Date()).slice(0, 4)),
      startsOn: '2026-01-01',
    }),
    201,
  );
  const open = await ledgerItem(firmA, '甲企业危废贮存间标识不规范');
  await move(open.itemId, 'in_progress', '已安排固废科下周现场核查', open.version);
  const cancelled = await ledgerItem(firmA, '甲企业重复登记的问题');
  await move(cancelled.itemId, 'cancelled', '与另一条记录重复，合并办理', cancelled.version);
  await ledgerItem(firmB, '乙企业废气收集效率偏低');

  const day = await newDay(12);
  const booked = await bookAndVerify({ url: runtime.url }, day.dayId, {
    slotId: 's1',
    uscc: firmA,
    companyName: '甲精细化工有限公司',
    contactName: '陈工',
    mobile: mobileA,
    topic: '排污许可',
    question: '排污许可证延续需要准备哪些材料',
    consent: true,
  });
  expect(booked.status, booked.text).toBe(200);

  tokens.a = (await signInFirm(runtime.url, firmA, mobileA)).token;
  tokens.b = (await signInFirm(runtime.url, firmB, mobileB)).token;
});

afterAll(async () => {
  await runtime?.stop();
  rmSync(dataDir, { recursive: true, force: true });
});

describe('a firm reads its own record (GET /api/firm/me)', () => {
  it('shows the firm its facts, its liaison with mobile, its ledger items with the notes staff gave, and its bookings', async () => {
    // Act
    const me = await ok(await call('GET', '/api/firm/me', tokens.a));

    // Assess
    expect(me.firm).toMatchObject({
      uscc: firmA,
      name: '甲精细化工有限公司',
      county: { code: '320506' },
      address: '苏州市吴中区临湖镇工业园 8 号',
      industry: '化学原料和化学制品制造业',
      size: 'medium',
      tier: 'city',
    });
    expect(me.liaisons).toEqual([{ displayName: expect.any(String), mobile: liaisonMobile, since: '2026-01-01' }]);
    const byTitle = new Map((me.ledger.items as { title: string }[]).map((i) => [i.title, i]));
    expect([...byTitle.keys()].sort()).toEqual(['甲企业危废贮存间标识不规范', '甲企业重复登记的问题'].sort());
    expect(byTitle.get('甲企业危废贮存间标识不规范')).toMatchObject({
      state: 'in_progress',
      dueOn: '2026-12-31',
      history: expect.arrayContaining([
        expect.objectContaining({ to: 'in_progress', note: '已安排固废科下周现场核查' }),
      ]),
    });
    expect(byTitle.get('甲企业重复登记的问题')).toMatchObject({
      state: 'cancelled',
      history: expect.arrayContaining([
        expect.objectContaining({ to: 'cancelled', note: '与另一条记录重复，合并办理' }),
      ]),
    });
    expect(me.bookings.items).toEqual([expect.objectContaining({ topic: '排污许可', status: 'confirmed' })]);
    // Only what a firm may see: no staff usernames of whoever made the moves.
    expect(JSON.stringify(me)).not.toContain('lead.wuzhong');
  });

  it('gives another firm’s token nothing of the first firm’s record', async () => {
    // Act
    const res = await call('GET', '/api/firm/me', tokens.b);
    const text = await res.text();

    // Assess
    expect(res.status).toBe(200);
    const me = JSON.parse(text);
    expect(me.firm.uscc).toBe(firmB);
    expect(me.ledger.items.map((i: { title: string }) => i.title)).toEqual(['乙企业废气收集效率偏低']);
    expect(me.liaisons).toEqual([]);
    expect(me.bookings.items).toEqual([]);
    for (const leak of [firmA, '甲精细化工有限公司', '甲企业', liaisonMobile]) expect(text).not.toContain(leak);
  });
});

describe('each kind of token on its own routes only', () => {
  it('refuses a staff token on a firm route with 401', async () => {
    // Act
    const res = await call('GET', '/api/firm/me', staff);

    // Assess
    expect(res.status).toBe(401);
    expect((await res.json()).error.code).toBe('UNAUTHENTICATED');
  });

  it('refuses a firm token on staff routes with 401, even on its own firm’s page', async () => {
    // Act
    const answers = await Promise.all([
      call('GET', '/api/staff/me', tokens.a),
      call('GET', `/api/staff/enterprises/${firmA}`, tokens.a),
      call('GET', '/api/staff/ledger-items?county=320506', tokens.a),
    ]);

    // Assess
    expect(answers.map((r) => r.status)).toEqual([401, 401, 401]);
  });

  it('refuses a firm route without a token, with a malformed one, or with no Bearer scheme', async () => {
    // Act
    const answers = await Promise.all([
      call('GET', '/api/firm/me'),
      call('GET', '/api/firm/me', 'not-a-jwt'),
      fetch(`${runtime.url}/api/firm/me`, { headers: { authorization: tokens.a } }),
    ]);

    // Assess
    expect(answers.map((r) => r.status)).toEqual([401, 401, 401]);
  });
});

describe('the firm routes’ authorizer checks what API Gateway checks', () => {
  /** The local KMS stand-in's key: a token signed with it is exactly what KMS would sign. */
  const kmsKey = () =>
    createPrivateKey(
      (JSON.parse(readFileSync(join(dataDir, 'kms-keys.json'), 'utf8')) as { privatePem: string }).privatePem,
    );
  const claimsOf = (token: string) => decodeJwt(token);
  const sign = (claims: Record<string, unknown>, key = kmsKey(), header: Record<string, unknown> = {}) =>
    new SignJWT(claims)
      .setProtectedHeader({ alg: 'ES256', typ: 'JWT', kid: decodeProtectedHeader(tokens.a).kid, ...header })
      .sign(key);

  it('accepts a token signed by the issuer’s key with the right claims (the control)', async () => {
    // Act
    const res = await call('GET', '/api/firm/me', await sign(claimsOf(tokens.a)));

    // Assess
    expect(res.status).toBe(200);
  });

  it('refuses an expired firm token with 401', async () => {
    // Prepare
    const now = Math.floor(Date.now() / 1000);
    const expired = await sign({ ...claimsOf(tokens.a), iat: now - 13 * 3600, nbf: now - 13 * 3600, exp: now - 3600 });

    // Act
    const res = await call('GET', '/api/firm/me', expired);

    // Assess
    expect(res.status).toBe(401);
  });

  it('refuses a forged firm token (another key, a payload changed to another firm, alg none) with 401', async () => {
    // Prepare
    const { privateKey: stranger } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
    const otherKey = await sign(claimsOf(tokens.a), stranger);
    const [header, , signature] = tokens.a.split('.');
    const swapped = Buffer.from(JSON.stringify({ ...claimsOf(tokens.a), uscc: firmB, sub: `firm:${firmB}` })).toString(
      'base64url',
    );
    const changedPayload = `${header}.${swapped}.${signature}`;
    const none = `${Buffer.from(JSON.stringify({ alg: 'none', typ: 'JWT' })).toString('base64url')}.${swapped}.`;

    // Act
    const answers = await Promise.all([otherKey, changedPayload, none].map((t) => call('GET', '/api/firm/me', t)));

    // Assess
    expect(answers.map((r) => r.status)).toEqual([401, 401, 401]);
  });

  it('refuses a token of the issuer’s key for another audience or from another issuer with 401', async () => {
    // Prepare
    const claims = claimsOf(tokens.a);
    const otherAudience = await sign({ ...claims, aud: 'eco-liaison-staff' });
    const otherIssuer = await sign({ ...claims, iss: `${runtime.url}/oidc` });

    // Act
    const answers = await Promise.all([otherAudience, otherIssuer].map((t) => call('GET', '/api/firm/me', t)));

    // Assess
    expect(answers.map((r) => r.status)).toEqual([401, 401]);
  });
});

describe('the handler stack checks the kind of token again (behind any authorizer)', () => {
  const load = async () =>
    (await import('../../functions/firm/index.ts')).handler as unknown as Parameters<typeof invoke>[0];
  const loadStaff = async () =>
    (await import('../../functions/staff/index.ts')).handler as unknown as Parameters<typeof invoke>[0];

  it('answers 401 to staff claims on a firm route, and to a firm’s claims on a staff route', async () => {
    // Prepare
    const firmClaims = decodeJwt(tokens.a);
    const staffClaims = claimsFor('lead.wuzhong', 'lead', '320506');

    // Act
    const staffOnFirm = await invoke(await load(), httpEvent('GET', '/api/firm/me', { claims: staffClaims }));
    const firmOnStaff = await invoke(await loadStaff(), httpEvent('GET', '/api/staff/me', { claims: firmClaims }));
    const firmOnFirm = await invoke(await load(), httpEvent('GET', '/api/firm/me', { claims: firmClaims }));

    // Assess
    expect([staffOnFirm.status, firmOnStaff.status, firmOnFirm.status]).toEqual([401, 401, 200]);
    expect(firmOnFirm.json.firm.uscc).toBe(firmA);
  });

  it('answers 401 to firm-looking claims that do not hold together (USCC not the subject, other issuer)', async () => {
    // Prepare
    const claims = decodeJwt(tokens.a);
    const cases = [
      { ...claims, uscc: firmB },
      { ...claims, iss: 'https://elsewhere.example/api/public/firm-issuer' },
      { ...claims, aud: 'someone-else' },
      { ...claims, token_use: 'id' },
    ];

    // Act
    const answers = await Promise.all(
      cases.map(async (c) => invoke(await load(), httpEvent('GET', '/api/firm/me', { claims: c }))),
    );

    // Assess
    expect(answers.map((a) => a.status)).toEqual([401, 401, 401, 401]);
  });
});

describe('a signed-in firm books for its own USCC (POST /api/firm/consultation-days/{dayId}/bookings)', () => {
  const body = { slotId: 's1', topic: '排污许可', question: '排污许可证延续需要准备哪些材料', consent: true };
  const codesTo = (mobile: string) =>
    sentTexts().filter((e) => e.to === `+86${mobile}` && e.text.includes('预约验证码')).length;

  it('confirms at once, with no code, the firm and contact being the token’s and the roster’s; a second time that day is ALREADY_BOOKED', async () => {
    // Prepare
    const day = await newDay(13);
    const codesBefore = codesTo(mobileA);
    // Act
    const booked = await call('POST', `/api/firm/consultation-days/${day.dayId}/bookings`, tokens.a, body);
    const again = await call('POST', `/api/firm/consultation-days/${day.dayId}/bookings`, tokens.a, body);
    // Assess
    const { booking } = await ok(booked, 201);
    expect(booking.status).toBe('confirmed');
    expect((await again.json()).error.code).toBe('ALREADY_BOOKED');
    const listed = (await ok(await call('GET', `/api/staff/consultation-days/${day.dayId}/bookings`, staff)))
      .bookings as {
      code: string;
      uscc: string;
      companyName: string;
      personal: { contactName: string; mobile: string };
    }[];
    expect(listed).toEqual([
      expect.objectContaining({
        code: booking.code,
        uscc: firmA,
        companyName: '甲精细化工有限公司',
        personal: expect.objectContaining({ contactName: '陈工', mobile: mobileA }),
      }),
    ]);
    await new Promise((r) => setTimeout(r, 300));
    expect(codesTo(mobileA)).toBe(codesBefore);
  });

  it('cannot book for another firm: a body naming a firm or a contact is refused, and the booking is always the token’s', async () => {
    // Prepare
    const day = await newDay(13);
    // Act
    const answers = await Promise.all(
      [{ uscc: firmB }, { companyName: '乙印染有限公司' }, { mobile: mobileB }, { contactName: '别人' }].map((extra) =>
        call('POST', `/api/firm/consultation-days/${day.dayId}/bookings`, tokens.a, { ...body, ...extra }),
      ),
    );
    const byB = await ok(await call('POST', `/api/firm/consultation-days/${day.dayId}/bookings`, tokens.b, body), 201);
    // Assess
    expect(answers.map((a) => a.status)).toEqual([400, 400, 400, 400]);
    const listed = (await ok(await call('GET', `/api/staff/consultation-days/${day.dayId}/bookings`, staff)))
      .bookings as { code: string; uscc: string }[];
    expect(listed.map((b) => [b.code, b.uscc])).toEqual([[byB.booking.code, firmB]]);
  });

  it('refuses a staff token, no token and an anonymous client with 401, and books nothing', async () => {
    // Prepare
    const day = await newDay(13);
    // Act
    const answers = await Promise.all(
      [staff, undefined, 'not-a-token'].map((token) =>
        call('POST', `/api/firm/consultation-days/${day.dayId}/bookings`, token, body),
      ),
    );
    // Assess
    expect(answers.map((a) => a.status)).toEqual([401, 401, 401]);
    const listed = (await ok(await call('GET', `/api/staff/consultation-days/${day.dayId}/bookings`, staff))).bookings;
    expect(listed).toEqual([]);
  });
});

describe('a firm token holds only while its mobile is the firm’s contact', () => {
  it('answers 401 at once when the bureau removes the contact from the roster, before the token ends', async () => {
    // Prepare: a firm signed in by its contact, who then leaves the firm's roster entry.
    const leaving = '13912340003';
    await ok(await call('POST', '/api/staff/enterprises', staff, enterprise(firmC, '丙建材有限公司', leaving)), 201);
    const token = (await signInFirm(runtime.url, firmC, leaving)).token;
    const before = await call('GET', '/api/firm/me', token);
    const { enterprise: stored } = await ok(await call('GET', `/api/staff/enterprises/${firmC}`, staff));
    await ok(
      await call('PATCH', `/api/staff/enterprises/${firmC}`, staff, {
        version: stored.version,
        contacts: [{ name: '李工', mobile: '13912340004' }],
      }),
    );

    // Act
    const after = await call('GET', '/api/firm/me', token);

    // Assess
    expect(before.status).toBe(200);
    expect(after.status).toBe(401);
    expect((await after.json()).error.code).toBe('UNAUTHENTICATED');
  });
});
