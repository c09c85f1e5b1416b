import { type DynamoDBDocumentClient, PutCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { beforeAll, describe, expect, it, vi } from 'vitest';
import { keys } from '../../shared/keys.ts';
import { METRIC, METRICS_NAMESPACE, METRICS_SERVICE } from '../../shared/metrics.ts';
import { jobPayload } from '../../shared/schedules.ts';
import { claimsFor, httpEvent, invoke } from '../support/events.ts';
import { type Handler, useFunctions } from '../support/table.ts';

let publicFn: Handler;
let staffFn: Handler;
let jobsFn: Handler;
let doc: DynamoDBDocumentClient;
let tableName: string;

beforeAll(async () => {
  ({ tableName, doc, publicFn, staffFn, jobsFn } = await useFunctions());
});

const runJob = (scheduledTime: string, executionId = crypto.randomUUID()) =>
  jobsFn(jobPayload('heartbeat', scheduledTime, executionId, '1'), {}) as Promise<{
    result: { created: boolean };
  }>;

describe('GET /api/health against DynamoDB Local', () => {
  it('answers version and Shanghai time, and the last heartbeat once the job has run', async () => {
    // Prepare: nothing has run yet
    const before = await invoke(publicFn, httpEvent('GET', '/api/health'));
    expect(before.status).toBe(200);
    expect(before.json).toMatchObject({ status: 'ok', version: '9.9.9-test', jobs: { heartbeat: null } });
    expect(before.json.time).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\+08:00$/);
    // Act: two runs, the later scheduled time recorded first
    await runJob('2026-11-24T00:00:00Z');
    await runJob('2026-11-23T00:00:00Z');
    // Assess: the newest scheduled time wins, shown in Shanghai time
    const after = await invoke(publicFn, httpEvent('GET', '/api/health'));
    expect(after.json.jobs.heartbeat).toBe('2026-11-24T08:00:00+08:00');
  });
});

describe('heartbeat job (rule 6/7 pattern: exactly once per scheduled time)', () => {
  it('records a scheduled time once, whether run twice in a row or ten times at once', async () => {
    const at = '2026-12-01T01:00:00Z';
    const sequential = [await runJob(at), await runJob(at)];
    const concurrent = await Promise.all(Array.from({ length: 10 }, () => runJob(at)));
    const created = [...sequential, ...concurrent].filter((r) => r.result.created);
    expect(created).toHaveLength(1);
    const { pk } = keys.jobRuns('heartbeat');
    const rows = await doc.send(
      new QueryCommand({
        TableName: tableName,
        KeyConditionExpression: 'pk = :pk AND sk = :sk',
        ExpressionAttributeValues: { ':pk': pk, ':sk': keys.jobRun('heartbeat', at).sk },
      }),
    );
    expect(rows.Count).toBe(1);
  });

  it('counts a Heartbeat metric (EMF) on every run, the one the stale-heartbeat alarm watches', async () => {
    // Prepare: Powertools writes EMF through the global console when POWERTOOLS_DEV is set (metrics kept on).
    Object.assign(process.env, { POWERTOOLS_DEV: 'true', POWERTOOLS_METRICS_DISABLED: 'false' });
    const lines: string[] = [];
    const spy = vi.spyOn(console, 'log').mockImplementation((line: unknown) => void lines.push(String(line)));

    // Act: a new scheduled time and the same one again (a duplicate delivery still proves the scheduler)
    await runJob('2026-12-02T01:00:00Z');
    await runJob('2026-12-02T01:00:00Z');
    spy.mockRestore();
    delete process.env.POWERTOOLS_DEV;

    // Assess
    const emf = lines
      .filter((l) => l.includes('"_aws"'))
      .map((l) => JSON.parse(l) as Record<string, unknown> & { _aws: { CloudWatchMetrics: unknown[] } });
    expect(emf).toHaveLength(2);
    for (const record of emf) {
      expect(record._aws.CloudWatchMetrics).toEqual([
        {
          Namespace: METRICS_NAMESPACE,
          Dimensions: [['service']],
          Metrics: [{ Name: METRIC.heartbeat, Unit: 'Count' }],
        },
      ]);
      expect(record).toMatchObject({ service: METRICS_SERVICE, [METRIC.heartbeat]: 1 });
    }
  });

  it('takes "now" from the event, so a re-run for a past slot records that slot', async () => {
    const past = '2025-01-01T00:00:00Z';
    const out = await runJob(past);
    expect(out).toMatchObject({ scheduledTime: past, result: { created: true } });
  });

  it('refuses a malformed event instead of guessing', async () => {
    await expect(jobsFn({ job: 'heartbeat', scheduledTime: 'yesterday' }, {})).rejects.toThrow();
    await expect(runJobNamed('no-such-job')).rejects.toThrow(/Unknown job/);
  });
});

