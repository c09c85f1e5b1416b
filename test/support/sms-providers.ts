import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * Small local endpoints speaking the mainland SMS providers' APIs and Secrets Manager's, for the
 * provider tests: the SDKs are pointed at them (Aliyun: Config.endpoint; Tencent:
 * httpProfile.endpoint, both from SMS_ENDPOINT; Secrets Manager: AWS_ENDPOINT_URL_SECRETS_MANAGER),
 * so the requests are the SDKs' own. Each records what it got; `answer` sets the next answers.
 */
export interface ProviderRequest {
  readonly headers: IncomingMessage['headers'];
  /** Aliyun (RPC style): the query's parameters. */
  readonly query: Record<string, string>;
  /** Tencent and Secrets Manager: the JSON body. */
  readonly body: Record<string, unknown>;
}

export interface Answer {
  readonly status: number;
  readonly body: unknown;
}

export interface ProviderEndpoint {
  readonly url: string;
  readonly requests: ProviderRequest[];
  /** Answers for the next requests, in order; after them the default (a success). */
  answer(...answers: Answer[]): void;
  stop(): Promise<void>;
}

const serve = async (ok: (req: ProviderRequest) => unknown): Promise<ProviderEndpoint> => {
  const requests: ProviderRequest[] = [];
  const queued: Answer[] = [];
  const server: Server = createServer(async (req, res) => {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const text = Buffer.concat(chunks).toString('utf8');
    let body: Record<string, unknown> = {};
    try {
      body = text ? (JSON.parse(text) as Record<string, unknown>) : {};
    } catch {
      body = {};
    }
    const query = Object.fromEntries(new URL(req.url ?? '/', 'http://x').searchParams);
    const request = { headers: req.headers, query, body };
    requests.push(request);
    const answer = queued.shift() ?? { status: 200, body: ok(request) };
    res.writeHead(answer.status, { 'content-type': 'application/json' });
    res.end(JSON.stringify(answer.body));
  });
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', () => done()));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    requests,
    answer: (...answers) => queued.push(...answers),
    stop: () =>
      new Promise<void>((done) => {
        server.closeAllConnections();
        server.close(() => done());
      }),
  };
};

/** Aliyun SMS (dysmsapi 2017-05-25): SendSms answers `{"Code":"OK","BizId":…}`. */
export const startAliyunSms = () =>
  serve(() => ({ Code: 'OK', Message: 'OK', BizId: `biz-${Date.now()}`, RequestId: 'req-1' }));

/** Tencent Cloud SMS (2021-01-11): SendSms answers a status per number. */
export const startTencentSms = () =>
  serve((req) => ({
    Response: {
      SendStatusSet: ((req.body.PhoneNumberSet as string[] | undefined) ?? []).map((phone) => ({
        SerialNo: `serial-${Date.now()}`,
        PhoneNumber: phone,
        Fee: 1,
        SessionContext: '',
        Code: 'Ok',
        Message: 'send success',
        IsoCode: 'CN',
      })),
      RequestId: 'req-1',
    },
  }));

/** Secrets Manager's GetSecretValue (JSON 1.1 protocol) for the secrets given, by ARN. */
export const startSecretsManager = (secrets: Record<string, unknown>) =>
  serve((req) => {
    const id = String(req.body.SecretId ?? '');
    return { ARN: id, Name: id.split(':').at(-1), SecretString: JSON.stringify(secrets[id]) };
  });
