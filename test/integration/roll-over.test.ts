import { randomUUID } from 'node:crypto';
import {
  type DynamoDBDocumentClient,
  GetCommand,
  QueryCommand,
  TransactWriteCommand,
  UpdateCommand,
} from '@aws-sdk/lib-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeAll, describe, expect, it } from 'vitest';
import { missed } from '../../functions/jobs/nudges.ts';
import { firmRecord } from '../../functions/lib/firms/record.ts';
import { rolledPairingId } from '../../functions/lib/pairings/roll-over.ts';
import { db } from '../../functions/lib/store/table.ts';
import { keys } from '../../shared/keys.ts';
import { isJudged } from '../../shared/monthly.ts';
import type { Pairing } from '../../shared/pairing-views.ts';
import { shanghaiDate } from '../../shared/time.ts';
import { firmInput } from '../support/firms.ts';
import { putStaff, staffCaller, suzhouStaff } from '../support/staff-api.ts';
import { type Handler, useFunctions } from '../support/table.ts';
import { distinctUsccs } from '../support/uscc.ts';

/**
 * Issue 19, the year roll-over: a lead keeps or ends each pairing of year Y into Y+1. Rule 12 (a
 * crash part-way and a retry leave exactly one Y+1 pairing per kept firm), rule 8 (scope), rule 10
 * (a decision to end names its reason), and stale or already-ended pairings answered clearly.
 */
let staffFn: Handler;
let doc: DynamoDBDocumentClient;
let tableName: string;

const { lead, leadCity, leadJiangyin, admin } = suzhouStaff;
const today = shanghaiDate(new Date());
const year = Number(today.slice(0, 4));

const pool = distinctUsccs(80);
const nextUscc = () => pool.pop() as string;

beforeAll(async () => {
  ({ tableName, doc, staffFn } = await useFunctions());
  await putStaff(doc, tableName, [
    ['liaison.wuzhong', 'liaison', '320506'],
    ['liaison.gone', 'liaison', '320507'],
    ['liaison.other', 'liaison', '320506'],
    ['lead.wuzhong', 'lead', '320506'],
    ['lead.retired', 'lead', '320506'],
    ['lead.jiangyin', 'lead', '320281'],
  ]);
});

const call = staffCaller(() => staffFn);

const newFirm = async () => {
  const uscc = nextUscc();
  const res = await call('POST', '/api/staff/enterprises', admin, firmInput(uscc, { name: '结转测试企业' }));
  expect(res.status).toBe(201);
  return uscc;
};

/** A Wuzhong firm paired in `serviceYear` with the county's liaison and contact leader. */
const pairedFirm = async (serviceYear = year, contactLeader = 'lead.wuzhong') => {
  const uscc = await newFirm();
  const res = await call('POST', '/api/staff/pairings', lead, {
    uscc,
    liaison: 'liaison.wuzhong',
    serviceYear,
    startsOn: `${serviceYear}-01-01`,
    contactLeader,
  });
  expect(res.status).toBe(201);
  return res.json.pairing as Pairing;
};

const rollOver = (body: Record<string, unknown>, claims = lead) =>
  call('POST', '/api/staff/pairings/roll-over', claims, body);

/** Every pairing in the file's table (any year, any status), from the scope index. */
const everyPairing = async () => {
  const out = await doc.send(
    new QueryCommand({
      TableName: tableName,
      IndexName: 'byScope',
      KeyConditionExpression: 'scopePk = :p',
      ExpressionAttributeValues: { ':p': keys.pairingsScopePk() },
    }),
  );
  return (out.Items ?? []) as unknown as Pairing[];
};

/** Every pairing of these firms. */
const pairingsOf = async (usccs: readonly string[]) =>
  (await everyPairing()).filter((p) => usccs.includes(String(p.uscc)));

const keepAll = (pairings: readonly Pairing[]) =>
  pairings.map((p) => ({ pairingId: p.pairingId, action: 'keep' as const, version: p.version }));

