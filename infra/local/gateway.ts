import { existsSync, readFileSync, statSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { extname, join, normalize, resolve, sep } from 'node:path';
import type { APIGatewayProxyResultV2, Context } from 'aws-lambda';
import { createRemoteJWKSet, type JWTPayload, jwtVerify } from 'jose';
import * as z from 'zod/mini';
import { type ErrorCode, type ErrorEnvelope, type FieldErrors, fieldsOfIssues } from '../../shared/api-errors.ts';
import { FIRM_AUDIENCE, FIRM_TOKEN_ALG } from '../../shared/firm-issuer.ts';
import { type FunctionName, functions } from '../../shared/functions.ts';
import type { OutboxEntry } from '../../shared/outbox.ts';
import { findRoute, isFirm, matchPath, redactPath, wellEncodedPath } from '../../shared/routes.ts';
import { contentSecurityPolicy, securityHeaders } from '../../shared/security-headers.ts';
import { flattenClaims, fromLambdaResult, type HttpReply, lambdaContext, toApiGatewayEvent } from './event.ts';
import { ISSUER_PATH, type Issuer } from './issuer.ts';

/** API Gateway's own payload limit for HTTP APIs. */
const GATEWAY_MAX_BODY = 10 * 1024 * 1024;

export type LambdaHandler = (event: unknown, context: Context) => Promise<unknown>;

export interface GatewayDeps {
  readonly issuer: Issuer;
  /**
   * The firm issuer (`<origin>/api/public/firm-issuer`) whose tokens the firm routes take, as the
   * second JWT authorizer names it in AWS; without it every firm route answers 401.
   */
  readonly firmIssuer?: string;
  readonly siteDir: string;
  readonly loadFunction: (fn: FunctionName) => Promise<LambdaHandler>;
  readonly runJob: (name: string, at: Date) => Promise<unknown>;
  readonly readOutbox: () => OutboxEntry[];
  readonly log: (line: Record<string, unknown>) => void;
  /** The S3-compatible server's origin: pages upload evidence to it and show it, as they do to the bucket in AWS. */
  readonly objectStoreOrigin?: string;
}

const MIME: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.webmanifest': 'application/manifest+json',
  '.txt': 'text/plain; charset=utf-8',
  '.woff2': 'font/woff2',
};

const errorBody = (code: ErrorCode, message: string, fields?: FieldErrors) => {
  const envelope: ErrorEnvelope = { error: fields ? { code, message, fields } : { code, message } };
  return Buffer.from(JSON.stringify(envelope));
};

const jsonReply = (status: number, body: unknown): HttpReply => ({
  status,
  headers: { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store' },
  cookies: [],
  body: Buffer.isBuffer(body) ? body : Buffer.from(JSON.stringify(body)),
});

const readBody = (req: IncomingMessage): Promise<Buffer | 'too-large'> =>
  new Promise((resolvePromise, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let tooLarge = false;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > GATEWAY_MAX_BODY) tooLarge = true;
      else chunks.push(chunk);
    });
    req.on('end', () => resolvePromise(tooLarge ? 'too-large' : Buffer.concat(chunks)));
    req.on('error', reject);
  });

const signInBody = z.object({
  username: z.string().check(z.minLength(1), z.maxLength(128)),
  password: z.string().check(z.minLength(1), z.maxLength(256)),
});
const jobBody = z.object({ at: z.iso.datetime({ offset: true }) });

/** Parses a JSON body with a schema; answers the spec's 400 shape when it does not fit. */
const parseBody = <T>(schema: z.ZodMiniType<T>, body: Buffer): T | HttpReply => {
  let value: unknown;
  try {
    value = JSON.parse(body.toString('utf8') || 'null');
  } catch {
    return jsonReply(
      400,
      errorBody('VALIDATION_FAILED', 'The request body is not valid JSON', { body: 'Malformed JSON' }),
    );
  }
  const parsed = z.safeParse(schema, value);
  if (parsed.success) return parsed.data;
  return jsonReply(
    400,
    errorBody('VALIDATION_FAILED', 'The request has invalid fields', fieldsOfIssues(parsed.error.issues)),
  );
};
const isReply = (v: unknown): v is HttpReply => typeof v === 'object' && v !== null && 'status' in v && 'body' in v;

