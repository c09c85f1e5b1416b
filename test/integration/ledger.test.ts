import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Runtime, startRuntime } from '../../infra/local/runtime.ts';
import { canMove, LEDGER_STATES, type LedgerState, TRANSITIONS } from '../../shared/ledger.ts';
import type { Role } from '../../shared/roles.ts';
import { apiCaller } from '../support/api.ts';
import { uploadEvidence } from '../support/evidence.ts';
import { waitForOutbox } from '../support/outbox.ts';
import { distinctUsccs } from '../support/uscc.ts';

// The ledger's state machine through the local gateway: every move from every state by every role,
// random walks checked against the machine (fast-check), and the firm's single-use confirmation.
let runtime: Runtime;
let dataDir: string;
let uscc: string;
const token: Record<string, string> = {};
const byRole: Record<Role, string> = { liaison: 'liaison.wuzhong', lead: 'lead.wuzhong', admin: 'admin' };

const call = apiCaller(() => runtime.url, token);

interface Item {
  itemId: string;
  state: LedgerState;
  version: number;
}

const newItem = async (): Promise<Item> =>
  (
    await call('POST', '/api/staff/ledger-items', 'lead.wuzhong', {
      uscc,
      title: '废水排放口标识缺失',
      detail: '走访发现企业废水排放口未设置标识牌',
      source: 'contact',
      severity: 'medium',
      dueOn: '2026-12-31',
      ownerDepartment: '水环境科',
    })
  ).body.item as Item;

/** The extra fields a move needs to be acceptable (a reason to close, a department to hand over to). */
const extras = (to: LedgerState) => ({
  ...(to === 'closed' ? { override: { reason: '企业联系人长期无法联系' } } : {}),
  ...(to === 'handed_over' ? { toDepartment: '执法大队' } : {}),
});

const move = (item: Item, to: LedgerState, role: Role) =>
  call('POST', `/api/staff/ledger-items/${item.itemId}/transitions`, byRole[role], {
    to,
    note: '办理情况说明',
    version: item.version,
    ...extras(to),
  });

/** A path of admin moves from `collected` to each state. */
const PATHS: Record<LedgerState, LedgerState[]> = {
  collected: [],
  handed_over: ['handed_over'],
  in_progress: ['in_progress'],
  resolved: ['in_progress', 'resolved'],
  closed: ['in_progress', 'resolved', 'closed'],
  cancelled: ['cancelled'],
};

const itemIn = async (state: LedgerState): Promise<Item> => {
  let item = await newItem();
  for (const to of PATHS[state]) item = (await move(item, to, 'admin')).body.item as Item;
  expect(item.state).toBe(state);
  return item;
};

beforeAll(async () => {
  dataDir = mkdtempSync(join(tmpdir(), 'eco-ledger-'));
  runtime = await startRuntime({ port: 0, dataDir, siteDir: dataDir, scheduler: false, log: () => undefined });
  for (const username of [...Object.values(byRole), 'lead.jiangyin', 'lead.suzhou']) {
    token[username] = (await runtime.issuer.signIn(username, 'demo'))?.token ?? '';
  }
  [uscc] = distinctUsccs(1) as [string];
  const firm = await call('POST', '/api/staff/enterprises', 'lead.wuzhong', {
    uscc,
    name: '苏州台账测试有限公司',
    county: '320506',
    address: '吴中区',
    industry: '电镀',
    size: 'small',
    tier: 'county',
    contacts: [{ name: '王经理', mobile: '13800000000', email: 'wang@firm.example' }],
  });
  expect(firm.status).toBe(201);
  // The Wuzhong liaison serves the firm: a liaison acts only on the ledger of its own pairings' firms.
  const pairing = await call('POST', '/api/staff/pairings', 'lead.wuzhong', {
    uscc,
    liaison: byRole.liaison,
    serviceYear: 2026,
    startsOn: '2026-01-01',
  });
  expect(pairing.status).toBe(201);
});

afterAll(async () => {
  await runtime?.stop();
  rmSync(dataDir, { recursive: true, force: true });
});

