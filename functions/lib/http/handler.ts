import middy, { type MiddlewareObj } from '@middy/core';
import type { APIGatewayProxyEventV2WithJWTAuthorizer, APIGatewayProxyStructuredResultV2, Context } from 'aws-lambda';
import * as z from 'zod/mini';
import type { HandlerAnswerOf } from '../../../shared/answers.ts';
import { type ErrorBody, fieldsOfIssues } from '../../../shared/api-errors.ts';
import type { FunctionName } from '../../../shared/functions.ts';
import {
  decodeSegment,
  isFirm,
  type RouteDef,
  type RouteIdOf,
  routeKey,
  routesOf,
  staffRoles,
} from '../../../shared/routes.ts';
import { checkAccount } from './account-check.ts';
import { AppError, NotFoundError, PayloadTooLargeError, RateLimitedError, ValidationError } from './errors.ts';
import { checkFirm } from './firm-check.ts';
import { type FirmIdentity, type Identity, readFirmIdentity, readIdentity, requireRole } from './identity.ts';
import { hideInLogs, logger } from './log.ts';

export type HttpEvent = APIGatewayProxyEventV2WithJWTAuthorizer;
export type HttpResult = APIGatewayProxyStructuredResultV2;

/** Bodies larger than this are refused with 413 before parsing. */
export const MAX_BODY_BYTES = 256 * 1024;

/** A non-default reply: status, body (JSON unless a string), headers. */
export interface Reply<B = unknown> {
  readonly status: number;
  readonly body?: B;
  readonly headers?: Record<string, string>;
}
const REPLY = Symbol('reply');
export const reply = <B = undefined>(status: number, body?: B, headers?: Record<string, string>): Reply<B> =>
  ({ [REPLY]: true, status, body, headers }) as Reply<B>;
const isReply = (value: unknown): value is Reply => typeof value === 'object' && value !== null && REPLY in value;

/** A body taken as a file (`file: true` routes): its bytes and declared type. */
export interface UploadedFile {
  readonly bytes: Buffer;
  readonly contentType: string;
}

export interface RequestContext<P, Q, B> {
  readonly params: P;
  readonly query: Q;
  readonly body: B;
  /** The raw body, on routes declared with `file: true` (then `body` is undefined). */
  readonly file: UploadedFile | undefined;
  /** Present on staff routes (the stack refuses the request otherwise). */
  readonly identity: Identity | undefined;
  /** Present on firm routes (`auth: 'firm'`): the one firm the request may read or act for. */
  readonly firm: FirmIdentity | undefined;
  readonly event: HttpEvent;
  readonly requestId: string;
}

type Schema = z.core.$ZodType;
type Out<S> = S extends z.core.$ZodType ? z.output<S> : undefined;

export interface RouteSpec<PS, QS, BS, R> {
  readonly params?: PS;
  readonly query?: QS;
  readonly body?: BS;
  /** Take the body as a file instead of JSON. */
  readonly file?: true;
  readonly handler: (ctx: RequestContext<Out<PS>, Out<QS>, Out<BS>>) => Promise<R>;
}

/** What a handler's return value puts in the answer's body: a reply's body, or the value itself. */
type BodyOf<R> = R extends Reply<infer B> ? B : R;

/** A handler bound to its schemas; `createApi` runs it behind the shared middleware. */
export interface RouteHandler<A = unknown> {
  readonly run: (event: HttpEvent, identity: Identity | undefined, firm?: FirmIdentity) => Promise<unknown>;
  /**
   * The body this handler answers with, for the typecheck only (never set): `createApi` wants it to be
   * the route's answer in `shared/answers.ts`, the type the pages read it as.
   */
  readonly answer?: A;
}

const parseWith = <S extends Schema | undefined>(schema: S, value: unknown): Out<S> => {
  if (!schema) return undefined as Out<S>;
  const result = z.safeParse(schema, value);
  if (!result.success) throw new ValidationError(fieldsOfIssues(result.error.issues));
  return result.data as Out<S>;
};

const rawBytes = (event: HttpEvent): Buffer =>
  event.body === undefined || event.body === null
    ? Buffer.alloc(0)
    : Buffer.from(event.body, event.isBase64Encoded ? 'base64' : 'utf8');

