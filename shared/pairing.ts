import * as z from 'zod/mini';
import { usccField } from './enterprise.ts';
import { BULK_PAIRING_MAX, CHECKUP_CADENCES, CONTACT_MODES } from './pairing-rules.ts';
import { serviceItemTags } from './service-items.ts';

export * from './pairing-rules.ts';

/** One of the cadences a pairing may carry. */
const checkupCadence = z.literal(CHECKUP_CADENCES, `Months between check-ups: one of ${CHECKUP_CADENCES.join(', ')}`);

const username = z.string().check(z.trim(), z.minLength(1), z.maxLength(128));

export const pairingInput = z.object({
  uscc: usccField,
  liaison: username,
  serviceYear: z.number().check(z.int(), z.minimum(2020), z.maximum(2100)),
  startsOn: z.iso.date(),
  mentorUscc: z.optional(usccField),
  /** 联系领导 (issue 19): a lead whose jurisdiction holds the firm's county, named beside the liaison. */
  contactLeader: z.optional(username),
  /** Months between the firm's check-ups (issue 19); absent, the deployment's setting. */
  checkupIntervalMonths: z.optional(checkupCadence),
});
export type PairingInput = z.output<typeof pairingInput>;

export const reassignInput = z.object({ liaison: username });

/** Names (or, with null, clears) a pairing's contact leader at the version read. */
export const contactLeaderInput = z.object({
  contactLeader: z.nullable(username),
  version: z.number().check(z.int(), z.minimum(1)),
});

/**
 * `PATCH /api/staff/pairings/{id}`: changes a pairing's settings at the version read. Only the check-up
 * cadence today (null: back to the deployment's); the liaison, status and contact leader have their
 * own routes, since each of those moves more than the pairing (guards, messages, rules of who).
 */
export const pairingChangeInput = z.object({
  version: z.number().check(z.int(), z.minimum(1)),
  checkupIntervalMonths: z.nullable(checkupCadence),
});

/** What any visit records, a liaison's contact or a leader's field service: who, what, which photos. */
export const visitFields = {
  participants: z
    .array(z.string().check(z.trim(), z.minLength(1), z.maxLength(50)))
    .check(z.minLength(1), z.maxLength(20)),
  summary: z.string().check(z.trim(), z.minLength(5), z.maxLength(5000)),
  evidenceIds: z.optional(
    z.array(z.string().check(z.regex(/^[A-Za-z0-9-]{1,64}$/))).check(
      z.maxLength(20),
      z.refine((ids) => new Set(ids).size === ids.length, 'The same file is listed twice'),
    ),
  ),
};

export const contactInput = z.object({
  at: z.iso.datetime({ offset: true }),
  mode: z.enum(CONTACT_MODES),
  ...visitFields,
  /**
   * Made on the phone for one contact form (a UUID): the same request sent again (a draft kept offline,
   * an answer lost) answers the contact it made and writes nothing twice (contact-requests.ts).
   */
  requestId: z.optional(z.string().check(z.regex(/^[A-Za-z0-9-]{8,64}$/))),
  /** The annual service items this visit counts under (shared/service-items.ts). */
  serviceItems: serviceItemTags,
});
export type ContactInput = z.output<typeof contactInput>;

/**
 * Pairs many firms with one liaison at once (issue 20, after an import). `requestId` is made by the
 * page for one press of the button: the same request again (an answer lost, a crash halfway) creates
 * nothing twice and answers the full result. The service year is the year of `startsOn` (default today).
 */
export const bulkPairingInput = z.object({
  requestId: z.string().check(z.regex(/^[A-Za-z0-9-]{8,64}$/, 'A request id of 8 to 64 letters, digits or dashes')),
  liaison: username,
  firms: z.array(usccField).check(
    z.minLength(1),
    z.maxLength(BULK_PAIRING_MAX),
    z.refine((firms) => new Set(firms).size === firms.length, 'The same firm is listed twice'),
  ),
  startsOn: z.optional(z.iso.date()),
});
export type BulkPairingInput = z.output<typeof bulkPairingInput>;
