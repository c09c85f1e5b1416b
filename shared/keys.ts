/**
 * Every key of the single table is built here and nowhere else.
 * See table.md for the access pattern each key serves.
 */
export interface Key {
  pk: string;
  sk: string;
}

export const keys = {
  /** A staff member's profile (display name, role, jurisdiction). */
  user: (username: string): Key => ({ pk: `USER#${username}`, sk: 'PROFILE' }),
  /** byScope: users inside a jurisdiction subtree. */
  userScope: (jurisdiction: string, username: string) => ({
    scopePk: 'USERS',
    scopeSk: `${jurisdiction}#${username}`,
  }),
  /** One run of a scheduled job, once per scheduled time. */
  jobRun: (job: string, scheduledTime: string): Key => ({ pk: `JOB#${job}`, sk: `RUN#${scheduledTime}` }),
  /** Partition of a job's runs; sorted by scheduled time. */
  jobRuns: (job: string) => ({ pk: `JOB#${job}`, skPrefix: 'RUN#' }),
} as const;
