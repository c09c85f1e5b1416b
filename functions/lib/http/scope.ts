import { contains } from '../../../shared/jurisdictions.ts';
import { ForbiddenError, NotFoundError } from './errors.ts';
import type { Identity } from './identity.ts';

/** True when the record's jurisdiction lies in the caller's subtree (admins: their province). */
export const inScope = (identity: Identity, jurisdiction: string): boolean =>
  contains(identity.jurisdiction, jurisdiction);

/** Reads outside one's scope answer 404, never revealing that the record exists (rule 8). */
export const requireInScope = (identity: Identity, jurisdiction: string): void => {
  if (!inScope(identity, jurisdiction)) throw new NotFoundError();
};

/** Creating something for a jurisdiction outside one's scope is forbidden. */
export const requireMayCreateIn = (identity: Identity, jurisdiction: string): void => {
  if (!inScope(identity, jurisdiction)) throw new ForbiddenError('That jurisdiction is outside your scope');
};
