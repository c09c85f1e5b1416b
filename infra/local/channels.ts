import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { ENV } from '../../shared/config.ts';
import type { OutboxEntry } from '../../shared/outbox.ts';
import { ROBOT_PATHS, type WebhookKind } from '../../shared/webhooks.ts';

/**
 * The local stand-ins for the channels, speaking the real protocols so the functions run the same
 * code as in AWS: SES v2 (aws-ses-v2-local, whose page at its address shows the mail), SNS's Publish
 * (Query API, XML answer; the local runtime's SMS provider is `sns`), and a group-chat robot
 * answering as WeCom and DingTalk do. The SDK clients find them through the standard
 * AWS_ENDPOINT_URL_<SERVICE> variables (`env`). What they received is the local outbox.
 *
 * One record per process: aws-ses-v2-local keeps its mail in a module-wide store, so every
 * instance started in a process (a runtime restarted, a test's own channels) sees all of it.
 */
type SmsEntry = Extract<OutboxEntry, { channel: 'sms' }>;
type RobotEntry = Extract<OutboxEntry, { channel: 'robot' }>;
const received: (SmsEntry | RobotEntry)[] = [];
/** When each e-mail arrived, by message id, to the millisecond (the store keeps whole seconds). */
const mailArrivals = new Map<string, string>();
let mailsStamped = 0;

type SesStore = typeof import('aws-ses-v2-local/dist/store.js');
let sesStore: SesStore | undefined;

const stampNewMail = (): void => {
  const emails = sesStore?.getStoreReadonly().emails ?? [];
  if (emails.length < mailsStamped) mailsStamped = 0;
  const at = new Date().toISOString();
  for (const mail of emails.slice(mailsStamped))
    if (!mailArrivals.has(mail.messageId)) mailArrivals.set(mail.messageId, at);
  mailsStamped = emails.length;
};

/** Everything the stand-ins in this process received, oldest first. */
export const sentLocally = (): OutboxEntry[] => {
  stampNewMail();
  const mails: OutboxEntry[] = (sesStore?.getStoreReadonly().emails ?? []).map((mail) => ({
    channel: 'email',
    id: mail.messageId,
    at: mailArrivals.get(mail.messageId) ?? new Date(mail.at * 1000).toISOString(),
    to: mail.destination.to,
    subject: mail.subject,
    text: mail.body.text ?? '',
    attachments: mail.attachments.map((a) => ({
      fileName: a.filename ?? '',
      contentType: a.contentType,
      content: Buffer.from(a.content, 'base64').toString('utf8'),
    })),
  }));
  // A stable sort: entries of the same millisecond keep the order they were received in.
  return [...mails, ...received].sort((a, b) => (a.at < b.at ? -1 : a.at > b.at ? 1 : 0));
};

const readBody = async (req: IncomingMessage, cap = 1024 * 1024): Promise<string> => {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > cap) throw new Error('Request too large');
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks).toString('utf8');
};

/**
 * Each stand-in's last port in this process: a restarted runtime takes the same ones again when
 * free, as SDK clients already made (kept by loaded handler modules, as Lambda keeps them) hold
 * the endpoint they were made with.
 */
const lastPorts = new Map<string, number>();

const listenOn = (server: Server, port: number) =>
  new Promise<void>((ok, fail) => {
    server.once('error', fail);
    server.listen(port, '127.0.0.1', () => {
      server.off('error', fail);
      ok();
    });
  });

const portFree = async (port: number): Promise<boolean> => {
  const probe = createServer();
  const free = await listenOn(probe, port).then(
    () => true,
    () => false,
  );
  if (free) await close(probe);
  return free;
};

const listen = async (name: string, server: Server): Promise<string> => {
  const last = lastPorts.get(name);
  await (last ? listenOn(server, last).catch(() => listenOn(server, 0)) : listenOn(server, 0));
  const { port } = server.address() as AddressInfo;
  lastPorts.set(name, port);
  return `http://127.0.0.1:${port}`;
};

const close = (server: Server) =>
  new Promise<void>((ok) => {
    server.closeAllConnections();
    server.close(() => ok());
  });

