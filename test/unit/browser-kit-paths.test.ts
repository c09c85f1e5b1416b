import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import ts from 'typescript';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { routes } from '../../shared/routes.ts';
import { firmApi } from '../../site/src/kit/firm-api.ts';

// Compiling takes a few seconds, more on a busy machine: hence the timeout.

const root = join(import.meta.dirname, '../..');

/** The diagnostics of a probe script placed among the page scripts, compiled as `npm run typecheck` does. */
const diagnosticsOf = (source: string): string[] => {
  const file = join(root, 'site/src/scripts/__firm-api-probe.ts');
  const config = ts.readConfigFile(join(root, 'tsconfig.json'), ts.sys.readFile);
  const { options } = ts.parseJsonConfigFileContent(config.config, ts.sys, root);
  const host = ts.createCompilerHost(options);
  const readFile = host.readFile.bind(host);
  const getSourceFile = host.getSourceFile.bind(host);
  host.fileExists = (name) => name === file || ts.sys.fileExists(name);
  host.readFile = (name) => (name === file ? source : readFile(name));
  host.getSourceFile = (name, version, ...rest) =>
    name === file ? ts.createSourceFile(name, source, version) : getSourceFile(name, version, ...rest);
  const program = ts.createProgram([file], options, host);
  return ts
    .getPreEmitDiagnostics(program, program.getSourceFile(file))
    .map((d) => ts.flattenDiagnosticMessageText(d.messageText, '\n'));
};

/** Every `.ts` and `.astro` file under a folder. */
const filesUnder = (dir: string): string[] =>
  readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return filesUnder(path);
    return /\.(ts|astro)$/.test(name) ? [path] : [];
  });

afterEach(() => {
  vi.unstubAllGlobals();
});

describe('the browser calls the API only by route id', () => {
  it('no page script or component outside the kit types an /api/ path', () => {
    // Prepare
    const files = filesUnder(join(root, 'site/src')).filter((f) => !f.startsWith(join(root, 'site/src/kit/')));

    // Act
    const typed = files.flatMap((file) =>
      readFileSync(file, 'utf8')
        .split('\n')
        .flatMap((line, i) => (/['"`]\/api\//.test(line) ? [`${relative(root, file)}:${i + 1}`] : [])),
    );

    // Assess
    expect(typed).toEqual([]);
  });

  it("the firm client asks each firm route's own path, its parameters filled", async () => {
    // Prepare
    const asked: { url: string; method: string; headers: Record<string, string> }[] = [];
    vi.stubGlobal('fetch', async (url: string, init: RequestInit) => {
      asked.push({ url, method: String(init.method), headers: init.headers as Record<string, string> });
      return new Response('{}', { status: 200, headers: { 'retry-after': '7' } });
    });
    const firmRoutes = routes.filter((r) => r.auth === 'firm');

    // Act
    const answers = [];
    for (const route of firmRoutes) {
      const params = Object.fromEntries([...route.path.matchAll(/\{(\w+)\}/g)].map((m) => [m[1], 'a/b c']));
      const json = route.method === 'GET' ? undefined : {};
      // Each id with the parameters its path names: what a page would pass.
      answers.push(
        await (firmApi as (id: string, o: object) => ReturnType<typeof firmApi>)(route.id, {
          params,
          json,
          token: 't',
          headers: { 'idempotency-key': 'k' },
        }),
      );
    }

    // Assess
    expect(firmRoutes.length).toBeGreaterThan(0);
    expect(asked.map((a) => `${a.method} ${a.url}`)).toEqual(
      firmRoutes.map((r) => `${r.method} ${r.path.replace(/\{\w+\}/g, encodeURIComponent('a/b c'))}`),
    );
    expect(asked.every((a) => a.headers.authorization === 'Bearer t' && a.headers['idempotency-key'] === 'k')).toBe(
      true,
    );
    expect(answers.every((a) => a.status === 200 && a.retryAfter === 7)).toBe(true);
  });

  it('a wrong route id, a staff id or a missing path parameter is a type error', () => {
    // Prepare
    const source = `import { firmApi } from '../kit/firm-api.ts';
void firmApi('firmMe.get', { token: 't' });
void firmApi('firmCheckups.report', { params: { id: 'c1' }, token: 't' });
void firmApi('firmMe.gett', { token: 't' });
void firmApi('days.list', { token: 't' });
void firmApi('firmRatings.create', { token: 't' });
`;

    // Act
    const errors = diagnosticsOf(source);

    // Assess
    expect(errors).toHaveLength(3);
    expect(errors.join('\n')).toContain('"firmMe.gett"');
    expect(errors.join('\n')).toContain('"days.list"');
    expect(errors.join('\n')).toContain('params');
  }, 60_000);

  it('a page cannot read an answer the contract does not type: a file, a tool or a route without an entry', () => {
    // Prepare: what a page could write; only the first three routes have an entry in Answers.
    const source = `import { api } from '../kit/api.ts';
import { firmApi } from '../kit/firm-api.ts';
import { publicApi } from '../kit/public-api.ts';
void api('ledger.get', { params: { id: 'i' }, token: 't' }).then((a) => a.ok && a.body.item.itemId);
void publicApi('confirmations.get', { params: { token: 't' } });
void firmApi('firmMe.get', { token: 't' });
void api('audit.export', { token: 't' });
void api('ledger.recount', { token: 't' });
void publicApi('bookings.calendar', { params: { code: 'c' } });
`;

    // Act
    const errors = diagnosticsOf(source);

    // Assess
    expect(errors).toHaveLength(3);
    expect(errors.join('\n')).toContain('"audit.export"');
    expect(errors.join('\n')).toContain('"ledger.recount"');
    expect(errors.join('\n')).toContain('"bookings.calendar"');
  }, 60_000);
});
