import fc from 'fast-check';
import { describe, expect, it, vi } from 'vitest';
import * as z from 'zod/mini';
import { ConflictError, NotFoundError } from '../../functions/lib/http/errors.ts';
import { createApi, defineRoute, type HandlerMap, MAX_BODY_BYTES, reply } from '../../functions/lib/http/handler.ts';
import { logger } from '../../functions/lib/http/log.ts';
import { routesOf } from '../../shared/routes.ts';
import { claimsFor, httpEvent, invoke } from '../support/events.ts';

// The handler stack is exercised through a real function of the route table ('public' serves
// GET /api/health) with stand-in route handlers, so dispatch, parsing and errors are the real ones.
const api = (handler: Parameters<typeof defineRoute>[0]) =>
  createApi(
    'public',
    // Stand-ins answer what the test says, not the routes' contracts.
    Object.fromEntries(routesOf('public').map((route) => [route.id, defineRoute(handler)])) as HandlerMap<'public'>,
  );

const strictBody = z.object({
  uscc: z.string().check(z.length(18, 'USCC has 18 characters')),
  count: z.number().check(z.int(), z.minimum(1), z.maximum(500)),
});

describe('handler stack', () => {
  it('answers a handler value as 200 JSON with no-store', async () => {
    const handler = api({ handler: async () => ({ ok: true }) });
    const res = await invoke(handler, httpEvent('GET', '/api/health'));
    expect(res.status).toBe(200);
    expect(res.json).toEqual({ ok: true });
    expect(res.headers['content-type']).toMatch(/application\/json/);
    expect(res.headers['cache-control']).toBe('no-store');
  });

  it('answers 400 VALIDATION_FAILED naming every field at fault', async () => {
    const handler = api({ body: strictBody, handler: async ({ body }) => body });
    const res = await invoke(
      handler,
      httpEvent('GET', '/api/health', { body: JSON.stringify({ uscc: 'x', count: 0 }) }),
    );
    expect(res.status).toBe(400);
    expect(res.json.error.code).toBe('VALIDATION_FAILED');
    expect(Object.keys(res.json.error.fields).sort()).toEqual(['count', 'uscc']);
    expect(res.json.error.fields.uscc).toBe('USCC has 18 characters');
  });

  it('rejects malformed JSON with a 400 on the body field', async () => {
    const handler = api({ body: strictBody, handler: async () => ({}) });
    const res = await invoke(handler, httpEvent('GET', '/api/health', { body: '{"uscc":' }));
    expect(res.status).toBe(400);
    expect(res.json.error).toMatchObject({ code: 'VALIDATION_FAILED', fields: { body: 'Malformed JSON' } });
  });

  it('refuses a body over 256 KB with 413 before the handler runs', async () => {
    const run = vi.fn(async () => ({}));
    const handler = api({ body: z.unknown(), handler: run });
    const big = JSON.stringify({ text: 'x'.repeat(MAX_BODY_BYTES) });
    const res = await invoke(handler, httpEvent('GET', '/api/health', { body: big }));
    expect(res.status).toBe(413);
    expect(res.json.error.code).toBe('PAYLOAD_TOO_LARGE');
    expect(run).not.toHaveBeenCalled();
  });

  it('maps typed errors once: 404 and 409 with their codes', async () => {
    const notFound = await invoke(
      api({ handler: async () => Promise.reject(new NotFoundError()) }),
      httpEvent('GET', '/api/health'),
    );
    expect(notFound.status).toBe(404);
    expect(notFound.json.error.code).toBe('NOT_FOUND');
    const conflict = await invoke(
      api({ handler: async () => Promise.reject(new ConflictError('SLOT_FULL', 'The slot is full')) }),
      httpEvent('GET', '/api/health'),
    );
    expect(conflict.status).toBe(409);
    expect(conflict.json.error).toEqual({ code: 'SLOT_FULL', message: 'The slot is full' });
  });

  it('turns an unknown error into 500 INTERNAL without internals, and logs it', async () => {
    const logged = vi.spyOn(logger, 'error').mockImplementation(() => undefined);
    const handler = api({ handler: async () => Promise.reject(new Error('secret table name EcoLiaison at line 42')) });
    const res = await invoke(handler, httpEvent('GET', '/api/health'));
    expect(res.status).toBe(500);
    expect(res.json).toEqual({ error: { code: 'INTERNAL', message: expect.any(String) } });
    expect(res.text).not.toMatch(/secret|line 42|at /);
    expect(logged).toHaveBeenCalledOnce();
    logged.mockRestore();
  });

  it('sends non-JSON replies as text or base64 binary', async () => {
    const text = await invoke(
      api({ handler: async () => reply(200, 'BEGIN:VCALENDAR', { 'content-type': 'text/calendar' }) }),
      httpEvent('GET', '/api/health'),
    );
    expect(text.text).toBe('BEGIN:VCALENDAR');
    expect(text.headers['content-type']).toBe('text/calendar');
  });

  it('never answers 500 whatever body arrives (property-based)', async () => {
    const handler = api({ body: strictBody, handler: async ({ body }) => body });
    await fc.assert(
      fc.asyncProperty(
        fc.oneof(
          fc.string(),
          fc.json(),
          fc.jsonValue().map((v) => JSON.stringify(v)),
        ),
        async (body) => {
          const res = await invoke(handler, httpEvent('GET', '/api/health', { body }));
          expect([200, 400]).toContain(res.status);
          if (res.status === 400) expect(res.json.error.code).toBe('VALIDATION_FAILED');
        },
      ),
      { numRuns: 300 },
    );
  });
});

describe('staff routes in the handler stack', () => {
  it('answers 401 when the authorizer passed no claims, and 403 for a claim set with no staff role', async () => {
    const staff = (await import('../../functions/staff/index.ts')).handler;
    const anonymous = await invoke(staff, httpEvent('GET', '/api/staff/me'));
    expect(anonymous.status).toBe(401);
    expect(anonymous.json.error.code).toBe('UNAUTHENTICATED');
    const noRole = await invoke(
      staff,
      httpEvent('GET', '/api/staff/me', { claims: claimsFor('x', 'visitor', '320506') }),
    );
    expect(noRole.status).toBe(403);
    expect(noRole.json.error.code).toBe('FORBIDDEN');
  });
});
