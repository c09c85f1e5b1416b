/**
 * Same-origin JSON calls from the browser and the decoding of their answers; pages call routes by id
 * through `api.ts` (staff) or `public-api.ts`. Never throws: a network failure or a timeout answers
 * status 0, a body that is not JSON answers `body: null`.
 */

import type { Answers } from '../../../shared/answers.ts';
import {
  type ErrorCode,
  type ErrorEnvelope,
  errorKey,
  type FieldErrors,
  isErrorCode,
} from '../../../shared/api-errors.ts';
import type { RouteId } from '../../../shared/routes.ts';
import { type Answered, fill, type ParamsOf, type PathOf, type Query } from './paths.ts';

/**
 * An answer: `ok` (a 2xx) carries the route's answer typed by the contract (`shared/answers.ts`, given
 * by `api(id)`); anything else carries what came (an error envelope, or `null` for no JSON, status 0
 * for no answer at all), for `errorOf` to decode.
 */
export type ApiResult<A = unknown> = (
  | { ok: true; status: number; body: A }
  | { ok: false; status: number; body: unknown }
) & {
  /** Seconds of a 429's `Retry-After`, when given (the firm sign-in counts them down). */
  retryAfter?: number | null;
};

/** No answer: the network failed, the call timed out, or it could not be made. */
export const NO_ANSWER: ApiResult<never> = { ok: false, status: 0, body: null };

export interface ApiOptions {
  method?: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  json?: unknown;
  token?: string | null;
  /** Extra request headers (an `idempotency-key`). */
  headers?: Record<string, string>;
  timeoutMs?: number;
  /** A 401 is the page's to answer (the sign-in page checking a stored token), not the session policy's. */
  keepPageOn401?: boolean;
}

export type CallOptions<K extends RouteId> = ApiOptions & { query?: Query } & (keyof ParamsOf<K> extends never
    ? { params?: undefined }
    : { params: ParamsOf<K> });

/** The options a route needs: optional when it has no path parameters. */
export type CallArgs<K extends RouteId> = keyof ParamsOf<K> extends never
  ? [options?: CallOptions<K>]
  : [options: CallOptions<K>];

/**
 * A JSON call to a path built already: by `api` and `publicApi`, or the local issuer's sign-in, which is
 * not in the route table.
 */
export const fetchJson = async (path: string, options: ApiOptions = {}): Promise<ApiResult> => {
  const headers: Record<string, string> = { accept: 'application/json', ...options.headers };
  if (options.json !== undefined) headers['content-type'] = 'application/json';
  if (options.token) headers.authorization = `Bearer ${options.token}`;
  try {
    const response = await fetch(path, {
      method: options.method ?? (options.json === undefined ? 'GET' : 'POST'),
      headers,
      body: options.json === undefined ? null : JSON.stringify(options.json),
      credentials: 'same-origin',
      cache: 'no-store',
      signal: AbortSignal.timeout(options.timeoutMs ?? 15_000),
    });
    const body: unknown = await response.json().catch(() => null);
    const after = Number(response.headers.get('retry-after'));
    const retryAfter = Number.isFinite(after) && after > 0 ? after : null;
    const status = response.status;
    return response.ok ? { ok: true, status, body, retryAfter } : { ok: false, status, body, retryAfter };
  } catch {
    return NO_ANSWER;
  }
};

/**
 * A door of the API: the path of one of `paths`' routes and a JSON call to it. Each door holds only its
 * own routes' map (`public-api.ts`, `firm-api.ts`, `api.ts`), so a page carries only the paths it may
 * call (see `paths.ts`); the staff door wraps the call in its session's token and 401 policy.
 */
export const door = <R extends RouteId>(paths: { readonly [K in R]: PathOf<K> }) => {
  const path = <K extends R>(id: K, params?: ParamsOf<K>, query?: Query): string => fill(paths[id], params, query);
  const call = <K extends Answered<R>>(id: K, ...[options]: CallArgs<K>): Promise<ApiResult<Answers[K]>> =>
    fetchJson(path(id, options?.params as ParamsOf<K> | undefined, options?.query), options) as Promise<
      ApiResult<Answers[K]>
    >;
  return { path, call };
};

/** A failed answer as the page needs it: the status, the error code and the per-field messages. */
export interface ApiError {
  status: number;
  code: ErrorCode | undefined;
  fields: FieldErrors;
}

/**
 * Decodes the error envelope (`ErrorEnvelope` of shared/api-errors.ts) of an answer. Anything else
 * (no body, HTML from a proxy, a code not in the contract, a field that is not a string) decodes to
 * no code and no fields.
 */
export const errorOf = (result: Pick<ApiResult, 'status' | 'body'>): ApiError => ({
  status: result.status,
  code: errorCodeOf(result.body),
  fields: fieldsOf(result.body),
});

/** A member of an unchecked value (undefined unless it is an object): checked by the caller before use. */
const member = (value: unknown, name: keyof ErrorEnvelope | keyof ErrorEnvelope['error']): unknown =>
  typeof value === 'object' && value !== null ? Reflect.get(value, name) : undefined;
/** The envelope's `error`, unchecked. */
const envelope = (body: unknown) => member(body, 'error');

/** The `error.code` of an error body (`{"error": {"code": …}}`), if it is one of the contract's. */
export const errorCodeOf = (body: unknown): ErrorCode | undefined => {
  const code = member(envelope(body), 'code');
  return isErrorCode(code) ? code : undefined;
};

/** The per-field messages of an error body (`{"error": {"fields": {name: text}}}`); none is `{}`. */
export const fieldsOf = (body: unknown): FieldErrors => {
  const given = member(envelope(body), 'fields');
  const fields: FieldErrors = {};
  if (given && typeof given === 'object') {
    for (const [name, text] of Object.entries(given)) if (typeof text === 'string') fields[name] = text;
  }
  return fields;
};

/** A page's message lookup (`m` of the console, or of a page's `data-msg`). */
export type Say = (key: string, vars?: Record<string, string | number>) => string;

/** The message of a failed API answer (network, or the error code's message). */
export const failureText = (m: Say, status: number, answer: unknown): string =>
  m(status === 0 ? 'error.NETWORK' : errorKey(errorCodeOf(answer)));

/** The messages a component rendered into `data-msg` for its script. */
export const messagesOf = (element: HTMLElement): Record<string, string> => {
  try {
    return JSON.parse(element.dataset.msg ?? '{}') as Record<string, string>;
  } catch {
    return {};
  }
};
