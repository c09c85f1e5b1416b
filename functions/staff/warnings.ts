import * as z from 'zod/mini';
import { knownJurisdiction } from '../../shared/jurisdiction-input.ts';
import { contains, levelOf, nameOf, prefixOf } from '../../shared/jurisdictions.ts';
import {
  childUnitOf,
  childUnits,
  countsOf,
  itemsWhere,
  WARNING_LISTS,
  WARNING_PAGE_SIZE,
  type WarningBoard,
  type WarningList,
  type WarningPage,
} from '../../shared/warnings.ts';
import { type CursorScope, decodeCursor, encodeCursor } from '../lib/http/cursor.ts';
import { found, ValidationError } from '../lib/http/errors.ts';
import { defineRoute } from '../lib/http/handler.ts';
import type { Identity } from '../lib/http/identity.ts';
import { requireInScope } from '../lib/http/scope.ts';
import { warningsUnder } from '../lib/warnings/board.ts';

const unitName = (code: string) => ({ zh: nameOf(code), en: nameOf(code, 'en') });

/**
 * A list's page from a sealed position: the board is computed whole on each request (its counts need
 * every row), so a cursor is the offset into the list, bound to the caller, the unit and the list.
 */
const cursorScope = (me: Identity, jurisdiction: string, list: WarningList): CursorScope => ({
  route: 'warnings.get',
  caller: me,
  query: { jurisdiction, list },
  partition: {},
});

const pageOf = async <T>(
  rows: readonly T[],
  scope: CursorScope,
  cursor: string | undefined,
): Promise<WarningPage<T>> => {
  const at = await decodeCursor(cursor, scope);
  const from = at ? Number(at.before) : 0;
  if (!Number.isInteger(from) || from < 0) throw new ValidationError({ cursor: 'Not a cursor of this list' });
  const to = from + WARNING_PAGE_SIZE;
  return {
    total: rows.length,
    items: rows.slice(from, to),
    cursor: to < rows.length ? await encodeCursor({ before: String(to) }, scope) : null,
  };
};

/**
 * GET /api/staff/warnings?jurisdiction=&list=&cursor= (leads and admins; a unit outside the caller's
 * scope is 404): the early-warning board of a unit (issue 19), with its counts per unit one level
 * down, like compliance, and the first page of each list. With `list` (and its `cursor`) it answers
 * that list's next page alone.
 */
export const warningsRoute = defineRoute({
  query: z.object({
    jurisdiction: z.optional(knownJurisdiction),
    list: z.optional(z.enum(WARNING_LISTS)),
    cursor: z.optional(z.string().check(z.maxLength(2048))),
  }),
  handler: async ({ query, identity }) => {
    const me = found(identity);
    const jurisdiction = query.jurisdiction ?? me.jurisdiction;
    requireInScope(me, jurisdiction);
    if (query.cursor && !query.list) throw new ValidationError({ list: 'A cursor pages one list: name it' });
    const { today, items, complete } = await warningsUnder(prefixOf(jurisdiction), new Date());
    const inside = itemsWhere(items, (county) => contains(jurisdiction, county));
    if (query.list) {
      const list = query.list;
      // Any one of the three lists: the page answers its rows as they are.
      const rows: readonly unknown[] = inside[list];
      return { today, list, [list]: await pageOf(rows, cursorScope(me, jurisdiction, list), query.cursor) };
    }
    const board: WarningBoard = {
      today,
      jurisdiction: { code: jurisdiction, name: unitName(jurisdiction) },
      totals: countsOf(inside),
      children: childUnits(jurisdiction).map((code) => ({
        code,
        name: unitName(code),
        level: levelOf(code),
        ...countsOf(itemsWhere(inside, (county) => childUnitOf(jurisdiction, county) === code)),
      })),
      firms: await pageOf(inside.firms, cursorScope(me, jurisdiction, 'firms'), undefined),
      findings: await pageOf(inside.findings, cursorScope(me, jurisdiction, 'findings'), undefined),
      permits: await pageOf(inside.permits, cursorScope(me, jurisdiction, 'permits'), undefined),
      complete,
    };
    return board;
  },
});
