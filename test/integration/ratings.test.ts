import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Runtime, startRuntime } from '../../infra/local/runtime.ts';
import { DEFAULT_TEMPLATE } from '../../shared/checkups.ts';
import { monthOf } from '../../shared/monthly.ts';
import type { OutboxEntry } from '../../shared/outbox.ts';
import { apiCaller } from '../support/api.ts';
import { PHOTO, uploadEvidence, uploadSignature } from '../support/evidence.ts';
import { waitForOutbox } from '../support/outbox.ts';
import { distinctUsccs } from '../support/uscc.ts';

// Issue 16, 好差评: a firm rates one of its closed ledger items once, signed in or from the link that
// closed it; a low rating makes a call-back for the unit's leads in the same transaction; the
// satisfaction counters equal a recount of the ratings, however many arrive at once. And the
// confirmation page's rules: "not solved" needs a reason, the page shows the finding and the photos.
let runtime: Runtime;
let dataDir: string;
const token: Record<string, string> = {};
const call = apiCaller(() => runtime.url, token);
const [firmA, firmB] = distinctUsccs(2) as [string, string];
const mobileA = '13912345601';
const mobileB = '13912345602';

interface Item {
  itemId: string;
  state: string;
  version: number;
}

const enterprise = (uscc: string, name: string, mobile: string, email: string) => ({
  uscc,
  name,
  county: '320506',
  address: '吴中区',
  industry: '电镀',
  size: 'small',
  tier: 'county',
  contacts: [{ name: '王经理', mobile, email }],
});

/** Signs a firm in through the public routes, with the code the SMS stand-in received. */
const signInFirm = async (uscc: string, mobile: string) => {
  const codes = (entries: OutboxEntry[]) =>
    entries.filter((e) => e.channel === 'sms' && e.to === `+86${mobile}` && e.text.includes('验证码'));
  expect((await call('POST', '/api/public/firm-sign-in/start', undefined, { uscc, mobile })).status).toBe(202);
  const entries = await waitForOutbox((all) => codes(all).length > 0);
  const code = /验证码为 (\d{6})/.exec(codes(entries).at(-1)?.text ?? '')?.[1] ?? '';
  const verified = await call('POST', '/api/public/firm-sign-in/verify', undefined, { uscc, mobile, code });
  expect(verified.status).toBe(200);
  return verified.body.token as string;
};

const newItem = async (uscc: string, title: string): Promise<Item> => {
  const res = await call('POST', '/api/staff/ledger-items', 'lead.wuzhong', {
    uscc,
    title,
    detail: '走访发现的问题，需要整改',
    source: 'contact',
    severity: 'medium',
    dueOn: '2026-12-31',
    ownerDepartment: '固废科',
  });
  expect(res.status).toBe(201);
  return res.body.item as Item;
};

const move = async (item: Item, to: string, extra: Record<string, unknown> = {}): Promise<Item> => {
  const res = await call('POST', `/api/staff/ledger-items/${item.itemId}/transitions`, 'lead.wuzhong', {
    to,
    note: '已整改到位，现场核实',
    version: item.version,
    ...extra,
  });
  expect(res.status, JSON.stringify(res.body)).toBe(200);
  return res.body.item as Item;
};

/** An item of `uscc` closed by a lead's override (the firm never answered its link). */
const closedItem = async (uscc: string, title: string) => {
  let item = await newItem(uscc, title);
  item = await move(item, 'in_progress');
  item = await move(item, 'resolved');
  return move(item, 'closed', { override: { reason: '企业电话确认已整改' } });
};

const rate = (firm: 'firmA' | 'firmB', itemId: string, body: unknown) =>
  call('POST', `/api/firm/ledger-items/${itemId}/rating`, firm, body);

/** The newest confirmation link mailed about `title` once at least `count` mails about it went out. */
const linkAbout = async (title: string, count = 1) => {
  const mails = (entries: OutboxEntry[]) => entries.filter((e) => e.channel === 'email' && e.subject.includes(title));
  const mail = mails(await waitForOutbox((entries) => mails(entries).length >= count)).at(-1);
  return /#([A-Za-z0-9_-]{32})/.exec(mail?.channel === 'email' ? mail.text : '')?.[1] ?? '';
};

const satisfaction = async (jurisdiction: string) => {
  const month = monthOf(new Date());
  const res = await call(
    'GET',
    `/api/staff/ledger-stats?jurisdiction=${jurisdiction}&from=${month}&to=${month}`,
    'admin',
  );
  expect(res.status).toBe(200);
  return res.body.satisfaction as { rated: number; stars: number; low: number; average: number | null };
};

