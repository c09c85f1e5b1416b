/**
 * A typecheck fixture, compiled by `tsc -p tsconfig.json` (test/ is in its include) and never run (the
 * kit's staff client needs a browser): the kit refuses, at the typecheck, an id whose answer the
 * contract (shared/answers.ts) does not type. Each line fails the typecheck when the kit comes to
 * accept its id, since the expected error is then unused. test/unit/browser-kit-paths.test.ts tries
 * the same through the compiler, as a page would write it.
 */
import type { api } from '../../site/src/kit/api.ts';
import type { publicApi } from '../../site/src/kit/public-api.ts';

declare const staff: typeof api;
declare const open: typeof publicApi;

export const refusedByTheKit = () => [
  // @ts-expect-error a download: saved from its path, never read as JSON
  staff('audit.export', { token: 't' }),
  // @ts-expect-error an admin's tool no page calls
  staff('ledger.recount', { token: 't' }),
  // @ts-expect-error a link the booking page shows
  open('bookings.calendar', { params: { code: 'c' } }),
  // @ts-expect-error the firm issuer's metadata, for the JWT authorizer
  open('firmIssuer.jwks'),
];
