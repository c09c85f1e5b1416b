import { levelOf, names } from '../../shared/jurisdictions.ts';
import { getUserProfile } from '../lib/accounts/profiles.ts';
import { found } from '../lib/http/errors.ts';
import { defineRoute } from '../lib/http/handler.ts';

/**
 * GET /api/staff/me: who the token says you are, with the jurisdiction's name.
 * Role and jurisdiction come from the verified claims, narrowed (never widened) by a change
 * to the stored account since the token was issued (account-check.ts); the profile adds the
 * display name.
 */
export const getMe = defineRoute({
  handler: async ({ identity: caller }) => {
    const identity = found(caller);
    const profile = await getUserProfile(identity.username);
    const code = identity.jurisdiction;
    return {
      me: {
        username: identity.username,
        displayName: profile?.displayName ?? identity.username,
        email: identity.email ?? profile?.email ?? null,
        role: identity.role,
        jurisdiction: { code, name: names[code] ?? { zh: code, en: code }, level: levelOf(code) },
      },
    };
  },
});
