import { randomUUID } from 'node:crypto';
import { DeleteCommand, type DynamoDBDocumentClient, QueryCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { beforeAll, describe, expect, it } from 'vitest';
import { keys } from '../../shared/keys.ts';
import { shanghaiDate } from '../../shared/time.ts';
import { claimsFor } from '../support/events.ts';
import { firmInput } from '../support/firms.ts';
import { putStaff, staffCaller, suzhouStaff } from '../support/staff-api.ts';
import { type Handler, useFunctions } from '../support/table.ts';
import { distinctUsccs } from '../support/uscc.ts';

/**
 * Issue 20, roster and pairings: pairing many firms at once (idempotent, resumable, scoped), the
 * unpaired firms of the roster, the name search of the firm pickers, and each liaison's workload.
 */
let staffFn: Handler;
let doc: DynamoDBDocumentClient;
let tableName: string;

const { lead, leadCity, leadJiangyin, admin } = suzhouStaff;
const year = Number(shanghaiDate(new Date()).slice(0, 4));

/** Every USCC this file uses, made distinct up front (the byScope order of a county is by USCC). */
const pool = distinctUsccs(120);
const nextUscc = () => pool.pop() as string;
/** The Xiangcheng firms of this file: the search test reads that county's roster in index order. */
const xiangcheng: { uscc: string; name: string }[] = [];

beforeAll(async () => {
  ({ tableName, doc, staffFn } = await useFunctions());
  await putStaff(doc, tableName, [
    ['liaison.wuzhong', 'liaison', '320506'],
    ['liaison2.wuzhong', 'liaison', '320506'],
    ['liaison.load', 'liaison', '320506'],
    ['liaison.xiangcheng', 'liaison', '320507'],
    ['liaison.jiangyin', 'liaison', '320281'],
    ['lead.wuzhong', 'lead', '320506'],
  ]);
});

const call = staffCaller(() => staffFn);

const newFirm = async (county = '320506', name = '结对测试企业', by = admin) => {
  const uscc = nextUscc();
  const res = await call('POST', '/api/staff/enterprises', by, firmInput(uscc, { name, county }));
  expect(res.status).toBe(201);
  if (county === '320507') xiangcheng.push({ uscc, name });
  return uscc;
};

const pairOne = (uscc: string, liaison = 'liaison.wuzhong', startsOn = `${year}-01-01`) =>
  call('POST', '/api/staff/pairings', lead, { uscc, liaison, serviceYear: year, startsOn });

const bulk = (body: Record<string, unknown>, claims = lead) => call('POST', '/api/staff/pairings/bulk', claims, body);

/** Every pairing item of a firm in the table (any status, any liaison), from the scope index. */
const pairingsOfFirms = async (usccs: readonly string[]) => {
  const out = await doc.send(
    new QueryCommand({
      TableName: tableName,
      IndexName: 'byScope',
      KeyConditionExpression: 'scopePk = :p',
      ExpressionAttributeValues: { ':p': keys.pairingsScopePk() },
    }),
  );
  return (out.Items ?? []).filter((p) => usccs.includes(String(p.uscc)));
};

/** 16 new Wuzhong firms, then four that may not be paired, each for another reason. */
const twentyFirms = async () => {
  const fresh = await Promise.all(Array.from({ length: 16 }, () => newFirm()));
  const alreadyPaired = await newFirm();
  expect((await pairOne(alreadyPaired, 'liaison2.wuzhong')).status).toBe(201);
  const otherCounty = await newFirm('320507');
  const outOfScope = await newFirm('320281');
  const unregistered = nextUscc();
  return { fresh, alreadyPaired, otherCounty, outOfScope, unregistered };
};

describe('bulk pairing', () => {
  it('pairs 20 firms by the single pairing’s rules, one result per firm in the order asked', async () => {
    // Prepare
    const f = await twentyFirms();
    const firms: string[] = [
      f.fresh[0] as string,
      f.alreadyPaired,
      ...f.fresh.slice(1, 8),
      f.otherCounty,
      f.outOfScope,
    ];
    firms.push(...f.fresh.slice(8), f.unregistered);
    expect(firms).toHaveLength(20);

    // Act: the city lead, whose scope holds both Suzhou counties but not Jiangyin.
    const res = await bulk({ requestId: randomUUID(), liaison: 'liaison.wuzhong', firms }, leadCity);

    // Assess
    expect(res.status).toBe(200);
    expect(res.json.results.map((r: { uscc: string }) => r.uscc)).toEqual(firms);
    const refusals = Object.fromEntries(
      res.json.results
        .filter((r: { outcome: string }) => r.outcome === 'refused')
        .map((r: { uscc: string; code: string }) => [r.uscc, r.code]),
    );
    // A firm of another county than the liaison's is refused; out of scope reads as not registered (rule 8).
    expect(refusals).toEqual({
      [f.alreadyPaired]: 'ALREADY_PAIRED',
      [f.otherCounty]: 'OTHER_COUNTY',
      [f.outOfScope]: 'NOT_FOUND',
      [f.unregistered]: 'NOT_FOUND',
    });
    const stored = await pairingsOfFirms(firms);
    const created = res.json.results.filter((r: { outcome: string }) => r.outcome === 'created');
    expect(created).toHaveLength(16);
    expect(
      stored
        .filter((p) => p.liaison === 'liaison.wuzhong')
        .map((p) => p.pairingId)
        .sort(),
    ).toEqual(created.map((r: { pairingId: string }) => r.pairingId).sort());
    expect(stored.find((p) => p.uscc === f.alreadyPaired)?.liaison).toBe('liaison2.wuzhong');
    // Each new pairing is audited, and its firm told of its liaison, as a single pairing is.
    const first = created[0] as { pairingId: string };
    const audit = await call('GET', `/api/staff/audit?entity=pairing:${first.pairingId}`, lead);
    expect(audit.json.events.map((e: { action: string }) => e.action)).toEqual(['pairing.create']);
  });

  it('answers the same request again with the same result and creates nothing twice, even two at once', async () => {
    // Prepare
    const f = await twentyFirms();
    const firms = [...f.fresh, f.alreadyPaired, f.otherCounty, f.outOfScope, f.unregistered];
    const body = { requestId: randomUUID(), liaison: 'liaison.wuzhong', firms };

    // Act
    const [one, two] = await Promise.all([bulk(body), bulk(body)]);
    const again = await bulk(body);

    // Assess
    expect(one.status).toBe(200);
    expect(two.json).toEqual(one.json);
    expect(again.json).toEqual(one.json);
    const stored = await pairingsOfFirms(f.fresh);
    expect(stored).toHaveLength(16);
  });

  it('finishes after a crash halfway: the firms paired before it are reported, the rest paired once', async () => {
    // Prepare: a first run, then the table put back as a crash after the first 8 firms would leave
    // it (the request remembered without its result; the last 8 firms' transactions never ran: no
    // pairing, no guard, no message to the firm).
    const f = await twentyFirms();
    const body = { requestId: randomUUID(), liaison: 'liaison.wuzhong', firms: f.fresh };
    const first = await bulk(body);
    expect(first.status).toBe(200);
    const undone = (first.json.results as { uscc: string; pairingId: string }[]).slice(8);
    await doc.send(
      new UpdateCommand({
        TableName: tableName,
        Key: keys.bulkPairingRequest('lead.wuzhong', body.requestId),
        UpdateExpression: 'REMOVE results',
      }),
    );
    for (const r of undone) {
      await doc.send(new DeleteCommand({ TableName: tableName, Key: keys.pairing(r.pairingId) }));
      await doc.send(new DeleteCommand({ TableName: tableName, Key: keys.pairingGuard(r.uscc, year) }));
      const told = keys.message({ about: `pairing:${r.pairingId}`, kind: 'paired', occasion: '' });
      await doc.send(new DeleteCommand({ TableName: tableName, Key: told }));
    }

    // Act
    const retry = await bulk(body);

    // Assess
    expect(retry.status).toBe(200);
    expect(retry.json).toEqual(first.json);
    const stored = await pairingsOfFirms(f.fresh);
    expect(stored).toHaveLength(16);
    expect(new Set(stored.map((p) => p.uscc)).size).toBe(16);
  });

  it('refuses a request id used for other content, and a liaison outside the caller’s scope', async () => {
    // Prepare
    const [a, b] = [await newFirm(), await newFirm()];
    const requestId = randomUUID();
    expect((await bulk({ requestId, liaison: 'liaison.wuzhong', firms: [a] })).status).toBe(200);

    // Act
    const reused = await bulk({ requestId, liaison: 'liaison.wuzhong', firms: [a, b] });
    const foreignLiaison = await bulk({ requestId: randomUUID(), liaison: 'liaison.jiangyin', firms: [b] });
    const notALiaison = await bulk({ requestId: randomUUID(), liaison: 'lead.wuzhong', firms: [b] });
    const otherLead = await bulk({ requestId: randomUUID(), liaison: 'liaison.wuzhong', firms: [b] }, leadJiangyin);
    const twice = await bulk({ requestId: randomUUID(), liaison: 'liaison.wuzhong', firms: [b, b] });
    const tooMany = await bulk({ requestId: randomUUID(), liaison: 'liaison.wuzhong', firms: distinctUsccs(101) });

    // Assess
    expect(reused.status).toBe(409);
    expect(reused.json.error.code).toBe('ALREADY_EXISTS');
    expect(foreignLiaison.status).toBe(400);
    expect(foreignLiaison.json.error.fields).toHaveProperty('liaison');
    expect(notALiaison.status).toBe(400);
    expect(otherLead.status).toBe(400);
    expect(twice.status).toBe(400);
    expect(tooMany.status).toBe(400);
    expect(await pairingsOfFirms([b])).toHaveLength(0);
    // The city lead pairs its county's firms with the county's liaison.
    const city = await bulk({ requestId: randomUUID(), liaison: 'liaison.wuzhong', firms: [b] }, leadCity);
    expect(city.json.results).toEqual([{ uscc: b, outcome: 'created', pairingId: expect.any(String) }]);
  });
});

describe('the unpaired firms of the roster', () => {
  it('lists only the firms with no pairing in the service year, and a firm again once its pairing ends', async () => {
    // Prepare
    const marker = `未结对${randomUUID().slice(0, 6)}`;
    const firms = await Promise.all(Array.from({ length: 7 }, () => newFirm('320506', `${marker}企业`)));
    const [pairedFirm, endedFirm] = firms as [string, string];
    expect((await pairOne(pairedFirm)).status).toBe(201);
    const ended = (await pairOne(endedFirm)).json.pairing.pairingId;
    expect((await call('POST', `/api/staff/pairings/${ended}/end`, lead)).status).toBe(200);
    const list = async (query: string) => {
      const seen: { uscc: string; paired: boolean }[] = [];
      let cursor: string | null = null;
      do {
        const res = await call(
          'GET',
          `/api/staff/enterprises?county=320506&q=${encodeURIComponent(marker)}&limit=2&${query}${cursor ? `&cursor=${cursor}` : ''}`,
          lead,
        );
        expect(res.status).toBe(200);
        expect(res.json.enterprises.length).toBeLessThanOrEqual(2);
        seen.push(...res.json.enterprises);
        cursor = res.json.nextCursor;
      } while (cursor);
      return seen;
    };

    // Act
    const unpaired = await list('paired=false');
    const paired = await list('paired=true');
    const all = await list('');

    // Assess
    expect(unpaired.map((e) => e.uscc).sort()).toEqual(firms.filter((u) => u !== pairedFirm).sort());
    expect(unpaired.every((e) => e.paired === false)).toBe(true);
    expect(paired.map((e) => e.uscc)).toEqual([pairedFirm]);
    expect(all.find((e) => e.uscc === pairedFirm)?.paired).toBe(true);
    expect(all).toHaveLength(7);
  });
});

describe('the firm pickers’ search', () => {
  it('matches a name fragment or a USCC prefix only inside the caller’s scope, a bounded read at a time', async () => {
    // Prepare: Xiangcheng firms, a few named alike, and one of that name in Jiangyin.
    const name = `搜索${randomUUID().slice(0, 6)}`;
    for (let i = 0; i < 12; i++) await newFirm('320507', i % 4 === 0 ? `苏州${name}化工` : '无关企业');
    const foreign = await newFirm('320281', `苏州${name}化工`);
    const matching = xiangcheng.filter((x) => x.name.includes(name)).map((x) => x.uscc);
    // byScope holds a county's firms in USCC order: a read of one item each sees them in that order.
    const order = xiangcheng.map((x) => x.uscc).sort();
    const city = claimsFor('lead.suzhou', 'lead', '320500');

    // Act
    const first = await call('GET', `/api/staff/enterprises?county=320507&q=${encodeURIComponent(name)}&limit=1`, city);
    const found: string[] = [];
    let cursor: string | null = null;
    let requests = 0;
    do {
      const res = await call(
        'GET',
        `/api/staff/enterprises?q=${encodeURIComponent(name)}&limit=1${cursor ? `&cursor=${cursor}` : ''}`,
        city,
      );
      requests += 1;
      found.push(...res.json.enterprises.map((e: { uscc: string }) => e.uscc));
      cursor = res.json.nextCursor;
    } while (cursor && requests < 50);
    const byPrefix = await call('GET', `/api/staff/enterprises?county=320507&q=${matching[0]?.slice(0, 12)}`, city);
    const jiangyin = await call('GET', `/api/staff/enterprises?q=${encodeURIComponent(name)}`, leadJiangyin);

    // Assess: one request reads at most five index items here (limit 1, five reads), never the county.
    const firstFive = order.slice(0, 5).filter((u) => matching.includes(u));
    expect(first.json.enterprises.map((e: { uscc: string }) => e.uscc)).toEqual(firstFive.slice(0, 1));
    expect(found.sort()).toEqual([...matching].sort());
    expect(found).not.toContain(foreign);
    expect(byPrefix.json.enterprises.map((e: { uscc: string }) => e.uscc)).toContain(matching[0]);
    expect(jiangyin.json.enterprises.map((e: { uscc: string }) => e.uscc)).toEqual([foreign]);
  });
});

describe('each liaison’s workload', () => {
  it('counts the pairings a liaison carries and those still to contact this month', async () => {
    // Prepare: three pairings judged this month (started on the year's first day), one contacted,
    // one paused; a fourth ended; all of liaison.load.
    const firms = await Promise.all(Array.from({ length: 4 }, () => newFirm()));
    const ids: string[] = [];
    for (const uscc of firms) ids.push((await pairOne(uscc, 'liaison.load')).json.pairing.pairingId);
    const [contacted, paused, , ended] = ids as [string, string, string, string];
    const visit = await call('POST', `/api/staff/pairings/${contacted}/contacts`, lead, {
      at: new Date(Date.now() - 60_000).toISOString(),
      mode: 'visit',
      participants: ['王工'],
      summary: '走访了解排污许可执行情况',
    });
    expect(visit.status).toBe(201);
    expect((await call('POST', `/api/staff/pairings/${paused}/pause`, lead)).status).toBe(200);
    expect((await call('POST', `/api/staff/pairings/${ended}/end`, lead)).status).toBe(200);

    // Act
    const county = await call('GET', '/api/staff/pairings/workload?jurisdiction=320506', lead);
    const city = await call('GET', '/api/staff/pairings/workload', leadCity);
    const outside = await call('GET', '/api/staff/pairings/workload?jurisdiction=320506', leadJiangyin);

    // Assess
    expect(county.status).toBe(200);
    const load = county.json.liaisons.find((l: { username: string }) => l.username === 'liaison.load');
    expect(load).toEqual({
      username: 'liaison.load',
      displayName: 'liaison.load 名',
      jurisdiction: '320506',
      active: 3,
      toContact: 1,
    });
    // Only liaisons, only inside the jurisdiction asked.
    const names = county.json.liaisons.map((l: { username: string }) => l.username);
    expect(names).not.toContain('lead.wuzhong');
    expect(names).not.toContain('liaison.xiangcheng');
    expect(city.json.liaisons.map((l: { username: string }) => l.username)).toContain('liaison.xiangcheng');
    expect(outside.status).toBe(404);
  });
});
