import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { beforeAll, describe, expect, it } from 'vitest';
import { claimsFor } from '../support/events.ts';
import { putStaff, staffCaller } from '../support/staff-api.ts';
import { type Handler, useFunctions } from '../support/table.ts';
import { randomUscc } from '../support/uscc.ts';

let staffFn: Handler;
let doc: DynamoDBDocumentClient;
let tableName: string;

const lead = claimsFor('lead.wuzhong', 'lead', '320506');
const liaison = claimsFor('liaison.wuzhong', 'liaison', '320506');
const otherLiaison = claimsFor('liaison.other', 'liaison', '320506');

beforeAll(async () => {
  ({ tableName, doc, staffFn } = await useFunctions());
  await putStaff(doc, tableName, [
    ['liaison.wuzhong', 'liaison', '320506'],
    ['liaison.other', 'liaison', '320506'],
    ['liaison.xiangcheng', 'liaison', '320507'],
  ]);
});

const call = staffCaller(() => staffFn);

const newFirm = async () => {
  const uscc = randomUscc();
  const res = await call('POST', '/api/staff/enterprises', lead, {
    uscc,
    name: '结对测试企业',
    county: '320506',
    address: '吴中区',
    industry: '印染',
    size: 'small',
    tier: 'county',
    contacts: [],
  });
  expect(res.status).toBe(201);
  return uscc;
};

const pair = (uscc: string, by = 'liaison.wuzhong') =>
  call('POST', '/api/staff/pairings', lead, { uscc, liaison: by, serviceYear: 2026, startsOn: '2026-01-01' });

describe('pairings', () => {
  it('keeps one active pairing per firm per service year, even under concurrency', async () => {
    const uscc = await newFirm();
    const results = await Promise.all(Array.from({ length: 5 }, () => pair(uscc)));
    expect(results.filter((r) => r.status === 201)).toHaveLength(1);
    expect(results.filter((r) => r.status === 409).map((r) => r.json.error.code)).toEqual(
      Array(4).fill('ALREADY_PAIRED'),
    );
  });

  it('accepts only a liaison of the firm’s county', async () => {
    const uscc = await newFirm();
    const res = await pair(uscc, 'liaison.xiangcheng');
    expect(res.status).toBe(400);
    expect(res.json.error.fields).toHaveProperty('liaison');
    expect((await pair(uscc, 'lead.wuzhong')).status).toBe(400);
  });

  it('reassigns: the old pairing ends and points to the new one, history stays', async () => {
    const uscc = await newFirm();
    const first = (await pair(uscc)).json.pairing;
    const res = await call('POST', `/api/staff/pairings/${first.pairingId}/reassign`, lead, {
      liaison: 'liaison.other',
    });
    expect(res.status).toBe(200);
    expect(res.json.ended).toMatchObject({ status: 'ended', replacedBy: res.json.pairing.pairingId });
    expect(res.json.pairing).toMatchObject({ liaison: 'liaison.other', status: 'active', uscc });
    expect((await pair(uscc)).json.error.code).toBe('ALREADY_PAIRED');
    const mine = await call('GET', '/api/staff/pairings?serviceYear=2026', otherLiaison);
    expect(mine.json.pairings.map((p: { pairingId: string }) => p.pairingId)).toContain(res.json.pairing.pairingId);
    // A liaison sees only its own pairings, with or without a year, whatever it asks for.
    const all = await call('GET', '/api/staff/pairings?liaison=liaison.wuzhong', otherLiaison);
    expect(all.status).toBe(200);
    expect(all.json.pairings.every((p: { liaison: string }) => p.liaison === 'liaison.other')).toBe(true);
  });

  it('pauses, resumes and ends; an ended pairing frees the firm and refuses further moves', async () => {
    const uscc = await newFirm();
    const id = (await pair(uscc)).json.pairing.pairingId;
    expect((await call('POST', `/api/staff/pairings/${id}/pause`, lead)).json.pairing.status).toBe('paused');
    expect((await call('POST', `/api/staff/pairings/${id}/pause`, lead)).json.error.code).toBe('INVALID_TRANSITION');
    expect((await call('POST', `/api/staff/pairings/${id}/resume`, lead)).json.pairing.status).toBe('active');
    expect((await call('POST', `/api/staff/pairings/${id}/end`, lead)).json.pairing.status).toBe('ended');
    expect((await call('POST', `/api/staff/pairings/${id}/resume`, lead)).json.error.code).toBe('INVALID_TRANSITION');
    expect((await pair(uscc)).status).toBe(201);
  });
});

