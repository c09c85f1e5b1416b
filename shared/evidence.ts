import * as z from 'zod/mini';

/** Evidence files (photos, documents) uploaded straight to the bucket with presigned URLs. */
export const EVIDENCE_TYPES = {
  'application/pdf': 'pdf',
  'image/jpeg': 'jpg',
  'image/png': 'png',
  'image/heic': 'heic',
  'application/vnd.openxmlformats-officedocument.wordprocessingml.document': 'docx',
  'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet': 'xlsx',
} as const;
export const EVIDENCE_MAX_BYTES = 20 * 1024 * 1024;
/** Presigned URLs live at most this long. */
export const PRESIGN_SECONDS = 300;
/** Objects not attached to anything are under this prefix, which a lifecycle rule empties after a day. */
export const UNATTACHED_PREFIX = 'unattached/';

export const evidenceInput = z.object({
  fileName: z.string().check(z.trim(), z.minLength(1), z.maxLength(200)),
  contentType: z.enum(Object.keys(EVIDENCE_TYPES) as [keyof typeof EVIDENCE_TYPES, ...(keyof typeof EVIDENCE_TYPES)[]]),
  size: z.number().check(z.int(), z.minimum(1), z.maximum(EVIDENCE_MAX_BYTES, 'At most 20 MB')),
  sha256: z.string().check(z.regex(/^[a-f0-9]{64}$/, 'Hex SHA-256 of the file')),
});
export type EvidenceInput = z.output<typeof evidenceInput>;
