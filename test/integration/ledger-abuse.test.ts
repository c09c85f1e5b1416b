import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { type Runtime, startRuntime } from '../../infra/local/runtime.ts';
import type { LedgerState } from '../../shared/ledger.ts';
import { apiCaller } from '../support/api.ts';
import { claimsFor } from '../support/events.ts';
import { waitForOutbox } from '../support/outbox.ts';
import { distinctUsccs } from '../support/uscc.ts';

// The ledger under attack (review findings): an old confirmation link answering for a later
// resolution, a history that grows until the item cannot be written (and a mail per resolve),
// a hand-over to a code that is no jurisdiction, a liaison acting on another liaison's firm.
let runtime: Runtime;
let dataDir: string;
const token: Record<string, string> = {};
const SECOND_LIAISON = 'liaison.wuzhong.b';
const [mine, theirs, unpaired] = distinctUsccs(3) as [string, string, string];

const call = apiCaller(() => runtime.url, token);

interface Item {
  itemId: string;
  state: LedgerState;
  version: number;
}

const signInAll = async () => {
  for (const username of ['liaison.wuzhong', 'lead.wuzhong', 'lead.suzhou', 'admin']) {
    token[username] = (await runtime.issuer.signIn(username, 'demo'))?.token ?? '';
  }
  token[SECOND_LIAISON] = await runtime.issuer.sign(claimsFor(SECOND_LIAISON, 'liaison', '320506'));
};

const newItem = async (uscc: string, title: string, who = 'lead.wuzhong') => {
  const res = await call('POST', '/api/staff/ledger-items', who, {
    uscc,
    title,
    detail: '走访发现的问题，需闭环办理',
    source: 'contact',
    severity: 'medium',
    dueOn: '2027-06-30',
    ownerDepartment: '水环境科',
  });
  return res;
};

const move = async (item: Item, to: LedgerState, who: string, extra: Record<string, unknown> = {}) =>
  call('POST', `/api/staff/ledger-items/${item.itemId}/transitions`, who, {
    to,
    note: '办理情况说明',
    version: item.version,
    ...extra,
  });

/** Moves that must succeed: each answers 200 and the item as it is now. */
const moveOk = async (item: Item, to: LedgerState, who = 'admin', extra: Record<string, unknown> = {}) => {
  const res = await move(item, to, who, extra);
  expect(res.status, `${item.state} → ${to} by ${who}: ${JSON.stringify(res.body)}`).toBe(200);
  return res.body.item as Item;
};

const textsAbout = (entries: Awaited<ReturnType<typeof waitForOutbox>>, title: string) =>
  entries.flatMap((e) => (e.channel === 'email' && e.subject.includes(title) ? [e.text] : []));
/** The mails about `title`, once at least `count` went out (after the requests, by the deliveries function). */
const mailsAbout = async (title: string, count = 1) =>
  textsAbout(await waitForOutbox((entries) => textsAbout(entries, title).length >= count), title);
const linkIn = (text: string | undefined) => /#([A-Za-z0-9_-]{32})/.exec(text ?? '')?.[1] ?? '';

beforeAll(async () => {
  dataDir = mkdtempSync(join(tmpdir(), 'eco-ledger-abuse-'));
  runtime = await startRuntime({ port: 0, dataDir, siteDir: dataDir, scheduler: false, log: () => undefined });
  await signInAll();
  const user = await call('POST', '/api/staff/users', 'admin', {
    username: SECOND_LIAISON,
    displayName: '吴中联络员乙',
    email: 'b@wuzhong.example',
    role: 'liaison',
    jurisdiction: '320506',
  });
  expect(user.status).toBe(201);
  for (const [uscc, liaison] of [
    [mine, 'liaison.wuzhong'],
    [theirs, SECOND_LIAISON],
    [unpaired, undefined],
  ] as const) {
    const firm = await call('POST', '/api/staff/enterprises', 'lead.wuzhong', {
      uscc,
      name: `吴中台账攻击测试企业${uscc.slice(-4)}`,
      county: '320506',
      address: '吴中区',
      industry: '电镀',
      size: 'small',
      tier: 'county',
      contacts: [{ name: '王经理', mobile: '13800000000', email: `boss-${uscc.slice(-4)}@firm.example` }],
    });
    expect(firm.status).toBe(201);
    if (liaison) {
      const pairing = await call('POST', '/api/staff/pairings', 'lead.wuzhong', {
        uscc,
        liaison,
        serviceYear: 2026,
        startsOn: '2026-01-01',
      });
      expect(pairing.status).toBe(201);
    }
  }
});

