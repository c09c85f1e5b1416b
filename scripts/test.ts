/**
 * `npm test`: every tier, then one closing line `N passed, N failed` that counts
 * the checks (typecheck, lint, site build) and every vitest test of every project.
 */
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync } from 'node:fs';
import { join, resolve } from 'node:path';

const root = resolve(import.meta.dirname, '..');
const bin = (name: string) => join(root, 'node_modules', '.bin', name);
const env = { ...process.env, POWERTOOLS_LOG_LEVEL: process.env.POWERTOOLS_LOG_LEVEL ?? 'WARN' };

let passed = 0;
let failed = 0;
const failures: string[] = [];

const step = (name: string, command: string, args: string[]): boolean => {
  const started = Date.now();
  console.log(`\n▶ ${name}`);
  const result = spawnSync(command, args, { cwd: root, stdio: 'inherit', env });
  const ok = result.status === 0;
  console.log(`${ok ? '✔' : '✘'} ${name} (${((Date.now() - started) / 1000).toFixed(1)} s)`);
  return ok;
};

const check = (name: string, command: string, args: string[]) => {
  if (step(name, command, args)) passed++;
  else {
    failed++;
    failures.push(name);
  }
};

/**
 * Checks that do not depend on each other, run at once: each is one single-threaded process of
 * minutes (the two typechecks, about four each here), so on two cores they take the time of the
 * longer. Their output is held and printed whole, one after the other, so it reads as if in turn.
 */
const checkTogether = async (checks: readonly (readonly [name: string, command: string, args: string[]])[]) => {
  const runs = checks.map(([name, command, args]) => {
    const started = Date.now();
    const child = spawn(command, args, { cwd: root, env, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (d: Buffer) => (output += d.toString()));
    child.stderr.on('data', (d: Buffer) => (output += d.toString()));
    return new Promise<{ name: string; ok: boolean; output: string; seconds: number }>((done) => {
      child.once('error', (error) => done({ name, ok: false, output: String(error), seconds: 0 }));
      child.once('close', (code) => done({ name, ok: code === 0, output, seconds: (Date.now() - started) / 1000 }));
    });
  });
  for (const run of await Promise.all(runs)) {
    console.log(`\n▶ ${run.name}\n${run.output}`);
    console.log(`${run.ok ? '✔' : '✘'} ${run.name} (${run.seconds.toFixed(1)} s, alongside the others)`);
    if (run.ok) passed++;
    else {
      failed++;
      failures.push(run.name);
    }
  }
};

await checkTogether([
  ['typecheck', bin('tsc'), ['--noEmit', '-p', 'tsconfig.json']],
  // The pages' components (.astro) with the shared code they import: tsc does not read .astro files, so
  // a component naming a message key that has no words would otherwise pass (site/tsconfig.json).
  ['typecheck: astro components', bin('astro'), ['check', '--root', 'site']],
]);
check('lint: biome', bin('biome'), ['check', '--error-on-warnings', '.']);
check('lint: dependency boundaries', bin('depcruise'), [
  '--config',
  '.dependency-cruiser.cjs',
  'shared',
  'functions',
  'infra',
  'site/src',
]);
check('build: site', bin('astro'), ['build', '--root', 'site', '--silent']);

const report = join(root, 'test-results', 'vitest.json');
mkdirSync(join(root, 'test-results'), { recursive: true });
rmSync(report, { force: true });
const vitestOk = step('vitest: unit, integration, infra, e2e', bin('vitest'), [
  'run',
  '--reporter=default',
  '--reporter=json',
  `--outputFile.json=${report}`,
]);

if (existsSync(report)) {
  const json = JSON.parse(readFileSync(report, 'utf8')) as {
    numPassedTests: number;
    numFailedTests: number;
    numPendingTests: number;
    numTodoTests: number;
    numTotalTests: number;
  };
  passed += json.numPassedTests;
  failed += json.numFailedTests;
  // Skipped or todo tests are not allowed to hide: count them as failures.
  const skipped = json.numPendingTests + json.numTodoTests;
  if (skipped > 0) {
    failed += skipped;
    failures.push(`${skipped} skipped/todo tests`);
  }
  if (json.numTotalTests === 0) {
    failed++;
    failures.push('vitest ran no test');
  }
  if (!vitestOk && json.numFailedTests === 0) {
    failed++;
    failures.push('vitest exited non-zero (suite or setup error)');
  }
} else {
  failed++;
  failures.push('vitest wrote no report');
}

if (failures.length > 0) console.log(`\nFailed: ${failures.join('; ')}`);
console.log(`\n${passed} passed, ${failed} failed`);
process.exit(failed === 0 ? 0 : 1);
