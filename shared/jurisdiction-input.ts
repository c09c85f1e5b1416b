import * as z from 'zod/mini';
import { isKnownJurisdiction, JURISDICTION_CODE } from './jurisdictions.ts';

/**
 * Apart from shared/jurisdictions.ts, whose names and prefix rules the browser pages import: zod
 * in that module put zod's core into every console page's chunk (about 8 KB gzip).
 *
 * The one schema for a jurisdiction code taken as input (body, query or path): six digits and a
 * code the product knows. Whether the caller may use it is the scope rules' question, asked by the
 * handler (functions/lib/http/scope.ts).
 */
export const knownJurisdiction = /* @__PURE__ */ z
  .string()
  .check(
    z.regex(JURISDICTION_CODE, 'Six-digit administrative code'),
    z.refine(isKnownJurisdiction, 'Not an administrative code this service knows'),
  );