const xml = (text: string) =>
  text.replace(/[<>&'"]/g, (c) => ({ '<': '&lt;', '>': '&gt;', '&': '&amp;', "'": '&apos;', '"': '&quot;' })[c] ?? c);
const SNS_NS = 'http://sns.amazonaws.com/doc/2010-03-31/';

/**
 * Amazon SNS's Publish to a phone number, as the SDK speaks it: a form-encoded Query request
 * (Action=Publish, PhoneNumber in E.164, Message) answered in XML; anything else is refused the
 * way SNS refuses it (ErrorResponse, 400).
 */
const startSnsStandIn = async () => {
  const server = createServer(async (req, res) => {
    const requestId = randomUUID();
    const fail = (status: number, code: string, message: string) => {
      res.writeHead(status, { 'content-type': 'text/xml' });
      res.end(
        `<ErrorResponse xmlns="${SNS_NS}"><Error><Type>Sender</Type><Code>${code}</Code><Message>${xml(message)}</Message></Error><RequestId>${requestId}</RequestId></ErrorResponse>`,
      );
    };
    try {
      if (req.method !== 'POST') return fail(400, 'InvalidAction', 'Only POST is supported');
      if (!String(req.headers.authorization ?? '').startsWith('AWS4-HMAC-SHA256'))
        return fail(403, 'MissingAuthenticationToken', 'Request is missing Authentication Token');
      const form = new URLSearchParams(await readBody(req));
      if (form.get('Action') !== 'Publish')
        return fail(400, 'InvalidAction', `Unsupported action ${form.get('Action')}`);
      const phone = form.get('PhoneNumber') ?? '';
      const message = form.get('Message') ?? '';
      if (!/^\+[1-9]\d{6,14}$/.test(phone)) return fail(400, 'InvalidParameter', 'Invalid parameter: PhoneNumber');
      if (message === '' || Buffer.byteLength(message) > 1600)
        return fail(400, 'InvalidParameter', 'Invalid parameter: Message');
      const messageId = randomUUID();
      received.push({ channel: 'sms', id: messageId, at: new Date().toISOString(), to: phone, text: message });
      res.writeHead(200, { 'content-type': 'text/xml' });
      res.end(
        `<PublishResponse xmlns="${SNS_NS}"><PublishResult><MessageId>${messageId}</MessageId></PublishResult><ResponseMetadata><RequestId>${requestId}</RequestId></ResponseMetadata></PublishResponse>`,
      );
    } catch {
      fail(500, 'InternalError', 'Internal error');
    }
  });
  return { endpoint: await listen('sns', server), stop: () => close(server) };
};

/** The text a robot shows: a text message's content, or a markdown message's. */
const robotText = (body: unknown): string => {
  const b = body as { text?: { content?: unknown }; markdown?: { content?: unknown; text?: unknown } } | null;
  const text = b?.text?.content ?? b?.markdown?.content ?? b?.markdown?.text;
  return typeof text === 'string' ? text : '';
};

/**
 * A group-chat robot on this machine, for both platforms' paths: takes a JSON message and answers
 * `{"errcode":0,"errmsg":"ok"}` as WeCom and DingTalk do (an unreadable message gets their
 * non-zero errcode, in a 200 answer, as they send it).
 */
const startRobotStandIn = async () => {
  const paths = new Set<string>(Object.values(ROBOT_PATHS));
  const server = createServer(async (req, res) => {
    const answer = (errcode: number, errmsg: string) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ errcode, errmsg }));
    };
    const url = new URL(req.url ?? '/', 'http://robot.local');
    if (req.method !== 'POST' || !paths.has(url.pathname)) {
      res.writeHead(404);
      res.end();
      return;
    }
    let body: unknown;
    try {
      body = JSON.parse(await readBody(req, 64 * 1024));
    } catch {
      return answer(40035, 'invalid json');
    }
    const text = robotText(body);
    if (!text) return answer(40008, 'invalid message type');
    const host = req.headers.host ?? '127.0.0.1';
    received.push({
      channel: 'robot',
      id: randomUUID(),
      at: new Date().toISOString(),
      to: `http://${host}${url.pathname}${url.search}`,
      text,
      body,
    });
    answer(0, 'ok');
  });
  return { endpoint: await listen('robot', server), stop: () => close(server) };
};

export interface LocalChannels {
  /** The variables that point the SDK clients at the stand-ins, plus the SMS provider they speak. */
  readonly env: Readonly<Record<string, string>>;
  /** The SES stand-in's address; its page shows the mail received. */
  readonly mailUrl: string;
  /** A robot address of the local stand-in for a platform (`key` tells robots apart in the outbox). */
  robotUrl(kind: WebhookKind, key: string): string;
  stop(): Promise<void>;
}

/** Starts the three stand-ins on free ports of 127.0.0.1. */
export const startLocalChannels = async (): Promise<LocalChannels> => {
  const ses0 = await import('aws-ses-v2-local');
  // A CommonJS module compiled from ESM: Node gives its exports as `default`, whose `default` is the server.
  type StartSes = (config: { host: string; port: number }) => Promise<Server>;
  const loaded = ses0.default as unknown as StartSes | { default: StartSes };
  const startSes = typeof loaded === 'function' ? loaded : loaded.default;
  sesStore ??= await import('aws-ses-v2-local/dist/store.js');
  // aws-ses-v2-local never settles when its port is taken, so its last port is tried first on a probe.
  const last = lastPorts.get('ses');
  const ses = await startSes({ host: '127.0.0.1', port: last && (await portFree(last)) ? last : 0 });
  lastPorts.set('ses', (ses.address() as AddressInfo).port);
  // Stamp each mail when its request is answered: the store keeps whole seconds only.
  ses.on('request', (_req: IncomingMessage, res: ServerResponse) => res.on('finish', stampNewMail));
  const sns = await startSnsStandIn();
  const robot = await startRobotStandIn();
  const mailUrl = `http://127.0.0.1:${(ses.address() as AddressInfo).port}`;
  return {
    env: {
      AWS_ENDPOINT_URL_SESV2: mailUrl,
      AWS_ENDPOINT_URL_SNS: sns.endpoint,
      [ENV.smsProvider]: 'sns',
    },
    mailUrl,
    robotUrl: (kind, key) =>
      `${robot.endpoint}${ROBOT_PATHS[kind]}?${kind === 'wecom' ? 'key' : 'access_token'}=${encodeURIComponent(key)}`,
    stop: async () => {
      await Promise.all([close(ses), sns.stop(), robot.stop()]);
    },
  };
};
