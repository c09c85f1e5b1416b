import * as z from 'zod/mini';
import { MOBILE } from './consultation.ts';
import { ENTERPRISE_STATUSES, FIRM_TYPES, type FirmType, SIZES, TIERS } from './enterprise-words.ts';
import { knownJurisdiction } from './jurisdiction-input.ts';
import { levelOf } from './jurisdictions.ts';
import { parkId } from './parks.ts';
import { isValidUscc, normalizeUscc } from './uscc.ts';

/** Enterprises of the programme: the request schemas, shared by the API and the console. */
export {
  ENTERPRISE_STATUSES,
  FIRM_TYPE_WORDS,
  FIRM_TYPES,
  type FirmType,
  SIZE_LABELS,
  SIZES,
  STATUS_LABELS,
  TIER_LABELS,
  TIERS,
} from './enterprise-words.ts';

/** A firm's types: each code once, in the order of FIRM_TYPES (so equal sets are equal arrays). */
export const firmTypes = z.pipe(
  z.array(z.enum(FIRM_TYPES)).check(z.maxLength(FIRM_TYPES.length)),
  z.transform((codes: FirmType[]) => FIRM_TYPES.filter((t) => codes.includes(t))),
);

const text = (min: number, max: number) => z.string().check(z.trim(), z.minLength(min), z.maxLength(max));

export const usccField = z.pipe(
  z.string().check(z.overwrite(normalizeUscc)),
  z.string().check(z.refine(isValidUscc, 'Not a valid Unified Social Credit Code (check digit)')),
);

const county = knownJurisdiction.check(
  z.refine((code) => levelOf(code) === 'county', 'An enterprise belongs to a county-level code'),
);

export const contactInput = z.object({
  name: text(1, 50),
  role: z.optional(text(1, 50)),
  mobile: z.string().check(z.trim(), z.regex(MOBILE, 'A mainland mobile number: 1[3-9] and 9 more digits')),
  email: z.optional(z.email('Not a valid e-mail address')),
});

export const enterpriseInput = z.object({
  uscc: usccField,
  name: text(2, 100),
  county,
  address: text(1, 200),
  industry: text(1, 100),
  size: z.enum(SIZES),
  tier: z.enum(TIERS),
  permitNo: z.optional(text(1, 50)),
  permitExpiresOn: z.optional(z.iso.date()),
  contacts: z.array(contactInput).check(z.maxLength(10)),
  types: z.optional(firmTypes),
  /** The firm's industrial park: the id of a live park of its county (checked against the county's list). */
  park: z.optional(parkId),
});
export type EnterpriseInput = z.output<typeof enterpriseInput>;

export const enterprisePatch = z.object({
  version: z.number().check(z.int(), z.minimum(1)),
  name: z.optional(text(2, 100)),
  county: z.optional(county),
  address: z.optional(text(1, 200)),
  industry: z.optional(text(1, 100)),
  size: z.optional(z.enum(SIZES)),
  tier: z.optional(z.enum(TIERS)),
  permitNo: z.optional(text(1, 50)),
  permitExpiresOn: z.optional(z.iso.date()),
  contacts: z.optional(z.array(contactInput).check(z.maxLength(10))),
  status: z.optional(z.enum(ENTERPRISE_STATUSES)),
  types: z.optional(firmTypes),
  /** A live park of the firm's county, or null to clear it. */
  park: z.optional(z.nullable(parkId)),
});
export type EnterprisePatch = z.output<typeof enterprisePatch>;

/** Enterprises in the single table (see shared/table.md). */
export interface Enterprise extends EnterpriseInput {
  /**
   * `types`: codes of shared/enterprise.ts FIRM_TYPES (absent on firms registered before issue 19:
   * none); `park`: the id of a park of the county's list (shared/parks.ts), absent when none.
   */
  status: 'active' | 'paused' | 'closed';
  version: number;
  createdAt: string;
  updatedAt: string;
}
