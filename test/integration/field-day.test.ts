import { type DynamoDBDocumentClient, PutCommand } from '@aws-sdk/lib-dynamodb';
import { beforeAll, describe, expect, it } from 'vitest';
import { keys } from '../../shared/keys.ts';
import { claimsFor, httpEvent, invoke } from '../support/events.ts';
import { type Handler, useFunctions } from '../support/table.ts';
import { randomUscc } from '../support/uscc.ts';

// The liaison's field day (issue 20), through the staff function against DynamoDB Local: what the
// to-do card and the contact form read before a visit (the last contact in short, the firm's
// contacts of the last 7 days), a ledger item raised from a contact, and a contact sent twice by a
// phone that lost its signal.
let staffFn: Handler;
let doc: DynamoDBDocumentClient;
let tableName: string;

const lead = claimsFor('lead.wuzhong', 'lead', '320506');
const liaison = claimsFor('liaison.fd1', 'liaison', '320506');
const otherLiaison = claimsFor('liaison.fd2', 'liaison', '320506');

beforeAll(async () => {
  ({ tableName, doc, staffFn } = await useFunctions());
  for (const username of ['liaison.fd1', 'liaison.fd2']) {
    await doc.send(
      new PutCommand({
        TableName: tableName,
        Item: {
          ...keys.user(username),
          username,
          displayName: username,
          email: `${username}@x.test`,
          role: 'liaison',
          jurisdiction: '320506',
        },
      }),
    );
  }
});

const call = (
  method: string,
  path: string,
  claims: Record<string, unknown>,
  body?: unknown,
  headers?: Record<string, string>,
) =>
  invoke(
    staffFn,
    httpEvent(method, path, {
      claims,
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
      ...(headers ? { headers } : {}),
    }),
  );

const newPairing = async (by = 'liaison.fd1') => {
  const uscc = randomUscc();
  const firm = await call('POST', '/api/staff/enterprises', lead, {
    uscc,
    name: '外勤测试企业',
    county: '320506',
    address: '吴中区木渎镇金枫南路 8 号',
    industry: '印染',
    size: 'small',
    tier: 'county',
    contacts: [{ name: '王经理', mobile: '13812345678' }],
  });
  expect(firm.status).toBe(201);
  const res = await call('POST', '/api/staff/pairings', lead, {
    uscc,
    liaison: by,
    serviceYear: 2026,
    startsOn: '2026-01-01',
  });
  expect(res.status).toBe(201);
  return { uscc, id: res.json.pairing.pairingId as string };
};

const minutesAgo = (n: number) => new Date(Date.now() - n * 60_000).toISOString();
const daysAgo = (n: number) => new Date(Date.now() - n * 86_400_000).toISOString();

const contact = (at: string, mode = 'visit', summary = '走访了解排污许可执行情况') => ({
  at,
  mode,
  participants: ['王经理'],
  summary,
});

const pairingOf = async (id: string) =>
  (await call('GET', '/api/staff/pairings?county=320506', lead)).json.pairings.find(
    (p: { pairingId: string }) => p.pairingId === id,
  );

