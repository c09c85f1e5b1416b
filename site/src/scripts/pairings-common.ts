/**
 * What the pairing list, the contact form, the staff-users and the audit pages share: the API's
 * shapes, firm names for a set of USCCs (the pairing records carry only the code), and place labels.
 */

import type { Enterprise as Firm } from '../../../shared/enterprise.ts';
import { nameOf } from '../../../shared/jurisdictions.ts';
import type { StaffUser } from '../../../shared/staff-user.ts';
import { shanghaiParts } from '../../../shared/time.ts';
import { api } from '../kit/api.ts';
import type { PageLang } from './format.ts';

// As the API answers them: each person by name beside the username (issue 18).
export type { Enterprise as Firm } from '../../../shared/enterprise.ts';
export type { ContactView as Contact, PairingView as Pairing } from '../../../shared/pairing-views.ts';
export type { StaffUser } from '../../../shared/staff-user.ts';

/** The current year in Beijing: the default service year. */
export const thisYear = (): number => shanghaiParts(new Date()).year;

/** `320506` → `吴中区（320506）` / `Wuzhong District (320506)`. */
export const placeLabel = (code: string, lang: PageLang): string => {
  const name = nameOf(code, lang);
  if (name === code) return code;
  return lang === 'zh' ? `${name}（${code}）` : `${name} (${code})`;
};

const firmCache = new Map<string, Firm | null>();

/** One firm by its code (cached); null when it is not on the roster in one's scope. */
export const firmOf = async (token: string, uscc: string): Promise<Firm | null | undefined> => {
  if (firmCache.has(uscc)) return firmCache.get(uscc);
  const answer = await api('enterprises.get', { params: { uscc }, token });
  if (answer.ok && answer.body.enterprise) {
    firmCache.set(uscc, answer.body.enterprise);
    return answer.body.enterprise;
  }
  if (answer.status === 404) {
    firmCache.set(uscc, null);
    return null;
  }
  return undefined;
};

/**
 * Names of the firms with these codes. Pages through the roster of the jurisdiction (200 a page)
 * while names are missing, then asks for the few left one by one; unknown codes stay out.
 */
export const firmNames = async (token: string, jurisdiction: string, codes: string[]): Promise<Map<string, Firm>> => {
  const wanted = new Set(codes.filter((code) => !firmCache.has(code)));
  if (wanted.size > 20) {
    let cursor: string | null = null;
    for (let page = 0; page < 25 && wanted.size > 0; page++) {
      const query = new URLSearchParams({ county: jurisdiction, limit: '200' });
      if (cursor) query.set('cursor', cursor);
      const answer = await api('enterprises.list', { query, token });
      if (!answer.ok || !Array.isArray(answer.body.enterprises)) break;
      for (const firm of answer.body.enterprises) {
        firmCache.set(firm.uscc, firm);
        wanted.delete(firm.uscc);
      }
      cursor = answer.body.nextCursor ?? null;
      if (!cursor) break;
    }
  }
  const left = [...wanted];
  // A few at a time: a phone on a slow network should not open dozens of requests at once.
  for (let i = 0; i < left.length; i += 6) {
    await Promise.all(left.slice(i, i + 6).map((code) => firmOf(token, code)));
  }
  const out = new Map<string, Firm>();
  for (const code of codes) {
    const firm = firmCache.get(code);
    if (firm) out.set(code, firm);
  }
  return out;
};

/**
 * A person by display name only (issue 18: the username is an account, not what people call each
 * other); the username only when the account has no name.
 */
export const personLabel = (user: Pick<StaffUser, 'username' | 'displayName'> | undefined, username: string): string =>
  user?.displayName || username;

export { keepQueryOnLangSwitch } from './lang-switch.ts';