beforeAll(async () => {
  dataDir = mkdtempSync(join(tmpdir(), 'eco-ratings-'));
  runtime = await startRuntime({ port: 0, dataDir, siteDir: dataDir, scheduler: false, log: () => undefined });
  for (const username of ['lead.wuzhong', 'lead.suzhou', 'liaison.wuzhong', 'admin']) {
    token[username] = (await runtime.issuer.signIn(username, 'demo'))?.token ?? '';
  }
  for (const [uscc, name, mobile, email] of [
    [firmA, '苏州评价测试甲有限公司', mobileA, 'a@firm.example'],
    [firmB, '苏州评价测试乙有限公司', mobileB, 'b@firm.example'],
  ] as const) {
    expect(
      (await call('POST', '/api/staff/enterprises', 'lead.wuzhong', enterprise(uscc, name, mobile, email))).status,
    ).toBe(201);
  }
  token.firmA = await signInFirm(firmA, mobileA);
  token.firmB = await signInFirm(firmB, mobileB);
});

afterAll(async () => {
  await runtime?.stop();
  rmSync(dataDir, { recursive: true, force: true });
});

describe('a firm rates its closed items once', () => {
  it('refuses an open item (409 NOT_CLOSED), a second rating (409 ALREADY_RATED), and another firm’s item (404)', async () => {
    // Prepare: firm A has an open and a closed item; firm B has a closed one.
    const open = await newItem(firmA, '甲企业雨水排口标识缺失');
    const closed = await closedItem(firmA, '甲企业危废贮存间防渗破损');
    const others = await closedItem(firmB, '乙企业废气收集罩脱落');

    // Act
    const onOpen = await rate('firmA', open.itemId, { stars: 5 });
    const first = await rate('firmA', closed.itemId, { stars: 4, comment: '  办理及时  ' });
    const second = await rate('firmA', closed.itemId, { stars: 1 });
    const onOthers = await rate('firmA', others.itemId, { stars: 1 });
    const unknown = await rate('firmA', '00000000-0000-4000-8000-000000000000', { stars: 3 });
    const staffToken = await call('POST', `/api/firm/ledger-items/${closed.itemId}/rating`, 'lead.wuzhong', {
      stars: 5,
    });

    // Assess
    expect(onOpen.status).toBe(409);
    expect(onOpen.body.error.code).toBe('NOT_CLOSED');
    expect(first.status).toBe(201);
    expect(first.body.rating).toMatchObject({ stars: 4, comment: '办理及时' });
    expect(second.status).toBe(409);
    expect(second.body.error.code).toBe('ALREADY_RATED');
    expect(onOthers.status).toBe(404);
    expect(onOthers.body).toEqual({ error: { code: 'NOT_FOUND', message: 'Not found' } });
    expect(unknown.status).toBe(404);
    expect(staffToken.status).toBe(401);
    const otherStill = (await call('GET', `/api/staff/ledger-items/${others.itemId}`, 'admin')).body.item;
    expect(otherStill.rating).toBeUndefined();
    // The firm's record shows its own rating, and none on the open item.
    const me = (await call('GET', '/api/firm/me', 'firmA')).body;
    const shown = (me.ledger.items as { itemId: string; rating: unknown }[]).map((i) => [i.itemId, i.rating]);
    expect(Object.fromEntries(shown)).toMatchObject({
      [closed.itemId]: { stars: 4, comment: '办理及时', at: first.body.rating.at },
      [open.itemId]: null,
    });
  });

  it('refuses stars outside 1..5, fractions and long comments with the field at fault', async () => {
    const item = await closedItem(firmA, '甲企业噪声投诉回复');
    for (const body of [{ stars: 0 }, { stars: 6 }, { stars: 2.5 }, { stars: '5' }, {}]) {
      const res = await rate('firmA', item.itemId, body);
      expect(res.status, JSON.stringify(body)).toBe(400);
      expect(Object.keys(res.body.error.fields)).toEqual(['stars']);
    }
    const long = await rate('firmA', item.itemId, { stars: 3, comment: '长'.repeat(501) });
    expect(Object.keys(long.body.error.fields)).toEqual(['comment']);
    // Nothing was stored by the refusals: the item still takes its one rating.
    expect((await rate('firmA', item.itemId, { stars: 3 })).status).toBe(201);
  });
});

