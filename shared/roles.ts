/** Staff roles, as carried in the `cognito:groups` claim. */
export const ROLES = ['liaison', 'lead', 'admin'] as const;
export type Role = (typeof ROLES)[number];

export const isRole = (value: unknown): value is Role =>
  typeof value === 'string' && (ROLES as readonly string[]).includes(value);

/** Every signed-in staff role. */
export const STAFF: readonly Role[] = ROLES;
/** Leads and admins: the roles that manage a jurisdiction. */
export const MANAGERS: readonly Role[] = ['lead', 'admin'];

/**
 * What each role is called, in the words of the spec's glossary (联系领导 for a lead): one map for the
 * console (shared/i18n.ts `role.*`) and the server's Chinese sheets (the audit export), so a role is
 * never named two ways. Kept here, not in i18n.ts, so a function takes these few words only.
 */
export const ROLE_WORDS: { readonly zh: Readonly<Record<Role, string>>; readonly en: Readonly<Record<Role, string>> } =
  {
    zh: { liaison: '企业联络员', lead: '联系领导', admin: '管理员' },
    en: { liaison: 'Liaison', lead: 'Lead', admin: 'Administrator' },
  };
