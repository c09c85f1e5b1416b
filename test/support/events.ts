import type { APIGatewayProxyEventV2WithJWTAuthorizer, APIGatewayProxyStructuredResultV2, Context } from 'aws-lambda';
import type { JWTPayload } from 'jose';
import { createApi, type HandlerMap, type RouteHandler } from '../../functions/lib/http/handler.ts';
import { flattenClaims, lambdaContext, toApiGatewayEvent } from '../../infra/local/event.ts';
import { findRoute, routesOf } from '../../shared/routes.ts';

/** Claims as the local issuer (and Cognito) put them in an ID token. */
export const claimsFor = (username: string, role: string, jurisdiction: string): JWTPayload => ({
  sub: `sub-${username}`,
  'cognito:username': username,
  email: `${username}@example.test`,
  'cognito:groups': [role],
  'custom:jurisdiction': jurisdiction,
});

/** An HTTP API v2 event for a route of the table, built by the same code the local gateway uses. */
export const httpEvent = (
  method: string,
  path: string,
  options: { body?: string | Buffer; headers?: Record<string, string>; claims?: JWTPayload } = {},
): APIGatewayProxyEventV2WithJWTAuthorizer => {
  const url = new URL(path, 'http://127.0.0.1');
  const found = findRoute(method, url.pathname);
  if (!found) throw new Error(`No route for ${method} ${path}`);
  const body = options.body === undefined ? Buffer.alloc(0) : Buffer.from(options.body);
  return toApiGatewayEvent(
    {
      method,
      url,
      headers: { 'content-type': 'application/json', ...options.headers },
      body,
      sourceIp: '127.0.0.1',
    },
    found.route,
    found.params,
    options.claims ? flattenClaims(options.claims) : undefined,
  );
};

type Handler = (event: APIGatewayProxyEventV2WithJWTAuthorizer, context: Context) => Promise<unknown>;

/** Invokes a function handler and parses its JSON answer. */
export const invoke = async (handler: Handler, event: APIGatewayProxyEventV2WithJWTAuthorizer) => {
  const result = (await handler(event, lambdaContext('test', 10))) as APIGatewayProxyStructuredResultV2;
  const text = result.body ?? '';
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    json = undefined;
  }
  // biome-ignore lint/suspicious/noExplicitAny: tests read arbitrary JSON answers
  return { status: result.statusCode ?? 0, headers: result.headers ?? {}, text, json: json as any };
};

/**
 * The real handler stack of the public function with one stand-in serving each of its routes, so
 * dispatch, parsing, errors and logs are the real ones. A stand-in answers what its test says, not the
 * route's contract (`shared/answers.ts`), hence the one cast.
 */
export const publicStack = (standIn: RouteHandler) =>
  createApi(
    'public',
    Object.fromEntries(routesOf('public').map((route) => [route.id, standIn])) as HandlerMap<'public'>,
  );