const rawBody = (event: HttpEvent): string | undefined => {
  if (event.body === undefined || event.body === null) return undefined;
  return event.isBase64Encoded ? Buffer.from(event.body, 'base64').toString('utf8') : event.body;
};

const headerOf = (event: HttpEvent, name: string): string =>
  Object.entries(event.headers ?? {}).find(([key]) => key.toLowerCase() === name)?.[1] ?? '';

/** Parses the JSON body; malformed JSON is a 400 on the `body` field. */
const parseJsonBody = (event: HttpEvent): unknown => {
  const text = rawBody(event);
  if (text === undefined || text.trim() === '') return undefined;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    throw new ValidationError({ body: 'Malformed JSON' }, 'The request body is not valid JSON');
  }
};

export const defineRoute = <
  PS extends Schema | undefined = undefined,
  QS extends Schema | undefined = undefined,
  BS extends Schema | undefined = undefined,
  R = unknown,
>(
  spec: RouteSpec<PS, QS, BS, R>,
): RouteHandler<BodyOf<R>> => ({
  run: async (event, identity, firm) => {
    const params = parseWith(spec.params as PS, event.pathParameters ?? {});
    const query = parseWith(spec.query as QS, event.queryStringParameters ?? {});
    const body = spec.body ? parseWith(spec.body as BS, parseJsonBody(event)) : (undefined as Out<BS>);
    const file = spec.file ? { bytes: rawBytes(event), contentType: headerOf(event, 'content-type') } : undefined;
    return spec.handler({
      params,
      query,
      body,
      file,
      identity,
      firm,
      event,
      requestId: event.requestContext.requestId,
    });
  },
});

