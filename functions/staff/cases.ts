import * as z from 'zod/mini';
import {
  caseEdit,
  caseInput,
  caseListQuery,
  caseMoveInput,
  casePublishInput,
  caseReturnInput,
} from '../../shared/cases.ts';
import { prefixOf } from '../../shared/jurisdictions.ts';
import { keys } from '../../shared/keys.ts';
import { createCase, editCase, listCases, type MoveInput, moveCase, staffView } from '../lib/cases/cases.ts';
import { decodeCursor, encodeCursor } from '../lib/http/cursor.ts';
import { found } from '../lib/http/errors.ts';
import { defineRoute, reply } from '../lib/http/handler.ts';
import { requireInScope } from '../lib/http/scope.ts';

const idParams = z.object({ id: z.string().check(z.regex(/^[a-f0-9-]{36}$/, 'Not a case id')) });

/** POST /api/staff/cases (county leads): a draft in the caller's county → 201. */
export const createCaseRoute = defineRoute({
  body: caseInput,
  handler: async ({ body, identity }) => {
    const me = found(identity);
    return reply(201, { case: staffView(me, await createCase(me, body, new Date())) });
  },
});

/** GET /api/staff/cases?jurisdiction=&status=&kind=&cursor= (leads, admins; in scope), paged. */
export const listCasesRoute = defineRoute({
  query: caseListQuery,
  handler: async ({ query, identity }) => {
    const me = found(identity);
    const jurisdiction = query.jurisdiction ?? me.jurisdiction;
    requireInScope(me, jurisdiction);
    const cursorScope = {
      route: 'cases.list',
      caller: me,
      query: { jurisdiction, status: query.status, kind: query.kind },
      partition: { scopePk: keys.casesScopePk(), scopeSk: { prefix: prefixOf(jurisdiction) } },
    };
    const page = await listCases(
      me,
      { prefix: prefixOf(jurisdiction), status: query.status, kind: query.kind },
      { limit: 50, start: await decodeCursor(query.cursor, cursorScope) },
    );
    return {
      cases: page.cases.map((c) => staffView(me, c)),
      nextCursor: await encodeCursor(page.lastKey, cursorScope),
    };
  },
});

/** PATCH /api/staff/cases/{id} {"version",…} (the county's lead, while draft or returned). */
export const updateCaseRoute = defineRoute({
  params: idParams,
  body: caseEdit,
  handler: async ({ params, body, identity }) => {
    const me = found(identity);
    return { case: staffView(me, await editCase(me, params.id, body, new Date())) };
  },
});

const moveRoute = <S extends z.core.$ZodType>(body: S, action: MoveInput['action']) =>
  defineRoute({
    params: idParams,
    body,
    handler: async ({ params, body: input, identity }) => {
      const me = found(identity);
      const moved = await moveCase(me, params.id, { ...(input as object), action } as MoveInput, new Date());
      return { case: staffView(me, moved) };
    },
  });

/** POST /api/staff/cases/{id}/submit {"version"}: the county hands its case to its city. */
export const submitCaseRoute = moveRoute(caseMoveInput, 'submit');
/** POST …/recommend {"version"}: the city puts it forward to the province. */
export const recommendCaseRoute = moveRoute(caseMoveInput, 'recommend');
/** POST …/return {"version","reason"}: the city sends it back to the county to rework. */
export const returnCaseRoute = moveRoute(caseReturnInput, 'return');
/** POST …/select {"version"}: the province selects it. */
export const selectCaseRoute = moveRoute(caseMoveInput, 'select');
/** POST …/publish {"version","publicTitle","publicSummary","showFirms"}: public text checked for personal data. */
export const publishCaseRoute = moveRoute(casePublishInput, 'publish');
/** POST …/unpublish {"version"}: off the public page, back to selected. */
export const unpublishCaseRoute = moveRoute(caseMoveInput, 'unpublish');
