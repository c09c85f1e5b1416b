import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Runtime, startRuntime } from '../../infra/local/runtime.ts';
import { shanghaiMonth } from '../../shared/time.ts';
import { uploadEvidence } from '../support/evidence.ts';
import { randomUscc } from '../support/uscc.ts';

// A contact sent again (issue 20): a phone keeps a visit logged without signal and sends it when the
// network is back, and sends it once more when the answer was lost. Through the local gateway, with
// the real S3-compatible server, so the photo is really attached.
let runtime: Runtime;
let dataDir: string;
const token: Record<string, string> = {};

const call = async (method: string, path: string, who: string, body?: unknown) => {
  const res = await fetch(`${runtime.url}${path}`, {
    method,
    headers: { authorization: `Bearer ${token[who]}`, 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  // biome-ignore lint/suspicious/noExplicitAny: test answers are read loosely
  return { status: res.status, json: (await res.json().catch(() => null)) as any };
};

beforeAll(async () => {
  dataDir = mkdtempSync(join(tmpdir(), 'eco-contact-requests-'));
  runtime = await startRuntime({ port: 0, dataDir, siteDir: dataDir, scheduler: false, log: () => undefined });
  for (const username of ['liaison.wuzhong', 'lead.wuzhong']) {
    const res = await fetch(`${runtime.url}/api/local-auth/sign-in`, {
      method: 'POST',
      body: JSON.stringify({ username, password: 'demo' }),
    });
    token[username] = ((await res.json()) as { token: string }).token;
  }
});

afterAll(async () => {
  await runtime?.stop();
  rmSync(dataDir, { recursive: true, force: true });
});

const newPairing = async (): Promise<string> => {
  const uscc = randomUscc();
  const firm = await call('POST', '/api/staff/enterprises', 'lead.wuzhong', {
    uscc,
    name: '木渎重发测试企业',
    county: '320506',
    address: '吴中区木渎镇',
    industry: '电镀',
    size: 'small',
    tier: 'county',
    contacts: [],
  });
  expect(firm.status).toBe(201);
  const month = shanghaiMonth(new Date());
  const paired = await call('POST', '/api/staff/pairings', 'lead.wuzhong', {
    uscc,
    liaison: 'liaison.wuzhong',
    serviceYear: Number(month.slice(0, 4)),
    startsOn: `${month}-01`,
  });
  expect(paired.status).toBe(201);
  return paired.json.pairing.pairingId as string;
};

const visit = (extra: Record<string, unknown>) => ({
  at: new Date(Date.now() - 20 * 60_000).toISOString(),
  mode: 'visit',
  participants: ['王经理'],
  summary: '地下室危废暂存间走访，标识齐全。',
  ...extra,
});

const contactsOf = async (pairingId: string) =>
  (await call('GET', `/api/staff/pairings/${pairingId}/contacts`, 'liaison.wuzhong')).json.contacts as {
    contactId: string;
    evidenceIds: string[];
  }[];

describe('a contact sent again', () => {
  it('is one contact with its photo when the same request comes twice (the first answer lost)', async () => {
    // Prepare
    const pairingId = await newPairing();
    const photo = await uploadEvidence(runtime.url, token['liaison.wuzhong'] as string);
    const body = visit({ requestId: randomUUID(), evidenceIds: [photo] });
    // Act
    const first = await call('POST', `/api/staff/pairings/${pairingId}/contacts`, 'liaison.wuzhong', body);
    const again = await call('POST', `/api/staff/pairings/${pairingId}/contacts`, 'liaison.wuzhong', body);
    // Assess
    expect(first.status).toBe(201);
    expect(again.status).toBe(200);
    expect(again.json.replayed).toBe(true);
    expect(again.json.contact.contactId).toBe(first.json.contact.contactId);
    const contacts = await contactsOf(pairingId);
    expect(contacts).toHaveLength(1);
    expect(contacts[0]?.evidenceIds).toEqual([photo]);
    const audit = await call('GET', `/api/staff/audit?entity=pairing:${pairingId}`, 'lead.wuzhong');
    const logged = (audit.json.events ?? []).filter((e: { action: string }) => e.action === 'contact.log');
    expect(logged).toHaveLength(1);
  });

  it('is one contact when the same request comes twice at the same time', async () => {
    // Prepare
    const pairingId = await newPairing();
    const photo = await uploadEvidence(runtime.url, token['liaison.wuzhong'] as string);
    const body = visit({ requestId: randomUUID(), evidenceIds: [photo] });
    // Act
    const answers = await Promise.all(
      [1, 2, 3].map(() => call('POST', `/api/staff/pairings/${pairingId}/contacts`, 'liaison.wuzhong', body)),
    );
    // Assess: one made it, the others answer the same contact
    expect(answers.map((a) => a.status).sort()).toEqual([200, 200, 201]);
    expect(new Set(answers.map((a) => a.json.contact.contactId)).size).toBe(1);
    expect(await contactsOf(pairingId)).toHaveLength(1);
  });

  it('refuses the same request id with other content (409) and writes nothing', async () => {
    // Prepare
    const pairingId = await newPairing();
    const requestId = randomUUID();
    const first = await call(
      'POST',
      `/api/staff/pairings/${pairingId}/contacts`,
      'liaison.wuzhong',
      visit({ requestId }),
    );
    // Act
    const other = await call(
      'POST',
      `/api/staff/pairings/${pairingId}/contacts`,
      'liaison.wuzhong',
      visit({ requestId, summary: '另一次走访，内容不同。' }),
    );
    // Assess
    expect(first.status).toBe(201);
    expect(other.status).toBe(409);
    expect(other.json.error.code).toBe('ALREADY_EXISTS');
    expect(await contactsOf(pairingId)).toHaveLength(1);
  });

  it('names only the caller’s own request: another account with the same id logs its own contact', async () => {
    // Prepare
    const pairingId = await newPairing();
    const body = visit({ requestId: randomUUID() });
    await call('POST', `/api/staff/pairings/${pairingId}/contacts`, 'liaison.wuzhong', body);
    // Act
    const lead = await call('POST', `/api/staff/pairings/${pairingId}/contacts`, 'lead.wuzhong', body);
    // Assess
    expect(lead.status).toBe(201);
    expect(lead.json.contact.loggedBy).toBe('lead.wuzhong');
    expect(await contactsOf(pairingId)).toHaveLength(2);
  });

  it('refuses a malformed request id (400 with the field)', async () => {
    const pairingId = await newPairing();
    const res = await call(
      'POST',
      `/api/staff/pairings/${pairingId}/contacts`,
      'liaison.wuzhong',
      visit({ requestId: '../x' }),
    );
    expect(res.status).toBe(400);
    expect(res.json.error.fields).toHaveProperty('requestId');
  });
});
