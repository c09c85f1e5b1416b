import * as z from 'zod/mini';
import { knownJurisdiction } from '../../../shared/jurisdiction-input.ts';
import { monthBefore, monthField, monthOf } from '../../../shared/monthly.ts';
import { ValidationError } from './errors.ts';
import type { Identity } from './identity.ts';
import { requireInScope } from './scope.ts';

/** The query of a statistics page: a unit (default the caller's) and a month range (default the last 12). */
export const statsQuery = z.object({
  jurisdiction: z.optional(knownJurisdiction),
  from: z.optional(monthField),
  to: z.optional(monthField),
});

/** The unit and months a statistics query asks for, inside the caller's scope (404 outside; 400 reversed). */
export const statsRange = (query: z.output<typeof statsQuery>, me: Identity, now: Date) => {
  const jurisdiction = query.jurisdiction ?? me.jurisdiction;
  requireInScope(me, jurisdiction);
  const to = query.to ?? monthOf(now);
  const from = query.from ?? monthBefore(to, 11);
  if (from > to) throw new ValidationError({ from: 'Must not be after to' });
  return { jurisdiction, from, to };
};
