import { PutCommand } from '@aws-sdk/lib-dynamodb';
import { beforeAll, describe, expect, it } from 'vitest';
import { userItem } from '../../shared/staff-user.ts';
import { claimsFor, httpEvent, invoke } from '../support/events.ts';
import { type Handler, useFunctions } from '../support/table.ts';
import { randomUscc } from '../support/uscc.ts';

// 联系领导 (issue 19): each paired firm has a named contact leader beside its liaison, a lead whose
// jurisdiction holds the firm's county; the province's submission list carries the name.
let staffFn: Handler;

const lead = claimsFor('cl.lead.wuzhong', 'lead', '320506');
const ACCOUNTS = [
  { username: 'cl.liaison.wuzhong', role: 'liaison', jurisdiction: '320506', mobile: '13700001111' },
  { username: 'cl.liaison.other', role: 'liaison', jurisdiction: '320506' },
  { username: 'cl.lead.wuzhong', role: 'lead', jurisdiction: '320506' },
  { username: 'cl.lead.suzhou', role: 'lead', jurisdiction: '320500', displayName: '苏州市联系领导' },
  { username: 'cl.lead.xiangcheng', role: 'lead', jurisdiction: '320507' },
  { username: 'cl.lead.gone', role: 'lead', jurisdiction: '320500', enabled: false },
] as const;

beforeAll(async () => {
  const functions = await useFunctions();
  staffFn = functions.staffFn;
  const at = new Date().toISOString();
  for (const account of ACCOUNTS) {
    const user = { displayName: account.username, email: `${account.username}@x.test`, ...account };
    await functions.doc.send(
      new PutCommand({ TableName: functions.tableName, Item: userItem(user, { version: 1, at }) }),
    );
  }
});

const call = (method: string, path: string, body?: unknown) =>
  invoke(
    staffFn,
    httpEvent(method, path, { claims: lead, ...(body === undefined ? {} : { body: JSON.stringify(body) }) }),
  );

const newFirm = async (types: string[] = []) => {
  const uscc = randomUscc();
  const made = await call('POST', '/api/staff/enterprises', {
    uscc,
    name: `联系领导测试企业${uscc.slice(-4)}`,
    county: '320506',
    address: '吴中区',
    industry: '印染',
    size: 'medium',
    tier: 'county',
    contacts: [],
    types,
  });
  expect(made.status).toBe(201);
  return uscc;
};

const pair = (uscc: string, extra: Record<string, unknown> = {}) =>
  call('POST', '/api/staff/pairings', {
    uscc,
    liaison: 'cl.liaison.wuzhong',
    serviceYear: 2031,
    startsOn: '2031-01-01',
    ...extra,
  });

describe('contact leaders', () => {
  it('names a lead whose jurisdiction holds the county, and refuses anyone else the same way', async () => {
    // Prepare
    const firms = await Promise.all(Array.from({ length: 6 }, () => newFirm()));
    // Act
    const answers = await Promise.all(
      [
        'cl.lead.wuzhong', // the county's own lead
        'cl.lead.suzhou', // its city's lead
        'cl.lead.xiangcheng', // a lead of another county
        'cl.liaison.wuzhong', // not a lead
        'cl.lead.gone', // a disabled lead
        'nobody.at.all', // no account
      ].map((contactLeader, i) => pair(firms[i] as string, { contactLeader })),
    );
    // Assess
    expect(answers.map((a) => a.status)).toEqual([201, 201, 400, 400, 400, 400]);
    expect(answers[1]?.json.pairing.contactLeader).toBe('cl.lead.suzhou');
    const refusals = answers.slice(2).map((a) => a.json.error.fields.contactLeader);
    expect(new Set(refusals).size).toBe(1);
  });

  it('sets and clears the contact leader at the version read, audited, and keeps it on reassignment', async () => {
    // Prepare
    const made = await pair(await newFirm());
    const { pairingId, version } = made.json.pairing;
    // Act
    const named = await call('POST', `/api/staff/pairings/${pairingId}/contact-leader`, {
      contactLeader: 'cl.lead.suzhou',
      version,
    });
    const stale = await call('POST', `/api/staff/pairings/${pairingId}/contact-leader`, {
      contactLeader: null,
      version,
    });
    const wrong = await call('POST', `/api/staff/pairings/${pairingId}/contact-leader`, {
      contactLeader: 'cl.lead.xiangcheng',
      version: named.json.pairing.version,
    });
    // Assess
    expect(named.status).toBe(200);
    expect(named.json.pairing.contactLeader).toBe('cl.lead.suzhou');
    expect(stale.status).toBe(409);
    expect(stale.json.error.code).toBe('VERSION_CONFLICT');
    expect(wrong.status).toBe(400);
    const audit = await call('GET', `/api/staff/audit?entity=${encodeURIComponent(`pairing:${pairingId}`)}`);
    expect(JSON.stringify(audit.json)).toContain('pairing.contactLeader');
    // Act: a new liaison for the firm
    const moved = await call('POST', `/api/staff/pairings/${pairingId}/reassign`, { liaison: 'cl.liaison.other' });
    // Assess: the firm keeps its contact leader
    expect(moved.status).toBe(200);
    expect(moved.json.pairing.contactLeader).toBe('cl.lead.suzhou');
  });

  it('lists the contact leader, the liaison’s mobile, the firm’s size and its types in Chinese in the submission export', async () => {
    // Prepare
    const uscc = await newFirm(['eagle_action', 'key_discharger']);
    expect((await pair(uscc, { contactLeader: 'cl.lead.suzhou' })).status).toBe(201);
    // Act
    const exported = await call('GET', '/api/staff/pairings/export?format=csv&serviceYear=2031');
    // Assess
    expect(exported.status).toBe(200);
    const lines = exported.text.replace(/^\uFEFF/, '').split('\r\n');
    const header = (lines[0] ?? '').split(',');
    const row = (lines.find((line) => line.includes(uscc)) ?? '').split(',');
    const cell = (name: string) => row[header.indexOf(name)];
    expect(cell('联系领导')).toBe('苏州市联系领导');
    expect(cell('联络员手机')).toBe('13700001111');
    expect(cell('企业规模')).toBe('中型');
    expect(cell('企业类型')).toBe('重点排污单位、雄鹰行动');
  });
});
