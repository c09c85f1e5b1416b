/**
 * `npm run bench`: measures the budgets of design.md that exist so far and writes
 * them into the README's performance table (between the bench markers).
 * Numbers are reported, never asserted: these machines are noisy.
 */
import { execFileSync, spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { gzipSync } from 'node:zlib';
import { build } from 'esbuild';
import { BUNDLING } from '../infra/constructs/function.ts';
import { functionEntry, functionNames } from '../shared/functions.ts';

const root = resolve(import.meta.dirname, '..');
const out = join(root, '.bench');
const kb = (bytes: number) => `${(bytes / 1024).toFixed(1)} KB`;
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? 0;

rmSync(out, { recursive: true, force: true });
mkdirSync(out, { recursive: true });

const rows: string[][] = [];

// 1. Lambda bundles, built with the options the CDK stack gives NodejsFunction
//    (BUNDLING in infra/constructs/function.ts): minified CJS for node24, AWS SDK v3 from the runtime.
for (const name of functionNames) {
  const file = join(out, `${name}.cjs`);
  await build({
    entryPoints: [join(root, functionEntry(name))],
    outfile: file,
    bundle: true,
    platform: 'node',
    format: BUNDLING.format === 'cjs' ? 'cjs' : 'esm',
    target: BUNDLING.target,
    minify: BUNDLING.minify,
    sourcemap: BUNDLING.sourceMap ? 'external' : false,
    external: BUNDLING.externalModules,
    logLevel: 'error',
  });
  const size = statSync(file).size;
  // Module load in a fresh process, 7 runs, median. The SDK resolves from node_modules as the runtime's would.
  const loads: number[] = [];
  for (let i = 0; i < 7; i++) {
    const ms = execFileSync(process.execPath, [
      '-e',
      `const t=performance.now();require(${JSON.stringify(file)});console.log(performance.now()-t)`,
    ]);
    loads.push(Number(ms.toString().trim()));
  }
  rows.push([
    `Lambda bundle \`${name}\`, minified`,
    '≤ 500 KB; load ≤ 120 ms',
    `${kb(size)} (${kb(gzipSync(readFileSync(file)).length)} gzip); module load median ${median(loads).toFixed(0)} ms`,
  ]);
}

// 2. JavaScript shipped by each built page (gzip), the public pages' budget is 20 KB.
const dist = join(root, 'site', 'dist');
if (!existsSync(dist)) spawnSync('npm', ['run', 'build:site'], { cwd: root, stdio: 'inherit' });
const pages = (dir: string): string[] =>
  readdirSync(dir).flatMap((f) => {
    const p = join(dir, f);
    return statSync(p).isDirectory() ? pages(p) : p.endsWith('.html') ? [p] : [];
  });
for (const page of pages(dist)) {
  const html = readFileSync(page, 'utf8');
  const scripts = [...html.matchAll(/<script[^>]*src="([^"]+)"/g)].map((m) => m[1] as string);
  const inline = [...html.matchAll(/<script(?![^>]*src=)[^>]*>([\s\S]*?)<\/script>/g)].map((m) => m[1] ?? '');
  // Each script file once, with the chunks it imports statically.
  const seen = new Set<string>();
  const visit = (file: string) => {
    if (seen.has(file) || !existsSync(file)) return;
    seen.add(file);
    for (const m of readFileSync(file, 'utf8').matchAll(/(?:import|from)\s*["'](\.{1,2}\/[^"']+)["']/g)) {
      visit(join(file, '..', m[1] as string));
    }
  };
  for (const src of scripts) visit(join(dist, src));
  const bytes =
    [...seen].reduce((sum, file) => sum + gzipSync(readFileSync(file)).length, 0) +
    inline.reduce((sum, code) => sum + gzipSync(code).length, 0);
  rows.push([`page \`${page.slice(dist.length)}\` JavaScript (gzip)`, '≤ 20 KB (public pages)', kb(bytes)]);
}

// 3. Local runtime: first start on an empty data folder until /api/health answers (the site is prebuilt).
{
  const dataDir = join(out, 'runtime-data');
  const started = performance.now();
  const child = spawn(process.execPath, [join(root, 'infra/local/start.ts')], {
    env: { ...process.env, PORT: '0', DATA_DIR: dataDir, POWERTOOLS_LOG_LEVEL: 'WARN' },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  let text = '';
  const url = await new Promise<string>((ok, fail) => {
    child.stdout.on('data', (d: Buffer) => {
      text += d.toString();
      const m = /running at (http:\/\/\S+)/.exec(text);
      if (m?.[1]) ok(m[1]);
    });
    child.once('exit', () => fail(new Error(text)));
  });
  const health = await fetch(`${url}/api/health`);
  const readyMs = performance.now() - started;
  child.kill('SIGINT');
  await new Promise((done) => child.once('exit', done));
  rows.push([
    '`npm start` on an empty data folder until `/api/health` answers',
    '≤ 60 s',
    `${(readyMs / 1000).toFixed(1)} s (HTTP ${health.status})`,
  ]);
}

// 4. Booking on the embedded runtime: 200 concurrent bookings on a 10-seat slot, then the
//    booking API's latency with 20 concurrent clients (each booking sequentially, distinct firms).
{
  const { startRuntime } = await import('../infra/local/runtime.ts');
  const { distinctUsccs } = await import('../test/support/uscc.ts');
  const runtime = await startRuntime({
    port: 0,
    dataDir: join(out, 'booking-data'),
    scheduler: false,
    log: () => undefined,
  });
  try {
    const signIn = await fetch(`${runtime.url}/api/local-auth/sign-in`, {
      method: 'POST',
      body: JSON.stringify({ username: 'lead.wuzhong', password: 'demo' }),
    });
    const { token } = (await signIn.json()) as { token: string };
    const date = new Date(Date.now() + 10 * 86_400_000).toISOString().slice(0, 10);
    const createDay = async (capacity: number) => {
      const res = await fetch(`${runtime.url}/api/staff/consultation-days`, {
        method: 'POST',
        headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
        body: JSON.stringify({
          date,
          jurisdiction: '320506',
          venue: 'bench',
          mode: 'onsite',
          topics: ['bench'],
          slots: [{ startsAt: `${date}T09:00:00+08:00`, endsAt: `${date}T10:00:00+08:00`, capacity }],
        }),
      });
      return ((await res.json()) as { day: { dayId: string } }).day.dayId;
    };
    const book = async (dayId: string, uscc: string) => {
      const started = performance.now();
      const res = await fetch(`${runtime.url}/api/public/consultation-days/${dayId}/bookings`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({
          slotId: 's1',
          uscc,
          companyName: '基准测试企业',
          contactName: '测试',
          mobile: '13800000000',
          topic: 'bench',
          question: '基准测试的咨询问题内容',
          consent: true,
        }),
      });
      const body = (await res.json()) as { booking?: { status: string }; error?: { code: string } };
      return {
        ms: performance.now() - started,
        outcome: body.booking?.status ?? body.error?.code ?? String(res.status),
      };
    };

    const small = await createDay(10);
    const burst = await Promise.all(distinctUsccs(200).map((uscc) => book(small, uscc)));
    const count = (o: string) => burst.filter((r) => r.outcome === o).length;
    const errors = burst.length - count('confirmed') - count('SLOT_FULL');
    rows.push([
      '200 concurrent bookings on a 10-seat slot',
      '10 confirmed, 190 `SLOT_FULL`, 0 errors',
      `${count('confirmed')} confirmed, ${count('SLOT_FULL')} \`SLOT_FULL\`, ${errors} errors`,
    ]);

    const big = await createDay(500);
    const firms = distinctUsccs(430);
    const alone: number[] = [];
    for (const uscc of firms.splice(0, 30)) alone.push((await book(big, uscc)).ms);
    alone.sort((a, b) => a - b);
    const latencies: number[] = [];
    await Promise.all(
      Array.from({ length: 20 }, async (_, client) => {
        for (let i = client; i < firms.length; i += 20) latencies.push((await book(big, firms[i] as string)).ms);
      }),
    );
    latencies.sort((a, b) => a - b);
    const p = (q: number) => latencies[Math.min(latencies.length - 1, Math.floor(q * latencies.length))] ?? 0;
    rows.push([
      'booking API p95, 20 concurrent clients (embedded runtime)',
      '≤ 150 ms',
      `p95 ${p(0.95).toFixed(0)} ms, p50 ${p(0.5).toFixed(0)} ms over ${latencies.length} bookings of one slot; one client alone: p50 ${(alone[15] ?? 0).toFixed(0)} ms`,
    ]);
  } finally {
    await runtime.stop();
  }
}

const table = [
  `Measured by \`npm run bench\` on ${new Date().toISOString().slice(0, 10)}, Node ${process.version}, ${
    (await import('node:os')).cpus().length
  } cores.`,
  '',
  '| what | budget | measured |',
  '| --- | --- | --- |',
  ...rows.map((r) => `| ${r.join(' | ')} |`),
  '| nudge job over 31,000 pairings | ≤ 60 s, ≤ 256 MB, zero Scan | not yet built (issue 6) |',
  '| compliance view for a province | ≤ 5 DynamoDB requests | not yet built (issue 6) |',
].join('\n');
console.log(table);

const readme = join(root, 'README.md');
const text = readFileSync(readme, 'utf8');
const start = '<!-- bench:start -->';
const end = '<!-- bench:end -->';
if (text.includes(start) && text.includes(end)) {
  writeFileSync(
    readme,
    `${text.slice(0, text.indexOf(start) + start.length)}\n${table}\n${text.slice(text.indexOf(end))}`,
  );
  console.log('\nREADME performance table updated.');
}
rmSync(out, { recursive: true, force: true });
