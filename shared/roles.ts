/** Staff roles, as carried in the `cognito:groups` claim. */
export const ROLES = ['liaison', 'lead', 'admin'] as const;
export type Role = (typeof ROLES)[number];

export const isRole = (value: unknown): value is Role =>
  typeof value === 'string' && (ROLES as readonly string[]).includes(value);

/** Every signed-in staff role. */
export const STAFF: readonly Role[] = ROLES;
/** Leads and admins: the roles that manage a jurisdiction. */
export const MANAGERS: readonly Role[] = ['lead', 'admin'];
