import * as z from 'zod/mini';
import type { Named } from './staff-user.ts';

/**
 * The annual list (issue 19): each city sends the province its paired firms, liaisons and contact
 * leaders by a deadline (30 August unless the province sets another for the year). "Submit"
 * freezes the city's table as it stands; a later submit adds a new version, and the city counts
 * late when its first submit came after the deadline (Beijing dates).
 */
export const DEFAULT_DEADLINE = '08-30';

/** The deadline of a service year when the province set none. */
export const defaultDeadline = (serviceYear: number): string => `${serviceYear}-${DEFAULT_DEADLINE}`;

/**
 * `pending`: not submitted, the deadline not passed; `overdue`: not submitted and past it;
 * `submitted`: first submitted on or before the deadline; `late`: first submitted after it.
 */
export type SubmissionStatus = 'pending' | 'overdue' | 'submitted' | 'late';

export const submissionStatus = (deadline: string, firstSubmittedOn: string | null, today: string): SubmissionStatus =>
  firstSubmittedOn === null
    ? today > deadline
      ? 'overdue'
      : 'pending'
    : firstSubmittedOn > deadline
      ? 'late'
      : 'submitted';

const serviceYear = z.number().check(z.int(), z.minimum(2020), z.maximum(2100));

/** `POST /api/staff/submissions`: a city's list of a service year, frozen as it stands now. */
export const submitInput = z.object({
  serviceYear,
  city: z.string().check(z.regex(/^\d{4}00$/, 'A city code (six digits ending in 00)')),
});

/** `PUT /api/staff/submissions/{serviceYear}/deadline` (admins): the year's deadline, at the version read. */
export const deadlineInput = z.object({
  deadline: z.iso.date(),
  version: z.number().check(z.int(), z.minimum(0)),
});

/** One city's standing in a service year, as `GET /api/staff/submissions` lists it. */
export interface CitySubmission {
  readonly city: string;
  readonly status: SubmissionStatus;
  /** The latest frozen version (0: never submitted). */
  readonly version: number;
  readonly firstSubmittedAt: string | null;
  readonly lastSubmittedAt: string | null;
  readonly lastSubmittedBy: string | null;
  readonly rows: number;
}

/** A city's standing as answered: who submitted last, by name beside the username (issue 18). */
export type CitySubmissionView = Named<CitySubmission, 'lastSubmittedBy'>;

/** A city's latest frozen version, as stored: when it was first and last submitted, by whom, how many rows. */
export interface SubmittedVersion {
  version: number;
  firstSubmittedAt: string;
  /** The Beijing day of the first submit: what the deadline is judged against. */
  firstSubmittedOn: string;
  lastSubmittedAt: string;
  lastSubmittedBy: string;
  rows: number;
}

/** A submit's answer (`submissions.create`): the city's new version, its submitter by name too. */
export type SubmissionReceipt = Named<SubmittedVersion & { serviceYear: number; city: string }, 'lastSubmittedBy'>;

/** A service year's deadline and the version of its setting (0: the default, never set). */
export interface YearDeadline {
  deadline: string;
  version: number;
}
