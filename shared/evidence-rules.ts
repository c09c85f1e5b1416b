// The evidence files' types and limits, without zod: the pages import these, and only a page that checks a form loads the schemas
// (shared/evidence.ts, which re-exports this file), on first use (site/src/kit/lazy.ts).

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
