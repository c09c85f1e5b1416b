import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { functionNames } from '../../shared/functions.ts';
import { findRoute, matchPath, routeKey, routes } from '../../shared/routes.ts';
import { schedules } from '../../shared/schedules.ts';

const root = resolve(import.meta.dirname, '../..');

describe('route table', () => {
  it('has unique ids and route keys, API Gateway paths, and a known function each', () => {
    expect(new Set(routes.map((r) => r.id)).size).toBe(routes.length);
    expect(new Set(routes.map(routeKey)).size).toBe(routes.length);
    for (const r of routes) {
      expect(r.path).toMatch(/^\/api\/(public|staff|firm|health)(\/[a-z0-9.\-{}]+)*$/i);
      expect(functionNames).toContain(r.fn);
      // Staff routes are under /api/staff and need roles; firm routes under /api/firm and a firm
      // token (each with its own authorizer); public ones neither.
      expect(r.path.startsWith('/api/staff/')).toBe(Array.isArray(r.auth));
      expect(r.path.startsWith('/api/firm/')).toBe(r.auth === 'firm');
    }
  });

  it('never lists a local-only route (those exist only in the local runtime)', () => {
    expect(routes.filter((r) => r.path.startsWith('/api/local'))).toEqual([]);
  });

  it('matches path parameters and prefers literal segments', () => {
    expect(matchPath('/api/x/{id}/y', '/api/x/a%20b/y')).toEqual({ id: 'a b' });
    expect(matchPath('/api/x/{id}', '/api/x/')).toBeUndefined();
    expect(findRoute('GET', '/api/staff/me')?.route.id).toBe('me.get');
    expect(findRoute('POST', '/api/staff/me')).toBeUndefined();
  });

  it('matches nothing, and throws nothing, when a parameter’s percent-encoding is malformed', () => {
    for (const bad of ['%', '%zz', '%E0%A4%A', 'a%']) {
      expect(matchPath('/api/x/{id}', `/api/x/${bad}`)).toBeUndefined();
      expect(findRoute('GET', `/api/staff/checkups/${bad}`)).toBeUndefined();
    }
  });

  it('gives every function module exactly the handlers its routes name (checked when it loads)', async () => {
    for (const fn of new Set(routes.map((r) => r.fn))) {
      const mod = (await import(join(root, 'functions', fn, 'index.ts'))) as { handler: unknown };
      expect(typeof mod.handler).toBe('function');
    }
    for (const fn of new Set(schedules.map((s) => s.fn))) {
      await expect(import(join(root, 'functions', fn, 'index.ts'))).resolves.toBeDefined();
    }
  });
});

describe('dependency direction of the site', () => {
  // dependency-cruiser checks the .ts files; .astro files are checked here.
  const files = (dir: string): string[] =>
    readdirSync(dir).flatMap((f) => {
      const p = join(dir, f);
      return statSync(p).isDirectory() ? files(p) : [p];
    });

  it('lets site/ import only site/ and shared/', () => {
    const offenders: string[] = [];
    for (const file of files(join(root, 'site', 'src')).filter((f) => /\.(astro|ts|mjs|js)$/.test(f))) {
      for (const m of readFileSync(file, 'utf8').matchAll(/(?:import|from)\s*\(?\s*['"](\.[^'"]+)['"]/g)) {
        const target = relative(root, resolve(file, '..', m[1] as string));
        if (!target.startsWith('site/') && !target.startsWith('shared/'))
          offenders.push(`${relative(root, file)} → ${target}`);
      }
    }
    expect(offenders).toEqual([]);
  });
});
