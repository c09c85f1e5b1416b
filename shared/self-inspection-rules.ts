// The self-inspection's limits and suggestion states, without zod: the pages import these, and only a page that checks a form loads the schemas
// (shared/self-inspection.ts, which re-exports this file), on first use (site/src/kit/lazy.ts).

/**
 * Self-inspection (企业自查): a signed-in firm answers the current check-up template on its phone.
 * Every failed item becomes a *suggested* ledger item for the firm's liaison, who accepts it (a real
 * ledger item, `collected`) or dismisses it with a reason, once. A firm may also ask for an on-site
 * check-up. Shared by the firm API, the firm's page and the staff suggestions section, so the
 * browser checks what the server checks.
 */

/** Longest note a firm may give on one item (the server refuses longer, naming the item). */
export const MAX_SELF_NOTE = 500;

/** A client-made id of one submission (a UUID): the same id sent again is the same submission. */
export const SELF_INSPECTION_ID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

export const SUGGESTION_STATES = ['pending', 'accepted', 'dismissed'] as const;

export type SuggestionState = (typeof SUGGESTION_STATES)[number];