/** The routes that exist only in the local runtime (never in the route table or the stacks). */
const localRoute = async (
  deps: GatewayDeps,
  method: string,
  path: string,
  body: Buffer,
): Promise<HttpReply | undefined> => {
  if (method === 'POST' && path === '/api/local-auth/sign-in') {
    const input = parseBody(signInBody, body);
    if (isReply(input)) return input;
    const session = await deps.issuer.signIn(input.username, input.password);
    return session
      ? jsonReply(200, session)
      : jsonReply(401, errorBody('UNAUTHENTICATED', 'Wrong username or password'));
  }
  const job = matchPath('/api/local/jobs/{name}', path);
  if (method === 'POST' && job?.name) {
    const input = parseBody(jobBody, body);
    if (isReply(input)) return input;
    return jsonReply(200, await deps.runJob(job.name, new Date(input.at)));
  }
  if (method === 'GET' && path === '/api/local/outbox') return jsonReply(200, { entries: deps.readOutbox() });
  return undefined;
};

type Verify = (token: string) => Promise<JWTPayload>;

/** Verifies `Authorization: Bearer <jwt>` as the JWT authorizer would; undefined means 401. */
const verifyBearer = async (
  verify: Verify,
  header: string | undefined,
): Promise<Record<string, string> | undefined> => {
  const match = /^Bearer\s+(\S+)$/i.exec(header ?? '');
  if (!match?.[1]) return undefined;
  try {
    return flattenClaims(await verify(match[1]));
  } catch {
    return undefined;
  }
};

const discoveryDocument = z.object({ issuer: z.string(), jwks_uri: z.url() });

/**
 * The firm routes' authorizer, as API Gateway's JWT authorizer works: it reads the issuer's
 * discovery document (`<issuer>/.well-known/openid-configuration`, the product's own public route),
 * requires it to name that issuer, and verifies tokens with the keys at its `jwks_uri` (the KMS
 * key's public half): signature (ES256 only), `iss`, `aud` (`eco-liaison-firm`), `exp` and `nbf`.
 * The key set is fetched on first use and again when a token names a key it lacks (jose's cache).
 */
const firmVerifier = (issuer: string): Verify => {
  let keySet: Promise<ReturnType<typeof createRemoteJWKSet>> | undefined;
  const keys = () => {
    keySet ??= (async () => {
      const res = await fetch(`${issuer}/.well-known/openid-configuration`, { redirect: 'error' });
      const doc = z.parse(discoveryDocument, await res.json());
      if (!res.ok || doc.issuer !== issuer) throw new Error('The firm issuer names another issuer');
      return createRemoteJWKSet(new URL(doc.jwks_uri));
    })().catch((error: unknown) => {
      keySet = undefined; // tried again by the next request
      throw error;
    });
    return keySet;
  };
  return async (token) =>
    (await jwtVerify(token, await keys(), { issuer, audience: FIRM_AUDIENCE, algorithms: [FIRM_TOKEN_ALG] })).payload;
};

const apiRoute = async (
  deps: GatewayDeps,
  firmVerify: () => Verify | undefined,
  req: IncomingMessage,
  url: URL,
  body: Buffer,
): Promise<HttpReply> => {
  const method = req.method ?? 'GET';
  const local = await localRoute(deps, method, url.pathname, body);
  if (local) return local;
  const found = findRoute(method, url.pathname);
  if (!found) return jsonReply(404, errorBody('NOT_FOUND', 'No such route'));
  let claims: Record<string, string> | undefined;
  if (found.route.auth !== 'public') {
    // Each kind of route has its own authorizer, as in AWS: a firm route trusts the firm issuer
    // alone and a staff route the staff issuer alone, so a token of the other kind is a 401 here.
    const firm = isFirm(found.route) ? firmVerify() : undefined;
    const verify: Verify | undefined = isFirm(found.route) ? firm : (token) => deps.issuer.verify(token);
    claims = verify ? await verifyBearer(verify, req.headers.authorization) : undefined;
    if (!claims) return jsonReply(401, errorBody('UNAUTHENTICATED', 'Sign-in required'));
  }
  const event = toApiGatewayEvent(
    { method, url, headers: req.headers, body, sourceIp: req.socket.remoteAddress ?? '127.0.0.1' },
    found.route,
    found.params,
    claims,
  );
  const fn = found.route.fn;
  const handler = await deps.loadFunction(fn);
  try {
    const result = await handler(event, lambdaContext(`eco-liaison-${fn}`, functions[fn].timeoutSeconds));
    return fromLambdaResult(result as APIGatewayProxyResultV2);
  } catch (error) {
    // The error's text may quote a secret path parameter (a booking code): never into the log.
    const secrets = (found.route.secret ?? []).map((name) => found.params[name]).filter((v) => v !== undefined);
    const text = secrets.reduce((t, secret) => (secret ? t.replaceAll(secret, '***') : t), String(error));
    deps.log({ level: 'ERROR', message: 'function failed', fn, error: text });
    return jsonReply(500, { message: 'Internal Server Error' });
  }
};

