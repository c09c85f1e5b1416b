import { mkdtempSync, rmSync } from 'node:fs';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { logger } from '../../functions/lib/http/log.ts';
import { type Runtime, startRuntime } from '../../infra/local/runtime.ts';
import { type RouteDef, type RouteId, routes } from '../../shared/routes.ts';
import { shanghaiDate } from '../../shared/time.ts';
import { usccCheckChar } from '../../shared/uscc.ts';
import { bookAndVerify } from '../support/bookings.ts';
import { oneItemTemplate } from '../support/firms.ts';

/**
 * Hostile input everywhere: every route of the table, public and staff (a caller of each role, and
 * none), gets generated path parameters, query strings and bodies, through the local gateway with
 * real tokens. Whatever comes in, the answer is never a 5xx, and every 4xx is `{"error":{code,message}}`.
 *
 * Seeded so a failure reproduces: fast-check prints the failing request with its seed and path;
 * `FUZZ_SEED=<seed> FUZZ_PATH=<path> npx vitest run test/integration/fuzz.test.ts -t '<route id>'` replays
 * it. `FUZZ_RUNS` raises the runs per route, `FUZZ_SEED` alone explores other inputs. A found 5xx is
 * reported as is (no shrinking: each try is a real request) with the handler's logged stack.
 */
const SEED = Number(process.env.FUZZ_SEED ?? 20261206);
const RUNS = Number(process.env.FUZZ_RUNS ?? 30);
/** `FUZZ_SURVEY=1` lists every 5xx found instead of stopping at the first (for exploring, not for CI). */
const SURVEY = process.env.FUZZ_SURVEY === '1';
const surveyed: string[] = [];

/** A request as sent: what the property generates and what a pinned regression example names. */
interface Req {
  readonly caller: Caller;
  /** The raw request target's path (already percent-encoded, or deliberately not). */
  readonly path: string;
  /** The raw query string, without `?`. */
  readonly query: string;
  readonly contentType?: string;
  readonly body?: string | Uint8Array;
  readonly accept?: string;
}

type Caller = 'none' | 'forged' | 'liaison' | 'leadCounty' | 'leadOther' | 'leadCity' | 'admin';
const accounts: Record<Exclude<Caller, 'none' | 'forged'>, string> = {
  liaison: 'liaison.wuzhong',
  leadCounty: 'lead.wuzhong',
  leadOther: 'lead.jiangyin',
  leadCity: 'lead.suzhou',
  admin: 'admin',
};

interface Answer {
  readonly status: number;
  readonly contentType: string;
  readonly text: string;
  readonly bytes: Buffer;
  /** What the handler logged as an unhandled error while answering (the 500's cause). */
  readonly errors: string[];
}

// --- the seeded world -----------------------------------------------------------------------

const usccOf = (body17: string) => body17 + usccCheckChar(body17);
const FIRM = usccOf('91320506MA1AB0001');
const PAIRED = usccOf('91320506MA1AB0002');
const BOOKER = usccOf('91320506MA1AB0003');

interface World {
  dayId: string;
  code: string;
  date: string;
  pairingId: string;
  evidenceId: string;
  ledgerId: string;
  checkupId: string;
  inboxId: string;
  xlsxTemplate: Uint8Array;
}
let world: World;
let runtime: Runtime;
let dataDir: string;
let port: number;
const tokens = {} as Record<Caller, string>;

const send = (method: string, req: Req): Promise<Answer> =>
  new Promise((resolve, reject) => {
    const headers: Record<string, string> = {};
    if (req.contentType !== undefined) headers['content-type'] = req.contentType;
    if (req.accept !== undefined) headers.accept = req.accept;
    const token = tokens[req.caller];
    if (token) headers.authorization = `Bearer ${token}`;
    const body = req.body === undefined ? undefined : Buffer.from(req.body);
    if (body) headers['content-length'] = String(body.length);
    const target = req.query === '' ? req.path : `${req.path}?${req.query}`;
    const out = request({ host: '127.0.0.1', port, method, path: target, headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () =>
        resolve({
          status: res.statusCode ?? 0,
          contentType: String(res.headers['content-type'] ?? ''),
          text: Buffer.concat(chunks).toString('utf8'),
          bytes: Buffer.concat(chunks),
          errors: [],
        }),
      );
      res.on('error', reject);
    });
    out.on('error', reject);
    out.end(body);
  });

