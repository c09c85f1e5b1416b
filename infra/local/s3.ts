import { mkdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import { freePort } from './ports.ts';

interface S3rverInstance {
  run(): Promise<unknown>;
  close(): Promise<void>;
}
type S3rverClass = new (options: Record<string, unknown>) => S3rverInstance;
const S3rver = createRequire(import.meta.url)('s3rver') as S3rverClass;

/** CORS so the browser can PUT to presigned URLs, as the bucket's CORS rule allows in AWS. */
const CORS = `<CORSConfiguration><CORSRule><AllowedOrigin>*</AllowedOrigin><AllowedMethod>PUT</AllowedMethod><AllowedMethod>GET</AllowedMethod><AllowedHeader>*</AllowedHeader><ExposeHeader>ETag</ExposeHeader><MaxAgeSeconds>3000</MaxAgeSeconds></CORSRule></CORSConfiguration>`;

/**
 * Starts s3rver on a free port with its data under `dir`. It accepts only the
 * `S3RVER` / `S3RVER` credentials; clients must use path-style addressing.
 */
export const startObjectStore = async (dir: string, buckets: string[]) => {
  mkdirSync(dir, { recursive: true });
  const port = await freePort();
  const server = new S3rver({
    address: '127.0.0.1',
    port,
    directory: dir,
    silent: true,
    configureBuckets: buckets.map((name) => ({ name, configs: [CORS] })),
  });
  await server.run();
  return { endpoint: `http://127.0.0.1:${port}`, stop: () => server.close() };
};
