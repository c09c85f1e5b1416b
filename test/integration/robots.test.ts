import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { type DynamoDBDocumentClient, GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { keys } from '../../shared/keys.ts';
import { claimsFor, httpEvent, invoke } from '../support/events.ts';
import { type Handler, useFunctions } from '../support/table.ts';

// Rule 13 for the group-chat robots: the address a lead saves reaches only WeCom's and DingTalk's
// robot hosts, checked when saved and again when called; no redirect is followed; nothing of the
// far side's answer comes back but its HTTP status or numeric errcode; a slow or huge answer is cut.
// Robots here are servers on this machine, allowed only where a test turns ROBOT_LOOPBACK on, as
// the local runtime does (a deployed stack never does: see test/infra/app.test.ts).
let staffFn: Handler;
let doc: DynamoDBDocumentClient;
let tableName: string;
let deliveries: typeof import('../../functions/lib/messaging/deliveries.ts');

const lead = claimsFor('lead.wuzhong', 'lead', '320506');
const UNIT = '320506';

type Reply = (req: IncomingMessage, res: ServerResponse) => void;
interface Robot {
  readonly server: Server;
  readonly calls: string[];
  readonly origin: string;
}
const robots: Robot[] = [];

/** A server on 127.0.0.1 that records each call's path and answers with `reply`. */
const robot = async (reply: Reply): Promise<Robot> => {
  const calls: string[] = [];
  const server = createServer((req, res) => {
    req.resume();
    req.on('end', () => {
      calls.push(req.url ?? '');
      reply(req, res);
    });
  });
  await new Promise<void>((ok) => server.listen(0, '127.0.0.1', () => ok()));
  const made = { server, calls, origin: `http://127.0.0.1:${(server.address() as AddressInfo).port}` };
  robots.push(made);
  return made;
};

const json =
  (status: number, body: unknown): Reply =>
  (_req, res) => {
    res.writeHead(status, { 'content-type': 'application/json' });
    res.end(JSON.stringify(body));
  };

const call = (method: string, path: string, body?: unknown) =>
  invoke(
    staffFn,
    httpEvent(method, path, { claims: lead, ...(body === undefined ? {} : { body: JSON.stringify(body) }) }),
  );

/** Saves the unit's robot through the API (replacing whatever is there). */
const saveRobot = async (kind: string, url: string) => {
  const current = await call('GET', `/api/staff/webhooks/${UNIT}`);
  const version = (current.json.webhook as { version?: number } | null)?.version;
  return call('PUT', `/api/staff/webhooks/${UNIT}`, { kind, url, ...(version ? { version } : {}) });
};

/** Writes a robot straight into the table, as one saved before the address rule would be. */
const storeRobotAsBefore = async (url: string) => {
  const before = await doc.send(new GetCommand({ TableName: tableName, Key: keys.webhook(UNIT) }));
  await doc.send(
    new PutCommand({
      TableName: tableName,
      Item: {
        ...keys.webhook(UNIT),
        type: 'webhook',
        kind: 'wecom',
        url,
        version: ((before.Item?.version as number | undefined) ?? 0) + 1,
        updatedAt: '2026-01-01T00:00:00.000Z',
        updatedBy: 'lead.wuzhong',
      },
    }),
  );
};

/** Sends one message with a robot delivery through the delivery rounds; answers the delivery as recorded. */
const deliverTo = async (url: string) => {
  const key = { pk: `NUDGE#robot-${crypto.randomUUID()}`, sk: 'NUDGE' };
  const list = [{ channel: 'webhook', to: UNIT, webhook: { kind: 'wecom', url }, status: 'pending', attempts: 0 }];
  await doc.send(new PutCommand({ TableName: tableName, Item: { ...key, deliveries: list } }));
  await deliveries.deliver(key, list as never, { subject: '主题', text: '正文' }, deliveries.newRun());
  const stored = await doc.send(new GetCommand({ TableName: tableName, Key: key }));
  return ((stored.Item?.deliveries ?? []) as Record<string, unknown>[]).at(0) ?? {};
};

const WECOM_PATH = '/cgi-bin/webhook/send?key=robottestkey0123456789';

beforeAll(async () => {
  // The failing robots are the point: their warnings need not fill the test output.
  process.env.POWERTOOLS_LOG_LEVEL = 'ERROR';
  process.env.DELIVERY_BACKOFF_MS = '1';
  ({ tableName, doc, staffFn } = await useFunctions());
  deliveries = await import('../../functions/lib/messaging/deliveries.ts');
});

afterEach(() => {
  delete process.env.ROBOT_LOOPBACK;
  delete process.env.ROBOT_HOSTS;
});

afterAll(() => {
  for (const r of robots) r.server.close();
});

describe('robot addresses reach only the platforms’ robot hosts', () => {
  it('refuses, when saving, any address that is not WeCom’s or DingTalk’s own robot address', async () => {
    // Prepare: a deployment as in AWS (no loopback robots), and the spellings an attacker would try.
    const hostile = [
      'https://169.254.169.254/latest/meta-data/iam/security-credentials/',
      'https://10.0.0.1/',
      'http://127.0.0.1:9001/cgi-bin/webhook/send?key=x',
      'https://127.0.0.1/cgi-bin/webhook/send?key=x',
      'https://[::1]/cgi-bin/webhook/send?key=x',
      'https://2130706433/cgi-bin/webhook/send?key=x',
      'http://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=x',
      'https://qyapi.weixin.qq.com.evil.example/cgi-bin/webhook/send?key=x',
      'https://evilqyapi.weixin.qq.com/cgi-bin/webhook/send?key=x',
      'https://qyapi.weixin.qq.com@evil.example/cgi-bin/webhook/send?key=x',
      'https://user:pw@qyapi.weixin.qq.com/cgi-bin/webhook/send?key=x',
      'https://qyapi.weixin.qq.com:8443/cgi-bin/webhook/send?key=x',
      'https://qyapi.weixin.qq.com:443/cgi-bin/webhook/send?key=x',
      'https://qyapi.weixin.qq.com./cgi-bin/webhook/send?key=x',
      'https://QYAPI.weixin.qq.com/cgi-bin/webhook/send?key=x',
      'https://ｑyapi.weixin.qq.com/cgi-bin/webhook/send?key=x',
      'https:\\\\qyapi.weixin.qq.com\\cgi-bin\\webhook\\send?key=x',
      'https://qyapi.weixin.qq.com/cgi-bin/webhook/send/../../../admin?key=x',
      'https://qyapi.weixin.qq.com/cgi-bin/other?key=x',
      'https://oapi.dingtalk.com/robot/send?access_token=x',
      'ftp://qyapi.weixin.qq.com/cgi-bin/webhook/send',
    ];

    // Act
    const answers = [];
    for (const url of hostile) answers.push({ url, answer: await saveRobot('wecom', url) });

    // Assess: each one a 400 on the url field, and nothing saved.
    for (const { url, answer } of answers) {
      expect(answer.status, url).toBe(400);
      expect(answer.json.error.code, url).toBe('VALIDATION_FAILED');
      expect(answer.json.error.fields, url).toHaveProperty('url');
    }
    expect((await call('GET', `/api/staff/webhooks/${UNIT}`)).json.webhook).toBeNull();
  });

  it('saves the platforms’ own addresses, on the hosts this deployment names', async () => {
    // Act
    const wecom = await saveRobot('wecom', `https://qyapi.weixin.qq.com${WECOM_PATH}`);
    const dingtalk = await saveRobot('dingtalk', 'https://oapi.dingtalk.com/robot/send?access_token=abcdef0123456789');
    process.env.ROBOT_HOSTS = 'robots.example.gov.cn';
    const ownHost = await saveRobot('wecom', `https://robots.example.gov.cn${WECOM_PATH}`);
    const defaultHostNow = await saveRobot('wecom', `https://qyapi.weixin.qq.com${WECOM_PATH}`);

    // Assess
    expect([wecom.status, dingtalk.status, ownHost.status]).toEqual([200, 200, 200]);
    expect(defaultHostNow.status).toBe(400);
  });

  it('never calls a robot address stored before the rule, whether tested or delivered', async () => {
    // Prepare: a robot on this machine, saved as the old code let it be; loopback not allowed here.
    const inside = await robot(json(200, { errcode: 0, errmsg: 'ok' }));
    await storeRobotAsBefore(`${inside.origin}${WECOM_PATH}`);

    // Act
    const tested = await call('POST', `/api/staff/webhooks/${UNIT}/test`);
    const delivered = await deliverTo(`${inside.origin}${WECOM_PATH}`);

    // Assess: refused on both paths, recorded as failed, and the address was never called.
    expect(tested.status).toBe(502);
    expect(tested.json.error.code).toBe('WEBHOOK_FAILED');
    expect(delivered).toMatchObject({ status: 'failed' });
    expect(String(delivered.lastError)).toMatch(/not allowed/);
    expect(inside.calls).toEqual([]);
  });
});

describe('robot calls', () => {
  it('never follows a redirect: a 3xx is a failed delivery with its status', async () => {
    // Prepare: a robot that sends its callers on to another service on this machine.
    process.env.ROBOT_LOOPBACK = '1';
    const inner = await robot(json(200, { errcode: 0, errmsg: 'ok' }));
    const redirecting = await robot((_req, res) => {
      res.writeHead(307, { location: `${inner.origin}/latest/meta-data/` });
      res.end();
    });
    expect((await saveRobot('wecom', `${redirecting.origin}${WECOM_PATH}`)).status).toBe(200);

    // Act
    const tested = await call('POST', `/api/staff/webhooks/${UNIT}/test`);
    const delivered = await deliverTo(`${redirecting.origin}${WECOM_PATH}`);

    // Assess
    expect(tested.status).toBe(502);
    expect(tested.json.error.message).toBe('Webhook answered 307');
    expect(delivered).toMatchObject({ status: 'failed', lastError: 'WebhookError: Webhook answered 307' });
    expect(redirecting.calls.length).toBeGreaterThanOrEqual(2);
    expect(inner.calls).toEqual([]);
  });

  it('passes on a robot’s errcode or HTTP status only, never the words of its answer', async () => {
    // Prepare: a robot that refuses with a tale, and one that fails with a page of text.
    process.env.ROBOT_LOOPBACK = '1';
    const secret = 'AKIAIOSFODNN7EXAMPLE from the metadata service';
    const refusing = await robot(json(200, { errcode: 93000, errmsg: secret }));
    const failing = await robot((_req, res) => {
      res.writeHead(500, { 'content-type': 'text/plain' });
      res.end(secret);
    });

    // Act
    await saveRobot('wecom', `${refusing.origin}${WECOM_PATH}`);
    const refused = await call('POST', `/api/staff/webhooks/${UNIT}/test`);
    await saveRobot('wecom', `${failing.origin}${WECOM_PATH}`);
    const failed = await call('POST', `/api/staff/webhooks/${UNIT}/test`);
    const refusedDelivery = await deliverTo(`${refusing.origin}${WECOM_PATH}`);
    const failedDelivery = await deliverTo(`${failing.origin}${WECOM_PATH}`);

    // Assess
    expect(refused.status).toBe(502);
    expect(refused.json.error.message).toBe('Webhook refused: errcode 93000');
    expect(failed.json.error.message).toBe('Webhook answered 500');
    expect(refusedDelivery.lastError).toBe('WebhookError: Webhook refused: errcode 93000');
    expect(failedDelivery.lastError).toBe('WebhookError: Webhook answered 500');
    expect(JSON.stringify([refused.json, failed.json, refusedDelivery, failedDelivery])).not.toContain('AKIA');
  });

  it('reads no more than a few kilobytes of an answer', async () => {
    // Prepare: a robot whose "ok" answer goes on for a megabyte, in chunks (no length announced).
    process.env.ROBOT_LOOPBACK = '1';
    const flooding = await robot((_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.write('{"errcode":0,"errmsg":"');
      for (let i = 0; i < 64; i++) res.write('x'.repeat(16 * 1024));
      res.end('"}');
    });
    await saveRobot('wecom', `${flooding.origin}${WECOM_PATH}`);

    // Act
    const tested = await call('POST', `/api/staff/webhooks/${UNIT}/test`);

    // Assess
    expect(tested.status).toBe(502);
    expect(tested.json.error.message).toMatch(/^Webhook answer over \d+ bytes$/);
  });

  it('gives up on a robot that never finishes its answer', async () => {
    // Prepare: a robot that says 200 and then never ends the body.
    process.env.ROBOT_LOOPBACK = '1';
    const stalling = await robot((_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.write('{"errcode":');
    });
    await saveRobot('wecom', `${stalling.origin}${WECOM_PATH}`);

    // Act
    const started = Date.now();
    const tested = await call('POST', `/api/staff/webhooks/${UNIT}/test`);

    // Assess: the robot's own time limit (5 s), not the function's.
    expect(tested.status).toBe(502);
    expect(tested.json.error.message).toBe('Webhook timed out');
    expect(Date.now() - started).toBeLessThan(8000);
    for (const r of robots) r.server.closeAllConnections();
  });
});
