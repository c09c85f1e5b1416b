import { spawnSync } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DynamoDBClient, ListTablesCommand } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import AxeBuilder from '@axe-core/playwright';
import { type Browser, chromium, type Page } from 'playwright-core';
import { expect, inject } from 'vitest';
import { ROOT } from '../../infra/local/runtime.ts';
import { javaUsing, startCli } from './cli.ts';

/** Where the browser tests save screenshots for a person to look at. */
export const SHOTS = join(ROOT, 'test-results', 'screenshots');

export const phone = { viewport: { width: 390, height: 844 }, deviceScaleFactor: 2, isMobile: true, hasTouch: true };

export interface Product {
  readonly url: string;
  readonly browser: Browser;
  readonly dataDir: string;
  stop(): Promise<void>;
}

/**
 * The product as `npm start` runs it (a child process on a free port, its own data folder, a copy of
 * the tier's demo when there is one) and a headless Chromium. `stop` closes both and checks no DynamoDB Local is left behind.
 */
export const startProduct = async (prefix: string): Promise<Product> => {
  mkdirSync(SHOTS, { recursive: true });
  const dataDir = mkdtempSync(join(tmpdir(), prefix));
  // The demo seeded once for the tier (test/e2e/global-setup.ts), when there is one; its lock stays behind.
  const snapshot = inject('demoSnapshot');
  if (snapshot) cpSync(snapshot, dataDir, { recursive: true, filter: (source) => !source.endsWith('runtime.lock') });
  const cli = await startCli(dataDir);
  const url = await cli.url;
  const browser = await chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--no-first-run',
    ],
  });
  return {
    url,
    browser,
    dataDir,
    stop: async () => {
      await browser.close();
      cli.child.kill('SIGINT');
      await cli.exited;
      expect(javaUsing(dataDir)).toBe(false);
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
};

/** axe-core's violations on the page, one line each (empty when clean). */
export const axeViolations = async (page: Page): Promise<string[]> => {
  const result = await new AxeBuilder({ page }).analyze();
  return result.violations.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`);
};

/** The product's DynamoDB Local: the port its java process was started with, found by its data folder. */
export const productTable = async (dataDir: string) => {
  const lines = spawnSync('pgrep', ['-af', `java.*${dataDir}`], { encoding: 'utf8' }).stdout;
  const port = /-port (\d+)/.exec(lines)?.[1];
  if (!port) throw new Error(`No DynamoDB Local found for ${dataDir}`);
  const client = new DynamoDBClient({
    endpoint: `http://127.0.0.1:${port}`,
    region: 'local',
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
  });
  const names = (await client.send(new ListTablesCommand({}))).TableNames ?? [];
  const name = names.find((n) => n.includes('EcoLiaison')) ?? names[0];
  if (!name) throw new Error('The product has no table');
  return { doc: DynamoDBDocumentClient.from(client), name };
};