describe('what the liaison reads before a visit', () => {
  it('the pairing carries its newest contact in short, not an older one logged later', async () => {
    // Prepare
    const { id } = await newPairing();
    const long = `废水处理设施运行正常，${'台账记录完整。'.repeat(60)}`;
    // Act
    const first = await call('POST', `/api/staff/pairings/${id}/contacts`, liaison, contact(daysAgo(3), 'visit', long));
    await call('POST', `/api/staff/pairings/${id}/contacts`, liaison, contact(daysAgo(10), 'phone', '更早的电话'));
    // Assess
    const pairing = await pairingOf(id);
    expect(pairing.lastContact).toMatchObject({ contactId: first.json.contact.contactId, mode: 'visit' });
    expect([...pairing.lastContact.summary]).toHaveLength(280);
    expect(long.startsWith(pairing.lastContact.summary)).toBe(true);
  });

  it('answers the firm’s contacts of the 7 days before a time, before anything is saved', async () => {
    // Prepare: the liaison's own visit two days ago, a lead's call on another pairing's record
    const { id, uscc } = await newPairing();
    const own = await call('POST', `/api/staff/pairings/${id}/contacts`, liaison, contact(daysAgo(2)));
    const old = await call('POST', `/api/staff/pairings/${id}/contacts`, liaison, contact(daysAgo(9), 'phone'));
    const byLead = await call('POST', `/api/staff/pairings/${id}/contacts`, lead, contact(minutesAgo(30), 'phone'));
    expect([own.status, old.status, byLead.status]).toEqual([201, 201, 201]);
    // Act
    const now = await call('GET', `/api/staff/pairings/${id}/recent-contacts`, liaison);
    const before = await call(
      'GET',
      `/api/staff/pairings/${id}/recent-contacts?at=${encodeURIComponent(daysAgo(6))}`,
      liaison,
    );
    // Assess: the same window saving would warn about; the liaison's own visit says so
    expect(now.status).toBe(200);
    expect(now.json.contacts).toEqual([
      { contactId: byLead.json.contact.contactId, at: byLead.json.contact.at, mode: 'phone', mine: false },
      { contactId: own.json.contact.contactId, at: own.json.contact.at, mode: 'visit', mine: true },
    ]);
    expect(before.json.contacts.map((c: { contactId: string }) => c.contactId)).toEqual([old.json.contact.contactId]);
    const saved = await call('POST', `/api/staff/pairings/${id}/contacts`, liaison, contact(minutesAgo(1)));
    expect(saved.json.warnings.map((w: { contactId: string }) => w.contactId).sort()).toEqual(
      now.json.contacts.map((c: { contactId: string }) => c.contactId).sort(),
    );
    expect(uscc).toBeTruthy();
  });

  it('refuses the warning to a liaison of another pairing, and a malformed time', async () => {
    // Prepare
    const { id } = await newPairing();
    // Act
    const other = await call('GET', `/api/staff/pairings/${id}/recent-contacts`, otherLiaison);
    const malformed = await call('GET', `/api/staff/pairings/${id}/recent-contacts?at=yesterday`, liaison);
    // Assess
    expect(other.status).toBe(403);
    expect(malformed.status).toBe(400);
  });
});

describe('a ledger item raised from a contact', () => {
  const item = (uscc: string, sourceRef: string) => ({
    uscc,
    title: '危废暂存间标识不全',
    detail: '走访发现危废暂存间缺少标识牌，需补齐。',
    source: 'contact',
    severity: 'medium',
    dueOn: '2027-01-15',
    ownerDepartment: '执法大队',
    sourceRef,
  });

  it('links to the contact it came from, and only to a contact with that firm', async () => {
    // Prepare: two firms of the same liaison, a contact with each
    const a = await newPairing();
    const b = await newPairing();
    const withA = (await call('POST', `/api/staff/pairings/${a.id}/contacts`, liaison, contact(minutesAgo(5)))).json
      .contact.contactId as string;
    const withB = (await call('POST', `/api/staff/pairings/${b.id}/contacts`, liaison, contact(minutesAgo(5)))).json
      .contact.contactId as string;
    // Act
    const linked = await call('POST', '/api/staff/ledger-items', liaison, item(a.uscc, `${a.id}/${withA}`));
    const otherFirms = await call('POST', '/api/staff/ledger-items', liaison, item(a.uscc, `${b.id}/${withB}`));
    const mixed = await call('POST', '/api/staff/ledger-items', liaison, item(a.uscc, `${a.id}/${withB}`));
    const loose = await call('POST', '/api/staff/ledger-items', liaison, item(a.uscc, 'visit of last week'));
    // Assess
    expect(linked.status).toBe(201);
    expect(linked.json.item).toMatchObject({ uscc: a.uscc, source: 'contact', sourceRef: `${a.id}/${withA}` });
    for (const refused of [otherFirms, mixed, loose]) {
      expect(refused.status).toBe(400);
      expect(refused.json.error.fields).toHaveProperty('sourceRef');
    }
  });
});