describe('the ledger state machine', () => {
  it('allows exactly the moves of the machine, to the roles it names, and refuses every other', async () => {
    for (const from of LEDGER_STATES) {
      for (const to of LEDGER_STATES) {
        for (const role of ['liaison', 'lead', 'admin'] as const) {
          const item = await itemIn(from);
          const res = await move(item, to, role);
          const expected = !TRANSITIONS[from][to] ? 409 : canMove(from, to, role) ? 200 : 403;
          expect(res.status, `${from} → ${to} by ${role}`).toBe(expected);
          if (expected === 409) expect(res.body.error.code).toBe('INVALID_TRANSITION');
          if (expected === 200) expect(res.body.item).toMatchObject({ state: to, version: item.version + 1 });
        }
      }
    }
  }, 240_000);

  it('refuses a stale version, a close without override, a hand-over without a department', async () => {
    const item = await itemIn('resolved');
    const stale = await call('POST', `/api/staff/ledger-items/${item.itemId}/transitions`, 'lead.wuzhong', {
      to: 'in_progress',
      note: '企业不满意',
      version: item.version - 1,
    });
    expect(stale.body.error.code).toBe('VERSION_CONFLICT');
    const bare = await call('POST', `/api/staff/ledger-items/${item.itemId}/transitions`, 'lead.wuzhong', {
      to: 'closed',
      note: '直接销号',
      version: item.version,
    });
    expect(bare.status).toBe(400);
    expect(Object.keys(bare.body.error.fields)).toEqual(['override']);
    const fresh = await newItem();
    const handOver = await call('POST', `/api/staff/ledger-items/${fresh.itemId}/transitions`, 'lead.wuzhong', {
      to: 'handed_over',
      note: '交办',
      version: 1,
    });
    expect(Object.keys(handOver.body.error.fields)).toEqual(['toDepartment']);
    expect((await call('GET', `/api/staff/ledger-items/${fresh.itemId}`, 'lead.jiangyin')).status).toBe(404);
  });

  it('random walks never leave the machine: each answer agrees with it and the version counts the moves', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.tuple(fc.constantFrom(...LEDGER_STATES), fc.constantFrom<Role>('liaison', 'lead', 'admin')), {
          minLength: 1,
          maxLength: 8,
        }),
        async (steps) => {
          let item = await newItem();
          let moves = 0;
          for (const [to, role] of steps) {
            const res = await move(item, to, role);
            const allowed = canMove(item.state, to, role);
            expect([200, 403, 409]).toContain(res.status);
            expect(res.status === 200).toBe(allowed);
            if (allowed) {
              item = res.body.item as Item;
              moves++;
            }
          }
          const stored = (await call('GET', `/api/staff/ledger-items/${item.itemId}`, 'admin')).body.item as Item & {
            history: { from: LedgerState | null; to: LedgerState }[];
          };
          expect(LEDGER_STATES).toContain(stored.state);
          expect(stored.state).toBe(item.state);
          expect(stored.version).toBe(1 + moves);
          expect(stored.history).toHaveLength(1 + moves);
          // The history is itself a walk of the machine.
          for (const entry of stored.history.slice(1)) {
            expect(TRANSITIONS[entry.from as LedgerState][entry.to]).toBeDefined();
          }
        },
      ),
      { numRuns: 15 },
    );
  }, 240_000);
});

describe('recurrence', () => {
  it('flags a new item that repeats one closed in the last 12 months, by a similar title', async () => {
    await itemIn('closed');
    const again = await call('POST', '/api/staff/ledger-items', 'liaison.wuzhong', {
      uscc,
      title: '废水排放口 标识缺失（复查）',
      detail: '复查发现标识牌仍未设置',
      source: 'contact',
      severity: 'medium',
      dueOn: '2027-01-15',
      ownerDepartment: '水环境科',
    });
    expect(again.body.item.recurringOf).toBeTruthy();
    const earlier = (await call('GET', `/api/staff/ledger-items/${again.body.item.recurringOf}`, 'admin')).body.item;
    expect(earlier).toMatchObject({ state: 'closed', title: '废水排放口标识缺失' });
    const other = await call('POST', '/api/staff/ledger-items', 'liaison.wuzhong', {
      uscc,
      title: '噪声超标',
      detail: '厂界噪声夜间超标',
      source: 'request',
      severity: 'low',
      dueOn: '2027-01-15',
      ownerDepartment: '大气科',
    });
    expect(other.body.item.recurringOf).toBeNull();
  });
});