describe('the year roll-over', () => {
  it('keeps a pairing into the next year with its firm, liaison and contact leader, and ends one with its reason', async () => {
    // Prepare
    const [kept, graduated, closed] = [await pairedFirm(), await pairedFirm(), await pairedFirm()];

    // Act
    const res = await rollOver({
      requestId: randomUUID(),
      from: year,
      to: year + 1,
      decisions: [
        { pairingId: kept.pairingId, action: 'keep', version: kept.version },
        { pairingId: graduated.pairingId, action: 'end', reason: 'graduated' },
        { pairingId: closed.pairingId, action: 'end', reason: 'other', note: '搬迁出本区' },
      ],
    });

    // Assess
    expect(res.status).toBe(200);
    const day = `${year + 1}-01-01`;
    const next = rolledPairingId(kept.pairingId, year + 1);
    expect(res.json.results).toEqual([
      { pairingId: kept.pairingId, outcome: 'kept', next, endsOn: day },
      { pairingId: graduated.pairingId, outcome: 'ended', endsOn: day },
      { pairingId: closed.pairingId, outcome: 'ended', endsOn: day },
    ]);
    const stored = await pairingsOf([kept.uscc, graduated.uscc, closed.uscc]);
    const carried = stored.filter((p) => p.serviceYear === year + 1);
    expect(carried).toHaveLength(1);
    expect(carried[0]).toMatchObject({
      pairingId: next,
      uscc: kept.uscc,
      liaison: 'liaison.wuzhong',
      contactLeader: 'lead.wuzhong',
      startsOn: day,
      status: 'active',
    });
    const old = stored.find((p) => p.pairingId === kept.pairingId) as Pairing;
    // Rolled over before the new year: still served in December, judged for December only.
    expect(old).toMatchObject({ status: 'active', endedOn: day, replacedBy: next });
    expect(isJudged(old, `${year}-12`)).toBe(true);
    expect(isJudged(old, `${year + 1}-01`)).toBe(false);
    expect(isJudged(carried[0] as Pairing, `${year + 1}-01`)).toBe(true);
    const other = stored.find((p) => p.pairingId === closed.pairingId) as Pairing;
    expect(other.rolledOver).toMatchObject({ action: 'end', reason: 'other', note: '搬迁出本区', by: 'lead.wuzhong' });
    const audit = await call('GET', `/api/staff/audit?entity=pairing:${kept.pairingId}`, lead);
    expect(audit.json.events.map((e: { action: string }) => e.action)).toContain('pairing.rollOver.keep');
  });

  it('answers the same decisions again with what was done and makes nothing twice, even two at once', async () => {
    // Prepare
    const pairings = [await pairedFirm(), await pairedFirm(), await pairedFirm(), await pairedFirm()];
    const body = { requestId: randomUUID(), from: year, to: year + 1, decisions: keepAll(pairings) };

    // Act
    const [one, two] = await Promise.all([rollOver(body), rollOver(body)]);
    const again = await rollOver(body);
    // Another request with the same decisions (a second tab, the page reloaded): done, not redone.
    const otherTab = await rollOver({ ...body, requestId: randomUUID() }, leadCity);

    // Assess
    expect(one.status).toBe(200);
    expect(one.json.results.every((r: { outcome: string }) => r.outcome === 'kept')).toBe(true);
    expect(two.json).toEqual(one.json);
    expect(again.json).toEqual(one.json);
    expect(otherTab.json).toEqual(one.json);
    const carried = (await pairingsOf(pairings.map((p) => p.uscc))).filter((p) => p.serviceYear === year + 1);
    expect(carried).toHaveLength(4);
    expect(new Set(carried.map((p) => p.uscc)).size).toBe(4);
  });

  it('finishes after a crash part-way: the pairings rolled before it are reported, the rest rolled once', async () => {
    // Prepare: the third decision's transaction never reaches DynamoDB (the Lambda dies there).
    const pairings = await Promise.all(Array.from({ length: 6 }, () => pairedFirm()));
    const body = { requestId: randomUUID(), from: year, to: year + 1, decisions: keepAll(pairings) };
    const client = db();
    const realSend = client.send.bind(client);
    const mock = mockClient(client);
    mock.send.callThrough();
    let transactions = 0;
    const written: Promise<unknown>[] = [];
    mock.on(TransactWriteCommand).callsFake(async (input) => {
      transactions += 1;
      if (transactions === 3) {
        // The two sent before it reach the table (they were in flight when the Lambda died).
        await Promise.allSettled(written);
        throw new Error('Task timed out');
      }
      const sent = realSend(new TransactWriteCommand(input));
      written.push(sent);
      return sent;
    });
    let crashed: Awaited<ReturnType<typeof rollOver>>;
    try {
      crashed = await rollOver(body);
    } finally {
      mock.restore();
    }
    expect(crashed.status).toBe(500);
    const half = (await pairingsOf(pairings.map((p) => p.uscc))).filter((p) => p.serviceYear === year + 1);
    expect(half.length).toBeGreaterThan(0);
    expect(half.length).toBeLessThan(6);

    // Act: the page sends the same request again.
    const retry = await rollOver(body);

    // Assess
    expect(retry.status).toBe(200);
    expect(retry.json.results).toEqual(
      pairings.map((p) => ({
        pairingId: p.pairingId,
        outcome: 'kept',
        next: rolledPairingId(p.pairingId, year + 1),
        endsOn: `${year + 1}-01-01`,
      })),
    );
    const carried = (await pairingsOf(pairings.map((p) => p.uscc))).filter((p) => p.serviceYear === year + 1);
    expect(carried).toHaveLength(6);
    expect(new Set(carried.map((p) => p.uscc)).size).toBe(6);
  });

  it('reads a pairing outside the caller’s scope as no pairing, and changes nothing of it', async () => {
    // Prepare
    const pairing = await pairedFirm();

    // Act
    const res = await rollOver(
      { requestId: randomUUID(), from: year, to: year + 1, decisions: keepAll([pairing]) },
      leadJiangyin,
    );

    // Assess
    expect(res.status).toBe(200);
    expect(res.json.results).toEqual([{ pairingId: pairing.pairingId, outcome: 'refused', code: 'NOT_FOUND' }]);
    const stored = await pairingsOf([pairing.uscc]);
    expect(stored).toHaveLength(1);
    expect(stored[0]?.rolledOver).toBeUndefined();
  });

  it('refuses an end without its reason, an “other” without words, and a year that is not the next', async () => {
    // Prepare
    const pairing = await pairedFirm();
    const ask = (decision: Record<string, unknown>, to = year + 1) =>
      rollOver({ requestId: randomUUID(), from: year, to, decisions: [{ pairingId: pairing.pairingId, ...decision }] });

    // Act
    const noReason = await ask({ action: 'end' });
    const noWords = await ask({ action: 'end', reason: 'other' });
    const blankWords = await ask({ action: 'end', reason: 'other', note: '   ' });
    const badReason = await ask({ action: 'end', reason: 'bored' });
    const skipYear = await ask({ action: 'keep' }, year + 2);
    const twice = await rollOver({
      requestId: randomUUID(),
      from: year,
      to: year + 1,
      decisions: [...keepAll([pairing]), ...keepAll([pairing])],
    });

    // Assess
    expect(noReason.status).toBe(400);
    expect(noReason.json.error.fields).toHaveProperty(['decisions.0.reason']);
    expect(noWords.status).toBe(400);
    expect(noWords.json.error.fields).toHaveProperty(['decisions.0.note']);
    expect(blankWords.status).toBe(400);
    expect(badReason.status).toBe(400);
    expect(skipYear.status).toBe(400);
    expect(skipYear.json.error.fields).toHaveProperty('to');
    expect(twice.status).toBe(400);
    expect((await pairingsOf([pairing.uscc]))[0]?.rolledOver).toBeUndefined();
  });

  it('answers clearly for a pairing of another year, one ended, one decided otherwise, one stale, one already paired', async () => {
    // Prepare
    const [lastYear, ended, decided, stale, pairedAhead] = [
      await pairedFirm(year - 1),
      await pairedFirm(),
      await pairedFirm(),
      await pairedFirm(),
      await pairedFirm(),
    ];
    expect((await call('POST', `/api/staff/pairings/${ended.pairingId}/end`, lead)).status).toBe(200);
    const first = await rollOver({
      requestId: randomUUID(),
      from: year,
      to: year + 1,
      decisions: [{ pairingId: decided.pairingId, action: 'end', reason: 'closed' }],
    });
    expect(first.json.results[0].outcome).toBe('ended');
    const paused = await call('POST', `/api/staff/pairings/${stale.pairingId}/pause`, lead);
    expect(paused.status).toBe(200);
    // The firm was paired into next year through the pairing form already.
    const ahead = await call('POST', '/api/staff/pairings', lead, {
      uscc: pairedAhead.uscc,
      liaison: 'liaison.wuzhong',
      serviceYear: year + 1,
      startsOn: `${year + 1}-01-01`,
    });
    expect(ahead.status).toBe(201);

    // Act
    const res = await rollOver({
      requestId: randomUUID(),
      from: year,
      to: year + 1,
      decisions: [
        ...keepAll([lastYear, ended, decided, stale, pairedAhead]),
        { pairingId: 'no-such-pairing', action: 'keep' },
      ],
    });

    // Assess
    expect(res.status).toBe(200);
    expect(res.json.results.map((r: { code?: string }) => r.code)).toEqual([
      'OTHER_YEAR',
      'ENDED',
      'DECIDED',
      'VERSION_CONFLICT',
      'ALREADY_PAIRED',
      'NOT_FOUND',
    ]);
    const aheadPairings = (await pairingsOf([pairedAhead.uscc])).filter((p) => p.serviceYear === year + 1);
    expect(aheadPairings.map((p) => p.pairingId)).toEqual([ahead.json.pairing.pairingId]);
    // Nothing was half done: the refused pairings carry no mark.
    const marks = (await pairingsOf([lastYear.uscc, stale.uscc, pairedAhead.uscc])).map((p) => p.rolledOver);
    expect(marks.every((m) => m === undefined)).toBe(true);
  });

  it('ends the old pairing today and starts the kept one today once the new year has begun', async () => {
    // Prepare: last year's pairing, not yet rolled over (the roll-over is made late).
    const pairing = await pairedFirm(year - 1);

    // Act
    const res = await rollOver({ requestId: randomUUID(), from: year - 1, to: year, decisions: keepAll([pairing]) });

    // Assess
    expect(res.json.results[0]).toMatchObject({ outcome: 'kept', endsOn: today });
    const stored = await pairingsOf([pairing.uscc]);
    expect(stored.find((p) => p.pairingId === pairing.pairingId)).toMatchObject({ status: 'ended', endedOn: today });
    expect(stored.find((p) => p.serviceYear === year)).toMatchObject({ startsOn: today, status: 'active' });
  });

  it('carries no contact leader who no longer leads over the county, and refuses a liaison gone elsewhere', async () => {
    // Prepare
    const withLeader = await pairedFirm(year, 'lead.retired');
    const moved = await pairedFirm();
    await doc.send(
      new UpdateCommand({
        TableName: tableName,
        Key: keys.user('lead.retired'),
        UpdateExpression: 'SET enabled = :f',
        ExpressionAttributeValues: { ':f': false },
      }),
    );
    // The pairing's liaison moved to Xiangcheng: the next year's pairing cannot keep it.
    await doc.send(
      new UpdateCommand({
        TableName: tableName,
        Key: keys.pairing(moved.pairingId),
        UpdateExpression: 'SET liaison = :l',
        ExpressionAttributeValues: { ':l': 'liaison.gone' },
      }),
    );

    // Act
    const res = await rollOver({
      requestId: randomUUID(),
      from: year,
      to: year + 1,
      decisions: [
        { pairingId: withLeader.pairingId, action: 'keep' },
        { pairingId: moved.pairingId, action: 'keep' },
      ],
    });

    // Assess
    expect(res.json.results[0]).toMatchObject({ outcome: 'kept', contactLeaderDropped: true });
    expect(res.json.results[1]).toEqual({ pairingId: moved.pairingId, outcome: 'refused', code: 'LIAISON_GONE' });
    const next = (await pairingsOf([withLeader.uscc])).find((p) => p.serviceYear === year + 1);
    expect(next?.contactLeader).toBeNull();
  });
});

