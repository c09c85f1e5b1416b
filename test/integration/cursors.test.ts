import { DeleteCommand, type DynamoDBDocumentClient, GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import { beforeAll, describe, expect, it, vi } from 'vitest';
import { keys } from '../../shared/keys.ts';
import { shanghaiDate } from '../../shared/time.ts';
import { bookAndVerify } from '../support/bookings.ts';
import { claimsFor, httpEvent, invoke } from '../support/events.ts';
import { type Handler, useFunctions } from '../support/table.ts';
import { distinctUsccs } from '../support/uscc.ts';

// Rule 13: cursors are tamper-proof. Every paged route answers 400 VALIDATION_FAILED {cursor} to a
// forged, truncated, cross-route, cross-partition or another caller's cursor, and never a 500 or a
// page of a partition the route did not mean to read.

let staffFn: Handler;
let publicFn: Handler;
let doc: DynamoDBDocumentClient;
let tableName: string;

const admin = claimsFor('admin', 'admin', '320000');
const leadWuzhong = claimsFor('lead.wuzhong', 'lead', '320506');
const leadJiangyin = claimsFor('lead.jiangyin', 'lead', '320281');
const liaisonWuzhong = claimsFor('liaison.wuzhong', 'liaison', '320506');

type Claims = ReturnType<typeof claimsFor>;
const get = (path: string, claims: Claims) => invoke(staffFn, httpEvent('GET', path, { claims }));
const withCursor = (path: string, cursor: string) =>
  `${path}${path.includes('?') ? '&' : '?'}cursor=${encodeURIComponent(cursor)}`;

/** The route's first page (limit 1) and its next cursor. */
const firstCursor = async (path: string, claims: Claims): Promise<string> => {
  const page = await get(withLimit(path), claims);
  expect(page.status, JSON.stringify(page.json)).toBe(200);
  expect(page.json.nextCursor, `${path} has a second page`).toEqual(expect.any(String));
  return page.json.nextCursor as string;
};
const withLimit = (path: string) => `${path}${path.includes('?') ? '&' : '?'}limit=1`;

/** A cursor as the old code made it: the key as base64url JSON, easy to write by hand. */
const forge = (key: Record<string, string>) => Buffer.from(JSON.stringify(key)).toString('base64url');

const uscc = distinctUsccs(4) as [string, string, string, string];
const days: string[] = [];

const firm = (code: string, county: string) => ({
  uscc: code,
  name: '苏州游标测试有限公司',
  county,
  address: '苏州市吴中区临湖镇工业园 8 号',
  industry: '印染',
  size: 'small',
  tier: 'county',
  contacts: [{ name: '陈工', role: '环保主管', mobile: '13912345678' }],
});

beforeAll(async () => {
  ({ staffFn, publicFn, doc, tableName } = await useFunctions());
  // Two firms in Wuzhong, two in Jiangyin (enterprise lists, audit events in both subtrees).
  for (const [code, county] of [
    [uscc[0], '320506'],
    [uscc[1], '320506'],
    [uscc[2], '320281'],
    [uscc[3], '320281'],
  ] as const) {
    const made = await invoke(
      staffFn,
      httpEvent('POST', '/api/staff/enterprises', { claims: admin, body: JSON.stringify(firm(code, county)) }),
    );
    expect(made.status, JSON.stringify(made.json)).toBe(201);
  }
  // Two Wuzhong days, each booked by the two Wuzhong firms (day bookings; each firm's timeline has two).
  for (const ahead of [10, 11]) {
    const date = shanghaiDate(new Date(Date.now() + ahead * 86_400_000));
    const day = await invoke(
      staffFn,
      httpEvent('POST', '/api/staff/consultation-days', {
        claims: leadWuzhong,
        body: JSON.stringify({
          date,
          jurisdiction: '320506',
          venue: '吴中区生态环境局',
          mode: 'onsite',
          topics: ['排污许可'],
          slots: [{ startsAt: `${date}T09:00:00+08:00`, endsAt: `${date}T10:00:00+08:00`, capacity: 5 }],
        }),
      }),
    );
    expect(day.status, JSON.stringify(day.json)).toBe(201);
    const { dayId, slots } = day.json.day as { dayId: string; slots: { slotId: string }[] };
    days.push(dayId);
    for (const code of [uscc[0], uscc[1]]) {
      const booked = await bookAndVerify(publicFn, dayId, {
        slotId: slots[0]?.slotId,
        uscc: code,
        companyName: '苏州游标测试有限公司',
        contactName: '王小明',
        mobile: '13912345678',
        topic: '排污许可',
        question: '排污许可证延续需要准备哪些材料？',
        consent: true,
      });
      expect(booked.status, JSON.stringify(booked.json)).toBe(200);
    }
  }
  // Two inbox messages each for two users (written as the jobs write them).
  for (const username of ['lead.wuzhong', 'liaison.wuzhong']) {
    for (const n of [1, 2]) {
      await doc.send(
        new PutCommand({
          TableName: tableName,
          Item: {
            ...keys.inbox(username, `2026-12-0${n}T01:00:00.000Z`, `m${n}`),
            messageId: `m${n}`,
            read: false,
            subject: '测试',
          },
        }),
      );
    }
  }
});

const expectRefused = async (path: string, claims: Claims, cursor: string, why: string) => {
  const res = await get(withCursor(path, cursor), claims);
  expect(res.status, `${why}: ${path} answered ${res.status} ${res.text}`).toBe(400);
  expect(res.json.error.code).toBe('VALIDATION_FAILED');
  expect(Object.keys(res.json.error.fields)).toEqual(['cursor']);
};

interface PagedRoute {
  route: string;
  path: string;
  claims: Claims;
  other: { path: string; claims: Claims };
  forged: Record<string, string>;
}

/**
 * Each paged route: a list with a second page, the same route on another partition the caller may
 * also read (or another caller), and a key of that other partition as an attacker would write it.
 */
const pagedRoutes = (): PagedRoute[] => [
  {
    route: 'enterprises.list',
    path: '/api/staff/enterprises?county=320506',
    claims: admin,
    other: { path: '/api/staff/enterprises?county=320281', claims: admin },
    forged: { scopePk: 'ENTS', scopeSk: `320281#${uscc[2]}`, pk: `ENT#${uscc[2]}`, sk: 'ENT' },
  },
  {
    route: 'enterprises.timeline',
    path: `/api/staff/enterprises/${uscc[0]}/timeline`,
    claims: leadWuzhong,
    other: { path: `/api/staff/enterprises/${uscc[1]}/timeline`, claims: leadWuzhong },
    forged: { before: 'x' },
  },
  {
    route: 'days.bookings',
    path: `/api/staff/consultation-days/${days[0]}/bookings`,
    claims: leadWuzhong,
    other: { path: `/api/staff/consultation-days/${days[1]}/bookings`, claims: leadWuzhong },
    forged: { parentPk: `DAY#${days[1]}#BOOKINGS`, parentSk: 's1#2026', pk: 'BOOKING#X', sk: 'BOOKING' },
  },
  {
    route: 'inbox.list',
    path: '/api/staff/inbox',
    claims: leadWuzhong,
    other: { path: '/api/staff/inbox', claims: liaisonWuzhong },
    forged: { pk: 'INBOX#liaison.wuzhong', sk: '2026-12-02T01:00:00.000Z#m2' },
  },
  {
    route: 'audit.list',
    path: '/api/staff/audit',
    claims: admin,
    other: { path: '/api/staff/audit', claims: leadJiangyin },
    forged: { scopePk: 'AUDIT', scopeSk: '320506#2026', pk: 'AUDIT#enterprise:X', sk: '2026' },
  },
];

describe('paging cursors are tamper-proof (rule 13)', () => {
  it('a cursor continues its own list: the second page follows the first without repeats', async () => {
    for (const r of pagedRoutes()) {
      const first = await get(withLimit(r.path), r.claims);
      const second = await get(withCursor(withLimit(r.path), first.json.nextCursor), r.claims);
      expect(second.status, `${r.route}: ${second.text}`).toBe(200);
      expect(JSON.stringify(second.json), r.route).not.toEqual(JSON.stringify(first.json));
    }
  });

  it('refuses a hand-written cursor naming another partition with 400, never 500', async () => {
    for (const r of pagedRoutes()) await expectRefused(r.path, r.claims, forge(r.forged), `${r.route} forged`);
    // Also a cursor naming this very partition, which the old cursors would have accepted as it stood.
    const own = { pk: 'INBOX#lead.wuzhong', sk: '2026-12-02T01:00:00.000Z#m2' };
    await expectRefused('/api/staff/inbox', leadWuzhong, forge(own), 'inbox own forged');
  });

  it('refuses a truncated, an edited, or a garbage cursor', async () => {
    for (const r of pagedRoutes()) {
      const cursor = await firstCursor(r.path, r.claims);
      await expectRefused(r.path, r.claims, cursor.slice(0, -4), `${r.route} truncated`);
      const flipped = `${cursor.slice(0, 20)}${cursor[20] === 'A' ? 'B' : 'A'}${cursor.slice(21)}`;
      await expectRefused(r.path, r.claims, flipped, `${r.route} edited`);
      for (const junk of ['garbage', 'a', '%%%', '{"pk":"x"}', 'A'.repeat(1500)]) {
        await expectRefused(r.path, r.claims, junk, `${r.route} junk ${junk.slice(0, 10)}`);
      }
    }
  });

  it("refuses another route's cursor", async () => {
    const routes = pagedRoutes();
    const cursors = await Promise.all(routes.map((r) => firstCursor(r.path, r.claims)));
    for (const [i, r] of routes.entries()) {
      const foreign = cursors[(i + 1) % cursors.length] as string;
      await expectRefused(r.path, r.claims, foreign, `${r.route} with another route's cursor`);
    }
  });

  it("refuses a cursor of the same route's other partition, or of another caller", async () => {
    for (const r of pagedRoutes()) {
      const cursor = await firstCursor(r.path, r.claims);
      await expectRefused(r.other.path, r.other.claims, cursor, `${r.route} cross-partition`);
    }
    // Same partition and caller, other filters: a cursor continues its own query only.
    const filtered = await firstCursor('/api/staff/enterprises?county=320506', admin);
    await expectRefused('/api/staff/enterprises?county=320506&tier=county', admin, filtered, 'other filter');
    const scoped = await firstCursor('/api/staff/audit', admin);
    await expectRefused(`/api/staff/audit?entity=enterprise:${uscc[0]}`, admin, scoped, 'audit entity');
  });
});

describe('the cursor key', () => {
  /** A function module loaded anew, as a cold start of another Lambda instance would load it. */
  const coldStart = async (): Promise<Handler> => {
    vi.resetModules();
    return ((await import('../../functions/staff/index.ts')) as { handler: Handler }).handler;
  };
  const page = (fn: Handler, cursor?: string) =>
    invoke(
      fn,
      httpEvent('GET', `/api/staff/audit?limit=1${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`, {
        claims: admin,
      }),
    );

  it('is made once however many cold starts race for it, and kept: any instance opens any cursor', async () => {
    // Prepare: no key yet, five fresh instances
    await doc.send(new DeleteCommand({ TableName: tableName, Key: keys.cursorSecret() }));
    const instances: Handler[] = [];
    for (let i = 0; i < 5; i++) instances.push(await coldStart());
    // Act: each makes its first cursor at the same time, then each opens the next one's
    const firsts = await Promise.all(instances.map((fn) => page(fn)));
    const cursors = firsts.map((p) => p.json.nextCursor as string);
    const opened = await Promise.all(instances.map((fn, i) => page(fn, cursors[(i + 1) % cursors.length])));
    // Assess: one key in the table, never in the answer; every cursor opened everywhere
    expect(opened.map((p) => p.status)).toEqual([200, 200, 200, 200, 200]);
    const stored = await doc.send(new GetCommand({ TableName: tableName, Key: keys.cursorSecret() }));
    expect(Buffer.from(String(stored.Item?.secret), 'base64')).toHaveLength(32);
    expect(JSON.stringify(firsts.map((p) => p.json))).not.toContain(String(stored.Item?.secret));
    // A later cold start reads the same key.
    expect((await page(await coldStart(), cursors[0])).status).toBe(200);
  });
});