describe('satisfaction counters', () => {
  it('equal a recount after concurrent ratings, each item counted once however often it is rated at once', async () => {
    // Prepare: six closed items of firm A, the counters as they stand.
    const items = [];
    for (let n = 0; n < 6; n++) items.push(await closedItem(firmA, `甲企业并发评价事项${n}`));
    const before = { county: await satisfaction('320506'), city: await satisfaction('320500') };

    // Act: four ratings of each item at once (24 requests), stars 3..5 differing per attempt.
    const attempts = items.flatMap((item, n) => [0, 1, 2, 3].map((k) => ({ item, stars: 3 + ((n + k) % 3) })));
    const answers = await Promise.all(attempts.map((a) => rate('firmA', a.item.itemId, { stars: a.stars })));

    // Assess: exactly one 201 per item, the rest 409 ALREADY_RATED; the counters moved by what was stored.
    const won = answers.flatMap((res, i) => (res.status === 201 ? [attempts[i]] : []));
    expect(won.map((a) => a?.item.itemId).sort()).toEqual(items.map((i) => i.itemId).sort());
    expect(answers.filter((r) => r.status === 409).every((r) => r.body.error.code === 'ALREADY_RATED')).toBe(true);
    expect(answers.filter((r) => r.status !== 201 && r.status !== 409)).toEqual([]);
    const starsWon = won.reduce((n, a) => n + (a?.stars ?? 0), 0);
    for (const [code, was] of [
      ['320506', before.county],
      ['320500', before.city],
    ] as const) {
      const now = await satisfaction(code);
      expect(now.rated).toBe(was.rated + 6);
      expect(now.stars).toBe(was.stars + starsWon);
      expect(now.low).toBe(was.low);
    }
    const recount = await call('POST', '/api/staff/ledger-stats/recount', 'admin');
    expect(recount.status).toBe(200);
    expect(recount.body.differences).toEqual([]);
  });
});

describe('a low rating asks the unit’s leads to call the firm back', () => {
  it('two stars: an inbox entry for the county’s lead and a follow-up item, with the rating; four stars: none', async () => {
    // Prepare
    const poor = await closedItem(firmA, '甲企业排污许可变更咨询');
    const good = await closedItem(firmA, '甲企业在线监测数据异常');
    const low = (await satisfaction('320506')).low;

    // Act
    const rated = await rate('firmA', poor.itemId, { stars: 2, comment: '回复太慢' });
    await rate('firmA', good.itemId, { stars: 4 });

    // Assess: one call-back, about the poorly rated item only.
    expect(rated.status).toBe(201);
    const followUps = (
      (await call('GET', `/api/staff/ledger-items?uscc=${firmA}`, 'lead.wuzhong')).body.items as {
        itemId: string;
        source: string;
        sourceRef?: string;
        state: string;
        title: string;
      }[]
    ).filter((i) => i.source === 'rating');
    expect(followUps.map((i) => i.sourceRef)).toEqual([`rating:${poor.itemId}`]);
    expect(followUps[0]).toMatchObject({ state: 'collected', title: '差评回访：甲企业排污许可变更咨询' });
    const inbox = (await call('GET', '/api/staff/inbox', 'lead.wuzhong')).body.messages as {
      kind: string;
      text: string;
      link: string;
    }[];
    const callbacks = inbox.filter((m) => m.kind === 'callback');
    expect(callbacks).toHaveLength(1);
    expect(callbacks[0]?.text).toContain('回复太慢');
    expect(callbacks[0]?.link).toContain(followUps[0]?.itemId);
    // The liaison is no lead: nothing in its inbox.
    const liaisonInbox = (await call('GET', '/api/staff/inbox', 'liaison.wuzhong')).body.messages as { kind: string }[];
    expect(liaisonInbox.filter((m) => m.kind === 'callback')).toEqual([]);
    expect((await satisfaction('320506')).low).toBe(low + 1);
    // The follow-up is counted as raised like any item: the recount agrees.
    expect((await call('POST', '/api/staff/ledger-stats/recount', 'admin')).body.differences).toEqual([]);
  });
});

