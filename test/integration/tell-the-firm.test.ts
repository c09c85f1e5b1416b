import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Runtime, startRuntime } from '../../infra/local/runtime.ts';
import { keys } from '../../shared/keys.ts';
import { table } from '../../shared/table.ts';
import { messagesAbout, readOutbox, waitForOutbox } from '../support/outbox.ts';
import { distinctUsccs } from '../support/uscc.ts';

// Issue 16's "tell the firm", on the local runtime: a firm is told who its liaison is when it is
// paired (text to each contact's mobile, e-mail to its address, naming the liaison and the
// liaison's mobile), that an item of its ledger was cancelled, with the explanation, and that an item
// stays open past its date (the overdue job), with what staff last wrote; each recorded and sent once.
let runtime: Runtime;
let dataDir: string;
const token: Record<string, string> = {};
const MOBILE_A = '13812340001';
const MOBILE_B = '13912340002';
const LIAISON_MOBILE = '13700001111';
let uscc = '';

const call = async (method: string, path: string, who: string, body?: unknown) => {
  const res = await fetch(`${runtime.url}${path}`, {
    method,
    headers: { authorization: `Bearer ${token[who]}`, 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  // biome-ignore lint/suspicious/noExplicitAny: the answer as sent
  return { status: res.status, body: (await res.json()) as Record<string, any> };
};
const runJob = async (name: 'overdue', at: string) => {
  const res = await fetch(`${runtime.url}/api/local/jobs/${name}`, { method: 'POST', body: JSON.stringify({ at }) });
  expect(res.status).toBe(200);
  return ((await res.json()) as { result: Record<string, number> }).result;
};
const textsTo = (mobile: string, words: string) =>
  readOutbox().filter((e) => e.channel === 'sms' && e.to.endsWith(mobile) && e.text.includes(words));

beforeAll(async () => {
  dataDir = mkdtempSync(join(tmpdir(), 'eco-tell-firm-'));
  runtime = await startRuntime({ port: 0, dataDir, siteDir: dataDir, scheduler: false, log: () => undefined });
  token['lead.wuzhong'] = (await runtime.issuer.signIn('lead.wuzhong', 'demo'))?.token ?? '';
  // The liaison's mobile, as its profile holds it.
  await DynamoDBDocumentClient.from(
    new DynamoDBClient({ endpoint: process.env.DYNAMODB_ENDPOINT, region: 'us-east-1' }),
  ).send(
    new UpdateCommand({
      TableName: table.logicalName,
      Key: keys.user('liaison.wuzhong'),
      UpdateExpression: 'SET mobile = :m',
      ExpressionAttributeValues: { ':m': LIAISON_MOBILE },
    }),
  );
  [uscc] = distinctUsccs(1) as [string];
  const created = await call('POST', '/api/staff/enterprises', 'lead.wuzhong', {
    uscc,
    name: '苏州告知企业测试有限公司',
    county: '320506',
    address: '吴中区',
    industry: '电镀',
    size: 'small',
    tier: 'county',
    contacts: [
      { name: '王经理', mobile: MOBILE_A },
      { name: '李主管', mobile: MOBILE_B, email: 'li@tell-firm.example.com' },
    ],
  });
  expect(created.status).toBe(201);
}, 120_000);

afterAll(async () => {
  await runtime?.stop();
  rmSync(dataDir, { recursive: true, force: true });
});

describe('tell the firm (issue 16)', () => {
  it('tells a paired firm its liaison and the liaison’s mobile, by text to each contact and by e-mail, once', async () => {
    // Act
    const paired = await call('POST', '/api/staff/pairings', 'lead.wuzhong', {
      uscc,
      liaison: 'liaison.wuzhong',
      serviceYear: 2026,
      startsOn: '2026-01-01',
    });

    // Assess
    expect(paired.status).toBe(201);
    await waitForOutbox(
      () => textsTo(MOBILE_A, LIAISON_MOBILE).length > 0 && textsTo(MOBILE_B, LIAISON_MOBILE).length > 0,
    );
    const [text] = textsTo(MOBILE_A, LIAISON_MOBILE);
    expect(text?.text).toContain('吴中区联络员');
    await waitForOutbox((all) => all.some((e) => e.channel === 'email' && e.to.includes('li@tell-firm.example.com')));
    const messages = await messagesAbout(`pairing:${paired.body.pairing.pairingId}`);
    expect(messages.map((m) => m.kind)).toEqual(['paired']);
    // A second pairing of the same firm and year is refused, and tells nothing.
    const again = await call('POST', '/api/staff/pairings', 'lead.wuzhong', {
      uscc,
      liaison: 'liaison.wuzhong',
      serviceYear: 2026,
      startsOn: '2026-01-01',
    });
    expect(again.status).toBe(409);
    await new Promise((r) => setTimeout(r, 500));
    expect(textsTo(MOBILE_A, LIAISON_MOBILE)).toHaveLength(1);
  });

  it('tells the firm an item was cancelled, with the explanation, once', async () => {
    // Prepare
    const raised = await call('POST', '/api/staff/ledger-items', 'lead.wuzhong', {
      uscc,
      title: '重复登记的噪声投诉',
      detail: '重复登记的噪声投诉，需核实',
      source: 'contact',
      severity: 'medium',
      dueOn: '2026-12-20',
      ownerDepartment: '水环境科',
    });
    expect(raised.status).toBe(201);
    const { itemId, version } = raised.body.item;

    // Act: cancelled, then the same cancel again.
    const body = { to: 'cancelled', note: '与上月登记事项重复，合并办理', version };
    const cancelled = await call('POST', `/api/staff/ledger-items/${itemId}/transitions`, 'lead.wuzhong', body);
    const twice = await call('POST', `/api/staff/ledger-items/${itemId}/transitions`, 'lead.wuzhong', body);

    // Assess
    expect(cancelled.status).toBe(200);
    expect(twice.status).toBe(409);
    await waitForOutbox(() => textsTo(MOBILE_A, '与上月登记事项重复').length > 0);
    await new Promise((r) => setTimeout(r, 500));
    expect(textsTo(MOBILE_A, '与上月登记事项重复')).toHaveLength(1);
    expect(textsTo(MOBILE_A, '与上月登记事项重复')[0]?.text).toContain('重复登记的噪声投诉');
    expect((await messagesAbout(`ledger:${itemId}`)).map((m) => m.kind)).toEqual(['item-cancelled']);
  });

  it('tells the firm once that an item stays open past its date, with the staff’s explanation, under two runs at once and a third', async () => {
    // Prepare: two items due 10 December; staff wrote on one after raising it, not on the other.
    const raise = async (title: string) => {
      const res = await call('POST', '/api/staff/ledger-items', 'lead.wuzhong', {
        uscc,
        title,
        detail: `${title}，企业走访时提出`,
        source: 'contact',
        severity: 'medium',
        dueOn: '2026-12-10',
        ownerDepartment: '大气环境科',
      });
      expect(res.status).toBe(201);
      return res.body.item as { itemId: string; version: number };
    };
    const explained = await raise('废气处理设施改造');
    const moved = await call('POST', `/api/staff/ledger-items/${explained.itemId}/transitions`, 'lead.wuzhong', {
      to: 'in_progress',
      note: '设备已订购，等待厂家到货安装',
      version: explained.version,
    });
    expect(moved.status).toBe(200);
    const silent = await raise('危废台账补登');
    const overdueTexts = (title: string) => textsTo(MOBILE_A, title).filter((e) => e.text.includes('尚未办结'));

    // Act: the job of 11 December twice at once, then again.
    const at = '2026-12-11T09:00:00+08:00';
    const runs = await Promise.all([runJob('overdue', at), runJob('overdue', at)]);
    const third = await runJob('overdue', at);

    // Assess: each item's message recorded once, sent once by text and e-mail, the explanation in it.
    expect(runs.reduce((n, r) => n + Number(r.firmsTold), 0)).toBe(2);
    expect(third.firmsTold).toBe(0);
    await waitForOutbox(() => overdueTexts('废气处理设施改造').length > 0 && overdueTexts('危废台账补登').length > 0);
    await waitForOutbox((all) =>
      all.some(
        (e) => e.channel === 'email' && e.to.includes('li@tell-firm.example.com') && e.subject.includes('危废台账补登'),
      ),
    );
    await new Promise((r) => setTimeout(r, 500));
    expect(overdueTexts('废气处理设施改造')).toHaveLength(1);
    expect(overdueTexts('危废台账补登')).toHaveLength(1);
    expect(overdueTexts('废气处理设施改造')[0]?.text).toContain('设备已订购，等待厂家到货安装');
    expect(overdueTexts('废气处理设施改造')[0]?.text).toContain('2026-12-10');
    // No explanation yet: the firm is not shown its own words back as staff's.
    expect(overdueTexts('危废台账补登')[0]?.text).not.toContain('企业走访时提出');
    expect(overdueTexts('危废台账补登')[0]?.text).toContain('联络员会与您联系');
    for (const { itemId } of [explained, silent]) {
      const kinds = (await messagesAbout(`ledger:${itemId}`)).map((m) => m.kind);
      expect(kinds.filter((k) => k === 'item-overdue')).toHaveLength(1);
    }
  });
});