const json = (status: number, body: unknown, headers: Record<string, string> = {}): HttpResult => ({
  statusCode: status,
  headers: { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store', ...headers },
  body: JSON.stringify(body),
});

/** Turns a handler's return value into the HTTP result. */
const toResult = (value: unknown): HttpResult => {
  if (!isReply(value)) return json(200, value);
  if (value.body === undefined) return { statusCode: value.status, headers: { ...value.headers } };
  if (typeof value.body === 'string' || value.body instanceof Uint8Array) {
    const buffer = Buffer.from(value.body);
    const binary = typeof value.body !== 'string';
    return {
      statusCode: value.status,
      headers: { 'cache-control': 'no-store', ...value.headers },
      body: binary ? buffer.toString('base64') : (value.body as string),
      isBase64Encoded: binary,
    };
  }
  return json(value.status, value.body, value.headers);
};

/** The one place where errors become responses. */
export const errorResponse = (error: unknown): HttpResult => {
  if (error instanceof AppError) {
    const body: ErrorBody = {
      ...error.details,
      code: error.code,
      message: error.message,
    };
    if (error.fields) body.fields = error.fields;
    // RFC 9110 §10.2.3: a 429 says when to come back, in seconds.
    const headers = error instanceof RateLimitedError ? { 'retry-after': String(error.retryAfterSeconds) } : undefined;
    return json(error.status, { error: body }, headers);
  }
  const body: ErrorBody = { code: 'INTERNAL', message: 'Something went wrong on our side' };
  return json(500, { error: body });
};

type Request = middy.Request<HttpEvent, HttpResult, Error, Context>;

/**
 * Each request's own log keys (request id, route, user), by event. Lambda runs one request at a
 * time per process, where the logger's appended keys are enough; the local runtime runs many at
 * once in one process, so the access line names its request's keys itself.
 */
const requestKeys = new WeakMap<HttpEvent, Record<string, unknown>>();

/**
 * Request id and route on every log line; one access line per request. The request's secret path
 * parameters (its route's `secret`) are hidden from every line logged while it runs.
 */
const logging = (secretsOf: (event: HttpEvent) => string[]): MiddlewareObj<HttpEvent, HttpResult, Error, Context> => {
  const started = new WeakMap<object, number>();
  const releases = new WeakMap<object, () => void>();
  const access = (request: Request) => {
    const status = request.response?.statusCode ?? 500;
    const ms = Date.now() - (started.get(request) ?? Date.now());
    logger.info('request', { ...requestKeys.get(request.event), status, ms });
    releases.get(request)?.();
    releases.delete(request);
  };
  return {
    before: (request) => {
      releases.set(request, hideInLogs(secretsOf(request.event)));
      started.set(request, Date.now());
      const keys = { requestId: request.event.requestContext?.requestId, routeKey: request.event.routeKey };
      requestKeys.set(request.event, keys);
      logger.resetKeys();
      logger.appendKeys(keys);
    },
    after: access,
    onError: access,
  };
};

/** Maps typed errors to their responses; unknown errors to 500 INTERNAL, logged with the stack. */
const errors = (): MiddlewareObj<HttpEvent, HttpResult, Error, Context> => ({
  onError: (request) => {
    if (!(request.error instanceof AppError)) logger.error('unhandled error', request.error as Error);
    request.response = errorResponse(request.error);
  },
});

/** Refuses oversized bodies (over the route's limit, 256 KB by default) before anything reads them. */
const checkBodySize = (event: HttpEvent, route: RouteDef) => {
  const body = event.body;
  if (body === undefined || body === null) return;
  const limit = route.maxBodyBytes ?? MAX_BODY_BYTES;
  const bytes = event.isBase64Encoded ? Math.floor((body.length * 3) / 4) : Buffer.byteLength(body);
  if (bytes > limit) throw new PayloadTooLargeError(limit);
};

/**
 * Builds the Lambda handler of one function: it serves exactly the routes the
 * route table gives it, dispatching on API Gateway's `routeKey`.
 */
/**
 * A function's handlers by route id: one for each of its routes (a missing or extra one fails the
 * typecheck, and `createApi` refuses it at start-up too), each answering its route's contract.
 */
export type HandlerMap<F extends FunctionName> = { [K in RouteIdOf<F>]: RouteHandler<HandlerAnswerOf<K>> };

export const createApi = <F extends FunctionName>(fn: F, handlers: HandlerMap<F>) => {
  const table = new Map<string, { route: RouteDef; handler: RouteHandler }>();
  for (const route of routesOf(fn)) {
    const handler = (handlers as Record<string, RouteHandler | undefined>)[route.id];
    if (!handler) throw new Error(`Function ${fn} has no handler for route ${route.id}`);
    table.set(routeKey(route), { route, handler });
  }
  const extra = Object.keys(handlers).filter((id) => !routesOf(fn).some((r) => r.id === id));
  if (extra.length > 0) throw new Error(`Function ${fn} has handlers missing from the route table: ${extra}`);

  const dispatch = async (event: HttpEvent): Promise<HttpResult> => {
    const entry = table.get(event.routeKey);
    if (!entry) throw new NotFoundError('No such route');
    const { route, handler } = entry;
    checkBodySize(event, route);
    let identity: Identity | undefined;
    let firm: FirmIdentity | undefined;
    if (isFirm(route)) {
      // A firm token, checked against the firm issuer and the roster; staff accounts play no part.
      firm = await checkFirm(readFirmIdentity(event));
      const keys = requestKeys.get(event);
      if (keys) keys.firm = firm.uscc;
      logger.appendKeys({ firm: firm.uscc });
    } else if (route.auth !== 'public') {
      identity = await checkAccount(readIdentity(event));
      requireRole(identity, staffRoles(route));
      logger.appendKeys({ user: identity.username });
      const keys = requestKeys.get(event);
      if (keys) keys.user = identity.username;
    }
    return toResult(await handler.run(event, identity, firm));
  };

  /** The values of the secret path parameters of the request's route, raw and decoded. */
  const secretsOf = (event: HttpEvent): string[] => {
    const secret = table.get(event.routeKey)?.route.secret ?? [];
    const values = secret.map((name) => event.pathParameters?.[name]).filter((v) => typeof v === 'string');
    return [...values, ...values.map((v) => decodeSegment(v) ?? v), ...values.map((v) => encodeURIComponent(v))];
  };

  return middy<HttpEvent, HttpResult>(dispatch).use(logging(secretsOf)).use(errors());
};
