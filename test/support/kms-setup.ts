import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll } from 'vitest';
import type { StandIn } from '../../infra/local/aws-json.ts';
import { LOCAL_FIRM_KEY_ALIAS, startKmsStandIn } from '../../infra/local/kms.ts';

/**
 * Per test file (vitest `setupFiles`): the KMS stand-in that signs firm tokens, on a free port of
 * 127.0.0.1 with a key of its own, found by the SDK through `AWS_ENDPOINT_URL_KMS` as in AWS.
 */
let kms: StandIn | undefined;
const dir = mkdtempSync(join(tmpdir(), 'kms-'));
beforeAll(async () => {
  kms = await startKmsStandIn(dir);
  Object.assign(process.env, { AWS_ENDPOINT_URL_KMS: kms.endpoint, FIRM_KEY_ID: LOCAL_FIRM_KEY_ALIAS });
});
afterAll(async () => {
  await kms?.stop();
  rmSync(dir, { recursive: true, force: true });
});