describe('a pairing rolled over before its year ended', () => {
  it('cannot be reassigned, so the firm is never judged on two pairings in the new year', async () => {
    // Prepare
    const pairing = await pairedFirm();
    const rolled = await rollOver({ requestId: randomUUID(), from: year, to: year + 1, decisions: keepAll([pairing]) });
    expect(rolled.json.results[0].outcome).toBe('kept');

    // Act
    const res = await call('POST', `/api/staff/pairings/${pairing.pairingId}/reassign`, lead, {
      liaison: 'liaison.other',
    });

    // Assess
    expect(res.status).toBe(409);
    expect(res.json.error.code).toBe('INVALID_TRANSITION');
    const open = (await pairingsOf([pairing.uscc])).filter((p) => p.endedOn === null);
    expect(open.map((p) => p.serviceYear)).toEqual([year + 1]);
  });
});

describe('a pairing rolled over before December', () => {
  it('is counted among the pairings December opens with, as the month will judge it', async () => {
    // Prepare: one more pairing rolled over now: it ends on 1 January, so December judges it.
    const pairing = await pairedFirm();
    const rolled = await rollOver({ requestId: randomUUID(), from: year, to: year + 1, decisions: keepAll([pairing]) });
    expect(rolled.json.results[0].outcome).toBe('kept');

    // Act: the job of 1 December closes November and opens December.
    const at = `${year}-12-01T09:00:00+08:00`;
    await missed({ job: 'missed', scheduledTime: at, executionId: randomUUID(), attemptNumber: 1 }, new Date(at));

    // Assess: December's opening count is every pairing active then and not ended within it.
    const month = `${year}-12`;
    const expected = (await everyPairing()).filter(
      (p) =>
        p.county === '320506' &&
        p.status === 'active' &&
        p.startsOn <= `${month}-01` &&
        (p.endedOn === null || p.endedOn > `${month}-31`),
    ).length;
    const { pk, sk } = keys.monthCounts(month, '320506');
    const counts = await doc.send(new GetCommand({ TableName: tableName, Key: { pk, sk } }));
    expect(counts.Item?.judged).toBe(expected);
  });
});