afterEach(async () => {
  vi.useRealTimers();
  await signInAll();
});

afterAll(async () => {
  await runtime?.stop();
  rmSync(dataDir, { recursive: true, force: true });
});

describe('a confirmation link is bound to the resolution it was sent for', () => {
  it('an old link answers 410 after a reopen and a new resolve, changes nothing, and the next day’s link works', async () => {
    // Prepare: resolved (link 1 mailed), reopened, resolved again.
    const title = '旧链接不得销号的事项';
    let item = (await newItem(mine, title)).body.item as Item;
    item = await moveOk(item, 'in_progress');
    item = await moveOk(item, 'resolved');
    const first = linkIn((await mailsAbout(title)).at(-1));
    expect(first).toHaveLength(32);
    item = await moveOk(item, 'in_progress', 'lead.wuzhong');
    item = await moveOk(item, 'resolved');

    // Act: the firm opens and answers the old link.
    const seen = await call('GET', `/api/public/ledger-confirmations/${first}`, undefined);
    const answered = await call('POST', `/api/public/ledger-confirmations/${first}`, undefined, { solved: true });

    // Assess: a clear 410, and the item is still resolved at the same version, with no move of the firm.
    expect(seen.status).toBe(410);
    expect(seen.body.error.code).toBe('LINK_SUPERSEDED');
    expect(answered.status).toBe(410);
    expect(answered.body.error.code).toBe('LINK_SUPERSEDED');
    const still = (await call('GET', `/api/staff/ledger-items/${item.itemId}`, 'admin')).body.item;
    expect(still).toMatchObject({ state: 'resolved', version: item.version, closedAt: null });
    expect((still.history as { by: string }[]).some((h) => h.by.startsWith('firm:'))).toBe(false);

    // Act again, the next day (Beijing): reopened and resolved, the firm gets a new link.
    vi.useFakeTimers({ toFake: ['Date'] });
    vi.setSystemTime(new Date(Date.now() + 86_400_000));
    await signInAll();
    item = await moveOk(item, 'in_progress', 'lead.wuzhong');
    item = await moveOk(item, 'resolved');
    const second = linkIn((await mailsAbout(title, 2)).at(-1));

    // Assess: the new link closes the item; the old one still answers 410.
    expect(second).not.toBe(first);
    expect((await call('POST', `/api/public/ledger-confirmations/${first}`, undefined, { solved: true })).status).toBe(
      410,
    );
    const closed = await call('POST', `/api/public/ledger-confirmations/${second}`, undefined, { solved: true });
    expect(closed.body).toEqual({ state: 'closed' });
  });
});

describe('the history of an item does not grow the item', () => {
  it('bounces 140 times with long notes: every move is written, the item stays small, the firm gets one mail a day', async () => {
    // Prepare: an item in progress; notes of 1,000 characters (3 KB each in UTF-8).
    const title = '反复退回的长备注事项';
    let item = (await newItem(mine, title)).body.item as Item;
    item = await moveOk(item, 'in_progress');
    const note = '整改情况说明'.repeat(167).slice(0, 1000);
    const answers: (string | undefined)[] = [];

    // Act: resolve and reopen, 70 times each.
    for (let i = 0; i < 70; i++) {
      const resolved = await move(item, 'resolved', 'liaison.wuzhong', { note });
      expect(resolved.status, `resolve ${i}`).toBe(200);
      answers.push(resolved.body.confirmation);
      item = resolved.body.item as Item;
      item = await moveOk(item, 'in_progress', 'lead.wuzhong', { note });
    }

    // Assess: one mail today; the console is told the firm was messaged already.
    await mailsAbout(title);
    await new Promise((r) => setTimeout(r, 500));
    expect(await mailsAbout(title)).toHaveLength(1);
    expect(answers[0]).toBe('sent');
    expect(new Set(answers.slice(1))).toEqual(new Set(['alreadyMessagedToday']));
    // The stored item (as the board lists it) holds no history.
    const listed = (await call('GET', `/api/staff/ledger-items?uscc=${mine}`, 'lead.wuzhong')).body.items as Item[];
    const stored = listed.find((i) => i.itemId === item.itemId);
    expect(stored?.version).toBe(142);
    expect(JSON.stringify(stored).length).toBeLessThan(8_000);
    // The whole history reads back page by page, oldest first, every move once.
    const history: { to: LedgerState; note: string }[] = [];
    let before: number | null | undefined;
    do {
      const page = (
        await call(
          'GET',
          `/api/staff/ledger-items/${item.itemId}${before ? `?historyBefore=${before}` : ''}`,
          'liaison.wuzhong',
        )
      ).body.item as { history: { to: LedgerState; note: string }[]; historyBefore: number | null };
      history.unshift(...page.history);
      before = page.historyBefore;
    } while (before);
    expect(history).toHaveLength(142);
    expect(history[0]?.to).toBe('collected');
    expect(history.slice(2).map((h) => h.to)).toEqual(
      Array.from({ length: 140 }, (_, i) => (i % 2 === 0 ? 'resolved' : 'in_progress')),
    );
    expect(history.at(-1)?.note).toBe(note);
  }, 120_000);
});