describe('the confirmation link', () => {
  it('needs a reason for "not solved"; then the link is used, and its rating answers 409 NOT_CLOSED', async () => {
    // Prepare
    const title = '甲企业污泥暂存场所未封闭';
    let item = await newItem(firmA, title);
    item = await move(item, 'in_progress');
    await move(item, 'resolved');
    const link = await linkAbout(title);

    // Act
    const noReason = await call('POST', `/api/public/ledger-confirmations/${link}`, undefined, { solved: false });
    const blank = await call('POST', `/api/public/ledger-confirmations/${link}`, undefined, {
      solved: false,
      comment: '   ',
    });
    const withReason = await call('POST', `/api/public/ledger-confirmations/${link}`, undefined, {
      solved: false,
      comment: '封闭棚顶仍有破损',
    });

    // Assess
    expect(noReason.status).toBe(400);
    expect(Object.keys(noReason.body.error.fields)).toEqual(['comment']);
    expect(blank.status).toBe(400);
    expect(withReason.body).toEqual({ state: 'in_progress' });
    expect((await call('GET', `/api/public/ledger-confirmations/${link}`, undefined)).status).toBe(404);
    const rating = await call('POST', `/api/public/ledger-confirmations/${link}/rating`, undefined, { stars: 5 });
    expect(rating.status).toBe(409);
    expect(rating.body.error.code).toBe('NOT_CLOSED');
  });

  it('shows the resolve’s photos; "solved" closes the item, and the same link rates it once', async () => {
    // Prepare: resolved with a photo attached.
    const title = '甲企业危废标签不规范';
    let item = await newItem(firmA, title);
    item = await move(item, 'in_progress');
    const photo = await uploadEvidence(runtime.url, token['lead.wuzhong'] ?? '', { fileName: '整改后标签.png' });
    item = await move(item, 'resolved', { evidenceIds: [photo] });
    const link = await linkAbout(title);

    // Act
    const seen = await call('GET', `/api/public/ledger-confirmations/${link}`, undefined);
    const early = await call('POST', `/api/public/ledger-confirmations/${link}/rating`, undefined, { stars: 5 });
    const solved = await call('POST', `/api/public/ledger-confirmations/${link}`, undefined, { solved: true });
    const rated = await call('POST', `/api/public/ledger-confirmations/${link}/rating`, undefined, {
      stars: 5,
      comment: '很满意',
    });
    const again = await call('POST', `/api/public/ledger-confirmations/${link}/rating`, undefined, { stars: 1 });
    const signedIn = await rate('firmA', item.itemId, { stars: 1 });

    // Assess
    expect(seen.body.item).toMatchObject({
      title,
      source: 'contact',
      finding: null,
      resolution: '已整改到位，现场核实',
    });
    expect(seen.body.item.photos).toHaveLength(1);
    expect(seen.body.item.photos[0].fileName).toBe('整改后标签.png');
    const bytes = Buffer.from(await (await fetch(seen.body.item.photos[0].url)).arrayBuffer());
    expect(bytes.equals(PHOTO)).toBe(true);
    expect(early.status).toBe(409);
    expect(early.body.error.code).toBe('NOT_CLOSED');
    expect(solved.body).toEqual({ state: 'closed' });
    expect(rated.status).toBe(201);
    expect(rated.body.rating).toMatchObject({ stars: 5, comment: '很满意' });
    expect(again.body.error.code).toBe('ALREADY_RATED');
    expect(signedIn.body.error.code).toBe('ALREADY_RATED');
    // A made-up link rates nothing.
    expect(
      (await call('POST', `/api/public/ledger-confirmations/${'B'.repeat(32)}/rating`, undefined, { stars: 5 })).status,
    ).toBe(404);
  });

  it('shows a check-up item as what the check-up found, never the standard’s wording', async () => {
    // Prepare: firm B paired, a check-up with one failed item and the inspector's note, its item resolved.
    await call('POST', '/api/staff/pairings', 'lead.wuzhong', {
      uscc: firmB,
      liaison: 'liaison.wuzhong',
      serviceYear: 2026,
      startsOn: '2026-01-01',
    });
    const started = (
      await call('POST', '/api/staff/checkups', 'lead.wuzhong', {
        uscc: firmB,
        at: '2026-11-10T09:30:00+08:00',
        inspectors: ['王工'],
      })
    ).body.checkup as { checkupId: string };
    const answers = {
      ...Object.fromEntries(DEFAULT_TEMPLATE.items.map((i) => [i.itemId, { result: 'pass' }])),
      M2: { result: 'fail', note: '二期车间未办理竣工环保验收' },
    };
    await call('PATCH', `/api/staff/checkups/${started.checkupId}`, 'liaison.wuzhong', { version: 1, answers });
    const submitted = await call('POST', `/api/staff/checkups/${started.checkupId}/submit`, 'liaison.wuzhong', {
      version: 2,
      signature: await uploadSignature(runtime.url, token['liaison.wuzhong'] ?? ''),
    });
    expect(submitted.status).toBe(200);
    let item = (await call('GET', `/api/staff/ledger-items/${submitted.body.checkup.ledgerItemIds[0]}`, 'admin')).body
      .item as Item;
    item = await move(item, 'in_progress');
    await move(item, 'resolved');
    const link = await linkAbout('验收');

    // Act
    const seen = (await call('GET', `/api/public/ledger-confirmations/${link}`, undefined)).body.item;

    // Assess: the note and the check-up's day and category; the standard's wording nowhere.
    const standard = DEFAULT_TEMPLATE.items.find((i) => i.itemId === 'M2')?.text.zh ?? '';
    expect(seen).toMatchObject({
      source: 'checkup',
      title: null,
      detail: null,
      finding: { kind: 'checkup', checkedOn: '2026-11-10', category: 'management', note: '二期车间未办理竣工环保验收' },
    });
    expect(JSON.stringify(seen)).not.toContain(standard);
  });
});
