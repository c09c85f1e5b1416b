import { createServer, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import * as z from 'zod/mini';

/**
 * The frame of a local stand-in for an AWS service that speaks the JSON 1.1 protocol (Cognito user
 * pools, KMS): one POST per call, the operation in `X-Amz-Target`, errors as `__type` plus the
 * `x-amzn-errortype` header, so the SDK in the handlers parses them into its own exception classes.
 */
export class AwsJsonError extends Error {
  readonly type: string;
  constructor(type: string, message: string) {
    super(message);
    this.type = type;
  }
}

/** A call's input, or `InvalidParameterException` (the name both services use) naming what is wrong. */
export const parseInput = <S extends z.core.$ZodType>(schema: S, value: unknown): z.output<S> => {
  const result = z.safeParse(schema, value);
  if (!result.success) throw new AwsJsonError('InvalidParameterException', result.error.message);
  return result.data;
};

/** A stand-in's calls, by operation name (the part of `X-Amz-Target` after the dot). */
export type AwsJsonActions = Record<string, (input: unknown) => unknown>;

/** A request body, capped: stand-ins run on the test machine and read only small JSON calls. */
const readJson = async (req: IncomingMessage): Promise<unknown> => {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).byteLength;
    if (size > 1024 * 1024) throw new AwsJsonError('InvalidParameterException', 'Request too large');
    chunks.push(chunk as Buffer);
  }
  try {
    return JSON.parse(Buffer.concat(chunks).toString('utf8')) as unknown;
  } catch {
    throw new AwsJsonError('InvalidParameterException', 'Malformed JSON');
  }
};

export interface StandIn {
  /** What the SDK's `AWS_ENDPOINT_URL_<SERVICE>` (or `endpoint`) is set to. */
  readonly endpoint: string;
  stop(): Promise<void>;
}

/** Serves `actions` on a free port of 127.0.0.1. */
export const startAwsJsonStandIn = async (actions: AwsJsonActions): Promise<StandIn> => {
  const server = createServer(async (req, res) => {
    const target =
      String(req.headers['x-amz-target'] ?? '')
        .split('.')
        .pop() ?? '';
    const send = (status: number, body: unknown, type?: string) => {
      res.writeHead(status, {
        'content-type': 'application/x-amz-json-1.1',
        ...(type ? { 'x-amzn-errortype': type } : {}),
      });
      res.end(JSON.stringify(body));
    };
    try {
      const action = Object.hasOwn(actions, target) ? actions[target] : undefined;
      if (req.method !== 'POST' || !action) throw new AwsJsonError('UnknownOperationException', `No ${target}`);
      send(200, await action(await readJson(req)));
    } catch (error) {
      if (error instanceof AwsJsonError) send(400, { __type: error.type, message: error.message }, error.type);
      else send(500, { __type: 'InternalErrorException', message: String(error) }, 'InternalErrorException');
    }
  });
  await new Promise<void>((ok, fail) => {
    server.once('error', fail);
    server.listen(0, '127.0.0.1', () => ok());
  });
  const { port } = server.address() as AddressInfo;
  return {
    endpoint: `http://127.0.0.1:${port}`,
    stop: () =>
      new Promise<void>((ok) => {
        server.closeAllConnections();
        server.close(() => ok());
      }),
  };
};