describe('a hand-over names a real jurisdiction inside the caller’s unit', () => {
  it('refuses a made-up code and one outside the subtree with 400 on the field, changing nothing', async () => {
    // Prepare: a new Wuzhong item.
    const item = (await newItem(mine, '交办到不存在单位的事项')).body.item as Item;

    // Act: hand it over to 999999, and to Jiangyin (real, but not under Wuzhong or Suzhou).
    const madeUp = await move(item, 'handed_over', 'lead.wuzhong', {
      toDepartment: '执法大队',
      toJurisdiction: '999999',
    });
    const outside = await move(item, 'handed_over', 'lead.suzhou', {
      toDepartment: '执法大队',
      toJurisdiction: '320281',
    });

    // Assess: 400 with the field; the item is where it was, on its unit's board.
    for (const res of [madeUp, outside]) {
      expect(res.status).toBe(400);
      expect(res.body.error.code).toBe('VALIDATION_FAILED');
      expect(Object.keys(res.body.error.fields)).toEqual(['toJurisdiction']);
    }
    const still = (await call('GET', `/api/staff/ledger-items/${item.itemId}`, 'lead.wuzhong')).body.item;
    expect(still).toMatchObject({ state: 'collected', version: 1, holder: '320506' });

    // A hand-over inside the city lead's subtree still works and lands on that county's board.
    const moved = await moveOk(item, 'handed_over', 'lead.suzhou', {
      toDepartment: '执法大队',
      toJurisdiction: '320507',
    });
    const board = (await call('GET', '/api/staff/ledger-items?county=320507', 'lead.suzhou')).body.items as Item[];
    expect(board.map((i) => i.itemId)).toContain(moved.itemId);
  });
});

describe('a liaison acts only on the ledger of the firms it serves', () => {
  it('answers 404 to every read and write of another liaison’s firm’s items, and lists only its own', async () => {
    // Prepare: one item of the liaison's firm, one of the other liaison's, one of an unpaired firm.
    const own = (await newItem(mine, '本人结对企业的事项')).body.item as Item;
    const other = (await newItem(theirs, '他人结对企业的事项')).body.item as Item;
    const loose = (await newItem(unpaired, '未结对企业的事项')).body.item as Item;

    // Act and assess: the other liaison's firm's item looks as if it did not exist.
    for (const target of [other, loose]) {
      const read = await call('GET', `/api/staff/ledger-items/${target.itemId}`, 'liaison.wuzhong');
      const write = await move(target, 'in_progress', 'liaison.wuzhong');
      for (const res of [read, write]) {
        expect(res.status).toBe(404);
        expect(res.body).toEqual({ error: { code: 'NOT_FOUND', message: 'Not found' } });
      }
    }
    const raise = await newItem(theirs, '为他人结对企业登记事项', 'liaison.wuzhong');
    expect(raise.status).toBe(404);
    const listed = (await call('GET', '/api/staff/ledger-items?county=320506', 'liaison.wuzhong')).body.items as Item[];
    expect(listed.map((i) => i.itemId)).toContain(own.itemId);
    expect(listed.map((i) => i.itemId)).not.toContain(other.itemId);
    expect(listed.map((i) => i.itemId)).not.toContain(loose.itemId);
    const byFirm = await call('GET', `/api/staff/ledger-items?uscc=${theirs}`, 'liaison.wuzhong');
    expect(byFirm.body.items).toEqual([]);
    const unchanged = (await call('GET', `/api/staff/ledger-items/${other.itemId}`, 'lead.wuzhong')).body.item;
    expect(unchanged).toMatchObject({ state: 'collected', version: 1 });

    // Each liaison still acts on its own firm's item; the lead of the county on all of them.
    await moveOk(own, 'in_progress', 'liaison.wuzhong');
    await moveOk(other, 'in_progress', SECOND_LIAISON);
    await moveOk(loose, 'in_progress', 'lead.wuzhong');
  });
});
