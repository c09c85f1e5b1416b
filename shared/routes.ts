import { MAX_IMPORT_BYTES } from './enterprise-import.ts';
import type { FunctionName } from './functions.ts';
import { MANAGERS, type Role, STAFF } from './roles.ts';

export type Method = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

/**
 * One HTTP route. `id` names the handler inside the function's handler map;
 * `auth` is `public`, `firm` (a firm token of the product's own firm issuer, routes under
 * `/api/firm/`), or the staff roles allowed (a staff token). Checked by the route's JWT authorizer
 * in AWS (one per issuer), by the local gateway locally, and again by the handler stack against the
 * claims, so a token of one kind never passes on a route of the other.
 */
export interface RouteDef {
  readonly id: string;
  readonly method: Method;
  readonly path: string;
  readonly fn: FunctionName;
  readonly auth: 'public' | 'firm' | readonly Role[];
  /** A larger body limit than the default 256 KB (file uploads); Lambda's own limit is 6 MB. */
  readonly maxBodyBytes?: number;
  /**
   * Path parameters that are bearer secrets (a booking code, a confirmation token: whoever holds one
   * may act on it). Every log line shows them as `***` (`redactPath`, and the handlers' logger).
   */
  readonly secret?: readonly string[];
}

/** The route table: read by CDK (one HTTP API route each) and by the local gateway. */
export const routes = [
  { id: 'health.get', method: 'GET', path: '/api/health', fn: 'public', auth: 'public' },
  { id: 'me.get', method: 'GET', path: '/api/staff/me', fn: 'staff', auth: STAFF },

  // Consultation days: public booking
  { id: 'publicDays.list', method: 'GET', path: '/api/public/consultation-days', fn: 'public', auth: 'public' },
  {
    id: 'bookings.create',
    method: 'POST',
    path: '/api/public/consultation-days/{dayId}/bookings',
    fn: 'public',
    auth: 'public',
  },
  {
    id: 'bookings.get',
    method: 'GET',
    path: '/api/public/bookings/{code}',
    fn: 'public',
    auth: 'public',
    secret: ['code'],
  },
  {
    id: 'bookings.cancel',
    method: 'POST',
    path: '/api/public/bookings/{code}/cancel',
    fn: 'public',
    auth: 'public',
    secret: ['code'],
  },
  {
    id: 'bookings.verify',
    method: 'POST',
    path: '/api/public/bookings/{code}/verify',
    fn: 'public',
    auth: 'public',
    secret: ['code'],
  },
  {
    id: 'bookings.resendCode',
    method: 'POST',
    path: '/api/public/bookings/{code}/sms-code',
    fn: 'public',
    auth: 'public',
    secret: ['code'],
  },
  {
    id: 'bookings.reschedule',
    method: 'POST',
    path: '/api/public/bookings/{code}/reschedule',
    fn: 'public',
    auth: 'public',
    secret: ['code'],
  },
  {
    id: 'bookingRecovery.start',
    method: 'POST',
    path: '/api/public/booking-recovery/start',
    fn: 'public',
    auth: 'public',
  },
  {
    id: 'bookingRecovery.verify',
    method: 'POST',
    path: '/api/public/booking-recovery/verify',
    fn: 'public',
    auth: 'public',
  },
  {
    id: 'bookings.calendar',
    method: 'GET',
    path: '/api/public/bookings/{code}/calendar.ics',
    fn: 'public',
    auth: 'public',
    secret: ['code'],
  },

  // Enterprises
  { id: 'enterprises.list', method: 'GET', path: '/api/staff/enterprises', fn: 'staff', auth: STAFF },
  { id: 'enterprises.create', method: 'POST', path: '/api/staff/enterprises', fn: 'staff', auth: MANAGERS },
  { id: 'enterprises.get', method: 'GET', path: '/api/staff/enterprises/{uscc}', fn: 'staff', auth: STAFF },
  { id: 'enterprises.update', method: 'PATCH', path: '/api/staff/enterprises/{uscc}', fn: 'staff', auth: MANAGERS },
  {
    id: 'enterprises.import',
    method: 'POST',
    path: '/api/staff/enterprises/import',
    fn: 'staff',
    auth: MANAGERS,
    maxBodyBytes: MAX_IMPORT_BYTES,
  },
  {
    id: 'enterprises.importTemplate',
    method: 'GET',
    path: '/api/staff/enterprises/import-template',
    fn: 'staff',
    auth: MANAGERS,
  },
  { id: 'enterprises.export', method: 'GET', path: '/api/staff/enterprises/export', fn: 'staff', auth: MANAGERS },
  {
    id: 'enterprises.timeline',
    method: 'GET',
    path: '/api/staff/enterprises/{uscc}/timeline',
    fn: 'staff',
    auth: STAFF,
  },

  // Pairings and contacts
  { id: 'pairings.create', method: 'POST', path: '/api/staff/pairings', fn: 'staff', auth: MANAGERS },
  { id: 'pairings.list', method: 'GET', path: '/api/staff/pairings', fn: 'staff', auth: STAFF },
  { id: 'pairings.reassign', method: 'POST', path: '/api/staff/pairings/{id}/reassign', fn: 'staff', auth: MANAGERS },
  { id: 'pairings.pause', method: 'POST', path: '/api/staff/pairings/{id}/pause', fn: 'staff', auth: MANAGERS },
  { id: 'pairings.resume', method: 'POST', path: '/api/staff/pairings/{id}/resume', fn: 'staff', auth: MANAGERS },
  { id: 'pairings.end', method: 'POST', path: '/api/staff/pairings/{id}/end', fn: 'staff', auth: MANAGERS },
  // Issue 19: a pairing's settings at a version (its check-up cadence)
  { id: 'pairings.change', method: 'PATCH', path: '/api/staff/pairings/{id}', fn: 'staff', auth: MANAGERS },
  {
    id: 'pairings.contactLeader',
    method: 'POST',
    path: '/api/staff/pairings/{id}/contact-leader',
    fn: 'staff',
    auth: MANAGERS,
  },
  // The annual list (issue 19): each city's lead freezes its list by the year's deadline.
  { id: 'submissions.list', method: 'GET', path: '/api/staff/submissions', fn: 'staff', auth: MANAGERS },
  { id: 'submissions.create', method: 'POST', path: '/api/staff/submissions', fn: 'staff', auth: MANAGERS },
  {
    id: 'submissions.export',
    method: 'GET',
    path: '/api/staff/submissions/{serviceYear}/{city}/export',
    fn: 'staff',
    auth: MANAGERS,
  },
  {
    id: 'submissions.deadline',
    method: 'PUT',
    path: '/api/staff/submissions/{serviceYear}/deadline',
    fn: 'staff',
    auth: ['admin'],
  },
  { id: 'pairings.export', method: 'GET', path: '/api/staff/pairings/export', fn: 'staff', auth: STAFF },
  // Issue 20: pair many firms with one liaison at once; each liaison's workload for the pickers.
  { id: 'pairings.bulk', method: 'POST', path: '/api/staff/pairings/bulk', fn: 'staff', auth: MANAGERS },
  { id: 'pairings.workload', method: 'GET', path: '/api/staff/pairings/workload', fn: 'staff', auth: MANAGERS },
  // The year roll-over: keep or end each pairing of a year into the next (issue 19)
  { id: 'pairings.rollOver', method: 'POST', path: '/api/staff/pairings/roll-over', fn: 'staff', auth: MANAGERS },
  // Coverage per county against the target, with the mix of firm sizes and types (issue 19)
  { id: 'coverage.get', method: 'GET', path: '/api/staff/coverage', fn: 'staff', auth: MANAGERS },
  { id: 'contacts.create', method: 'POST', path: '/api/staff/pairings/{id}/contacts', fn: 'staff', auth: STAFF },
  { id: 'contacts.list', method: 'GET', path: '/api/staff/pairings/{id}/contacts', fn: 'staff', auth: STAFF },
  // The firm's contacts of the last 7 days, read as soon as the form opens (issue 20: warn before saving)
  {
    id: 'contacts.recent',
    method: 'GET',
    path: '/api/staff/pairings/{id}/recent-contacts',
    fn: 'staff',
    auth: STAFF,
  },

  // Staff users
  { id: 'users.list', method: 'GET', path: '/api/staff/users', fn: 'staff', auth: MANAGERS },
  { id: 'users.create', method: 'POST', path: '/api/staff/users', fn: 'staff', auth: MANAGERS },
  { id: 'users.update', method: 'PATCH', path: '/api/staff/users/{username}', fn: 'staff', auth: MANAGERS },

  // Evidence
  { id: 'evidence.create', method: 'POST', path: '/api/staff/evidence', fn: 'staff', auth: STAFF },
  { id: 'evidence.get', method: 'GET', path: '/api/staff/evidence/{id}', fn: 'staff', auth: STAFF },

  // Audit
  { id: 'audit.list', method: 'GET', path: '/api/staff/audit', fn: 'staff', auth: MANAGERS },
  // The spreadsheets leaders pass upward (issue 19): the audit log, the 台账, compliance per month and unit
  { id: 'audit.export', method: 'GET', path: '/api/staff/audit/export', fn: 'staff', auth: MANAGERS },
  { id: 'ledger.export', method: 'GET', path: '/api/staff/ledger-items/export', fn: 'staff', auth: MANAGERS },
  { id: 'compliance.export', method: 'GET', path: '/api/staff/compliance/export', fn: 'staff', auth: MANAGERS },
  // During the month: the pairings not yet contacted, with the days left (issue 19)
  { id: 'compliance.open', method: 'GET', path: '/api/staff/compliance/open', fn: 'staff', auth: MANAGERS },

  // Deliveries of outgoing messages: what is still due or was given up, and a retry (issue 15)
  { id: 'deliveries.list', method: 'GET', path: '/api/staff/deliveries', fn: 'staff', auth: MANAGERS },
  { id: 'deliveries.summary', method: 'GET', path: '/api/staff/deliveries/summary', fn: 'staff', auth: MANAGERS },
  { id: 'deliveries.retry', method: 'POST', path: '/api/staff/deliveries/retry', fn: 'staff', auth: MANAGERS },
  { id: 'deliveries.export', method: 'GET', path: '/api/staff/deliveries/export', fn: 'staff', auth: MANAGERS },
  // The console home and the nav's counts: what needs the signed-in person today (issue 18)
  { id: 'today.get', method: 'GET', path: '/api/staff/today', fn: 'staff', auth: STAFF },

  // The monthly-contact rule
  { id: 'nudges.list', method: 'GET', path: '/api/staff/nudges', fn: 'staff', auth: STAFF },
  { id: 'inbox.list', method: 'GET', path: '/api/staff/inbox', fn: 'staff', auth: STAFF },
  { id: 'inbox.read', method: 'POST', path: '/api/staff/inbox/{id}/read', fn: 'staff', auth: STAFF },
  { id: 'compliance.get', method: 'GET', path: '/api/staff/compliance', fn: 'staff', auth: MANAGERS },
  { id: 'compliance.recount', method: 'POST', path: '/api/staff/compliance/recount', fn: 'staff', auth: ['admin'] },
  // The leaders' quarterly field service (issue 19)
  { id: 'leaderVisits.create', method: 'POST', path: '/api/staff/leader-visits', fn: 'staff', auth: ['lead'] },
  { id: 'leaderVisits.list', method: 'GET', path: '/api/staff/leader-visits', fn: 'staff', auth: ['lead'] },
  { id: 'leaderCompliance.get', method: 'GET', path: '/api/staff/leader-compliance', fn: 'staff', auth: MANAGERS },
  {
    id: 'leaderCompliance.recount',
    method: 'POST',
    path: '/api/staff/leader-compliance/recount',
    fn: 'staff',
    auth: ['admin'],
  },
  { id: 'webhooks.get', method: 'GET', path: '/api/staff/webhooks/{jurisdiction}', fn: 'staff', auth: MANAGERS },
  { id: 'webhooks.put', method: 'PUT', path: '/api/staff/webhooks/{jurisdiction}', fn: 'staff', auth: MANAGERS },
  {
    id: 'webhooks.test',
    method: 'POST',
    path: '/api/staff/webhooks/{jurisdiction}/test',
    fn: 'staff',
    auth: MANAGERS,
  },

  // Health check-ups
  {
    id: 'templates.current',
    method: 'GET',
    path: '/api/staff/checkup-templates/current',
    fn: 'staff',
    auth: STAFF,
  },
  { id: 'templates.create', method: 'POST', path: '/api/staff/checkup-templates', fn: 'staff', auth: ['admin'] },
  // Leads start check-ups; a liaison fills in those of its own pairings' firms (functions/staff/checkups.ts).
  { id: 'checkups.create', method: 'POST', path: '/api/staff/checkups', fn: 'staff', auth: MANAGERS },
  // Before `checkups.get`: the literal path, not a check-up id (issue 19, check-ups due and overdue).
  { id: 'checkups.due', method: 'GET', path: '/api/staff/checkups/due', fn: 'staff', auth: STAFF },
  { id: 'checkups.get', method: 'GET', path: '/api/staff/checkups/{id}', fn: 'staff', auth: STAFF },
  // The early-warning board of a unit (issue 19): red and worsened firms, overdue red findings, permits.
  { id: 'warnings.get', method: 'GET', path: '/api/staff/warnings', fn: 'staff', auth: MANAGERS },
  { id: 'checkups.answer', method: 'PATCH', path: '/api/staff/checkups/{id}', fn: 'staff', auth: STAFF },
  { id: 'checkups.submit', method: 'POST', path: '/api/staff/checkups/{id}/submit', fn: 'staff', auth: STAFF },
  { id: 'health.firm', method: 'GET', path: '/api/staff/enterprises/{uscc}/health', fn: 'staff', auth: STAFF },

  // The service ledger
  { id: 'ledger.create', method: 'POST', path: '/api/staff/ledger-items', fn: 'staff', auth: STAFF },
  { id: 'ledger.list', method: 'GET', path: '/api/staff/ledger-items', fn: 'staff', auth: STAFF },
  { id: 'ledger.get', method: 'GET', path: '/api/staff/ledger-items/{id}', fn: 'staff', auth: STAFF },
  {
    id: 'ledger.transition',
    method: 'POST',
    path: '/api/staff/ledger-items/{id}/transitions',
    fn: 'staff',
    auth: STAFF,
  },
  { id: 'ledger.stats', method: 'GET', path: '/api/staff/ledger-stats', fn: 'staff', auth: MANAGERS },
  // The annual service items (issue 19): everyone reads the catalogue to tag work; admins keep it.
  // Industrial parks per county (issue 19)
  { id: 'parks.list', method: 'GET', path: '/api/staff/parks', fn: 'staff', auth: STAFF },
  { id: 'parks.save', method: 'PUT', path: '/api/staff/parks', fn: 'staff', auth: MANAGERS },
  { id: 'serviceItems.get', method: 'GET', path: '/api/staff/service-items', fn: 'staff', auth: STAFF },
  { id: 'serviceItems.put', method: 'PUT', path: '/api/staff/service-items', fn: 'staff', auth: ['admin'] },
  {
    id: 'serviceItems.stats',
    method: 'GET',
    path: '/api/staff/service-items/stats',
    fn: 'staff',
    auth: MANAGERS,
  },
  { id: 'ledger.recount', method: 'POST', path: '/api/staff/ledger-stats/recount', fn: 'staff', auth: ['admin'] },
  {
    id: 'confirmations.get',
    method: 'GET',
    path: '/api/public/ledger-confirmations/{token}',
    fn: 'public',
    auth: 'public',
    secret: ['token'],
  },
  {
    id: 'confirmations.answer',
    method: 'POST',
    path: '/api/public/ledger-confirmations/{token}',
    fn: 'public',
    auth: 'public',
    secret: ['token'],
  },
  // 好差评 from the confirmation link: the firm rates the item the link closed (issue 16)
  {
    id: 'confirmations.rate',
    method: 'POST',
    path: '/api/public/ledger-confirmations/{token}/rating',
    fn: 'public',
    auth: 'public',
    secret: ['token'],
  },
  // The firm's door: SMS sign-in, and the firm issuer the JWT authorizer trusts for /api/firm routes
  { id: 'firmSignIn.start', method: 'POST', path: '/api/public/firm-sign-in/start', fn: 'public', auth: 'public' },
  { id: 'firmSignIn.verify', method: 'POST', path: '/api/public/firm-sign-in/verify', fn: 'public', auth: 'public' },
  {
    id: 'firmIssuer.discovery',
    method: 'GET',
    path: '/api/public/firm-issuer/.well-known/openid-configuration',
    fn: 'public',
    auth: 'public',
  },
  { id: 'firmIssuer.jwks', method: 'GET', path: '/api/public/firm-issuer/jwks.json', fn: 'public', auth: 'public' },
  // The firm's own routes: a firm token only, and only that firm's USCC.
  { id: 'firmMe.get', method: 'GET', path: '/api/firm/me', fn: 'firm', auth: 'firm' },
  {
    id: 'firmBookings.create',
    method: 'POST',
    path: '/api/firm/consultation-days/{dayId}/bookings',
    fn: 'firm',
    auth: 'firm',
  },
  // The difficulties card: a ledger item the firm raises itself, with photos it uploads first.
  { id: 'firmRequests.create', method: 'POST', path: '/api/firm/requests', fn: 'firm', auth: 'firm' },
  { id: 'firmEvidence.create', method: 'POST', path: '/api/firm/evidence', fn: 'firm', auth: 'firm' },
  // The firm's own check-up reports (404 for any other firm's).
  { id: 'firmCheckups.report', method: 'GET', path: '/api/firm/checkups/{id}/report', fn: 'firm', auth: 'firm' },
  // Self-inspection (issue 16): the firm answers the current template; failed items become suggestions.
  {
    id: 'selfInspections.template',
    method: 'GET',
    path: '/api/firm/self-inspections/template',
    fn: 'firm',
    auth: 'firm',
  },
  { id: 'selfInspections.create', method: 'POST', path: '/api/firm/self-inspections', fn: 'firm', auth: 'firm' },
  { id: 'selfInspections.list', method: 'GET', path: '/api/firm/self-inspections', fn: 'firm', auth: 'firm' },
  { id: 'checkupRequests.create', method: 'POST', path: '/api/firm/checkup-requests', fn: 'firm', auth: 'firm' },
  // The firm's liaison (or a lead over its county) accepts or dismisses each suggestion once.
  { id: 'suggestions.list', method: 'GET', path: '/api/staff/ledger-suggestions', fn: 'staff', auth: STAFF },
  {
    id: 'suggestions.accept',
    method: 'POST',
    path: '/api/staff/ledger-suggestions/{id}/accept',
    fn: 'staff',
    auth: STAFF,
  },
  {
    id: 'suggestions.dismiss',
    method: 'POST',
    path: '/api/staff/ledger-suggestions/{id}/dismiss',
    fn: 'staff',
    auth: STAFF,
  },
  // 好差评: the firm rates one of its closed ledger items, once.
  {
    id: 'firmRatings.create',
    method: 'POST',
    path: '/api/firm/ledger-items/{id}/rating',
    fn: 'firm',
    auth: 'firm',
  },

  // "Three best" cases (issue 19): a county lead drafts, its city recommends, the province selects and publishes
  { id: 'cases.create', method: 'POST', path: '/api/staff/cases', fn: 'staff', auth: ['lead'] },
  { id: 'cases.list', method: 'GET', path: '/api/staff/cases', fn: 'staff', auth: MANAGERS },
  { id: 'cases.update', method: 'PATCH', path: '/api/staff/cases/{id}', fn: 'staff', auth: ['lead'] },
  { id: 'cases.submit', method: 'POST', path: '/api/staff/cases/{id}/submit', fn: 'staff', auth: ['lead'] },
  { id: 'cases.recommend', method: 'POST', path: '/api/staff/cases/{id}/recommend', fn: 'staff', auth: ['lead'] },
  { id: 'cases.return', method: 'POST', path: '/api/staff/cases/{id}/return', fn: 'staff', auth: ['lead'] },
  { id: 'cases.select', method: 'POST', path: '/api/staff/cases/{id}/select', fn: 'staff', auth: ['lead'] },
  { id: 'cases.publish', method: 'POST', path: '/api/staff/cases/{id}/publish', fn: 'staff', auth: ['lead'] },
  { id: 'cases.unpublish', method: 'POST', path: '/api/staff/cases/{id}/unpublish', fn: 'staff', auth: ['lead'] },
  // The published cases: public text only, paged, cacheable for a minute
  { id: 'publicCases.list', method: 'GET', path: '/api/public/cases', fn: 'public', auth: 'public' },

  // Consultation days: staff
  { id: 'days.create', method: 'POST', path: '/api/staff/consultation-days', fn: 'staff', auth: MANAGERS },
  { id: 'days.list', method: 'GET', path: '/api/staff/consultation-days', fn: 'staff', auth: MANAGERS },
  { id: 'days.get', method: 'GET', path: '/api/staff/consultation-days/{dayId}', fn: 'staff', auth: MANAGERS },
  {
    id: 'days.copy',
    method: 'POST',
    path: '/api/staff/consultation-days/{dayId}/copy',
    fn: 'staff',
    auth: MANAGERS,
  },
  { id: 'days.update', method: 'PATCH', path: '/api/staff/consultation-days/{dayId}', fn: 'staff', auth: MANAGERS },
  {
    id: 'days.cancel',
    method: 'POST',
    path: '/api/staff/consultation-days/{dayId}/cancel',
    fn: 'staff',
    auth: MANAGERS,
  },
  {
    id: 'days.bookings',
    method: 'GET',
    path: '/api/staff/consultation-days/{dayId}/bookings',
    fn: 'staff',
    auth: MANAGERS,
  },
  {
    id: 'days.bookingsCsv',
    method: 'GET',
    path: '/api/staff/consultation-days/{dayId}/bookings.csv',
    fn: 'staff',
    auth: MANAGERS,
  },
  {
    id: 'days.bookingsXlsx',
    method: 'GET',
    path: '/api/staff/consultation-days/{dayId}/bookings.xlsx',
    fn: 'staff',
    auth: MANAGERS,
  },
  {
    id: 'days.message',
    method: 'POST',
    path: '/api/staff/consultation-days/{dayId}/messages',
    fn: 'staff',
    auth: MANAGERS,
  },
  {
    id: 'bookings.attendance',
    method: 'POST',
    path: '/api/staff/bookings/{code}/attendance',
    fn: 'staff',
    auth: MANAGERS,
    secret: ['code'],
  },
] as const satisfies readonly RouteDef[];

