import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Runtime, startRuntime } from '../../infra/local/runtime.ts';
import { apiCaller, runLocalJob } from '../support/api.ts';
import { firmInput, pairedWuzhongFirm } from '../support/firms.ts';
import { readOutbox } from '../support/outbox.ts';
import { distinctUsccs } from '../support/uscc.ts';

// The ledger's overdue rule on the local runtime: the daily `overdue` job nudges each item's owner
// once, the day after its due date in Beijing; the Monday `ledger-digest` job sends each lead one
// digest of the overdue items its unit holds. Jobs run as the scheduler would ("now" = scheduled time).
let runtime: Runtime;
let dataDir: string;
const token: Record<string, string> = {};
const item: Record<'paired' | 'unpaired' | 'later' | 'cancelled' | 'handed', string> = {
  paired: '',
  unpaired: '',
  later: '',
  cancelled: '',
  handed: '',
};

const call = apiCaller(() => runtime.url, token);

const runJob = (name: string, at: string) => runLocalJob(runtime.url, name, at);

const outbox = (subject: string) => readOutbox().filter((e) => e.channel === 'email' && e.subject.includes(subject));

/** Inbox titles of a person that mention a text. */
const inboxTitles = async (who: string, text: string) =>
  ((await call('GET', '/api/staff/inbox', who)).body.messages as { title: string }[])
    .map((m) => m.title)
    .filter((t) => t.includes(text));

const raise = async (uscc: string, title: string, dueOn: string) =>
  (
    await call('POST', '/api/staff/ledger-items', 'lead.wuzhong', {
      uscc,
      title,
      detail: `${title}，需跟进办理`,
      source: 'contact',
      severity: 'medium',
      dueOn,
      ownerDepartment: '水环境科',
    })
  ).body.item as { itemId: string; version: number };

beforeAll(async () => {
  dataDir = mkdtempSync(join(tmpdir(), 'eco-ledger-jobs-'));
  runtime = await startRuntime({ port: 0, dataDir, siteDir: dataDir, scheduler: false, log: () => undefined });
  for (const username of ['lead.wuzhong', 'lead.suzhou', 'liaison.wuzhong', 'admin']) {
    token[username] = (await runtime.issuer.signIn(username, 'demo'))?.token ?? '';
  }
  const [pairedFirm, otherFirm] = distinctUsccs(2) as [string, string];
  const fields = { address: '吴中区', industry: '电镀', contacts: [] };
  await pairedWuzhongFirm(call, pairedFirm, { name: '苏州逾期结对企业有限公司', ...fields });
  const other = await call(
    'POST',
    '/api/staff/enterprises',
    'lead.wuzhong',
    firmInput(otherFirm, { name: '苏州逾期未结对企业有限公司', ...fields }),
  );
  expect(other.status).toBe(201);
  item.paired = (await raise(pairedFirm, '结对企业废气治理设施维护', '2026-11-20')).itemId;
  item.unpaired = (await raise(otherFirm, '未结对企业危废台账补录', '2026-11-20')).itemId;
  item.later = (await raise(pairedFirm, '结对企业应急预案修订', '2026-11-25')).itemId;
  const duplicate = await raise(otherFirm, '已撤销的噪声投诉', '2026-11-19');
  const cancelled = await call('POST', `/api/staff/ledger-items/${duplicate.itemId}/transitions`, 'lead.wuzhong', {
    to: 'cancelled',
    note: '重复登记，撤销',
    version: duplicate.version,
  });
  expect(cancelled.status).toBe(200);
  item.cancelled = duplicate.itemId;
  const handed = await raise(otherFirm, '移交市局的跨区排污问题', '2026-11-21');
  // The city lead pulls it up to its own unit (a county lead hands over only within its county).
  const moved = await call('POST', `/api/staff/ledger-items/${handed.itemId}/transitions`, 'lead.suzhou', {
    to: 'handed_over',
    note: '涉及跨区排污，移交市局',
    version: handed.version,
    toDepartment: '市生态环境执法支队',
    toJurisdiction: '320500',
  });
  expect(moved.status).toBe(200);
  item.handed = handed.itemId;
});

afterAll(async () => {
  await runtime?.stop();
  rmSync(dataDir, { recursive: true, force: true });
});