const runJobNamed = (name: string) => jobsFn(jobPayload(name, '2026-12-01T01:00:00Z', 'e', 1), {});

describe('GET /api/staff/me', () => {
  it('answers the caller from the claims with the stored display name and jurisdiction name', async () => {
    await doc.send(
      new PutCommand({
        TableName: tableName,
        Item: {
          ...keys.user('lead.suzhou'),
          displayName: '苏州市专班负责人',
          email: 'l@x.test',
          role: 'lead',
          jurisdiction: '320500',
        },
      }),
    );
    const res = await invoke(
      staffFn,
      httpEvent('GET', '/api/staff/me', { claims: claimsFor('lead.suzhou', 'lead', '320500') }),
    );
    expect(res.status).toBe(200);
    expect(res.json.me).toEqual({
      username: 'lead.suzhou',
      displayName: '苏州市专班负责人',
      email: 'lead.suzhou@example.test',
      role: 'lead',
      jurisdiction: { code: '320500', name: { zh: '苏州市', en: 'Suzhou' }, level: 'city' },
    });
  });

  it('trusts the token over stored data: a stored admin role does not lift a liaison token', async () => {
    await doc.send(
      new PutCommand({
        TableName: tableName,
        Item: { ...keys.user('sneaky'), displayName: 'S', email: 's@x.test', role: 'admin', jurisdiction: '320000' },
      }),
    );
    const res = await invoke(
      staffFn,
      httpEvent('GET', '/api/staff/me', { claims: claimsFor('sneaky', 'liaison', '320507') }),
    );
    expect(res.json.me).toMatchObject({ role: 'liaison', jurisdiction: { code: '320507' } });
  });

  it('still answers for a signed-in user without a stored profile', async () => {
    const res = await invoke(
      staffFn,
      httpEvent('GET', '/api/staff/me', { claims: claimsFor('new.user', 'liaison', '320281') }),
    );
    expect(res.status).toBe(200);
    expect(res.json.me).toMatchObject({ username: 'new.user', displayName: 'new.user' });
  });
});

describe('access log lines', () => {
  it('name their own request, user and route when requests overlap in one process (the local runtime)', async () => {
    // Prepare: the access lines of ten overlapping requests by five people, captured from stdout.
    const { logger } = await import('../../functions/lib/http/log.ts');
    const level = logger.getLevelName();
    logger.setLogLevel('INFO');
    const lines: Record<string, unknown>[] = [];
    const write = process.stdout.write.bind(process.stdout);
    process.stdout.write = ((chunk: string | Uint8Array, ...rest: never[]) => {
      const text = String(chunk);
      if (text.includes('"message":"request"')) lines.push(JSON.parse(text) as Record<string, unknown>);
      else write(chunk, ...rest);
      return true;
    }) as typeof process.stdout.write;
    const events = Array.from({ length: 10 }, (_, i) =>
      httpEvent('GET', '/api/staff/me', { claims: claimsFor(`person.${i % 5}`, 'liaison', '320506') }),
    );

    // Act
    try {
      await Promise.all(events.map((event) => invoke(staffFn, event)));
    } finally {
      process.stdout.write = write;
      logger.setLogLevel(level as 'WARN');
    }

    // Assess: each request's line carries its own id with its own caller.
    const expected = events.map((e, i) => [e.requestContext.requestId, `person.${i % 5}`, 'GET /api/staff/me']);
    expect(new Set(events.map((e) => e.requestContext.requestId)).size).toBe(10);
    expect(lines.map((l) => [l.requestId, l.user, l.routeKey]).sort()).toEqual(expected.sort());
  });
});
