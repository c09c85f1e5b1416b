import { mkdtempSync, rmSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createApi, defineRoute, type HandlerMap } from '../../functions/lib/http/handler.ts';
import { logger } from '../../functions/lib/http/log.ts';
import { createGateway } from '../../infra/local/gateway.ts';
import type { Issuer } from '../../infra/local/issuer.ts';
import { redactPath, routes, routesOf } from '../../shared/routes.ts';
import { httpEvent, invoke } from '../support/events.ts';

// Booking codes and confirmation tokens are bearer secrets that travel in the path: no log line,
// the handlers' or the local gateway's, may keep a copy. And a path with a malformed %-escape is
// the caller's fault (400), never a 500.

const CODE = 'K7QXW2MZ9RTV4HNP8BCD';
const TOKEN = 'tok_4f9a0c1e7b3d5a8e2c6f9b1d3e5a7c9e';

/** Everything written to stdout and stderr while `act` runs (the logger writes there). */
const captureOutput = async (act: () => Promise<unknown>): Promise<string> => {
  const written: string[] = [];
  const keep = (chunk: unknown) => {
    written.push(typeof chunk === 'string' ? chunk : Buffer.from(chunk as Uint8Array).toString('utf8'));
    return true;
  };
  const out = vi.spyOn(process.stdout, 'write').mockImplementation(keep);
  const err = vi.spyOn(process.stderr, 'write').mockImplementation(keep);
  try {
    await act();
  } finally {
    out.mockRestore();
    err.mockRestore();
  }
  return written.join('');
};

describe('the route table marks bearer secrets in paths', () => {
  it('marks every {code} and {token} parameter secret', () => {
    for (const route of routes) {
      const names = [...route.path.matchAll(/\{(\w+)\}/g)].map((m) => m[1]);
      for (const name of names.filter((n) => n === 'code' || n === 'token')) {
        expect((route as { secret?: readonly string[] }).secret, `${route.id} {${name}}`).toContain(name);
      }
    }
  });

  it('shows a secret parameter as *** in a logged path, and keeps the rest', () => {
    expect(redactPath(`/api/public/bookings/${CODE}`)).toBe('/api/public/bookings/***');
    expect(redactPath(`/api/public/bookings/${CODE}/calendar.ics`)).toBe('/api/public/bookings/***/calendar.ics');
    expect(redactPath(`/api/public/ledger-confirmations/${TOKEN}`)).toBe('/api/public/ledger-confirmations/***');
    expect(redactPath(`/api/staff/bookings/${CODE}/attendance`)).toBe('/api/staff/bookings/***/attendance');
    expect(redactPath('/api/staff/consultation-days/d1/bookings')).toBe('/api/staff/consultation-days/d1/bookings');
    // A path no route matches may still carry a code: only the table's own words stay.
    expect(redactPath(`/api/public/bookings/${CODE}/nope`)).toBe('/api/public/bookings/***/***');
    expect(redactPath('/api/public/bookings/%E0%A4%A')).toBe('/api/public/bookings/***');
  });
});

describe('handler logs never hold a secret path parameter', () => {
  let level = logger.getLevelName();
  beforeEach(() => {
    level = logger.getLevelName();
    logger.setLogLevel('INFO');
  });
  afterEach(() => logger.setLogLevel(level));

  it('hides the code in the access line, in what the handler logs, and in an unhandled error', async () => {
    // Prepare: the real stack of the public function; its booking route logs and fails with the code.
    const handler = createApi(
      'public',
      Object.fromEntries(
        routesOf('public').map((route) => [
          route.id,
          defineRoute({
            handler: async ({ event }) => {
              logger.info(`looking up ${event.pathParameters?.code}`, { code: event.pathParameters?.code });
              throw new Error(`no booking ${event.pathParameters?.code}`);
            },
          }),
        ]),
      ) as HandlerMap<'public'>,
    );
    // Act
    let status = 0;
    const output = await captureOutput(async () => {
      status = (await invoke(handler, httpEvent('GET', `/api/public/bookings/${CODE}`))).status;
      status = (await invoke(handler, httpEvent('POST', `/api/public/bookings/${CODE}/cancel`))).status;
    });
    // Assess: the lines were written (the route and the failure), never the code.
    expect(status).toBe(500);
    expect(output).toContain('GET /api/public/bookings/{code}');
    expect(output).toContain('unhandled error');
    expect(output).toContain('no booking ***');
    expect(output).not.toContain(CODE);
  });
});

describe('local gateway', () => {
  const logged: Record<string, unknown>[] = [];
  let base = '';
  let close = () => undefined as unknown;
  let siteDir = '';

  beforeEach(async () => {
    logged.length = 0;
    siteDir = mkdtempSync(join(tmpdir(), 'eco-site-'));
    // A function that fails quoting its path (as a careless library might): the gateway logs the failure.
    const server = createGateway({
      issuer: { verify: async () => Promise.reject(new Error('no tokens here')) } as unknown as Issuer,
      siteDir,
      loadFunction: async () => async (event) => {
        throw new Error(`failed on ${(event as { rawPath: string }).rawPath}`);
      },
      runJob: async () => ({}),
      readOutbox: () => [],
      log: (line) => logged.push(line),
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    close = () => server.close();
  });

  afterEach(() => {
    close();
    rmSync(siteDir, { recursive: true, force: true });
  });

  it('answers 400 VALIDATION_FAILED to a malformed %-escape on any route, never 500', async () => {
    for (const [method, path] of [
      ['GET', '/api/public/bookings/%E0%A4%A'],
      ['POST', '/api/public/bookings/%E0%A4%A/cancel'],
      ['GET', '/api/public/ledger-confirmations/%ZZ'],
      ['GET', '/api/staff/enterprises/%'],
      ['PATCH', '/api/staff/consultation-days/%C3%28'],
      ['GET', '/api/no-such-route/%E0%A4%A'],
    ] as const) {
      const res = await fetch(`${base}${path}`, { method });
      expect(res.status, `${method} ${path}`).toBe(400);
      const body = (await res.json()) as { error: { code: string; fields: Record<string, string> } };
      expect(body.error.code).toBe('VALIDATION_FAILED');
      expect(Object.keys(body.error.fields)).toEqual(['path']);
    }
  });

  it('logs paths with booking codes and confirmation tokens masked', async () => {
    // Act: the secret routes, a mistyped one, and a function failure quoting the path.
    await fetch(`${base}/api/public/bookings/${CODE}`);
    await fetch(`${base}/api/public/bookings/${CODE}/calendar.ics`);
    await fetch(`${base}/api/public/bookings/${CODE}/cancel`, { method: 'POST' });
    await fetch(`${base}/api/public/bookings/${CODE}/typo`);
    await fetch(`${base}/api/public/ledger-confirmations/${TOKEN}`);
    // Assess
    const text = JSON.stringify(logged);
    expect(logged.filter((l) => l.level === 'INFO')).toHaveLength(5);
    expect(logged.some((l) => l.message === 'function failed')).toBe(true);
    expect(text).toContain('/api/public/bookings/***/calendar.ics');
    expect(text).not.toContain(CODE);
    expect(text).not.toContain(TOKEN);
  });
});
