import { type DynamoDBDocumentClient, QueryCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { READ_PAGES } from '../../functions/lib/pairings/coverage.ts';
import { db } from '../../functions/lib/store/table.ts';
import type { CountyCoverage } from '../../shared/coverage.ts';
import { keys } from '../../shared/keys.ts';
import { shanghaiDate } from '../../shared/time.ts';
import { firmInput } from '../support/firms.ts';
import { putStaff, staffCaller, suzhouStaff } from '../support/staff-api.ts';
import { type Handler, useFunctions } from '../support/table.ts';
import { distinctUsccs } from '../support/uscc.ts';

/**
 * Issue 19, coverage per county: the year's pairings of each county against the target (the
 * `COVERAGE_TARGET` setting), the mix of firm sizes and of the firm types read from the record's raw
 * `types`, counties under target flagged; scoped like every read (rule 8: outside, 404).
 */
let staffFn: Handler;
let doc: DynamoDBDocumentClient;
let tableName: string;

const { lead, leadCity, leadJiangyin, admin } = suzhouStaff;
const year = Number(shanghaiDate(new Date()).slice(0, 4));
const pool = distinctUsccs(40);
const targetBefore = process.env.COVERAGE_TARGET;

beforeAll(async () => {
  ({ tableName, doc, staffFn } = await useFunctions());
  process.env.COVERAGE_TARGET = '3';
  await putStaff(doc, tableName, [['liaison.wuzhong', 'liaison', '320506']]);
});

afterAll(() => {
  if (targetBefore === undefined) delete process.env.COVERAGE_TARGET;
  else process.env.COVERAGE_TARGET = targetBefore;
});

const call = staffCaller(() => staffFn);

/** A Wuzhong firm of a size, its raw `types` set directly (another change adds the field), paired in `serviceYear`. */
const pairedFirm = async (size: string, types: unknown, serviceYear = year) => {
  const uscc = pool.pop() as string;
  const made = await call('POST', '/api/staff/enterprises', admin, firmInput(uscc, { name: '覆盖测试企业', size }));
  expect(made.status).toBe(201);
  if (types !== undefined)
    await doc.send(
      new UpdateCommand({
        TableName: tableName,
        Key: keys.enterprise(uscc),
        UpdateExpression: 'SET #types = :t',
        ExpressionAttributeNames: { '#types': 'types' },
        ExpressionAttributeValues: { ':t': types },
      }),
    );
  const paired = await call('POST', '/api/staff/pairings', lead, {
    uscc,
    liaison: 'liaison.wuzhong',
    serviceYear,
    startsOn: `${serviceYear}-01-01`,
  });
  expect(paired.status).toBe(201);
  return paired.json.pairing as { pairingId: string };
};

const countyOf = (answer: { coverage: { counties: CountyCoverage[] } }, code: string) =>
  answer.coverage.counties.find((c) => c.county === code) as CountyCoverage;

describe('coverage per county', () => {
  it('counts the year’s pairings not ended per county against the target, with the mix of sizes and types', async () => {
    // Prepare: two firms this year (one typed twice, one with an unknown code), one ended, one of last year.
    await pairedFirm('large', ['key_discharger', 'eagle_action']);
    await pairedFirm('small', ['strategic_emerging', 'made_up', 42]);
    const ended = await pairedFirm('micro', ['positive_list']);
    expect((await call('POST', `/api/staff/pairings/${ended.pairingId}/end`, lead)).status).toBe(200);
    await pairedFirm('medium', 'key_discharger', year - 1);

    // Act
    const res = await call('GET', `/api/staff/coverage?jurisdiction=320500&year=${year}`, leadCity);

    // Assess
    expect(res.status).toBe(200);
    expect(res.json.coverage).toMatchObject({ jurisdiction: '320500', serviceYear: year, target: 3, complete: true });
    expect(res.json.coverage.counties.map((c: CountyCoverage) => c.county)).toEqual(['320506', '320507']);
    expect(countyOf(res.json, '320506')).toEqual({
      county: '320506',
      paired: 2,
      underTarget: true,
      sizes: { large: 1, medium: 0, small: 1, micro: 0, unknown: 0 },
      types: {
        key_discharger: 1,
        strategic_emerging: 1,
        third_party_governance: 0,
        eagle_action: 1,
        positive_list: 0,
      },
      untyped: 0,
    });
    // A county with no pairing at all is listed, under target.
    expect(countyOf(res.json, '320507')).toMatchObject({ paired: 0, underTarget: true });
  });

  it('flags a county no more once it reaches the target, and counts a firm without types as untyped', async () => {
    // Prepare: Wuzhong holds two from the test before (the table is the file's); one more reaches 3.
    await pairedFirm('medium', undefined);

    // Act
    const res = await call('GET', `/api/staff/coverage?year=${year}`, lead);

    // Assess: the caller's own county by default.
    expect(res.status).toBe(200);
    expect(res.json.coverage.counties).toHaveLength(1);
    expect(countyOf(res.json, '320506')).toMatchObject({ paired: 3, underTarget: false, untyped: 1 });
  });

  it('keeps a pairing the year roll-over ended on its year’s list, and counts the one that continues it next year', async () => {
    // Prepare: last year's pairing, rolled over now (the new year has begun: it ends today).
    const before = await call('GET', `/api/staff/coverage?year=${year - 1}`, lead);
    const lastYear = await pairedFirm('large', ['eagle_action'], year - 1);
    const rolled = await call('POST', '/api/staff/pairings/roll-over', lead, {
      requestId: 'coverage-roll-1',
      from: year - 1,
      to: year,
      decisions: [{ pairingId: lastYear.pairingId, action: 'keep' }],
    });
    expect(rolled.json.results[0].outcome).toBe('kept');

    // Act
    const then = await call('GET', `/api/staff/coverage?year=${year - 1}`, lead);
    const now = await call('GET', `/api/staff/coverage?year=${year}`, lead);

    // Assess
    expect(countyOf(then.json, '320506').paired).toBe(countyOf(before.json, '320506').paired + 1);
    expect(countyOf(now.json, '320506')).toMatchObject({ paired: 4 });
    expect(countyOf(now.json, '320506').types.eagle_action).toBe(2);
  });

  it('stops reading at its budget of pages and says the counts are incomplete, however many pairings there are', async () => {
    // Prepare: the scope index answers page after page without end (a subtree far beyond the programme's).
    const client = db();
    const mock = mockClient(client);
    mock.send.callThrough();
    let pages = 0;
    mock.on(QueryCommand).callsFake(async () => {
      pages += 1;
      return { Items: [{ uscc: `91320506MA1XYW00${pages}`, county: '320506' }], LastEvaluatedKey: { page: pages } };
    });
    let res: Awaited<ReturnType<typeof call>>;
    try {
      // Act
      res = await call('GET', `/api/staff/coverage?jurisdiction=320000&year=${year}`, admin);
    } finally {
      mock.restore();
    }

    // Assess
    expect(res.status).toBe(200);
    expect(pages).toBe(READ_PAGES);
    expect(res.json.coverage.complete).toBe(false);
    expect(countyOf(res.json, '320506').paired).toBe(READ_PAGES);
  });

  it('answers 404 for a jurisdiction outside the caller’s scope, and 400 for one it does not know', async () => {
    // Act
    const outside = await call('GET', `/api/staff/coverage?jurisdiction=320500&year=${year}`, leadJiangyin);
    const unknown = await call('GET', '/api/staff/coverage?jurisdiction=320599', admin);
    const badYear = await call('GET', '/api/staff/coverage?year=twenty', admin);

    // Assess
    expect(outside.status).toBe(404);
    expect(unknown.status).toBe(400);
    expect(unknown.json.error.fields).toHaveProperty('jurisdiction');
    expect(badYear.status).toBe(400);
  });
});
