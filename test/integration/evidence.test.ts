import { createHash } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Runtime, startRuntime } from '../../infra/local/runtime.ts';

// Evidence through the local gateway against the real S3-compatible server (s3rver).
let runtime: Runtime;
let dataDir: string;
const token: Record<string, string> = {};

const call = (method: string, path: string, who: string, body?: unknown) =>
  fetch(`${runtime.url}${path}`, {
    method,
    headers: { authorization: `Bearer ${token[who]}`, 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });

beforeAll(async () => {
  dataDir = mkdtempSync(join(tmpdir(), 'eco-evidence-'));
  runtime = await startRuntime({ port: 0, dataDir, siteDir: dataDir, scheduler: false, log: () => undefined });
  for (const username of ['liaison.wuzhong', 'lead.jiangyin']) {
    const res = await fetch(`${runtime.url}/api/local-auth/sign-in`, {
      method: 'POST',
      body: JSON.stringify({ username, password: 'demo' }),
    });
    token[username] = ((await res.json()) as { token: string }).token;
  }
});

afterAll(async () => {
  await runtime?.stop();
  rmSync(dataDir, { recursive: true, force: true });
});

const photo = Buffer.from('\x89PNG\r\n\x1a\n fake image bytes for the test');
const meta = (extra: Record<string, unknown> = {}) => ({
  fileName: '../../现场照片.png',
  contentType: 'image/png',
  size: photo.length,
  sha256: createHash('sha256').update(photo).digest('hex'),
  ...extra,
});

describe('evidence uploads', () => {
  it('uploads with a presigned PUT and reads back with a presigned GET, in scope only', async () => {
    const created = await call('POST', '/api/staff/evidence', 'liaison.wuzhong', meta());
    expect(created.status).toBe(201);
    const { evidenceId, upload } = (await created.json()) as {
      evidenceId: string;
      upload: { url: string; headers: Record<string, string> };
    };
    // The server chose the key; the file name never reaches it.
    expect(new URL(upload.url).pathname).toMatch(/\/unattached\/[0-9a-f-]{36}\.png$/);
    expect(Number(new URL(upload.url).searchParams.get('X-Amz-Expires'))).toBeLessThanOrEqual(300);
    const put = await fetch(upload.url, { method: 'PUT', headers: upload.headers, body: photo });
    expect(put.status).toBe(200);

    const got = await call('GET', `/api/staff/evidence/${evidenceId}`, 'liaison.wuzhong');
    const { download } = (await got.json()) as { download: { url: string } };
    expect(Buffer.from(await (await fetch(download.url)).arrayBuffer())).toEqual(photo);
    expect((await call('GET', `/api/staff/evidence/${evidenceId}`, 'lead.jiangyin')).status).toBe(404);
  });

  it('signs the content type and length into the URL, with no checksum of an empty body', async () => {
    // s3rver does not enforce signed headers, so the contract that real S3 enforces is checked here.
    const created = (await (await call('POST', '/api/staff/evidence', 'liaison.wuzhong', meta())).json()) as {
      upload: { url: string };
    };
    const params = new URL(created.upload.url).searchParams;
    expect(params.get('X-Amz-SignedHeaders')?.split(';')).toEqual(['content-length', 'content-type', 'host']);
    expect([...params.keys()].filter((k) => k.toLowerCase().includes('checksum'))).toEqual([]);
  });

  it('names bad metadata: type, size over 20 MB, checksum', async () => {
    const res = await call(
      'POST',
      '/api/staff/evidence',
      'liaison.wuzhong',
      meta({ contentType: 'text/html', size: 21 * 1024 * 1024, sha256: 'x' }),
    );
    expect(res.status).toBe(400);
    const { error } = (await res.json()) as { error: { fields: Record<string, string> } };
    expect(Object.keys(error.fields).sort()).toEqual(['contentType', 'sha256', 'size']);
  });
});
