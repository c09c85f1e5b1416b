import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { demoAccounts } from '../../infra/local/accounts.ts';
import { type Runtime, startRuntime } from '../../infra/local/runtime.ts';
import { shanghaiDate } from '../../shared/time.ts';
import { robotPosts } from '../support/outbox.ts';

// `npm start` on an empty store writes demo records through the API; a restart writes none again.
let runtime: Runtime;
let dataDir: string;
const quiet = () => undefined;

const get = async (path: string, username: string) => {
  const session = await runtime.issuer.signIn(username, 'demo');
  const res = await fetch(`${runtime.url}${path}`, { headers: { authorization: `Bearer ${session?.token}` } });
  return (await res.json()) as Record<string, unknown>;
};

interface Pairing {
  pairingId: string;
  liaison: string;
  lastQualifyingContactAt: string | null;
}

beforeAll(async () => {
  dataDir = mkdtempSync(join(tmpdir(), 'eco-demo-'));
  runtime = await startRuntime({ port: 0, dataDir, siteDir: dataDir, scheduler: false, log: quiet, demoData: true });
}, 120_000);

afterAll(async () => {
  await runtime?.stop();
  rmSync(dataDir, { recursive: true, force: true });
});

describe('demo records', () => {
  it('writes about 30 firms across the demo counties, each paired with its county’s liaison', async () => {
    const all = (await get('/api/staff/enterprises?limit=200', 'admin')).enterprises as { county: string }[];
    expect(all.length).toBeGreaterThanOrEqual(28);
    expect(new Set(all.map((e) => e.county))).toEqual(new Set(['320506', '320507', '320281']));
    const liaisons = demoAccounts.filter((a) => a.role === 'liaison');
    for (const liaison of liaisons) {
      const mine = (await get('/api/staff/pairings', liaison.username)).pairings as Pairing[];
      // Each county's second liaison (issue 20) serves two firms; the first serves the rest.
      expect(mine.length, liaison.username).toBeGreaterThan(liaison.username.startsWith('liaison2.') ? 1 : 5);
      expect(mine.every((p) => p.liaison === liaison.username)).toBe(true);
    }
  });

  it('has three months of contacts with gaps: some pairings were not contacted last month', async () => {
    const pairings = (await get('/api/staff/pairings', 'admin')).pairings as Pairing[];
    const months = new Set<string>();
    let withoutLastMonth = 0;
    const now = new Date();
    const lastMonth = shanghaiDate(new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), 0, 12))).slice(0, 7);
    for (const p of pairings) {
      const contacts = (await get(`/api/staff/pairings/${p.pairingId}/contacts`, 'admin')).contacts as { at: string }[];
      const its = new Set(contacts.map((c) => shanghaiDate(new Date(c.at)).slice(0, 7)));
      for (const m of its) months.add(m);
      if (!its.has(lastMonth)) withoutLastMonth++;
    }
    expect(months.size).toBeGreaterThanOrEqual(2);
    expect(withoutLastMonth).toBeGreaterThan(0);
    expect(withoutLastMonth).toBeLessThan(pairings.length / 2);
  });

  it('fills the service ledger and the firms’ health: items in several states, one overdue, banded firms', async () => {
    const items = (await get('/api/staff/ledger-items', 'admin')).items as { state: string; overdue: boolean }[];
    expect(new Set(items.map((i) => i.state))).toEqual(new Set(['collected', 'in_progress', 'resolved', 'closed']));
    expect(items.filter((i) => i.overdue).length).toBeGreaterThan(0);
    const firms = (await get('/api/staff/enterprises?limit=200', 'admin')).enterprises as {
      health: { band: string } | null;
    }[];
    expect(firms.filter((f) => f.health !== null).map((f) => f.health?.band)).toHaveLength(3);
    const stats = await get('/api/staff/ledger-stats?jurisdiction=320000', 'admin');
    expect(stats.raised).toBe(items.length);
  });

  it('lists upcoming consultation days anyone can book, in Jiangyin (the console tests’ counties have none)', async () => {
    const res = await fetch(`${runtime.url}/api/public/consultation-days`);
    const days = (
      (await res.json()) as { days: { date: string; jurisdiction: { code: string }; slots: { remaining: number }[] }[] }
    ).days;
    expect(days.length).toBeGreaterThanOrEqual(2);
    expect(new Set(days.map((d) => d.jurisdiction.code))).toEqual(new Set(['320281']));
    expect(days.every((d) => d.date > new Date().toISOString().slice(0, 10))).toBe(true);
    expect(days.every((d) => d.slots.some((slot) => slot.remaining > 0))).toBe(true);
  });

  it('points the demo counties’ robots at the local robot stand-in, which really receives their posts', async () => {
    // Act: a lead's "send a test message" for each county.
    for (const [county, lead] of [
      ['320506', 'lead.wuzhong'],
      ['320281', 'lead.jiangyin'],
    ]) {
      const session = await runtime.issuer.signIn(lead as string, 'demo');
      const res = await fetch(`${runtime.url}/api/staff/webhooks/${county}/test`, {
        method: 'POST',
        headers: { authorization: `Bearer ${session?.token}`, 'content-type': 'application/json' },
        body: '{}',
      });
      // Assess: answered by the stand-in, and in the outbox under that county's robot.
      expect(res.status, county).toBe(200);
      expect(robotPosts().filter((p) => p.to.includes(`demo-robot-${county}`)).length, county).toBeGreaterThan(0);
    }
  });

  it('writes nothing again after a restart', async () => {
    const before = runtime.demoRecords;
    expect(before).toBeGreaterThan(60);
    await runtime.stop();
    runtime = await startRuntime({ port: 0, dataDir, siteDir: dataDir, scheduler: false, log: quiet, demoData: true });
    expect(runtime.demoRecords).toBe(0);
    const all = (await get('/api/staff/enterprises?limit=200', 'admin')).enterprises as unknown[];
    // 30 firms, and three more per county for issue 20 (two of the second liaison's, one unpaired).
    expect(all.length).toBe(39);
    // The robots follow the stand-in to this start's port.
    const session = await runtime.issuer.signIn('lead.wuzhong', 'demo');
    const posted = await fetch(`${runtime.url}/api/staff/webhooks/320506/test`, {
      method: 'POST',
      headers: { authorization: `Bearer ${session?.token}`, 'content-type': 'application/json' },
      body: '{}',
    });
    expect(posted.status).toBe(200);
  }, 120_000);
});
