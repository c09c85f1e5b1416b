import { BatchGetCommand, DeleteCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { withNames } from '../../functions/lib/accounts/names.ts';
import { keys } from '../../shared/keys.ts';
import { userItem } from '../../shared/staff-user.ts';
import { shanghaiDate } from '../../shared/time.ts';
import { claimsFor, httpEvent, invoke } from '../support/events.ts';
import { type Handler, useFunctions, watchTableCommands } from '../support/table.ts';
import { randomUscc } from '../support/uscc.ts';

// Issue 18: the server's answers carry each person's display name beside the username, so a page
// never needs the staff list (which a liaison may not read) to show who someone is. A name missing,
// or an account deleted since, answers the username.
let staffFn: Handler;
let functions: Awaited<ReturnType<typeof useFunctions>>;

const COUNTY = '320506';
const ACCOUNTS = [
  { username: 'nm.lead', role: 'lead', displayName: '吴中名称组长' },
  { username: 'nm.liaison', role: 'liaison', displayName: '联络员甲' },
  { username: 'nm.colleague', role: 'liaison', displayName: '联络员乙' },
  { username: 'nm.gone', role: 'liaison', displayName: '将离职的联络员' },
  { username: 'nm.nameless', role: 'liaison', displayName: '' },
] as const;

const claims = (username: (typeof ACCOUNTS)[number]['username']) =>
  claimsFor(username, ACCOUNTS.find((a) => a.username === username)?.role ?? 'liaison', COUNTY);

const call = (username: (typeof ACCOUNTS)[number]['username'], method: string, path: string, body?: unknown) =>
  invoke(
    staffFn,
    httpEvent(method, path, {
      claims: claims(username),
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    }),
  );

const today = shanghaiDate(new Date());
const year = Number(today.slice(0, 4));
const monthStart = `${today.slice(0, 7)}-01`;

/** A firm of the county paired with a liaison since the month's start, the lead named beside it. */
const pairedFirm = async (liaison: string) => {
  const uscc = randomUscc();
  const made = await call('nm.lead', 'POST', '/api/staff/enterprises', {
    uscc,
    name: `名称测试企业${uscc.slice(-4)}`,
    county: COUNTY,
    address: '吴中区',
    industry: '印染',
    size: 'small',
    tier: 'county',
    contacts: [],
  });
  expect(made.status, JSON.stringify(made.json)).toBe(201);
  const paired = await call('nm.lead', 'POST', '/api/staff/pairings', {
    uscc,
    liaison,
    serviceYear: year,
    startsOn: monthStart,
    contactLeader: 'nm.lead',
  });
  expect(paired.status, JSON.stringify(paired.json)).toBe(201);
  return { uscc, pairingId: String(paired.json.pairing.pairingId) };
};

let mine: { uscc: string; pairingId: string };
let goneFirm: { uscc: string; pairingId: string };
let namelessFirm: { uscc: string; pairingId: string };

beforeAll(async () => {
  functions = await useFunctions();
  staffFn = functions.staffFn;
  const at = new Date().toISOString();
  for (const account of ACCOUNTS) {
    const user = { email: `${account.username}@x.test`, jurisdiction: COUNTY, ...account };
    await functions.doc.send(
      new PutCommand({ TableName: functions.tableName, Item: userItem(user, { version: 1, at }) }),
    );
  }
  [mine, goneFirm, namelessFirm] = await Promise.all([
    pairedFirm('nm.liaison'),
    pairedFirm('nm.gone'),
    pairedFirm('nm.nameless'),
  ]);
  // The account is deleted after its pairing was made: its records still name it.
  await functions.doc.send(new DeleteCommand({ TableName: functions.tableName, Key: keys.user('nm.gone') }));
});

describe('answers name people (issue 18)', () => {
  it("gives a liaison, who cannot read the staff list, its pairing's people by name", async () => {
    // Prepare: the staff list is closed to a liaison (the reason names travel with the answers).
    expect((await call('nm.liaison', 'GET', '/api/staff/users')).status).toBe(403);
    // Act
    const answer = await call('nm.liaison', 'GET', '/api/staff/pairings');
    // Assess
    expect(answer.status).toBe(200);
    const pairing = answer.json.pairings.find((p: { pairingId: string }) => p.pairingId === mine.pairingId);
    expect(pairing).toMatchObject({
      liaison: 'nm.liaison',
      liaisonName: '联络员甲',
      contactLeader: 'nm.lead',
      contactLeaderName: '吴中名称组长',
    });
  });

  it('answers the username for a deleted account and for one without a name', async () => {
    // Act
    const answer = await call('nm.lead', 'GET', `/api/staff/pairings?county=${COUNTY}&serviceYear=${year}`);
    // Assess
    expect(answer.status).toBe(200);
    const byId = new Map(answer.json.pairings.map((p: { pairingId: string }) => [p.pairingId, p]));
    expect(byId.get(goneFirm.pairingId)).toMatchObject({ liaison: 'nm.gone', liaisonName: 'nm.gone' });
    expect(byId.get(namelessFirm.pairingId)).toMatchObject({ liaison: 'nm.nameless', liaisonName: 'nm.nameless' });
    expect(byId.get(mine.pairingId)).toMatchObject({ liaisonName: '联络员甲' });
  });

  it("names a contact's liaison and writer in its answer, the pairing's list and the firm's timeline", async () => {
    // Prepare
    const logged = await call('nm.lead', 'POST', `/api/staff/pairings/${mine.pairingId}/contacts`, {
      at: new Date(Date.now() - 60_000).toISOString(),
      mode: 'visit',
      participants: ['厂长'],
      summary: '检查废水排放口标识',
    });
    // Act
    const [list, timeline] = await Promise.all([
      call('nm.liaison', 'GET', `/api/staff/pairings/${mine.pairingId}/contacts`),
      call('nm.liaison', 'GET', `/api/staff/enterprises/${mine.uscc}/timeline`),
    ]);
    // Assess
    expect(logged.status, JSON.stringify(logged.json)).toBe(201);
    expect(logged.json.contact).toMatchObject({ loggedBy: 'nm.lead', loggedByName: '吴中名称组长' });
    expect(list.json.contacts[0]).toMatchObject({
      liaisonName: '联络员甲',
      loggedBy: 'nm.lead',
      loggedByName: '吴中名称组长',
    });
    const entry = timeline.json.items.find((i: { kind: string }) => i.kind === 'contact');
    expect(entry).toMatchObject({ liaisonName: '联络员甲', loggedByName: '吴中名称组长' });
  });

  it("names a ledger item's writer and each move's actor for the firm's liaison", async () => {
    // Prepare
    const raised = await call('nm.liaison', 'POST', '/api/staff/ledger-items', {
      uscc: mine.uscc,
      title: '废水排放口标识缺失',
      detail: '走访发现企业废水排放口未设置标识牌',
      source: 'contact',
      severity: 'medium',
      dueOn: '2099-12-31',
      ownerDepartment: '水环境科',
    });
    expect(raised.status, JSON.stringify(raised.json)).toBe(201);
    const itemId = String(raised.json.item.itemId);
    // Act
    const moved = await call('nm.lead', 'POST', `/api/staff/ledger-items/${itemId}/transitions`, {
      to: 'handed_over',
      note: '交水环境科',
      version: raised.json.item.version,
      toDepartment: '水环境科',
    });
    const [one, list] = await Promise.all([
      call('nm.liaison', 'GET', `/api/staff/ledger-items/${itemId}`),
      call('nm.liaison', 'GET', `/api/staff/ledger-items?uscc=${mine.uscc}`),
    ]);
    // Assess
    expect(moved.status, JSON.stringify(moved.json)).toBe(200);
    expect(one.json.item).toMatchObject({
      createdBy: 'nm.liaison',
      createdByName: '联络员甲',
      lastMove: { by: 'nm.lead', byName: '吴中名称组长' },
    });
    expect(one.json.item.history.map((e: { byName: string }) => e.byName)).toEqual(['联络员甲', '吴中名称组长']);
    expect(list.json.items.find((i: { itemId: string }) => i.itemId === itemId)).toMatchObject({
      createdByName: '联络员甲',
      lastMove: { byName: '吴中名称组长' },
    });
  });

  it("names the liaisons of the month's open list and the audit log's actors", async () => {
    // Act
    const [open, audit] = await Promise.all([
      call('nm.lead', 'GET', `/api/staff/compliance/open?jurisdiction=${COUNTY}`),
      call('nm.lead', 'GET', `/api/staff/audit?entity=pairing:${goneFirm.pairingId}`),
    ]);
    // Assess
    expect(open.status).toBe(200);
    const byId = new Map(open.json.pairings.map((p: { pairingId: string }) => [p.pairingId, p]));
    expect(byId.get(goneFirm.pairingId)).toMatchObject({ liaisonName: 'nm.gone' });
    expect(byId.get(namelessFirm.pairingId)).toMatchObject({ liaisonName: 'nm.nameless' });
    expect(audit.status).toBe(200);
    expect(audit.json.events[0]).toMatchObject({ actor: 'nm.lead', actorName: '吴中名称组长' });
    // The people its fields name (the pairing's liaison, gone since) come with the page of events.
    expect(audit.json.names).toMatchObject({ 'nm.lead': '吴中名称组长', 'nm.gone': 'nm.gone' });
  });

  it("names a consultation day's creator", async () => {
    // Prepare
    const date = shanghaiDate(new Date(Date.now() + 40 * 86_400_000));
    const made = await call('nm.lead', 'POST', '/api/staff/consultation-days', {
      date,
      jurisdiction: COUNTY,
      venue: '吴中区生态环境局三楼',
      mode: 'onsite',
      topics: ['排污许可'],
      slots: [{ startsAt: `${date}T09:00:00+08:00`, endsAt: `${date}T09:45:00+08:00`, capacity: 2 }],
    });
    expect(made.status, JSON.stringify(made.json)).toBe(201);
    // Act
    const [one, list] = await Promise.all([
      call('nm.lead', 'GET', `/api/staff/consultation-days/${made.json.day.dayId}`),
      call('nm.lead', 'GET', `/api/staff/consultation-days?from=${date}&to=${date}`),
    ]);
    // Assess
    expect(made.json.day).toMatchObject({ createdBy: 'nm.lead', createdByName: '吴中名称组长' });
    expect(one.json.day).toMatchObject({ createdBy: 'nm.lead', createdByName: '吴中名称组长' });
    const listed = list.json.days.find((d: { dayId: string }) => d.dayId === made.json.day.dayId);
    expect(listed).toMatchObject({ createdByName: '吴中名称组长' });
  });
});

describe('one lookup for a whole answer (issue 18)', () => {
  afterEach(() => vi.restoreAllMocks());

  it('reads the names of 240 rows by BatchGet of a hundred keys, never one read per row', async () => {
    // Prepare: 240 rows naming 122 people (two accounts on many rows, 120 usernames without one).
    const sent = watchTableCommands();
    const rows = Array.from({ length: 240 }, (_, i) => ({
      id: i,
      liaison: i % 2 === 0 ? 'nm.liaison' : `nm.unknown.${i}`,
      contactLeader: i % 3 === 0 ? 'nm.lead' : null,
    }));
    // Act
    const named = await withNames(rows, ['liaison', 'contactLeader']);
    // Assess
    expect(sent.filter((c) => !(c instanceof BatchGetCommand))).toEqual([]);
    expect(sent.length).toBe(2); // 122 distinct keys: two requests of at most a hundred
    expect(named[0]).toMatchObject({ liaisonName: '联络员甲', contactLeaderName: '吴中名称组长' });
    expect(named[1]).toMatchObject({ liaison: 'nm.unknown.1', liaisonName: 'nm.unknown.1', contactLeaderName: null });
  });
});