export type RouteId = (typeof routes)[number]['id'];
/** The ids of the routes one function serves. */
export type RouteIdOf<F extends FunctionName> = Extract<(typeof routes)[number], { fn: F }>['id'];

/** API Gateway's route key, e.g. `GET /api/staff/me`. */
export const routeKey = (route: Pick<RouteDef, 'method' | 'path'>): string => `${route.method} ${route.path}`;

export const routesOf = (fn: FunctionName): readonly RouteDef[] => routes.filter((route) => route.fn === fn);

export const isPublic = (route: RouteDef): boolean => route.auth === 'public';

/** A route for signed-in firms (a firm token); every other non-public route takes staff tokens. */
export const isFirm = (route: RouteDef): boolean => route.auth === 'firm';

/** The staff roles a staff route allows; none on public and firm routes. */
export const staffRoles = (route: RouteDef): readonly Role[] =>
  route.auth === 'public' || route.auth === 'firm' ? [] : route.auth;

/** A path segment percent-decoded, or undefined when its encoding is malformed (`%E0%A4%A`). */
export const decodeSegment = (segment: string): string | undefined => {
  try {
    return decodeURIComponent(segment);
  } catch {
    return undefined;
  }
};

/** Whether every `%` of a path starts a well-formed UTF-8 escape (the gateway answers 400 otherwise). */
export const wellEncodedPath = (path: string): boolean => path.split('/').every((s) => decodeSegment(s) !== undefined);

