import type { S3Client } from '@aws-sdk/client-s3';
import { ENV } from '../../../shared/config.ts';

let cached: { endpoint: string | undefined; client: S3Client } | undefined;

/**
 * The evidence bucket's client, loaded on first use (most requests never touch S3, so cold
 * starts skip it). Locally it points at the S3-compatible server with path-style addressing.
 */
export const s3 = async () => {
  const sdk = await import('@aws-sdk/client-s3');
  const endpoint = process.env[ENV.s3Endpoint] || undefined;
  if (!cached || cached.endpoint !== endpoint) {
    // WHEN_REQUIRED: otherwise the SDK signs a CRC32 of the empty body into presigned PUT URLs,
    // and S3 would refuse every real upload.
    const base = { requestChecksumCalculation: 'WHEN_REQUIRED' as const };
    cached = { endpoint, client: new sdk.S3Client(endpoint ? { ...base, endpoint, forcePathStyle: true } : base) };
  }
  return { client: cached.client, sdk, presign: (await import('@aws-sdk/s3-request-presigner')).getSignedUrl };
};
