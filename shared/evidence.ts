import * as z from 'zod/mini';
import { EVIDENCE_MAX_BYTES, EVIDENCE_TYPES } from './evidence-rules.ts';

export * from './evidence-rules.ts';

export const evidenceInput = z.object({
  fileName: z.string().check(z.trim(), z.minLength(1), z.maxLength(200)),
  contentType: z.enum(Object.keys(EVIDENCE_TYPES) as [keyof typeof EVIDENCE_TYPES, ...(keyof typeof EVIDENCE_TYPES)[]]),
  size: z.number().check(z.int(), z.minimum(1), z.maximum(EVIDENCE_MAX_BYTES, 'At most 20 MB')),
  sha256: z.string().check(z.regex(/^[a-f0-9]{64}$/, 'Hex SHA-256 of the file')),
});
export type EvidenceInput = z.output<typeof evidenceInput>;