/** Every literal segment the route table spells, e.g. `api`, `public`, `bookings`, `cancel`. */
const LITERAL_SEGMENTS = new Set(
  routes.flatMap((route) => route.path.split('/').filter((s) => s !== '' && !s.startsWith('{'))),
);

/**
 * A path as log lines may show it: each segment that is a secret parameter of any route the path
 * matches (whatever the method) as `***`; on a path no route matches, every segment the route table
 * does not spell, since a mistyped path may still carry a code. Never throws, whatever the encoding.
 */
export const redactPath = (path: string): string => {
  const got = path.split('/');
  const secretAt = new Set<number>();
  let matched = false;
  for (const route of routes as readonly RouteDef[]) {
    const want = route.path.split('/');
    if (want.length !== got.length || !want.every((w, i) => w.startsWith('{') || w === got[i])) continue;
    matched = true;
    for (const name of route.secret ?? []) secretAt.add(want.indexOf(`{${name}}`));
  }
  if (!matched) return got.map((s) => (s === '' || LITERAL_SEGMENTS.has(s) ? s : '***')).join('/');
  return got.map((s, i) => (secretAt.has(i) ? '***' : s)).join('/');
};

/**
 * Matches a concrete path against a route path with `{param}` segments
 * (API Gateway syntax). Returns the path parameters, or undefined when it does not match (a parameter
 * that does not decode matches nothing: the caller answers 404, never a crash).
 */
export const matchPath = (pattern: string, path: string): Record<string, string> | undefined => {
  const want = pattern.split('/');
  const got = path.split('/');
  if (want.length !== got.length) return undefined;
  const params: Record<string, string> = {};
  for (let i = 0; i < want.length; i++) {
    const w = want[i] as string;
    const g = got[i] as string;
    if (w.startsWith('{') && w.endsWith('}')) {
      if (g === '') return undefined;
      const value = decodeSegment(g);
      if (value === undefined) return undefined;
      params[w.slice(1, -1)] = value;
    } else if (w !== g) {
      return undefined;
    }
  }
  return params;
};

/** Finds the route for a method and path; literal segments win over parameters. */
export const findRoute = (
  method: string,
  path: string,
): { route: RouteDef; params: Record<string, string> } | undefined => {
  const candidates = routes
    .map((route) => ({ route: route as RouteDef, params: matchPath(route.path, path) }))
    .filter((c) => c.params !== undefined && c.route.method === method)
    .sort((a, b) => countParams(a.route.path) - countParams(b.route.path));
  const best = candidates[0];
  return best ? { route: best.route, params: best.params ?? {} } : undefined;
};

const countParams = (path: string): number => (path.match(/\{/g) ?? []).length;
