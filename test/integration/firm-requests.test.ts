import { createHash } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { raiseFirmRequest } from '../../functions/lib/firms/requests.ts';
import { type Runtime, startRuntime } from '../../infra/local/runtime.ts';
import { DEFAULT_TEMPLATE } from '../../shared/checkups.ts';
import { shanghaiDate } from '../../shared/time.ts';
import { workingDaysAfter } from '../../shared/working-days.ts';
import { PHOTO, uploadEvidence, uploadSignature } from '../support/evidence.ts';
import { signInFirm } from '../support/firm.ts';
import { distinctUsccs } from '../support/uscc.ts';

// Issue 16, the difficulties card: a signed-in firm raises a ledger item of its own (`collected`,
// source `firm`) that its liaison sees on its board, audited, promised a take-up within 2 working
// days and an answer within 5 on the mainland calendar with its 调休 days; the daily job nudges the
// liaison once when the item is still not taken up past its day. Photos are the firm's own uploads.
let runtime: Runtime;
let dataDir: string;
const staff: Record<string, string> = {};
const [firmA, firmB, firmC] = distinctUsccs(3) as [string, string, string];
const mobileA = '13912350001';
const mobileB = '13912350002';
const tokens = {} as Record<'a' | 'b', string>;

const call = async (method: string, path: string, token?: string, body?: unknown) => {
  const res = await fetch(`${runtime.url}${path}`, {
    method,
    headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  // biome-ignore lint/suspicious/noExplicitAny: answers of many shapes, checked field by field
  return { status: res.status, body: (await res.json().catch(() => null)) as Record<string, any> };
};

/** A photo uploaded by the firm: POST /api/firm/evidence, then the presigned PUT to the local S3 server. */
const firmPhoto = async (token: string) => {
  const photo = PHOTO;
  const created = await call('POST', '/api/firm/evidence', token, {
    fileName: '漏点.png',
    contentType: 'image/png',
    size: photo.length,
    sha256: createHash('sha256').update(photo).digest('hex'),
  });
  expect(created.status, JSON.stringify(created.body)).toBe(201);
  const put = await fetch(created.body.upload.url, {
    method: 'PUT',
    headers: created.body.upload.headers,
    body: photo,
  });
  expect(put.ok).toBe(true);
  return created.body.evidenceId as string;
};

const enterprise = (uscc: string, name: string, mobile: string) => ({
  uscc,
  name,
  county: '320506',
  address: '苏州市吴中区胥口镇 18 号',
  industry: '金属表面处理',
  size: 'small',
  tier: 'county',
  contacts: [{ name: '周工', role: '安环主管', mobile }],
});

const boardOf = async (who: string) =>
  (await call('GET', '/api/staff/ledger-items', staff[who])).body.items as {
    itemId: string;
    source: string;
    state: string;
  }[];

beforeAll(async () => {
  dataDir = mkdtempSync(join(tmpdir(), 'eco-firm-requests-'));
  runtime = await startRuntime({ port: 0, dataDir, siteDir: dataDir, scheduler: false, log: () => undefined });
  for (const username of ['lead.wuzhong', 'liaison.wuzhong', 'liaison.xiangcheng']) {
    staff[username] = (await runtime.issuer.signIn(username, 'demo'))?.token ?? '';
  }
  expect(
    (await call('POST', '/api/staff/enterprises', staff['lead.wuzhong'], enterprise(firmA, '甲五金有限公司', mobileA)))
      .status,
  ).toBe(201);
  expect(
    (await call('POST', '/api/staff/enterprises', staff['lead.wuzhong'], enterprise(firmB, '乙电镀有限公司', mobileB)))
      .status,
  ).toBe(201);
  const paired = await call('POST', '/api/staff/pairings', staff['lead.wuzhong'], {
    uscc: firmA,
    liaison: 'liaison.wuzhong',
    serviceYear: 2026,
    startsOn: '2026-01-01',
  });
  expect(paired.status).toBe(201);
  tokens.a = (await signInFirm(runtime.url, firmA, mobileA)).token;
  tokens.b = (await signInFirm(runtime.url, firmB, mobileB)).token;
});

afterAll(async () => {
  await runtime?.stop();
  rmSync(dataDir, { recursive: true, force: true });
});

describe('a firm raises a difficulty (POST /api/firm/requests)', () => {
  it('creates a collected item of source firm with its photo, on its liaison’s board, audited', async () => {
    // Prepare
    const photo = await firmPhoto(tokens.a);

    // Act
    const res = await call('POST', '/api/firm/requests', tokens.a, {
      title: '雨水排口旁有油污',
      detail: '厂区东侧雨水排口旁发现油污，想请联络员帮忙确认排查方法。',
      evidenceIds: [photo],
    });

    // Assess
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    const { item } = res.body;
    const now = new Date();
    expect(item).toMatchObject({
      state: 'collected',
      source: 'firm',
      takeUpBy: workingDaysAfter(now, 2).lastDay,
      dueOn: workingDaysAfter(now, 5).lastDay,
      evidence: [expect.objectContaining({ evidenceId: photo, contentType: 'image/png' })],
    });
    const board = await boardOf('liaison.wuzhong');
    expect(board.find((i) => i.itemId === item.itemId)).toMatchObject({ source: 'firm', state: 'collected' });
    // Another liaison of another county does not see it.
    expect((await boardOf('liaison.xiangcheng')).some((i) => i.itemId === item.itemId)).toBe(false);
    const audit = await call('GET', `/api/staff/audit?entity=ledger:${item.itemId}`, staff['lead.wuzhong']);
    expect(audit.body.events).toEqual([expect.objectContaining({ action: 'ledger.create', actor: `firm:${firmA}` })]);
    // The liaison opens the photo.
    const file = await call('GET', `/api/staff/evidence/${photo}`, staff['liaison.wuzhong']);
    expect(file.status).toBe(200);
    // The firm reads it back on its record, with its take-up day.
    const me = await call('GET', '/api/firm/me', tokens.a);
    expect(me.body.ledger.items.find((i: { itemId: string }) => i.itemId === item.itemId)).toMatchObject({
      source: 'firm',
      takeUpBy: item.takeUpBy,
      dueOn: item.dueOn,
    });
  });

  it('refuses to attach another firm’s upload, or a staff upload, as a field error, and writes nothing', async () => {
    // Prepare
    const othersPhoto = await firmPhoto(tokens.b);
    const staffPhoto = await uploadEvidence(runtime.url, staff['liaison.wuzhong'] ?? '');
    const before = (await call('GET', '/api/firm/me', tokens.a)).body.ledger.items.length;

    // Act
    const answers = await Promise.all(
      [othersPhoto, staffPhoto].map((id) =>
        call('POST', '/api/firm/requests', tokens.a, {
          title: '借用的照片',
          detail: '不是本企业上传的照片',
          evidenceIds: [id],
        }),
      ),
    );

    // Assess
    expect(answers.map((a) => a.status)).toEqual([400, 400]);
    expect(answers[0]?.body.error.fields).toEqual({ 'evidenceIds.0': 'No such upload of yours' });
    expect((await call('GET', '/api/firm/me', tokens.a)).body.ledger.items.length).toBe(before);
  });

  it('refuses a body that names another firm by ignoring it: the item is the token’s firm’s', async () => {
    // Act
    const res = await call('POST', '/api/firm/requests', tokens.b, {
      uscc: firmA,
      title: '冒名的诉求',
      detail: '试图替另一家企业提出诉求',
    });

    // Assess
    expect(res.status).toBe(201);
    const mine = (await call('GET', '/api/firm/me', tokens.b)).body.ledger.items as { itemId: string }[];
    const theirs = (await call('GET', '/api/firm/me', tokens.a)).body.ledger.items as { itemId: string }[];
    expect(mine.some((i) => i.itemId === res.body.item.itemId)).toBe(true);
    expect(theirs.some((i) => i.itemId === res.body.item.itemId)).toBe(false);
  });

  it('answers 400 naming the field for a title too short or a detail missing, and refuses non-photos', async () => {
    // Act
    const bad = await call('POST', '/api/firm/requests', tokens.a, { title: 'x' });
    const pdf = await call('POST', '/api/firm/evidence', tokens.a, {
      fileName: 'a.pdf',
      contentType: 'application/pdf',
      size: 10,
      sha256: 'a'.repeat(64),
    });

    // Assess
    expect(bad.status).toBe(400);
    expect(Object.keys(bad.body.error.fields).sort()).toEqual(['detail', 'title']);
    expect(pdf.status).toBe(400);
    expect(pdf.body.error.fields).toHaveProperty('contentType');
  });

  it('refuses a staff token on the firm’s request and upload routes with 401', async () => {
    // Act
    const answers = await Promise.all([
      call('POST', '/api/firm/requests', staff['lead.wuzhong'], { title: '员工冒充', detail: '员工冒充企业提诉求' }),
      call('POST', '/api/firm/evidence', staff['lead.wuzhong'], {
        fileName: 'a.png',
        contentType: 'image/png',
        size: 10,
        sha256: 'a'.repeat(64),
      }),
    ]);

    // Assess
    expect(answers.map((a) => a.status)).toEqual([401, 401]);
  });
});

describe('a firm reads its own check-up reports (GET /api/firm/checkups/{id}/report)', () => {
  const submitted = async (uscc: string) => {
    const lead = staff['lead.wuzhong'];
    const started = await call('POST', '/api/staff/checkups', lead, {
      uscc,
      at: '2026-11-10T09:30:00+08:00',
      inspectors: ['王工'],
    });
    const id = started.body.checkup.checkupId as string;
    const answers = {
      ...Object.fromEntries(DEFAULT_TEMPLATE.items.map((i) => [i.itemId, { result: 'pass' }])),
      M3: { result: 'fail', note: '排污许可证已过期' },
    };
    await call('PATCH', `/api/staff/checkups/${id}`, lead, { version: 1, answers });
    const signature = await uploadSignature(runtime.url, lead ?? '');
    expect((await call('POST', `/api/staff/checkups/${id}/submit`, lead, { version: 2, signature })).status).toBe(200);
    return id;
  };

  it('shows the firm its own report with the failed item’s note, lists it on its record, and answers 404 to another firm', async () => {
    // Prepare
    const mine = await submitted(firmA);
    const draft = (
      await call('POST', '/api/staff/checkups', staff['lead.wuzhong'], {
        uscc: firmA,
        at: '2026-11-20T09:30:00+08:00',
        inspectors: ['王工'],
      })
    ).body.checkup.checkupId as string;

    // Act
    const own = await call('GET', `/api/firm/checkups/${mine}/report`, tokens.a);
    const others = await call('GET', `/api/firm/checkups/${mine}/report`, tokens.b);
    const ownDraft = await call('GET', `/api/firm/checkups/${draft}/report`, tokens.a);
    const record = await call('GET', '/api/firm/me', tokens.a);

    // Assess
    expect(own.status).toBe(200);
    expect(own.body.checkup).toMatchObject({ checkupId: mine, state: 'submitted', band: expect.any(String) });
    expect(own.body.checkup.answers.M3).toEqual({ result: 'fail', note: '排污许可证已过期' });
    expect(own.body.template.items.length).toBeGreaterThan(0);
    expect(JSON.stringify(own.body)).not.toContain('lead.wuzhong');
    expect(others.status).toBe(404);
    expect(others.body).toEqual({ error: { code: 'NOT_FOUND', message: 'Not found' } });
    expect(ownDraft.status).toBe(404);
    expect(record.body.checkups.items.map((c: { checkupId: string }) => c.checkupId)).toEqual([mine]);
  });
});

describe('time limits in working days across 国庆 2026 with its 调休', () => {
  let itemId = '';
  const raisedAt = new Date('2026-09-30T16:30:00+08:00');

  it('promises a request raised on 30 September a take-up by 9 October and an answer by 13 October (Saturday 10 October is worked)', async () => {
    // Act: the route's own function, at a time before the holiday (the route takes "now" from the clock).
    const item = await raiseFirmRequest(
      { kind: 'firm', uscc: firmA, mobile: mobileA },
      {
        title: '节前提出的困难',
        detail: '国庆节前提出，需要在节后尽快受理。',
      },
      raisedAt,
    );
    itemId = item.itemId;

    // Assess: 1–7 October are off, 8 and 9 count for the take-up; 10 (调休 Saturday), 12 and 13 for the answer.
    expect(item).toMatchObject({
      takeUpBy: '2026-10-09',
      dueOn: '2026-10-13',
      calendarKnown: true,
      state: 'collected',
    });
    const stored = await call('GET', `/api/staff/ledger-items/${itemId}`, staff['liaison.wuzhong']);
    expect(stored.body.item).toMatchObject({ source: 'firm', takeUpBy: '2026-10-09', dueOn: '2026-10-13' });
  });

  it('nudges the liaison once on 10 October when the request is still collected, however often the job runs', async () => {
    // Prepare
    const runJob = (at: string) =>
      fetch(`${runtime.url}/api/local/jobs/overdue`, { method: 'POST', body: JSON.stringify({ at }) });
    const inbox = async () =>
      ((await call('GET', '/api/staff/inbox', staff['liaison.wuzhong'])).body.messages as { title: string }[]).filter(
        (m) => m.title.includes('待受理') && m.title.includes('节前提出的困难'),
      );

    // Act: the day it is due (9 October) nudges nothing; the next morning nudges, twice run.
    await runJob('2026-10-09T09:00:00+08:00');
    const onTheDay = await inbox();
    await runJob('2026-10-10T09:00:00+08:00');
    await runJob('2026-10-10T09:00:00+08:00');

    // Assess
    expect(onTheDay).toEqual([]);
    expect(await inbox()).toHaveLength(1);
  });

  it('does not nudge for a request taken up before its day has passed', async () => {
    // Prepare: another request raised the same day, taken up by the liaison.
    const taken = await raiseFirmRequest(
      { kind: 'firm', uscc: firmA, mobile: mobileA },
      {
        title: '节前提出并已受理',
        detail: '联络员已经受理了这条诉求。',
      },
      raisedAt,
    );
    const moved = await call('POST', `/api/staff/ledger-items/${taken.itemId}/transitions`, staff['liaison.wuzhong'], {
      to: 'in_progress',
      note: '已电话联系企业，安排走访',
      version: taken.version,
    });
    expect(moved.status).toBe(200);

    // Act
    await fetch(`${runtime.url}/api/local/jobs/overdue`, {
      method: 'POST',
      body: JSON.stringify({ at: '2026-10-11T09:00:00+08:00' }),
    });

    // Assess
    const titles = (
      (await call('GET', '/api/staff/inbox', staff['liaison.wuzhong'])).body.messages as { title: string }[]
    ).map((m) => m.title);
    expect(titles.some((t) => t.includes('节前提出并已受理'))).toBe(false);
  });
});

describe('staff give a due date in working days', () => {
  it('sets dueOn from dueInWorkingDays on the mainland calendar, and wants exactly one of the two', async () => {
    // Prepare
    const body = {
      uscc: firmA,
      title: '按工作日计算期限',
      detail: '期限按工作日计算的台账事项',
      source: 'contact',
      severity: 'low',
      ownerDepartment: '固废科',
    };

    // Act
    const inDays = await call('POST', '/api/staff/ledger-items', staff['lead.wuzhong'], {
      ...body,
      dueInWorkingDays: 5,
    });
    const both = await call('POST', '/api/staff/ledger-items', staff['lead.wuzhong'], {
      ...body,
      dueOn: '2026-12-31',
      dueInWorkingDays: 5,
    });
    const neither = await call('POST', '/api/staff/ledger-items', staff['lead.wuzhong'], body);
    const asFirm = await call('POST', '/api/staff/ledger-items', staff['lead.wuzhong'], {
      ...body,
      dueOn: '2026-12-31',
      source: 'firm',
    });

    // Assess
    expect(inDays.status).toBe(201);
    expect(inDays.body.item.dueOn).toBe(workingDaysAfter(new Date(), 5).lastDay);
    expect(inDays.body.item.dueOn > shanghaiDate(new Date())).toBe(true);
    expect([both.status, neither.status, asFirm.status]).toEqual([400, 400, 400]);
    expect(asFirm.body.error.fields).toHaveProperty('source');
  });
});

describe('the 20-waiting cap and retries (issue 16)', () => {
  it('lets exactly 20 of 25 requests at once wait, and one more once the liaison takes one up', async () => {
    // Prepare: a firm with nothing waiting.
    const created = await call(
      'POST',
      '/api/staff/enterprises',
      staff['lead.wuzhong'],
      enterprise(firmC, '丙印染有限公司', '13912350003'),
    );
    expect(created.status).toBe(201);
    const firm = { kind: 'firm' as const, uscc: firmC, mobile: '13912350003' };
    const now = new Date();

    // Act: 25 requests at the same time.
    const results = await Promise.allSettled(
      Array.from({ length: 25 }, (_, i) =>
        raiseFirmRequest(firm, { title: `同时提出的困难${i}`, detail: '同一时间提交的困难，检验排队上限。' }, now),
      ),
    );

    // Assess: 20 made, 5 refused as rate limited; 20 collected on the firm's ledger.
    const made = results.filter((r) => r.status === 'fulfilled');
    const refused = results.filter((r) => r.status === 'rejected');
    expect(made).toHaveLength(20);
    expect(refused.map((r) => (r as PromiseRejectedResult).reason.constructor.name)).toEqual(
      Array(5).fill('RateLimitedError'),
    );
    const waiting = (await boardOf('lead.wuzhong')).filter((i) => i.source === 'firm' && i.state === 'collected');
    const ofFirm = (await call('GET', `/api/staff/ledger-items?uscc=${firmC}`, staff['lead.wuzhong'])).body.items as {
      itemId: string;
      state: string;
      version: number;
    }[];
    expect(ofFirm.filter((i) => i.state === 'collected')).toHaveLength(20);
    expect(waiting.length).toBeGreaterThanOrEqual(20);

    // Act: the lead takes one up; then one more request.
    const first = ofFirm[0] as { itemId: string; version: number };
    const moved = await call('POST', `/api/staff/ledger-items/${first.itemId}/transitions`, staff['lead.wuzhong'], {
      to: 'in_progress',
      note: '已受理，安排现场查看',
      version: first.version,
    });
    expect(moved.status).toBe(200);
    const next = await raiseFirmRequest(firm, { title: '受理后再提的困难', detail: '有一项受理后再提交一项。' }, now);

    // Assess: room for exactly one.
    expect(next.state).toBe('collected');
    await expect(raiseFirmRequest(firm, { title: '再多一项困难', detail: '上限已满时再提交。' }, now)).rejects.toThrow(
      /Too many/,
    );
  });

  it('makes one item for a request retried with the same Idempotency-Key, even at the same time', async () => {
    // Prepare
    const body = { title: '重试的困难', detail: '网络不好时页面重发了同一张卡片。' };
    const send = (key: string, json: unknown = body) =>
      fetch(`${runtime.url}/api/firm/requests`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${tokens.b}`, 'idempotency-key': key },
        body: JSON.stringify(json),
      });
    const key = '6f1c2b8e-0d4a-4e8b-9a57-3c1f0e2d9b11';

    // Act: the same card three times at once, and once more after.
    const answers = await Promise.all([send(key), send(key), send(key)]);
    const later = await send(key);

    // Assess: each answered 201 with the same item; one item on the firm's ledger.
    const bodies = await Promise.all(
      [...answers, later].map(async (r) => ({ status: r.status, body: await r.json() })),
    );
    expect(bodies.map((b) => b.status)).toEqual([201, 201, 201, 201]);
    expect(new Set(bodies.map((b) => b.body.item.itemId)).size).toBe(1);
    const items = (await call('GET', `/api/staff/ledger-items?uscc=${firmB}`, staff['lead.wuzhong'])).body.items as {
      title: string;
    }[];
    expect(items.filter((i) => i.title === body.title)).toHaveLength(1);
    // The same key with another card is a mistake, said as a conflict; a bad key names the header.
    expect((await send(key, { ...body, title: '另一张卡片' })).status).toBe(409);
    const bad = await send('short');
    expect(bad.status).toBe(400);
    expect(JSON.stringify(await bad.json())).toContain('Idempotency-Key');
  });
});
