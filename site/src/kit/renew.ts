/**
 * Renewing and ending the staff session from a console page: the OpenID Connect client (`oidc.ts`,
 * about 8 KB gzip) is loaded only when a token has to be renewed or the person signs out, so a
 * console page does not carry it otherwise. The sign-in page, which needs it anyway, imports it directly.
 */
import { freshTokenWith, type Renewed, renewSession, signOutWith } from './session.ts';

const renew = async (refreshToken: string): Promise<Renewed> => (await import('./oidc.ts')).renew(refreshToken);

/** The session's token, renewed first when it is about to expire; null without a session. */
export const freshToken = (): Promise<string | null> => freshTokenWith(renew);

/** Renews once after a 401 (see `renewSession`); the new token, or null. */
export const refreshSession = (sent: string): Promise<string | null> => renewSession(sent, renew);

/** Signs out here, in every tab, and at the issuer. */
export const signOut = (lang: 'zh' | 'en'): Promise<void> =>
  signOutWith(lang, async (session, l) => (await import('./oidc.ts')).endSessionUrl(session, l));