const json = async (method: string, path: string, caller: Caller, body?: unknown) => {
  const answer = await send(method, {
    caller,
    path,
    query: '',
    contentType: 'application/json',
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  // biome-ignore lint/suspicious/noExplicitAny: set-up reads arbitrary JSON answers
  return { status: answer.status, json: JSON.parse(answer.text || 'null') as any };
};

const dayBody = (date: string) => ({
  date,
  jurisdiction: '320506',
  venue: '吴中区',
  mode: 'onsite',
  topics: ['排污许可'],
  slots: [{ startsAt: `${date}T09:00:00+08:00`, endsAt: `${date}T10:00:00+08:00`, capacity: 5 }],
});
const enterpriseBody = (uscc: string) => ({
  uscc,
  name: '吴中模糊测试企业',
  county: '320506',
  address: '苏州市吴中区某路 1 号',
  industry: '化工',
  size: 'small',
  tier: 'county',
  contacts: [{ name: '赵六', mobile: '13600000000', email: 'zhao@example.test' }],
});
const ledgerBody = {
  uscc: FIRM,
  title: '危废贮存间标识不规范',
  detail: '走访发现危废贮存间未按规范设置标识牌',
  source: 'contact',
  severity: 'medium',
  dueOn: '2026-12-31',
  ownerDepartment: '固废科',
};
const checkupBody = { uscc: FIRM, at: '2026-10-20T09:00:00+08:00', inspectors: ['王工'] };
const evidenceBody = { fileName: 'a.pdf', contentType: 'application/pdf', size: 10, sha256: 'a'.repeat(64) };
const bookingBody = {
  slotId: 's1',
  uscc: BOOKER,
  companyName: '模糊测试企业',
  contactName: '李四',
  mobile: '13700000000',
  email: 'li@example.test',
  topic: '排污许可',
  question: '模糊测试用的咨询问题，足够长',
  consent: true,
};

beforeAll(async () => {
  // Thousands of requests: keep the access lines out of the test output (errors are collected per request).
  logger.setLogLevel((process.env.POWERTOOLS_LOG_LEVEL as 'WARN' | undefined) ?? 'WARN');
  dataDir = mkdtempSync(join(tmpdir(), 'eco-fuzz-'));
  runtime = await startRuntime({ port: 0, dataDir, siteDir: dataDir, scheduler: false, log: () => undefined });
  port = Number(new URL(runtime.url).port);
  tokens.forged = 'eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJ4In0.AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA';
  for (const [caller, username] of Object.entries(accounts)) {
    const res = await json('POST', '/api/local-auth/sign-in', 'none', { username, password: 'demo' });
    tokens[caller as Caller] = res.json.token;
  }
  const date = shanghaiDate(new Date(Date.now() + 12 * 86_400_000));
  const day = await json('POST', '/api/staff/consultation-days', 'leadCounty', dayBody(date));
  const dayId = day.json.day.dayId as string;
  const booking = await bookAndVerify({ url: runtime.url }, dayId, bookingBody);
  for (const uscc of [FIRM, PAIRED]) {
    expect((await json('POST', '/api/staff/enterprises', 'leadCounty', enterpriseBody(uscc))).status).toBe(201);
  }
  const pairing = await json('POST', '/api/staff/pairings', 'leadCounty', {
    uscc: PAIRED,
    liaison: 'liaison.wuzhong',
    serviceYear: 2026,
    startsOn: '2026-01-01',
  });
  const evidence = await json('POST', '/api/staff/evidence', 'liaison', evidenceBody);
  const ledger = await json('POST', '/api/staff/ledger-items', 'leadCounty', ledgerBody);
  const checkup = await json('POST', '/api/staff/checkups', 'leadCounty', checkupBody);
  // The month's missed-contact nudge puts a message in the liaison's inbox (and a nudge to list).
  await runtime.runJob('nudges', new Date('2026-12-01T01:00:00Z'));
  const inbox = await json('GET', '/api/staff/inbox', 'liaison');
  const template = await send('GET', {
    caller: 'leadCounty',
    path: '/api/staff/enterprises/import-template',
    query: 'format=xlsx',
  });
  world = {
    dayId,
    code: booking.json.booking.code,
    date,
    pairingId: pairing.json.pairing.pairingId,
    evidenceId: evidence.json.evidenceId,
    ledgerId: ledger.json.item.itemId,
    checkupId: checkup.json.checkup.checkupId,
    inboxId: inbox.json.messages[0]?.id,
    xlsxTemplate: new Uint8Array(template.bytes),
  };
  for (const [name, value] of Object.entries(world)) expect(value, name).toBeTruthy();
}, 120_000);

afterAll(async () => {
  await runtime?.stop();
  if (dataDir) rmSync(dataDir, { recursive: true, force: true });
});

// --- what a valid request of each route looks like ------------------------------------------

/** A valid-looking value for each path parameter, by route (ids differ by what the route names). */
const validParam = (id: RouteId, name: string): string => {
  if (name === 'dayId') return world.dayId;
  if (name === 'code') return world.code;
  if (name === 'uscc') return FIRM;
  if (name === 'jurisdiction') return '320506';
  if (name === 'token') return 'A'.repeat(32);
  if (id.startsWith('pairings.') || id.startsWith('contacts.')) return world.pairingId;
  if (id.startsWith('evidence.')) return world.evidenceId;
  if (id.startsWith('checkups.')) return world.checkupId;
  if (id.startsWith('ledger.')) return world.ledgerId;
  if (id.startsWith('inbox.')) return world.inboxId;
  return 'x';
};

/** The query a valid request of the route sends (routes with a required parameter need it to go deeper). */
const validQuery: Partial<Record<RouteId, Record<string, string>>> = {
  'nudges.list': { month: '2026-11', county: '320506' },
  'compliance.get': { month: '2026-11', jurisdiction: '320506' },
  'enterprises.export': { format: 'csv', county: '320506' },
  'enterprises.importTemplate': { format: 'xlsx' },
  'pairings.export': { format: 'xlsx', county: '320506' },
  'enterprises.list': { county: '320506', limit: '5' },
  'pairings.list': { county: '320506' },
  'ledger.list': { county: '320506' },
  'ledger.stats': { jurisdiction: '320506' },
  'enterprises.import': { mode: 'valid-rows' },
  'days.bookings': { limit: '2' },
  'inbox.list': { limit: '2' },
  'audit.list': { limit: '2' },
};

/** A valid body per route, as a base to mutate one field of. */
const validBody = (id: RouteId): Record<string, unknown> | undefined => {
  const date = world.date;
  const bodies: Partial<Record<RouteId, Record<string, unknown>>> = {
    'bookings.create': { ...bookingBody, uscc: usccOf('91320506MA1AB0004') },
    'enterprises.create': enterpriseBody(usccOf('91320506MA1AB0005')),
    'enterprises.update': { version: 1, address: '新地址 2 号', contacts: [{ name: '钱七', mobile: '13900000000' }] },
    'pairings.create': { uscc: FIRM, liaison: 'liaison.wuzhong', serviceYear: 2026, startsOn: '2026-01-01' },
    'pairings.reassign': { liaison: 'liaison.wuzhong' },
    'pairings.pause': { reason: '企业停产' },
    'pairings.end': { reason: '企业注销' },
    'contacts.create': {
      at: '2026-10-20T10:00:00+08:00',
      mode: 'visit',
      participants: ['王工'],
      summary: '走访模糊测试记录',
      evidenceIds: [world.evidenceId],
    },
    'users.create': {
      username: 'liaison.fuzz',
      displayName: '模糊联络员',
      email: 'liaison.fuzz@example.test',
      role: 'liaison',
      jurisdiction: '320506',
    },
    'evidence.create': evidenceBody,
    'compliance.recount': { month: '2026-10', fix: false },
    'webhooks.put': { kind: 'wecom', url: 'https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=abcdefgh12345678' },
    'templates.create': oneItemTemplate,
    'checkups.create': checkupBody,
    'checkups.answer': {
      version: 1,
      answers: { M1: { result: 'pass', note: '良好', evidenceIds: [world.evidenceId] } },
    },
    'checkups.submit': { version: 1, signature: { evidenceId: world.evidenceId, signerName: '代表' } },
    'ledger.create': ledgerBody,
    'ledger.transition': {
      to: 'handed_over',
      note: '移交办理',
      version: 1,
      toDepartment: '执法科',
      toJurisdiction: '320506',
    },
    'confirmations.answer': { solved: true, comment: '已解决' },
    'days.create': dayBody(date),
    'days.update': { version: 1, venue: '吴中区新址' },
    'days.cancel': { version: 1, reason: '场地检修' },
    'bookings.attendance': { status: 'attended', outcome: '已解答' },
    'days.message': { requestId: 'fuzz-request-0001', text: '明日请携带排污许可证副本' },
    'bookings.cancel': {},
  };
  return bodies[id];
};

// --- generators --------------------------------------------------------------------------------

/** Path segments a client could send: raw (bad percent-encoding, dot segments) or encoded text. */
const hostileSegment = fc.oneof(
  fc.constantFrom(
    '.',
    '..',
    '%',
    '%zz',
    '%E0%A4%A',
    '%00',
    '%ff',
    '%C0%AF',
    '%2F',
    '%2e%2e',
    '%252e',
    'a%20b',
    '~',
    '%EF%BF%BF',
  ),
  fc.string({ unit: 'grapheme', maxLength: 40 }).map((s) => encodeURIComponent(s)),
  fc.string({ unit: 'binary-ascii', maxLength: 20 }).map((s) => encodeURIComponent(s)),
  fc.integer({ min: 65, max: 5000 }).map((n) => 'A'.repeat(n)),
  fc.constantFrom(
    '-1',
    '0',
    '1e309',
    '99999999999999999999',
    'null',
    'undefined',
    '__proto__',
    'constructor',
    '320506%0A',
  ),
  fc.constantFrom('', ' ').map(encodeURIComponent),
);

const paramNames = (route: RouteDef) => [...route.path.matchAll(/\{(\w+)\}/g)].map((m) => m[1] as string);

const pathArb = (route: RouteDef): fc.Arbitrary<string> => {
  const names = paramNames(route);
  if (names.length === 0) return fc.constant(route.path);
  const id = route.id as RouteId;
  const values = names.map((name) =>
    fc.oneof(
      { arbitrary: fc.constant(encodeURIComponent(validParam(id, name))), weight: 3 },
      { arbitrary: hostileSegment, weight: 2 },
      // A valid value bent a little: cut, grown, or with a character changed.
      {
        arbitrary: fc.tuple(fc.nat(), fc.string({ unit: 'grapheme', maxLength: 3 })).map(([at, s]) => {
          const v = validParam(id, name);
          const i = at % (v.length + 1);
          return encodeURIComponent(v.slice(0, i) + s + v.slice(i + 1));
        }),
        weight: 1,
      },
    ),
  );
  return fc.tuple(...values).map((segments) => {
    let i = 0;
    return route.path.replace(/\{\w+\}/g, () => segments[i++] as string);
  });
};

const QUERY_KEYS = [
  'cursor',
  'limit',
  'county',
  'month',
  'kind',
  'jurisdiction',
  'format',
  'mode',
  'lang',
  'from',
  'to',
  'q',
  'status',
  'tier',
  'overdue',
  'owner',
  'liaison',
  'serviceYear',
  'state',
  'uscc',
  'entity',
  'actor',
  'fix',
  // Names an object already has: a query map built as a plain object must not trip on them.
  '__proto__',
  'constructor',
  'toString',
] as const;

/** Cursors a client could forge: base64url of any JSON, of string maps, or not base64 at all. */
const forgedCursor = fc.oneof(
  fc.jsonValue({ maxDepth: 2 }).map((v) => Buffer.from(JSON.stringify(v)).toString('base64url')),
  fc
    .dictionary(fc.constantFrom('pk', 'sk', 'gsi1pk', 'gsi1sk', 'before', 'x'), fc.string({ maxLength: 20 }), {
      maxKeys: 4,
    })
    .map((v) => Buffer.from(JSON.stringify(v)).toString('base64url')),
  fc.string({ maxLength: 40 }),
);

const queryValue = fc.oneof(
  fc.constantFrom(
    '',
    '1e309',
    '99999999999999999999999',
    '-1',
    '0',
    '1.5',
    'NaN',
    'Infinity',
    '0x10',
    'true',
    'null',
    '[]',
    '{}',
    '2026-13',
    '2026-10',
    '0000-00',
    '320506',
    '320000',
    '999999',
    'csv',
    'xlsx',
    'valid-rows',
    'all-or-nothing',
    'en',
    'zh',
    'day:x',
    '2026-10-01',
    '2026-02-30',
  ),
  fc.string({ unit: 'grapheme', maxLength: 30 }),
  forgedCursor,
  fc.integer({ min: 1000, max: 5000 }).map((n) => 'z'.repeat(n)),
);

/** The route's valid query, then up to four pairs set, added (a repeated key is an "array") or removed. */
const queryArb = (route: RouteDef): fc.Arbitrary<string> =>
  fc
    .record({
      base: fc.boolean(),
      pairs: fc.array(
        fc.tuple(fc.constantFrom('set', 'append', 'delete', 'bracket'), fc.constantFrom(...QUERY_KEYS), queryValue),
        { maxLength: 4 },
      ),
      raw: fc.option(fc.constantFrom('%', '%zz', '&&', '=', 'a=%ff', 'cursor=%E0%A4%A', 'limit=1&limit=2'), {
        freq: 5,
      }),
    })
    .map(({ base, pairs, raw }) => {
      const params = new URLSearchParams(base ? (validQuery[route.id as RouteId] ?? {}) : {});
      for (const [op, key, value] of pairs) {
        if (op === 'set') params.set(key, value);
        else if (op === 'append') params.append(key, value);
        else if (op === 'bracket') params.append(`${key}[]`, value);
        else params.delete(key);
      }
      const text = params.toString();
      return raw ? (text ? `${text}&${raw}` : raw) : text;
    });

const JSON_TYPE = 'application/json';
const OTHER_TYPES = [
  'text/plain',
  'application/octet-stream',
  'multipart/form-data; boundary=----fuzz',
  'application/x-www-form-urlencoded',
  'application/json; charset=gbk',
  'image/png',
  '',
] as const;

/** Any JSON, with the odd key a prototype-minded parser might trip on. */
const anyJson = fc.oneof(
  fc.jsonValue({ maxDepth: 4 }),
  fc.constantFrom({ __proto__: { admin: true } }, { constructor: { prototype: { x: 1 } } }, [], {}, null, 0, '', true),
);

/** A value to put in place of one field of a valid body. */
const hostileField = fc.oneof(
  anyJson,
  fc.string({ unit: 'grapheme', maxLength: 50 }),
  // Lone surrogates and control characters survive JSON and reach storage, CSV, XLSX and mail.
  fc.string({ unit: 'binary', maxLength: 20 }),
  // A version that may be the current one: the update goes through and the record moves on.
  fc.integer({ min: 1, max: 6 }),
  fc.constantFrom(
    Number.MAX_SAFE_INTEGER,
    -1,
    0,
    1.5,
    1e308,
    -0,
    '',
    ' ',
    '\u0000',
    '2026-02-30',
    '2026-10-20T25:00:00+08:00',
    '9999-12-31T23:59:59+14:00',
    '0000-01-01',
    [],
    [null],
    ['', ''],
    { '': '' },
    'A'.repeat(3000),
  ),
);

const mutate = (base: Record<string, unknown>) =>
  fc.tuple(fc.nat(), fc.constantFrom('replace', 'delete', 'nested'), hostileField).map(([at, op, value]) => {
    const keys = Object.keys(base);
    const copy: Record<string, unknown> = structuredClone(base);
    if (keys.length === 0) return { [String(op)]: value };
    const key = keys[at % keys.length] as string;
    if (op === 'delete') delete copy[key];
    else if (op === 'nested' && typeof copy[key] === 'object' && copy[key] !== null) {
      // One level down: the first member of an array, or a member of an object.
      const inner = copy[key] as Record<string, unknown>;
      const innerKeys = Object.keys(Array.isArray(inner) ? ((inner[0] as object) ?? {}) : inner);
      const target = Array.isArray(inner) ? (inner[0] as Record<string, unknown>) : inner;
      if (target && typeof target === 'object' && innerKeys.length > 0) {
        target[innerKeys[at % innerKeys.length] as string] = value;
      } else {
        copy[key] = value;
      }
    } else copy[key] = value;
    return copy;
  });

const deepNesting = fc
  .tuple(fc.integer({ min: 500, max: 100_000 }), fc.boolean())
  .map(([depth, asObject]) =>
    asObject ? `${'{"a":'.repeat(depth)}1${'}'.repeat(depth)}` : `${'['.repeat(depth)}${']'.repeat(depth)}`,
  );

type Body = { contentType?: string; body?: string | Uint8Array };

const jsonBodyArb = (route: RouteDef): fc.Arbitrary<Body> => {
  const base = validBody(route.id as RouteId);
  const asJson = (value: unknown): Body => ({ contentType: JSON_TYPE, body: JSON.stringify(value) });
  return fc.oneof(
    { arbitrary: base ? fc.constant(asJson(base)) : fc.constant<Body>({}), weight: 1 },
    { arbitrary: base ? mutate(base).map(asJson) : anyJson.map(asJson), weight: 4 },
    { arbitrary: anyJson.map(asJson), weight: 2 },
    // Not JSON at all, or JSON cut short.
    {
      arbitrary: fc
        .oneof(
          fc.string({ maxLength: 40 }),
          fc.nat().map((n) => {
            const text = JSON.stringify(base ?? { a: [1, 2, 3] });
            return text.slice(0, n % text.length);
          }),
          fc.constantFrom('{', '[', '"', '{"a":}', 'nul', '\uFEFF{}', '{"a":1}{"a":2}', 'NaN', '1e99999'),
        )
        .map((text) => ({ contentType: JSON_TYPE, body: text })),
      weight: 2,
    },
    { arbitrary: deepNesting.map((text) => ({ contentType: JSON_TYPE, body: text })), weight: 1 },
    // The right body under the wrong content type (binary types arrive base64-encoded), or raw bytes.
    {
      arbitrary: fc
        .tuple(
          fc.constantFrom(...OTHER_TYPES),
          fc.oneof(fc.constant(JSON.stringify(base ?? {})), fc.uint8Array({ maxLength: 64 })),
        )
        .map(([contentType, body]) => ({ contentType, body })),
      weight: 2,
    },
    // Over the body limit.
    {
      arbitrary: fc.constant<Body>({
        contentType: JSON_TYPE,
        body: JSON.stringify({ ...(base ?? {}), pad: 'x'.repeat(300 * 1024) }),
      }),
      weight: 1,
    },
  );
};

const CSV_HEADER = '统一社会信用代码,企业名称,所在区县代码,地址,行业,规模,分级';
const csvCell = fc.oneof(
  fc.string({ unit: 'grapheme', maxLength: 20 }),
  fc.constantFrom('"', '""', '"a""b"', '\r', '\n', '=cmd|/c calc', '320506', 'small', 'county', FIRM, ''),
);

/** The import takes a file: CSV text (bent), XLSX (the real template, bent), or any bytes. */
const fileBodyArb: fc.Arbitrary<Body> = fc.oneof(
  fc
    .tuple(
      fc.boolean(),
      fc.array(fc.array(csvCell, { maxLength: 9 }), { maxLength: 6 }),
      fc.constantFrom('text/csv', 'application/octet-stream', 'text/plain', ''),
    )
    .map(([header, rows, contentType]) => ({
      contentType,
      body: [header ? CSV_HEADER : '', ...rows.map((r) => r.join(','))].join('\r\n'),
    })),
  fc
    .tuple(fc.nat(), fc.nat(), fc.integer({ min: 0, max: 255 }), fc.constantFrom('flip', 'cut'))
    .map(([at, len, byte, op]) => {
      const bytes = Uint8Array.from(world.xlsxTemplate);
      const i = at % bytes.length;
      if (op === 'cut') return bytes.slice(0, i);
      for (let j = i; j < Math.min(bytes.length, i + (len % 16) + 1); j++) bytes[j] = byte;
      return bytes;
    })
    .map((body) => ({
      contentType: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
      body,
    })),
  fc.tuple(fc.uint8Array({ maxLength: 200 }), fc.boolean()).map(([bytes, zip]) => ({
    contentType: 'application/octet-stream',
    body: zip ? Uint8Array.from([0x50, 0x4b, 0x03, 0x04, ...bytes]) : bytes,
  })),
  fc.constant<Body>({
    contentType: 'multipart/form-data; boundary=----fuzz',
    body: `------fuzz\r\n\r\n${CSV_HEADER}\r\n------fuzz--`,
  }),
  fc.constant<Body>({}),
);

const STAFF_CALLERS: Caller[] = ['none', 'forged', 'liaison', 'leadCounty', 'leadOther', 'leadCity', 'admin'];

const reqArb = (route: RouteDef): fc.Arbitrary<Req> =>
  fc
    .record({
      caller: route.auth === 'public' ? fc.constant<Caller>('none') : fc.constantFrom(...STAFF_CALLERS),
      path: pathArb(route),
      query: queryArb(route),
      accept: fc.option(
        fc.constantFrom('text/html', 'text/html;q=0, application/json', '*/*', 'text/calendar', 'application/xml', ''),
        { freq: 4 },
      ),
      body:
        route.id === 'enterprises.import'
          ? fileBodyArb
          : route.method === 'GET'
            ? fc.oneof({ arbitrary: fc.constant<Body>({}), weight: 5 }, { arbitrary: jsonBodyArb(route), weight: 1 })
            : jsonBodyArb(route),
    })
    .map(({ caller, path, query, accept, body }) => ({
      caller,
      path,
      query,
      ...(accept === null ? {} : { accept }),
      ...body,
    }));

// --- the property ------------------------------------------------------------------------------

const describeReq = (method: string, req: Req) => {
  const body =
    req.body === undefined ? '' : typeof req.body === 'string' ? req.body.slice(0, 300) : `<${req.body.length} bytes>`;
  return `${req.caller} ${method}${req.accept === undefined ? '' : ` (accept ${req.accept})`} ${req.path.slice(0, 300)}?${req.query.slice(0, 300)} [${req.contentType ?? '-'}] ${body}`;
};

/** Sends one request and collects what the handlers logged as unhandled while answering it. */
const attempt = async (method: string, req: Req): Promise<Answer> => {
  const logged: string[] = [];
  const spy = vi.spyOn(logger, 'error').mockImplementation((message: unknown, ...rest: unknown[]) => {
    const error = rest.find((r) => r instanceof Error) as Error | undefined;
    logged.push(`${String(message)}: ${error?.stack?.split('\n').slice(0, 8).join('\n') ?? JSON.stringify(rest)}`);
  });
  try {
    const answer = await send(method, req);
    return { ...answer, errors: logged };
  } finally {
    spy.mockRestore();
  }
};

/**
 * Requests that once answered 5xx, pinned so they are tried first on every run (as fc.assert examples).
 * Each names its finding; generic ones are built for every route they apply to.
 */
const regressions = (route: RouteDef): Req[] => {
  const pinned: Req[] = [];
  const caller: Caller = route.auth === 'public' ? 'none' : 'admin';
  const body = validBody(route.id as RouteId);
  const asJson = { contentType: JSON_TYPE, body: body ? JSON.stringify(body) : undefined };
  // Malformed percent-encoding in a path parameter crashed the gateway's route matching (500).
  for (const bad of ['%', '%E0%A4%A', '%zz']) {
    if (paramNames(route).length > 0) {
      pinned.push({ caller, path: route.path.replace(/\{\w+\}/g, bad), query: '', ...asJson });
    }
  }
  // An inbox id that decodes to an empty sort key reached DynamoDB, which refused the key (500).
  if (route.id === 'inbox.read') pinned.push({ caller: 'leadOther', path: '/api/staff/inbox/D/read', query: '' });
  return pinned;
};

const checkAnswer = (id: RouteId, method: string, req: Req, answer: Answer) => {
  const where = `${describeReq(method, req)}\n→ ${answer.status} ${answer.text.slice(0, 300)}\n${answer.errors.join('\n')}`;
  if (SURVEY && (answer.status >= 500 || answer.status < 200)) {
    surveyed.push(`${id}: ${where}`);
    return;
  }
  expect(answer.status, where).toBeLessThan(500);
  expect(answer.status, where).toBeGreaterThanOrEqual(200);
  if (answer.status >= 400) {
    expect(answer.contentType, where).toMatch(/^application\/json/);
    const body = JSON.parse(answer.text) as { error?: { code?: unknown; message?: unknown } };
    expect(typeof body.error?.code, where).toBe('string');
    expect(typeof body.error?.message, where).toBe('string');
  }
};

describe('hostile input never gets a 5xx, and every 4xx has the error shape', () => {
  for (const route of routes) {
    it(`${route.id}: ${route.method} ${route.path}`, async () => {
      const id = route.id as RouteId;
      await fc.assert(
        fc.asyncProperty(reqArb(route), async (req) => {
          checkAnswer(id, route.method, req, await attempt(route.method, req));
        }),
        {
          seed: SEED,
          ...(process.env.FUZZ_PATH ? { path: process.env.FUZZ_PATH } : {}),
          numRuns: RUNS,
          examples: regressions(route).map((req) => [req] as [Req]),
          endOnFailure: true,
        },
      );
    });
  }

  afterAll(() => {
    if (surveyed.length > 0) console.warn(`survey: ${surveyed.length} 5xx\n${surveyed.join('\n\n')}`);
  });
});
