// Pairings' contact modes, statuses, cadences and bulk limits, without zod: the pages import these, and only a page that checks a form loads the schemas
// (shared/pairing.ts, which re-exports this file), on first use (site/src/kit/lazy.ts).

/** Pairings (firm × liaison × service year) and contacts: request schemas shared by API and console. */
export const CONTACT_MODES = ['visit', 'video', 'phone', 'meeting'] as const;

export type ContactMode = (typeof CONTACT_MODES)[number];

/** Modes that count for the monthly rule (design: configurable; issue 6 makes it per province). */
export const QUALIFYING_MODES: readonly ContactMode[] = ['visit', 'video'];

/**
 * The modes that count for the monthly rule in a deployment (a province's choice: CDK context
 * `qualifyingModes`, e.g. "visit,video,meeting"); the default when unset. Unknown modes are refused.
 */
export const qualifyingModesFrom = (text: string | undefined): readonly ContactMode[] => {
  if (!text) return QUALIFYING_MODES;
  const modes = text
    .split(',')
    .map((m) => m.trim())
    .filter(Boolean);
  const unknown = modes.filter((m) => !(CONTACT_MODES as readonly string[]).includes(m));
  if (unknown.length > 0 || modes.length === 0)
    throw new Error(`Unknown qualifying modes: ${unknown.join(', ') || '(none)'}`);
  return modes as ContactMode[];
};

export const PAIRING_STATUSES = ['active', 'paused', 'ended'] as const;

export type PairingStatus = (typeof PAIRING_STATUSES)[number];

/** Another contact with the same firm this close before is flagged (avoid repeated visits). */
export const REPEAT_VISIT_DAYS = 7;

/** How much of the last contact's summary a pairing carries (to-do card, contact form). */
export const LAST_SUMMARY_MAX = 280;

/**
 * The check-up cadences (months) a pairing may carry instead of the deployment's interval
 * (shared/checkups.ts), issue 19: a firm with a red band seen quarterly, a steady small one every
 * two years. A short list, not any number: the console offers them as a choice.
 */
export const CHECKUP_CADENCES = [3, 6, 12, 24] as const;

export type CheckupCadence = (typeof CHECKUP_CADENCES)[number];

/** How many firms one bulk pairing may name (one request, each firm its own transaction). */
export const BULK_PAIRING_MAX = 100;

/**
 * Why one firm of a bulk pairing was not paired: not a firm in the caller's scope (one outside it
 * reads as not registered, rule 8), already paired that service year, or in another county than the
 * liaison's.
 */
export const BULK_REFUSALS = ['NOT_FOUND', 'ALREADY_PAIRED', 'OTHER_COUNTY'] as const;

export type BulkRefusal = (typeof BULK_REFUSALS)[number];
