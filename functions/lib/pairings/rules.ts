/**
 * Who may be paired with whom: the checks of a new pairing, shared by the single create
 * (`POST /api/staff/pairings`), the reassign and the bulk pairing, so the rules are written once.
 */
import { prefixOf } from '../../../shared/jurisdictions.ts';
import { getStaffUser, getUserProfile, type UserProfile } from '../accounts/profiles.ts';
import { type Enterprise, getEnterprise } from '../enterprises/enterprises.ts';
import { found, ValidationError } from '../http/errors.ts';
import type { Identity } from '../http/identity.ts';
import { inScope, requireInScope, requireMayCreateIn } from '../http/scope.ts';

/** A firm the caller may pair: registered and inside its scope (else 404, rule 8). */
export const firmToPair = async (me: Identity, uscc: string): Promise<Enterprise> => {
  const enterprise = found(await getEnterprise(uscc));
  requireInScope(me, enterprise.county);
  requireMayCreateIn(me, enterprise.county);
  return enterprise;
};

/** Whether the firm may be paired by the caller: the same test as firmToPair, without throwing. */
export const mayPair = (me: Identity, firm: Enterprise | undefined): firm is Enterprise =>
  firm !== undefined && inScope(me, firm.county);

/**
 * A liaison account inside the caller's scope (its county is then the only one it serves); any
 * other account, or none, reads the same: 400 on `liaison`.
 */
export const liaisonInScope = async (me: Identity, username: string): Promise<UserProfile> => {
  const profile = await getUserProfile(username);
  if (profile?.role !== 'liaison' || !inScope(me, profile.jurisdiction)) {
    throw new ValidationError({ liaison: 'Not a liaison inside your jurisdiction' });
  }
  return profile;
};

/** The liaison must be a liaison account of the firm's county. */
export const requireLiaisonOf = async (username: string, county: string) => {
  const profile = await getUserProfile(username);
  if (profile?.role !== 'liaison' || profile.jurisdiction !== county) {
    throw new ValidationError({ liaison: 'Not a liaison of the enterprise’s county' });
  }
};

/**
 * 联系领导: an enabled lead whose jurisdiction holds the firm's county (the county's, its city's or
 * the province's). Any other account, or none, reads the same: not a lead over the county.
 */
export const requireContactLeaderOf = async (username: string, county: string) => {
  const account = await getStaffUser(username);
  if (account?.role !== 'lead' || !account.enabled || !county.startsWith(prefixOf(account.jurisdiction))) {
    throw new ValidationError({ contactLeader: 'Not a lead over the enterprise’s county' });
  }
};

/**
 * A mentor firm ("big hand holds small hand") must be a registered firm inside the caller's scope,
 * other than the firm itself. One outside the scope reads exactly as one not registered (rule 8:
 * no answer reveals that another jurisdiction's record exists). A wider scope (the province) may
 * pair across counties; the export then names such a mentor only to those whose scope holds it.
 */
export const requireMentorInScope = async (me: Identity, mentorUscc: string, uscc: string) => {
  if (mentorUscc === uscc) throw new ValidationError({ mentorUscc: 'A firm cannot mentor itself' });
  const mentor = await getEnterprise(mentorUscc);
  if (!mentor || !inScope(me, mentor.county)) {
    throw new ValidationError({ mentorUscc: 'No enterprise with this USCC is registered' });
  }
};
