import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, dirname, join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ROOT, STACK_NAMES } from '../../infra/app-builder.ts';
import { fakeSiteDir, REQUIRED_CONTEXT } from './support.ts';

const made: string[] = [];
afterAll(() => {
  for (const dir of made) rmSync(dir, { recursive: true, force: true });
});

/** The environment of a machine with no AWS account: no credentials, no profile, no instance metadata. */
const offlineEnv = (): NodeJS.ProcessEnv => {
  const env: NodeJS.ProcessEnv = { ...process.env };
  for (const key of Object.keys(env)) {
    if (
      /^AWS_(ACCESS_KEY_ID|SECRET_ACCESS_KEY|SESSION_TOKEN|PROFILE|DEFAULT_PROFILE|REGION|DEFAULT_REGION)$/.test(key)
    ) {
      delete env[key];
    }
  }
  return {
    ...env,
    AWS_EC2_METADATA_DISABLED: 'true',
    AWS_CONFIG_FILE: join(tmpdir(), 'eco-no-aws-config'),
    AWS_SHARED_CREDENTIALS_FILE: join(tmpdir(), 'eco-no-aws-credentials'),
    CDK_DISABLE_CLI_TELEMETRY: 'true',
    // cdk.json runs `node infra/app.ts`: the same Node as this test.
    PATH: `${dirname(process.execPath)}${delimiter}${env.PATH ?? ''}`,
  };
};

describe('cdk CLI', () => {
  it('synthesizes every stack offline, without AWS credentials', () => {
    // Prepare
    const siteDir = fakeSiteDir();
    const outdir = mkdtempSync(join(tmpdir(), 'eco-cli-'));
    made.push(siteDir, outdir);

    // Act: `--build true` skips cdk.json's site build (the test brings its own site folder).
    const run = spawnSync(
      process.execPath,
      [
        join(ROOT, 'node_modules/aws-cdk/bin/cdk'),
        'synth',
        '--quiet',
        '--no-notices',
        '--build',
        'true',
        '-c',
        `siteDir=${siteDir}`,
        ...Object.entries(REQUIRED_CONTEXT).flatMap(([key, value]) => ['-c', `${key}=${value}`]),
        '-o',
        outdir,
      ],
      { cwd: ROOT, env: offlineEnv(), encoding: 'utf8' },
    );

    // Assess
    expect(run.status, `${run.stdout}\n${run.stderr}`).toBe(0);
    for (const name of Object.values(STACK_NAMES)) {
      expect(existsSync(join(outdir, `${name}.template.json`)), name).toBe(true);
    }
  });

  it('refuses to synthesize without mailFrom, naming the setting and how to pass it', () => {
    // Prepare
    const siteDir = fakeSiteDir();
    const outdir = mkdtempSync(join(tmpdir(), 'eco-cli-'));
    made.push(siteDir, outdir);

    // Act
    const run = spawnSync(process.execPath, [join(ROOT, 'infra/app.ts')], {
      cwd: ROOT,
      env: {
        ...offlineEnv(),
        CDK_OUTDIR: outdir,
        CDK_CONTEXT_JSON: JSON.stringify({ siteDir, alarmEmail: REQUIRED_CONTEXT.alarmEmail }),
      },
      encoding: 'utf8',
    });

    // Assess
    expect(run.status).not.toBe(0);
    expect(run.stderr).toContain('CDK context mailFrom: is required');
    expect(run.stderr).toContain('-c mailFrom=');
  });

  it('refuses to synthesize without a built site, and says how to build it', () => {
    // Prepare
    const outdir = mkdtempSync(join(tmpdir(), 'eco-cli-'));
    const missing = join(outdir, 'no-site');
    made.push(outdir);

    // Act
    const run = spawnSync(process.execPath, [join(ROOT, 'infra/app.ts')], {
      cwd: ROOT,
      env: { ...offlineEnv(), CDK_OUTDIR: outdir, CDK_CONTEXT_JSON: JSON.stringify({ siteDir: missing }) },
      encoding: 'utf8',
    });

    // Assess
    expect(run.status).not.toBe(0);
    expect(run.stderr).toContain('npm run build:site');
  });
});
