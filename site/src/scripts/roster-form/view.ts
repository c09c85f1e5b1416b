/** An enterprise as the roster pages read it, and the counties a person may choose for one. */
import type { ENTERPRISE_STATUSES, SIZES, TIERS } from '../../../../shared/enterprise-words.ts';
import { contains, levelOf, names } from '../../../../shared/jurisdictions.ts';
import type { PageLang } from '../format.ts';

export interface ContactView {
  name: string;
  role?: string;
  mobile: string;
  email?: string;
}

/** An enterprise as `GET /api/staff/enterprises/{uscc}` answers it. */
export interface EnterpriseView {
  uscc: string;
  name: string;
  county: string;
  address: string;
  industry: string;
  size: (typeof SIZES)[number];
  tier: (typeof TIERS)[number];
  permitNo?: string;
  permitExpiresOn?: string;
  contacts: ContactView[];
  /** Codes of shared/enterprise-words.ts FIRM_TYPES; the park's id (shared/parks.ts). */
  types?: string[];
  park?: string;
  status: (typeof ENTERPRISE_STATUSES)[number];
  version: number;
  createdAt: string;
  updatedAt: string;
}

/** The county-level codes the person may choose: those of the demo geography inside its scope. */
export const countiesInScope = (scope: string): string[] =>
  Object.keys(names)
    .filter((code) => levelOf(code) === 'county' && contains(scope, code))
    .sort();

export const countyLabel = (code: string, lang: PageLang): string => {
  const name = names[code]?.[lang];
  if (!name) return code;
  return lang === 'zh' ? `${name}（${code}）` : `${name} (${code})`;
};
