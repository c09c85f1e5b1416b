import * as z from 'zod/mini';
import { knownJurisdiction } from '../../shared/jurisdiction-input.ts';
import { prefixOf } from '../../shared/jurisdictions.ts';
import { acceptSuggestionInput, dismissSuggestionInput, type Suggestion } from '../../shared/self-inspection.ts';
import { withNamesOne } from '../lib/accounts/names.ts';
import {
  acceptSuggestion,
  dismissSuggestion,
  getSuggestion,
  pendingSuggestions,
} from '../lib/firms/self-inspection.ts';
import { found, NotFoundError } from '../lib/http/errors.ts';
import { defineRoute, reply } from '../lib/http/handler.ts';
import type { Identity } from '../lib/http/identity.ts';
import { inScope, requireInScope } from '../lib/http/scope.ts';
import { namedOne, withOverdue } from '../lib/ledger/views.ts';
import { listPairings } from '../lib/pairings/pairings.ts';

/**
 * Suggested ledger items from firms' self-inspections (issue 16): listed, accepted and dismissed by
 * the firm's liaison (a liaison of one of its pairings not ended) or a lead or admin whose subtree
 * holds the firm's county. Anyone else finds no such suggestion (404, rule 8).
 */
const idParams = z.object({ id: z.string().check(z.regex(/^[a-f0-9-]{36}$/, 'Not a suggestion id')) });

/** The firms a liaison serves: those of its pairings not ended (one Query of its pairings). */
const firmsOfLiaison = async (identity: Identity): Promise<Set<string>> =>
  new Set(
    (await listPairings({ jurisdiction: identity.jurisdiction, prefix: '', liaison: identity.username }))
      .filter((p) => p.status !== 'ended')
      .map((p) => p.uscc),
  );

const mayDecide = (identity: Identity, s: Pick<Suggestion, 'county' | 'uscc'>, served: Set<string> | undefined) =>
  inScope(identity, s.county) && (identity.role !== 'liaison' || (served?.has(s.uscc) ?? false));

/** A suggestion the caller may decide, else 404 (never revealing that it exists). */
const suggestionInScope = async (identity: Identity, id: string) => {
  const suggestion = found(await getSuggestion(id));
  const served = identity.role === 'liaison' ? await firmsOfLiaison(identity) : undefined;
  if (!mayDecide(identity, suggestion, served)) throw new NotFoundError();
  return suggestion;
};

/** GET /api/staff/ledger-suggestions?county=&uscc= : pending suggestions the caller may decide, newest first. */
export const listSuggestionsRoute = defineRoute({
  query: z.object({
    county: z.optional(knownJurisdiction),
    uscc: z.optional(z.string().check(z.regex(/^[0-9A-Z]{18}$/, 'An 18-character USCC'))),
  }),
  handler: async ({ query, identity }) => {
    const me = found(identity);
    const jurisdiction = query.county ?? me.jurisdiction;
    requireInScope(me, jurisdiction);
    const served = me.role === 'liaison' ? await firmsOfLiaison(me) : undefined;
    const suggestions = (await pendingSuggestions(prefixOf(jurisdiction)))
      .filter((s) => mayDecide(me, s, served))
      .filter((s) => !query.uscc || s.uscc === query.uscc);
    return { suggestions };
  },
});

/** POST /api/staff/ledger-suggestions/{id}/accept {"severity"?,"dueOn"?,"ownerDepartment"?} → 201 the ledger item. */
export const acceptSuggestionRoute = defineRoute({
  params: idParams,
  body: acceptSuggestionInput,
  handler: async ({ params, body, identity }) => {
    const me = found(identity);
    const before = await suggestionInScope(me, params.id);
    const now = new Date();
    const { item } = await acceptSuggestion(before, body ?? {}, me, now);
    // The item as the ledger answers it (its raiser and moves by name, overdue), so the page that
    // links to it reads the same view the ledger's own routes give.
    return reply(201, { item: withOverdue(await namedOne(item), now) });
  },
});

/** POST /api/staff/ledger-suggestions/{id}/dismiss {"reason"} → the suggestion, dismissed. */
export const dismissSuggestionRoute = defineRoute({
  params: idParams,
  body: dismissSuggestionInput,
  handler: async ({ params, body, identity }) => {
    const me = found(identity);
    const before = await suggestionInScope(me, params.id);
    const { suggestion } = await dismissSuggestion(before, body.reason, me, new Date());
    return { suggestion: await withNamesOne(suggestion, ['decidedBy']) };
  },
});
