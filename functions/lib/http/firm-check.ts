import { UnauthenticatedError } from './errors.ts';
import type { FirmIdentity } from './identity.ts';

/**
 * The firm a request acts for, checked against the roster on every firm request, as staff tokens
 * are against their accounts (account-check.ts). A firm token lasts a working day; a contact the
 * bureau removes from the firm's roster entry (someone who left the firm, a mistyped number) must
 * lose the firm's door at once, not when that token ends: the token's mobile has to be one of the
 * firm's contacts now, as it had to be for the code to be sent. One GetItem of `ENT#<uscc>`.
 */
export const checkFirm = async (firm: FirmIdentity): Promise<FirmIdentity> => {
  // Loaded on first use: only firm routes read the roster here.
  const { getEnterprise } = await import('../enterprises/enterprises.ts');
  const enterprise = await getEnterprise(firm.uscc);
  if (!enterprise?.contacts.some((c) => c.mobile === firm.mobile))
    throw new UnauthenticatedError('This sign-in is no longer valid; sign in again');
  return firm;
};