describe('the firm’s confirmation', () => {
  const mailsAbout = (entries: Awaited<ReturnType<typeof waitForOutbox>>, title: string) =>
    entries.filter((e) => e.channel === 'email' && e.subject.includes(title));
  /**
   * How many mails about `title` went out, once the outbox is quiet: the earlier tests' items were
   * resolved too, and their mails leave after their requests (the deliveries function), so a count
   * taken at once could be passed by one of theirs instead of this test's.
   */
  const mailCount = async (title: string) => {
    let count = mailsAbout(await waitForOutbox(() => true), title).length;
    for (let quiet = 0; quiet < 20; ) {
      await new Promise((r) => setTimeout(r, 100));
      const now = mailsAbout(await waitForOutbox(() => true), title).length;
      quiet = now === count ? quiet + 1 : 0;
      count = now;
    }
    return count;
  };
  /** The link of the mail sent after the `before`th about `title` (sent after the resolve, by the deliveries function). */
  const linkOf = async (title: string, before: number) => {
    const mail = mailsAbout(await waitForOutbox((entries) => mailsAbout(entries, title).length > before), title).at(-1);
    return /#([A-Za-z0-9_-]{32})/.exec(mail?.channel === 'email' ? mail.text : '')?.[1] ?? '';
  };

  it('mails a single-use link on resolve; a GET changes nothing; the answer closes the item once', async () => {
    const before = await mailCount('废水排放口标识缺失');
    const item = await itemIn('resolved');
    const link = await linkOf('废水排放口标识缺失', before);
    expect(link).toHaveLength(32);
    for (let i = 0; i < 3; i++) {
      const seen = await call('GET', `/api/public/ledger-confirmations/${link}`, undefined);
      expect(seen.body.item).toMatchObject({ title: '废水排放口标识缺失', firmName: '苏州台账测试有限公司' });
    }
    const still = (await call('GET', `/api/staff/ledger-items/${item.itemId}`, 'admin')).body.item as Item;
    expect(still).toMatchObject({ state: 'resolved', version: item.version });

    const answer = await call('POST', `/api/public/ledger-confirmations/${link}`, undefined, {
      solved: true,
      comment: '已整改到位',
    });
    expect(answer.body).toEqual({ state: 'closed' });
    expect(
      (
        await call('POST', `/api/public/ledger-confirmations/${link}`, undefined, {
          solved: false,
          comment: '仍有问题',
        })
      ).status,
    ).toBe(404);
    expect((await call('GET', `/api/public/ledger-confirmations/${link}`, undefined)).status).toBe(404);
    const closed = (await call('GET', `/api/staff/ledger-items/${item.itemId}`, 'admin')).body.item as Item & {
      history: { by: string }[];
    };
    expect(closed.state).toBe('closed');
    expect(closed.history.at(-1)?.by).toBe(`firm:${uscc}`);
  });

  it('puts the item back in progress when the firm is not satisfied, and refuses made-up links', async () => {
    const before = await mailCount('废水排放口标识缺失');
    const item = await itemIn('resolved');
    const link = await linkOf('废水排放口标识缺失', before);
    const answer = await call('POST', `/api/public/ledger-confirmations/${link}`, undefined, {
      solved: false,
      comment: '问题仍存在',
    });
    expect(answer.body).toEqual({ state: 'in_progress' });
    expect(((await call('GET', `/api/staff/ledger-items/${item.itemId}`, 'admin')).body.item as Item).state).toBe(
      'in_progress',
    );
    expect((await call('GET', `/api/public/ledger-confirmations/${'A'.repeat(32)}`, undefined)).status).toBe(404);
    expect((await call('GET', '/api/public/ledger-confirmations/short', undefined)).status).toBe(400);
  });
  it('texts the link to the firm’s mobile when it gave no e-mail, and the text works once', async () => {
    // Prepare: a firm with a mobile number only, and its item resolved.
    const [phoneOnly] = distinctUsccs(1) as [string];
    await call('POST', '/api/staff/enterprises', 'lead.wuzhong', {
      uscc: phoneOnly,
      name: '苏州短信确认测试有限公司',
      county: '320506',
      address: '吴中区',
      industry: '印染',
      size: 'small',
      tier: 'county',
      contacts: [{ name: '李经理', mobile: '13912340000' }],
    });
    let item = (
      await call('POST', '/api/staff/ledger-items', 'lead.wuzhong', {
        uscc: phoneOnly,
        title: '雨污分流改造咨询',
        detail: '企业咨询厂区雨污分流改造要求',
        source: 'request',
        severity: 'low',
        dueOn: '2026-12-31',
        ownerDepartment: '水环境科',
      })
    ).body.item as Item;
    for (const to of PATHS.resolved) item = (await move(item, to, 'admin')).body.item as Item;

    // Act: the text in the outbox.
    const textsTo = (entries: Awaited<ReturnType<typeof waitForOutbox>>) =>
      entries.filter((e) => e.channel === 'sms' && e.to === '+8613912340000');
    const texts = textsTo(await waitForOutbox((entries) => textsTo(entries).length > 0));

    // Assess: one text, with a link that closes the item once.
    expect(texts).toHaveLength(1);
    const text = texts[0]?.text ?? '';
    expect(text).toContain('雨污分流改造咨询');
    const link = /#([A-Za-z0-9_-]{32})/.exec(text)?.[1] ?? '';
    expect((await call('POST', `/api/public/ledger-confirmations/${link}`, undefined, { solved: true })).body).toEqual({
      state: 'closed',
    });
    expect((await call('POST', `/api/public/ledger-confirmations/${link}`, undefined, { solved: true })).status).toBe(
      404,
    );
  });
});