describe('contacts', () => {
  it('logs a visit by the pairing’s liaison, warns about another contact in the 7 days before', async () => {
    const uscc = await newFirm();
    const id = (await pair(uscc)).json.pairing.pairingId;
    const log = (at: string, mode: string, claims = liaison) =>
      call('POST', `/api/staff/pairings/${id}/contacts`, claims, {
        at,
        mode,
        participants: ['王工'],
        summary: '走访了解排污许可执行情况',
      });
    const first = await log('2026-10-10T10:00:00+08:00', 'visit');
    expect(first.status).toBe(201);
    expect(first.json.warnings).toEqual([]);
    const second = await log('2026-10-15T15:00:00+08:00', 'phone', lead);
    expect(second.json.warnings).toHaveLength(1);
    expect(second.json.warnings[0]).toMatchObject({ code: 'REPEATED_VISIT', at: '2026-10-10T10:00:00+08:00' });
    const third = await log('2026-10-31T23:30:00+08:00', 'video');
    expect(third.json.warnings).toEqual([]);
    const list = await call('GET', `/api/staff/pairings/${id}/contacts`, lead);
    expect(list.json.contacts.map((c: { at: string }) => c.at)).toEqual([
      '2026-10-31T23:30:00+08:00',
      '2026-10-15T15:00:00+08:00',
      '2026-10-10T10:00:00+08:00',
    ]);
    const pairing = (await call('GET', '/api/staff/pairings?county=320506', lead)).json.pairings.find(
      (p: { pairingId: string }) => p.pairingId === id,
    );
    // The phone call is the last contact but not a qualifying one; the video call is both.
    expect(pairing).toMatchObject({
      lastContactAt: '2026-10-31T23:30:00+08:00',
      lastQualifyingContactAt: '2026-10-31T23:30:00+08:00',
    });
  });

  it('counts the modes the province chose for the monthly rule (QUALIFYING_MODES)', async () => {
    const id = (await pair(await newFirm())).json.pairing.pairingId;
    const log = (at: string, mode: string) =>
      call('POST', `/api/staff/pairings/${id}/contacts`, liaison, {
        at,
        mode,
        participants: ['王工'],
        summary: '座谈会了解企业诉求',
      });
    // By default a meeting does not count; this province counts meetings too.
    await log('2026-09-10T10:00:00+08:00', 'meeting');
    process.env.QUALIFYING_MODES = 'visit,video,meeting';
    try {
      await log('2026-10-10T10:00:00+08:00', 'meeting');
    } finally {
      delete process.env.QUALIFYING_MODES;
    }
    const pairing = (await call('GET', '/api/staff/pairings?county=320506', lead)).json.pairings.find(
      (p: { pairingId: string }) => p.pairingId === id,
    );
    expect(pairing.qualifyingMonths).toEqual(['2026-10']);
    expect(pairing.lastQualifyingContactAt).toBe('2026-10-10T10:00:00+08:00');
  });

  it('refuses a future time (400), another liaison (403), and an ended pairing (409)', async () => {
    const uscc = await newFirm();
    const id = (await pair(uscc)).json.pairing.pairingId;
    const body = (at: string) => ({ at, mode: 'visit', participants: ['x'], summary: '走访记录内容' });
    const future = new Date(Date.now() + 3600_000).toISOString();
    const res = await call('POST', `/api/staff/pairings/${id}/contacts`, liaison, body(future));
    expect(res.status).toBe(400);
    expect(res.json.error.fields).toHaveProperty('at');
    const other = await call(
      'POST',
      `/api/staff/pairings/${id}/contacts`,
      otherLiaison,
      body('2026-11-01T10:00:00+08:00'),
    );
    expect(other.status).toBe(403);
    await call('POST', `/api/staff/pairings/${id}/end`, lead);
    const ended = await call('POST', `/api/staff/pairings/${id}/contacts`, liaison, body('2026-11-01T10:00:00+08:00'));
    expect(ended.json.error.code).toBe('INVALID_TRANSITION');
  });
});
