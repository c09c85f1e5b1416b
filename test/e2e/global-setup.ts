import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TestProject } from 'vitest/node';
import { fromShanghai, shanghaiDate } from '../../shared/time.ts';
import { startCli } from '../support/cli.ts';

declare module 'vitest' {
  export interface ProvidedContext {
    /** A data folder `npm start` seeded with the demo, for each browser test to start from a copy ('' for none). */
    demoSnapshot: string;
  }
}

/** How close to Beijing midnight the snapshot is not made: its demo dates would be a day old by the last file. */
const MIDNIGHT_MARGIN_MS = 45 * 60_000;

/**
 * The browser tier runs the product as `npm start` does, one product per file. The first start seeds
 * the demo through the API (169 records), most of a start's time; each file starting on a copy of one
 * seeded folder is a developer's second `npm start`, and the tier takes minutes less. The demo's dates
 * are relative to its day, so near Beijing midnight no snapshot is made and every file seeds its own.
 */
export default async function setup(project: TestProject) {
  const now = Date.now();
  const [year, month, day] = shanghaiDate(new Date(now + 86_400_000))
    .split('-')
    .map(Number) as [number, number, number];
  const tomorrow = fromShanghai(year, month, day).getTime();
  if (tomorrow - now < MIDNIGHT_MARGIN_MS) {
    project.provide('demoSnapshot', '');
    return undefined;
  }
  const dataDir = mkdtempSync(join(tmpdir(), 'eco-e2e-demo-'));
  const cli = await startCli(dataDir);
  await cli.url;
  cli.child.kill('SIGINT');
  if ((await cli.exited) !== 0) throw new Error(`The demo's first start did not stop cleanly: ${cli.output()}`);
  project.provide('demoSnapshot', dataDir);
  return () => rmSync(dataDir, { recursive: true, force: true });
}