describe('a pairing whose roll-over day has come', () => {
  it('no longer shows the firm a liaison once a pairing ended by the roll-over is over', async () => {
    // Prepare: ended (graduated) in December; the firm reads its record in the new year's January.
    const pairing = await pairedFirm();
    const ended = await rollOver({
      requestId: randomUUID(),
      from: year,
      to: year + 1,
      decisions: [{ pairingId: pairing.pairingId, action: 'end', reason: 'graduated' }],
    });
    expect(ended.json.results[0].outcome).toBe('ended');
    expect((await firmRecord(pairing.uscc, new Date())).liaisons).toHaveLength(1);

    // Act
    const january = await firmRecord(pairing.uscc, new Date(`${year + 1}-01-15T12:00:00+08:00`));

    // Assess
    expect(january.liaisons).toEqual([]);
  });

  it('takes no contact on or after the day it ended, though its status was not yet moved', async () => {
    // Prepare: a pairing rolled over in December, now in January (the day moved back to yesterday
    // directly in the table: the API rolls over into the next year only, whose first day is ahead).
    const pairing = await pairedFirm();
    const rolled = await rollOver({ requestId: randomUUID(), from: year, to: year + 1, decisions: keepAll([pairing]) });
    expect(rolled.json.results[0].outcome).toBe('kept');
    const yesterday = shanghaiDate(new Date(Date.now() - 86_400_000));
    await doc.send(
      new UpdateCommand({
        TableName: tableName,
        Key: keys.pairing(pairing.pairingId),
        UpdateExpression: 'SET endedOn = :d',
        ExpressionAttributeValues: { ':d': yesterday },
      }),
    );

    // Act
    const res = await call('POST', `/api/staff/pairings/${pairing.pairingId}/contacts`, lead, {
      at: new Date().toISOString(),
      mode: 'visit',
      participants: ['张三'],
      summary: '走访企业了解情况',
    });

    // Assess
    expect(res.status).toBe(409);
    expect(res.json.error.code).toBe('INVALID_TRANSITION');
  });
});
