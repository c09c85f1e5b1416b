import { randomUUID } from 'node:crypto';
import * as z from 'zod/mini';
import { ENV } from '../../shared/config.ts';
import { EVIDENCE_TYPES, evidenceInput, PRESIGN_SECONDS, UNATTACHED_PREFIX } from '../../shared/evidence.ts';
import { found } from '../lib/http/errors.ts';
import { defineRoute, reply } from '../lib/http/handler.ts';
import { requireInScope } from '../lib/http/scope.ts';
import { getEvidenceRecord, recordUpload } from '../lib/store/evidence.ts';
import { s3 } from '../lib/store/s3.ts';
import { env } from '../lib/store/table.ts';

const idParams = z.object({ id: z.string().check(z.regex(/^[a-f0-9-]{36}$/, 'Not an evidence id')) });

/**
 * POST /api/staff/evidence: records the file and answers a presigned PUT (≤ 5 minutes). The object
 * key is made here, never from the file name; the signed content type and length must match.
 */
export const createEvidence = defineRoute({
  body: evidenceInput,
  handler: async ({ body, identity: caller }) => {
    const identity = found(caller);
    const evidenceId = randomUUID();
    const key = `${UNATTACHED_PREFIX}${evidenceId}.${EVIDENCE_TYPES[body.contentType]}`;
    await recordUpload(evidenceId, key, body, identity);
    const { client, sdk, presign } = await s3();
    const put = new sdk.PutObjectCommand({
      Bucket: env(ENV.bucketName),
      Key: key,
      ContentType: body.contentType,
      ContentLength: body.size,
    });
    // Signing the type and length makes S3 refuse any other file than the one described.
    const url = await presign(client, put, {
      expiresIn: PRESIGN_SECONDS,
      signableHeaders: new Set(['content-type', 'content-length']),
    });
    return reply(201, { evidenceId, upload: { url, method: 'PUT', headers: { 'content-type': body.contentType } } });
  },
});

/** GET /api/staff/evidence/{id}: a presigned GET (≤ 5 minutes) after the scope check. */
export const getEvidence = defineRoute({
  params: idParams,
  handler: async ({ params, identity: caller }) => {
    const identity = found(caller);
    const item = found(await getEvidenceRecord(params.id));
    requireInScope(identity, item.jurisdiction);
    const { client, sdk, presign } = await s3();
    const get = new sdk.GetObjectCommand({ Bucket: env(ENV.bucketName), Key: item.key });
    return {
      evidenceId: params.id,
      fileName: item.fileName,
      contentType: item.contentType,
      size: item.size,
      download: { url: await presign(client, get, { expiresIn: PRESIGN_SECONDS }) },
    };
  },
});
