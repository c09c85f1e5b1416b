import { type DynamoDBDocumentClient, PutCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { beforeAll, describe, expect, it } from 'vitest';
import { keys } from '../../shared/keys.ts';
import type { claimsFor } from '../support/events.ts';
import { staffCaller, suzhouStaff } from '../support/staff-api.ts';
import { type Handler, useFunctions } from '../support/table.ts';
import { distinctUsccs } from '../support/uscc.ts';

// Rule 8 and rule 13 at the edges of scope: a mentor firm must be a firm inside the caller's scope
// (else it reads as unregistered), and a jurisdiction code taken as input must be a real code the
// service knows, not merely six digits inside the caller's prefix.

let staffFn: Handler;
let doc: DynamoDBDocumentClient;
let tableName: string;

const { admin, leadCity: leadSuzhou, lead: leadWuzhong } = suzhouStaff;
type Claims = ReturnType<typeof claimsFor>;

const call = staffCaller(() => staffFn);

const [wuzhongFirm, wuzhongMentor, jiangyinFirm, unregistered] = distinctUsccs(4) as [string, string, string, string];
const JIANGYIN_NAME = '江阴帮扶骨干企业有限公司';

const firm = (uscc: string, name: string, county: string) => ({
  uscc,
  name,
  county,
  address: '测试地址 1 号',
  industry: '印染',
  size: 'small',
  tier: 'county',
  contacts: [],
});

beforeAll(async () => {
  ({ staffFn, doc, tableName } = await useFunctions());
  await doc.send(
    new PutCommand({
      TableName: tableName,
      Item: {
        ...keys.user('liaison.wuzhong'),
        username: 'liaison.wuzhong',
        displayName: '吴中联络员',
        email: 'l@x.test',
        role: 'liaison',
        jurisdiction: '320506',
      },
    }),
  );
  for (const [uscc, name, county] of [
    [wuzhongFirm, '吴中被帮扶企业有限公司', '320506'],
    [wuzhongMentor, '吴中帮扶骨干企业有限公司', '320506'],
    [jiangyinFirm, JIANGYIN_NAME, '320281'],
  ] as const) {
    expect((await call('POST', '/api/staff/enterprises', admin, firm(uscc, name, county))).status).toBe(201);
  }
});

const pairing = (mentorUscc: string, serviceYear = 2026) => ({
  uscc: wuzhongFirm,
  liaison: 'liaison.wuzhong',
  serviceYear,
  startsOn: `${serviceYear}-01-01`,
  mentorUscc,
});

describe('a pairing’s mentor firm lies inside the caller’s scope (rule 8)', () => {
  it('answers a mentor outside the scope exactly as an unregistered one, and stores nothing', async () => {
    // Act
    const outside = await call('POST', '/api/staff/pairings', leadWuzhong, pairing(jiangyinFirm));
    const missing = await call('POST', '/api/staff/pairings', leadWuzhong, pairing(unregistered));
    const itself = await call('POST', '/api/staff/pairings', leadWuzhong, pairing(wuzhongFirm));
    // Assess: the same 400 on the same field, word for word; nothing paired
    expect(outside.status).toBe(400);
    expect(outside.json).toEqual(missing.json);
    expect(outside.json.error).toMatchObject({ code: 'VALIDATION_FAILED', fields: { mentorUscc: expect.any(String) } });
    expect(itself.status).toBe(400);
    expect(Object.keys(itself.json.error.fields)).toEqual(['mentorUscc']);
    const listed = await call('GET', '/api/staff/pairings?serviceYear=2026', leadWuzhong);
    expect(listed.json.pairings).toEqual([]);
    // A mentor inside the scope is accepted.
    const inside = await call('POST', '/api/staff/pairings', leadWuzhong, pairing(wuzhongMentor));
    expect(inside.status, JSON.stringify(inside.json)).toBe(201);
    expect(inside.json.pairing.mentorUscc).toBe(wuzhongMentor);
  });

  it('exports a mentor’s name only to a caller whose scope holds the mentor', async () => {
    // Prepare: the province pairs a Wuzhong firm with a Jiangyin mentor (both in its scope).
    const made = await call('POST', '/api/staff/pairings', admin, pairing(jiangyinFirm, 2027));
    expect(made.status, JSON.stringify(made.json)).toBe(201);
    // Act
    const theirs = await call('GET', '/api/staff/pairings/export?format=csv&serviceYear=2027', admin);
    const wuzhong = await call('GET', '/api/staff/pairings/export?format=csv&serviceYear=2027', leadWuzhong);
    // Assess: the province sees the name; Wuzhong sees the pairing, the mentor as a code only.
    expect(theirs.status).toBe(200);
    expect(theirs.text).toContain(JIANGYIN_NAME);
    expect(wuzhong.status).toBe(200);
    expect(wuzhong.text).toContain(wuzhongFirm);
    expect(wuzhong.text).toContain(jiangyinFirm);
    expect(wuzhong.text).not.toContain(JIANGYIN_NAME);
  });

  it('exports a mentor under the name readers see: a committed import’s rename, not the record it replaces', async () => {
    // Prepare: a pairing with a Wuzhong mentor, then an import that renamed the mentor and committed
    // but had not applied the change yet (its run stopped in between): readers see the new name.
    const [firmUscc, mentorUscc] = distinctUsccs(2) as [string, string];
    expect(
      (await call('POST', '/api/staff/enterprises', admin, firm(firmUscc, '吴中被帮扶二号企业有限公司', '320506')))
        .status,
    ).toBe(201);
    expect(
      (await call('POST', '/api/staff/enterprises', admin, firm(mentorUscc, '吴中旧名帮扶企业有限公司', '320506')))
        .status,
    ).toBe(201);
    const made = await call('POST', '/api/staff/pairings', leadWuzhong, { ...pairing(mentorUscc), uscc: firmUscc });
    expect(made.status, JSON.stringify(made.json)).toBe(201);
    const before = (await call('GET', `/api/staff/enterprises/${mentorUscc}`, leadWuzhong)).json.enterprise;
    const importId = `import-${mentorUscc}`;
    const token = 'run-1';
    await doc.send(
      new UpdateCommand({
        TableName: tableName,
        Key: keys.enterprise(mentorUscc),
        UpdateExpression: 'SET staged = :staged',
        ExpressionAttributeValues: {
          ':staged': {
            importId,
            token,
            record: { ...before, name: '吴中新名帮扶企业有限公司', version: before.version + 1 },
            action: 'enterprise.import.update',
            actor: 'lead.wuzhong',
            role: 'lead',
          },
        },
      }),
    );
    await doc.send(
      new PutCommand({
        TableName: tableName,
        Item: {
          ...keys.enterpriseImport(importId),
          type: 'enterpriseImport',
          importId,
          token,
          state: 'committed',
          leaseUntil: new Date().toISOString(),
          at: new Date().toISOString(),
        },
      }),
    );
    const seen = await call('GET', `/api/staff/enterprises/${mentorUscc}`, leadWuzhong);
    expect(seen.json.enterprise.name).toBe('吴中新名帮扶企业有限公司');

    // Act
    const exported = await call('GET', '/api/staff/pairings/export?format=csv&serviceYear=2026', leadWuzhong);

    // Assess: the export names the mentor as every other reader does.
    expect(exported.status).toBe(200);
    expect(exported.text).toContain('吴中新名帮扶企业有限公司');
    expect(exported.text).not.toContain('吴中旧名帮扶企业有限公司');
  });
});

describe('a jurisdiction code taken as input is a code the service knows', () => {
  // 320599 is six digits inside Suzhou's prefix (3205) but no county; 329999 inside Jiangsu's.
  const cases: { what: string; claims: Claims; method: string; path: string; body?: unknown; field: string }[] = [
    {
      what: 'a staff account',
      claims: leadSuzhou,
      method: 'POST',
      path: '/api/staff/users',
      body: { username: 'ghost.user', displayName: '幽灵', email: 'g@x.test', role: 'lead', jurisdiction: '320599' },
      field: 'jurisdiction',
    },
    {
      what: 'an admin’s staff account',
      claims: admin,
      method: 'POST',
      path: '/api/staff/users',
      body: { username: 'ghost.two', displayName: '幽灵', email: 'g2@x.test', role: 'lead', jurisdiction: '329999' },
      field: 'jurisdiction',
    },
    {
      what: 'a robot read',
      claims: leadSuzhou,
      method: 'GET',
      path: '/api/staff/webhooks/320599',
      field: 'jurisdiction',
    },
    {
      what: 'a robot write',
      claims: leadSuzhou,
      method: 'PUT',
      path: '/api/staff/webhooks/320599',
      body: {},
      field: 'jurisdiction',
    },
    {
      what: 'a consultation day',
      claims: leadSuzhou,
      method: 'POST',
      path: '/api/staff/consultation-days',
      body: {
        date: '2030-01-10',
        jurisdiction: '320599',
        venue: '某地',
        mode: 'onsite',
        topics: ['排污许可'],
        slots: [{ startsAt: '2030-01-10T09:00:00+08:00', endsAt: '2030-01-10T10:00:00+08:00', capacity: 5 }],
      },
      field: 'jurisdiction',
    },
    {
      what: 'compliance',
      claims: leadSuzhou,
      method: 'GET',
      path: '/api/staff/compliance?jurisdiction=320599',
      field: 'jurisdiction',
    },
    {
      what: 'nudges',
      claims: leadSuzhou,
      method: 'GET',
      path: '/api/staff/nudges?month=2026-11&county=320599',
      field: 'county',
    },
    {
      what: 'ledger stats',
      claims: leadSuzhou,
      method: 'GET',
      path: '/api/staff/ledger-stats?jurisdiction=320599',
      field: 'jurisdiction',
    },
    {
      what: 'ledger list',
      claims: leadSuzhou,
      method: 'GET',
      path: '/api/staff/ledger-items?county=320599',
      field: 'county',
    },
    {
      what: 'an enterprise',
      claims: leadSuzhou,
      method: 'POST',
      path: '/api/staff/enterprises',
      body: firm(unregistered, '幽灵县企业', '320599'),
      field: 'county',
    },
    {
      what: 'moving an enterprise',
      claims: admin,
      method: 'PATCH',
      path: `/api/staff/enterprises/${wuzhongMentor}`,
      body: { version: 1, county: '329999' },
      field: 'county',
    },
    {
      what: 'the roster',
      claims: leadSuzhou,
      method: 'GET',
      path: '/api/staff/enterprises?county=320599',
      field: 'county',
    },
    { what: 'pairings', claims: leadSuzhou, method: 'GET', path: '/api/staff/pairings?county=320599', field: 'county' },
    {
      what: 'the pairings export',
      claims: leadSuzhou,
      method: 'GET',
      path: '/api/staff/pairings/export?county=320599',
      field: 'county',
    },
  ];

  it('refuses an unknown code inside the caller’s prefix with 400 on the field, wherever it is taken', async () => {
    for (const c of cases) {
      const res = await call(c.method, c.path, c.claims, c.body);
      expect(res.status, `${c.what}: ${res.status} ${res.text}`).toBe(400);
      expect(res.json.error.code).toBe('VALIDATION_FAILED');
      expect(Object.keys(res.json.error.fields), c.what).toContain(c.field);
    }
  });

  it('still takes a known code inside the scope', async () => {
    expect((await call('GET', '/api/staff/compliance?jurisdiction=320506', leadSuzhou)).status).toBe(200);
    expect((await call('GET', '/api/staff/enterprises?county=320507', leadSuzhou)).status).toBe(200);
    expect((await call('GET', '/api/staff/webhooks/320500', leadSuzhou)).status).not.toBe(400);
  });
});
