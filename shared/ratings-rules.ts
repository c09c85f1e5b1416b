// The rating's stars and comment limits, without zod: the pages import these, and only a page that checks a form loads the schemas
// (shared/ratings.ts, which re-exports this file), on first use (site/src/kit/lazy.ts).

/**
 * 好差评: a firm rates how one closed ledger item was handled, once, with one to five stars and an
 * optional comment; signed in (`/api/firm/…`) or from its confirmation link. Shared by the API (which
 * enforces it) and the rating form (which checks the same before sending).
 */
export const MIN_STARS = 1;

export const MAX_STARS = 5;

/** A rating of this many stars or fewer asks the unit's leads to call the firm back. */
export const LOW_STARS = 2;

export const MAX_RATING_COMMENT = 500;

/** A rating as it is kept on the item and shown to the firm. */
export interface Rating {
  readonly stars: number;
  readonly comment: string | null;
  readonly at: string;
}

/** What is kept on the item (`rating`): the rating, and whether the signed-in firm or its link gave it. */
export interface StoredRating extends Rating {
  readonly via: 'firm' | 'link';
}

export const isLowRating = (stars: number): boolean => stars <= LOW_STARS;
