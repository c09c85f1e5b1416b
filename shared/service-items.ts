import * as z from 'zod/mini';
import { MAX_SERVICE_ITEMS, MAX_TAGS, SERVICE_CATEGORIES } from './service-items-rules.ts';

export * from './service-items-rules.ts';

const SERVICE_ITEM_ID = /^S\d{2,3}$/;

const name = (max: number) => z.string().check(z.trim(), z.minLength(1), z.maxLength(max));

/** `PUT /api/staff/service-items`: the whole catalogue, at the version the admin saw. */
export const catalogueInput = z.object({
  version: z.number().check(z.int(), z.minimum(0)),
  items: z
    .array(
      z.object({
        id: z.string().check(z.regex(SERVICE_ITEM_ID, 'An id like S15')),
        category: z.enum(SERVICE_CATEGORIES),
        zh: name(40),
        en: name(80),
        retired: z.optional(z.boolean()),
      }),
    )
    .check(
      z.minLength(1),
      z.maxLength(MAX_SERVICE_ITEMS),
      z.refine((items) => new Set(items.map((i) => i.id)).size === items.length, 'The same id is listed twice'),
    ),
});
export type CatalogueInput = z.output<typeof catalogueInput>;

/** The service items a contact or a ledger item is tagged with (ids of the current catalogue). */
export const serviceItemTags = z.optional(
  z.array(z.string().check(z.regex(SERVICE_ITEM_ID, 'An id like S01'))).check(
    z.maxLength(MAX_TAGS),
    z.refine((ids) => new Set(ids).size === ids.length, 'The same service item is listed twice'),
  ),
);
