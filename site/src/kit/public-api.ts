/**
 * Calls to the public API by route id, for the public pages: only the public paths, so these pages do
 * not carry the staff console's (see `paths.ts`).
 */

import { door } from './fetch.ts';
import type { PathOf, PublicRouteId } from './paths.ts';

export * from './fetch.ts';

const PUBLIC_PATHS: { readonly [K in PublicRouteId]: PathOf<K> } = {
  'health.get': '/api/health',
  'publicDays.list': '/api/public/consultation-days',
  'bookings.create': '/api/public/consultation-days/{dayId}/bookings',
  'bookings.get': '/api/public/bookings/{code}',
  'bookings.cancel': '/api/public/bookings/{code}/cancel',
  'bookings.calendar': '/api/public/bookings/{code}/calendar.ics',
  'bookings.verify': '/api/public/bookings/{code}/verify',
  'bookings.resendCode': '/api/public/bookings/{code}/sms-code',
  'bookings.reschedule': '/api/public/bookings/{code}/reschedule',
  'bookingRecovery.start': '/api/public/booking-recovery/start',
  'bookingRecovery.verify': '/api/public/booking-recovery/verify',
  'confirmations.get': '/api/public/ledger-confirmations/{token}',
  'confirmations.answer': '/api/public/ledger-confirmations/{token}',
  'confirmations.rate': '/api/public/ledger-confirmations/{token}/rating',
  'firmSignIn.start': '/api/public/firm-sign-in/start',
  'firmSignIn.verify': '/api/public/firm-sign-in/verify',
  'firmIssuer.discovery': '/api/public/firm-issuer/.well-known/openid-configuration',
  'firmIssuer.jwks': '/api/public/firm-issuer/jwks.json',
  'publicCases.list': '/api/public/cases',
};

const publicDoor = door(PUBLIC_PATHS);

/** The path of a public route (a booking's calendar link). */
export const publicPath = publicDoor.path;

/** Calls the public route `id` with its path parameters, query and JSON body. */
export const publicApi = publicDoor.call;
