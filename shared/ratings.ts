import * as z from 'zod/mini';
import { MAX_RATING_COMMENT, MAX_STARS, MIN_STARS } from './ratings-rules.ts';

export * from './ratings-rules.ts';

export const ratingInput = z.object({
  stars: z.number().check(z.int(), z.minimum(MIN_STARS), z.maximum(MAX_STARS)),
  comment: z.optional(z.string().check(z.trim(), z.minLength(1), z.maxLength(MAX_RATING_COMMENT))),
});
export type RatingInput = z.output<typeof ratingInput>;
