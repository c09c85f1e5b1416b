import * as z from 'zod/mini';

/**
 * Industrial parks (工业园区) as a managed list per county (issue 19): Jiangsu manages its firms by
 * park, so a firm names its park and the compliance view and the ledger statistics filter by it.
 * A county's list is one record edited at a version; parks are retired, never removed (a firm or a
 * past report may still name one), and names are unique within the county.
 *
 * A park's id is `<county>-P<nnn>` (e.g. `320506-P001`): given by the server when the park is added,
 * never reused, and readable on its own (it names its county), so a firm's `park` attribute means
 * the same thing wherever it is read.
 */
export const PARK_ID = /^\d{6}-P\d{3}$/;
/** A county's parks, retired ones included. */
export const MAX_PARKS = 200;

export interface Park {
  readonly id: string;
  readonly name: string;
  /** No longer offered to firms; kept, so the firms and reports that name it still resolve. */
  readonly retired?: boolean;
}

export interface ParkList {
  readonly county: string;
  /** 0 while nothing is stored; each save adds one. */
  readonly version: number;
  readonly parks: readonly Park[];
  readonly updatedAt: string | null;
}

export const parkId = z.string().check(z.regex(PARK_ID, 'A park id like 320506-P001'));

/** A park's name as compared for uniqueness: trimmed, inner spaces collapsed, case folded. */
export const parkNameKey = (name: string): string => name.trim().replace(/\s+/g, ' ').toLowerCase();

/** `PUT /api/staff/parks?county=`: the whole list at the version seen; a park without an id is new. */
export const parkListInput = z.object({
  version: z.number().check(z.int(), z.minimum(0)),
  parks: z
    .array(
      z.object({
        id: z.optional(parkId),
        name: z.string().check(z.trim(), z.minLength(2), z.maxLength(50)),
        retired: z.optional(z.boolean()),
      }),
    )
    .check(
      z.maxLength(MAX_PARKS),
      z.refine((parks) => new Set(parks.map((p) => parkNameKey(p.name))).size === parks.length, {
        message: 'Each park name once in a county',
      }),
      z.refine(
        (parks) => {
          const ids = parks.flatMap((p) => (p.id ? [p.id] : []));
          return new Set(ids).size === ids.length;
        },
        { message: 'Each park id once' },
      ),
    ),
});
export type ParkListInput = z.output<typeof parkListInput>;

/** The park of a county's list with this name (live or retired), if any. */
export const parkNamed = (list: ParkList, name: string): Park | undefined =>
  list.parks.find((p) => parkNameKey(p.name) === parkNameKey(name));