/** Serves the built site: `/x/` → `x/index.html`, unknown paths → `404.html`. */
const staticFile = (siteDir: string, pathname: string): HttpReply => {
  const root = resolve(siteDir);
  let decoded: string;
  try {
    decoded = decodeURIComponent(pathname);
  } catch {
    decoded = '/';
  }
  let file = normalize(join(root, decoded));
  const inside = file === root || file.startsWith(root + sep);
  if (inside && existsSync(file) && statSync(file).isDirectory()) file = join(file, 'index.html');
  else if (inside && !existsSync(file) && existsSync(`${file}.html`)) file = `${file}.html`;
  const found = inside && existsSync(file) && statSync(file).isFile();
  const served = found ? file : join(root, '404.html');
  if (!existsSync(served)) {
    return {
      status: 404,
      headers: { 'content-type': 'text/plain; charset=utf-8' },
      cookies: [],
      body: Buffer.from('Not found'),
    };
  }
  return {
    status: found ? 200 : 404,
    headers: {
      'content-type': MIME[extname(served)] ?? 'application/octet-stream',
      'cache-control': served.includes(`${sep}_astro${sep}`) ? 'public, max-age=31536000, immutable' : 'no-cache',
    },
    cookies: [],
    body: readFileSync(served),
  };
};

const send = (res: ServerResponse, reply: HttpReply, head: boolean, base: Record<string, string>): void => {
  const headers: Record<string, string | string[]> = { ...base, ...reply.headers };
  if (reply.cookies.length > 0) headers['set-cookie'] = reply.cookies;
  headers['content-length'] = String(reply.body.length);
  res.writeHead(reply.status, headers);
  res.end(head ? undefined : reply.body);
};

/** One origin: `/api/*` goes to the handlers (as API Gateway would), the rest is the static site. */
export const createGateway = (deps: GatewayDeps): Server => {
  const origins = deps.objectStoreOrigin ? [deps.objectStoreOrigin] : [];
  const headers = {
    ...securityHeaders,
    'content-security-policy': contentSecurityPolicy({ connect: origins, img: origins }),
  };
  let firm: { issuer: string; verify: Verify } | undefined;
  const firmVerify = (): Verify | undefined => {
    const issuer = deps.firmIssuer;
    if (!issuer) return undefined;
    if (firm?.issuer !== issuer) firm = { issuer, verify: firmVerifier(issuer) };
    return firm.verify;
  };
  return createServer(async (req, res) => {
    const started = Date.now();
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    if (url.pathname === ISSUER_PATH || url.pathname.startsWith(`${ISSUER_PATH}/`)) {
      // The local OpenID Connect provider reads its own bodies and writes its own answers (with the
      // site's security headers underneath, which its pages may tighten).
      for (const [name, value] of Object.entries(headers)) res.setHeader(name, value);
      try {
        await deps.issuer.handle(req, res);
      } catch (error) {
        deps.log({ level: 'ERROR', message: 'issuer failure', error: String(error) });
        if (!res.headersSent) send(res, jsonReply(500, { message: 'Internal Server Error' }), false, headers);
      }
      return;
    }
    let reply: HttpReply;
    try {
      const body = await readBody(req);
      if (url.pathname === '/api' || url.pathname.startsWith('/api/')) {
        reply =
          body === 'too-large'
            ? jsonReply(413, { message: 'Request Entity Too Large' })
            : !wellEncodedPath(url.pathname)
              ? jsonReply(
                  400,
                  errorBody('VALIDATION_FAILED', 'The path is not valid percent-encoding', {
                    path: 'Malformed percent-encoding',
                  }),
                )
              : await apiRoute(deps, firmVerify, req, url, body);
      } else if (url.pathname === '/config.json') {
        // What the Site stack publishes in AWS, naming the local issuer.
        reply = {
          ...jsonReply(200, deps.issuer.config()),
          headers: { 'content-type': 'application/json', 'cache-control': 'no-cache' },
        };
      } else {
        reply = staticFile(deps.siteDir, url.pathname);
      }
    } catch (error) {
      deps.log({ level: 'ERROR', message: 'gateway failure', error: String(error) });
      reply = jsonReply(500, { message: 'Internal Server Error' });
    }
    send(res, reply, req.method === 'HEAD', headers);
    if (url.pathname.startsWith('/api/')) {
      deps.log({
        level: 'INFO',
        method: req.method,
        // Booking codes and confirmation tokens are bearer secrets: never a copy in the log.
        path: redactPath(url.pathname),
        status: reply.status,
        ms: Date.now() - started,
      });
    }
  });
};