describe('the daily overdue nudge', () => {
  it('waits until the due date has passed in Beijing: nothing on the due day itself', async () => {
    // Act: 20 November, 09:00 Beijing — the due day of two items.
    const run = await runJob('overdue', '2026-11-20T09:00:00+08:00');

    // Assess
    expect(run.result).toMatchObject({ overdue: 0, nudgesCreated: 0 });
  });

  it('nudges on the next Beijing day, even at 00:30 (still the 20th in UTC): the liaison of a paired firm, the lead otherwise', async () => {
    // Act: 21 November 00:30 Beijing is 20 November 16:30 UTC.
    const run = await runJob('overdue', '2026-11-21T00:30:00+08:00');

    // Assess: the two items due on the 20th; not the later one, not the cancelled one, not the one due on the 21st.
    expect(run.result).toMatchObject({ overdue: 2, nudgesCreated: 2, sent: 2, failed: 0 });
    expect(await inboxTitles('liaison.wuzhong', '结对企业废气治理设施维护')).toHaveLength(1);
    expect(await inboxTitles('lead.wuzhong', '未结对企业危废台账补录')).toHaveLength(1);
    expect(await inboxTitles('liaison.wuzhong', '未结对企业危废台账补录')).toEqual([]);
    expect(outbox('已逾期')).toHaveLength(2);
    expect(outbox('已逾期').map((e) => (e.channel === 'email' ? e.to[0] : ''))).toEqual(
      expect.arrayContaining(['liaison.wuzhong@demo.eco-liaison.local', 'lead.wuzhong@demo.eco-liaison.local']),
    );
  });

  it('nudges once: run again, and twice at the same time, nothing new is created or sent', async () => {
    // Act
    const again = await runJob('overdue', '2026-11-21T09:00:00+08:00');
    const both = await Promise.all([
      runJob('overdue', '2026-11-21T09:00:00+08:00'),
      runJob('overdue', '2026-11-21T09:00:00+08:00'),
    ]);

    // Assess
    for (const run of [again, ...both]) expect(run.result).toMatchObject({ nudgesCreated: 0, sent: 0 });
    expect(outbox('已逾期')).toHaveLength(2);
    expect(await inboxTitles('liaison.wuzhong', '结对企业废气治理设施维护')).toHaveLength(1);
  });

  it('nudges the unit an item was handed over to, the next day, and only that item', async () => {
    // Act: 22 November — the handed-over item (due the 21st) is overdue now, held by Suzhou.
    const run = await runJob('overdue', '2026-11-22T09:00:00+08:00');

    // Assess
    expect(run.result).toMatchObject({ overdue: 3, nudgesCreated: 1 });
    expect(await inboxTitles('lead.suzhou', '移交市局的跨区排污问题')).toHaveLength(1);
    expect(outbox('已逾期')).toHaveLength(3);
  });

  it('leaves an item that was closed before the job came', async () => {
    // Prepare: the later item resolved and closed by a lead's override before it falls due.
    let later = (await call('GET', `/api/staff/ledger-items/${item.later}`, 'lead.wuzhong')).body.item;
    for (const to of ['in_progress', 'resolved', 'closed']) {
      later = (
        await call('POST', `/api/staff/ledger-items/${item.later}/transitions`, 'lead.wuzhong', {
          to,
          note: '已办结',
          version: later.version,
          ...(to === 'closed' ? { override: { reason: '企业负责人现场确认已解决' } } : {}),
        })
      ).body.item;
    }
    expect(later.state).toBe('closed');

    // Act: 26 November, after its due date.
    const run = await runJob('overdue', '2026-11-26T09:00:00+08:00');

    // Assess: the three still open are read again, nothing new.
    expect(run.result).toMatchObject({ overdue: 3, nudgesCreated: 0 });
    expect(await inboxTitles('liaison.wuzhong', '结对企业应急预案修订')).toEqual([]);
  });
});

describe('the weekly digest to leads', () => {
  it('sends each lead one digest of the overdue items its unit holds, once a week', async () => {
    // Act: Monday 30 November, twice.
    const first = await runJob('ledger-digest', '2026-11-30T09:00:00+08:00');
    const second = await runJob('ledger-digest', '2026-11-30T09:00:00+08:00');

    // Assess: Wuzhong's lead gets its two, Suzhou's lead the handed-over one; no second digest.
    expect(first.result).toMatchObject({ week: '2026-11-30', overdue: 3, leads: 2, digestsCreated: 2 });
    expect(second.result).toMatchObject({ digestsCreated: 0, sent: 0 });
    const digests = outbox('周报');
    expect(digests).toHaveLength(2);
    const wuzhong = digests.find((e) => e.channel === 'email' && e.to[0]?.startsWith('lead.wuzhong'));
    const text = wuzhong?.channel === 'email' ? wuzhong.text : '';
    expect(text).toContain('结对企业废气治理设施维护');
    expect(text).toContain('未结对企业危废台账补录');
    expect(text).not.toContain('移交市局');
    expect(text).not.toContain('已撤销');
    expect(await inboxTitles('lead.suzhou', '周报')).toHaveLength(1);
  });
});

describe('the daily overdue nudge, a firm with several overdue items', () => {
  it('nudges each of them: the firm is looked up once, not once per item', async () => {
    // Prepare: a paired firm with two open items due the same day (the owner lookup used to ask
    // DynamoDB for the same pairing guard twice in one BatchGetItem, which it refuses).
    const [uscc] = distinctUsccs(1) as [string];
    await pairedWuzhongFirm(call, uscc, {
      name: '苏州两项逾期企业有限公司',
      address: '吴中区',
      industry: '印染',
      contacts: [],
    });
    await raise(uscc, '两项逾期之一：污水站在线监测', '2026-12-01');
    await raise(uscc, '两项逾期之二：危废暂存间标识', '2026-12-01');

    // Act: 2 December, the day after both fell due.
    const run = await runJob('overdue', '2026-12-02T09:00:00+08:00');

    // Assess: both reach the firm's liaison, once each.
    expect(run.result).toMatchObject({ overdue: 2, nudgesCreated: 2, failed: 0 });
    expect(await inboxTitles('liaison.wuzhong', '两项逾期之一')).toHaveLength(1);
    expect(await inboxTitles('liaison.wuzhong', '两项逾期之二')).toHaveLength(1);
  });
});
