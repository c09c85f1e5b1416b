/**
 * Calls to the firm's own API by route id, for the firm's pages (record, self-inspection, booking as a
 * signed-in firm): only the firm's paths, as `public-api.ts` holds only the public ones, so these pages
 * keep their 20 KB budget without the staff console's map (see `paths.ts`). The token is the firm
 * session's (`firm-session.ts`), never the staff one; what a 401 means is the page's to say (the record
 * page goes to the firm sign-in, the booking page books as a guest).
 */

import { door } from './fetch.ts';
import type { FirmRouteId, PathOf } from './paths.ts';

export * from './fetch.ts';

const FIRM_PATHS: { readonly [K in FirmRouteId]: PathOf<K> } = {
  'firmMe.get': '/api/firm/me',
  'firmBookings.create': '/api/firm/consultation-days/{dayId}/bookings',
  'firmRequests.create': '/api/firm/requests',
  'firmEvidence.create': '/api/firm/evidence',
  'firmCheckups.report': '/api/firm/checkups/{id}/report',
  'selfInspections.template': '/api/firm/self-inspections/template',
  'selfInspections.create': '/api/firm/self-inspections',
  'selfInspections.list': '/api/firm/self-inspections',
  'checkupRequests.create': '/api/firm/checkup-requests',
  'firmRatings.create': '/api/firm/ledger-items/{id}/rating',
};

/** Calls the firm route `id` with its path parameters, query, JSON body and the firm's token. */
export const firmApi = door(FIRM_PATHS).call;