describe('evidence on ledger moves', () => {
  it('keeps the files of a move in its history entry, and refuses a file attached to another item', async () => {
    // Prepare: an item in progress and two uploads of the liaison.
    const item = await itemIn('in_progress');
    const liaison = byRole.liaison;
    const [first, second] = [
      await uploadEvidence(runtime.url, token[liaison] ?? '', { fileName: '整改后.png' }),
      await uploadEvidence(runtime.url, token[liaison] ?? ''),
    ];

    // Act: resolve with both files.
    const moved = await call('POST', `/api/staff/ledger-items/${item.itemId}/transitions`, liaison, {
      to: 'resolved',
      note: '已整改，附整改后照片',
      version: item.version,
      evidenceIds: [first, second],
    });

    // Assess: the history entry names them; a lead in scope can open them; they cannot be reused.
    expect(moved.status).toBe(200);
    const entry = (
      moved.body.item.history as { to: string; evidence?: { evidenceId: string; fileName: string }[] }[]
    ).at(-1);
    expect(entry?.to).toBe('resolved');
    expect(entry?.evidence?.map((e) => e.evidenceId)).toEqual([first, second]);
    expect(entry?.evidence?.[0]?.fileName).toBe('整改后.png');
    expect((await call('GET', `/api/staff/evidence/${first}`, 'lead.wuzhong')).status).toBe(200);
    const other = await itemIn('in_progress');
    const again = await call('POST', `/api/staff/ledger-items/${other.itemId}/transitions`, liaison, {
      to: 'resolved',
      note: '借用另一事项的照片',
      version: other.version,
      evidenceIds: [first],
    });
    expect(again.status).toBe(400);
    expect(again.body.error.fields['evidenceIds.0']).toMatch(/attached/);
  });

  it('lets the firm’s county see a file a city lead attached, and keeps it from another county', async () => {
    // Prepare: a Wuzhong item in progress; the Suzhou (city) lead uploads a photo.
    const item = await itemIn('in_progress');
    const photo = await uploadEvidence(runtime.url, token['lead.suzhou'] ?? '');

    // Act: the city lead resolves the item with it.
    const moved = await call('POST', `/api/staff/ledger-items/${item.itemId}/transitions`, 'lead.suzhou', {
      to: 'resolved',
      note: '市局督办后已整改',
      version: item.version,
      evidenceIds: [photo],
    });

    // Assess: the file follows the item's county, not its uploader's unit.
    expect(moved.status).toBe(200);
    expect((await call('GET', `/api/staff/evidence/${photo}`, 'liaison.wuzhong')).status).toBe(200);
    expect((await call('GET', `/api/staff/evidence/${photo}`, 'lead.jiangyin')).status).toBe(404);
  });
});

describe('ledger stats from counters', () => {
  const stats = async () =>
    (await call('GET', '/api/staff/ledger-stats?jurisdiction=320506', 'lead.wuzhong')).body as {
      raised: number;
      closed: number;
      cancelled: number;
      overdueNow: number;
      medianDaysToClose: number | null;
      bySeverity: Record<string, { raised: number }>;
    };

  it('equal a count of the items themselves after every test above, and the recount finds no difference', async () => {
    const items = (await call('GET', '/api/staff/ledger-items?county=320506', 'admin')).body.items as {
      state: string;
      severity: string;
    }[];
    const s = await stats();
    expect(s.raised).toBe(items.length);
    expect(s.closed).toBe(items.filter((i) => i.state === 'closed').length);
    expect(s.cancelled).toBe(items.filter((i) => i.state === 'cancelled').length);
    expect(s.bySeverity.medium?.raised).toBe(items.filter((i) => i.severity === 'medium').length);
    expect(s.medianDaysToClose).toBe(0);
    expect((await call('POST', '/api/staff/ledger-stats/recount', 'admin')).body.differences).toEqual([]);
  });

  it('counts an open item past its due date as overdue now, until it is closed', async () => {
    const before = (await stats()).overdueNow;
    const late = (
      await call('POST', '/api/staff/ledger-items', 'lead.wuzhong', {
        uscc,
        title: '逾期测试事项',
        detail: '到期未办结的事项',
        source: 'request',
        severity: 'high',
        dueOn: '2026-01-05',
        ownerDepartment: '执法大队',
      })
    ).body.item as Item;
    expect((await stats()).overdueNow).toBe(before + 1);
    const closed = await call('POST', `/api/staff/ledger-items/${late.itemId}/transitions`, 'lead.wuzhong', {
      to: 'cancelled',
      note: '企业已关停',
      version: late.version,
    });
    expect(closed.status).toBe(200);
    expect((await stats()).overdueNow).toBe(before);
  });
});
