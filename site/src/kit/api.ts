/**
 * Calls to the staff API by route id (`api('users.list', {token})`): the path comes from the route
 * table (checked by the typecheck, see `paths.ts`), so no page types an `/api/…` string.
 */

import type { Answers } from '../../../shared/answers.ts';
import { type ApiResult, type CallArgs, door, fetchJson } from './fetch.ts';
import type { Answered, ParamsOf, PathOf, StaffRouteId } from './paths.ts';
import { freshToken, refreshSession } from './renew.ts';
import { sessionExpired } from './session.ts';

export * from './fetch.ts';

const STAFF_PATHS: { readonly [K in StaffRouteId]: PathOf<K> } = {
  'me.get': '/api/staff/me',
  'enterprises.list': '/api/staff/enterprises',
  'enterprises.create': '/api/staff/enterprises',
  'enterprises.get': '/api/staff/enterprises/{uscc}',
  'enterprises.update': '/api/staff/enterprises/{uscc}',
  'enterprises.import': '/api/staff/enterprises/import',
  'enterprises.importTemplate': '/api/staff/enterprises/import-template',
  'enterprises.export': '/api/staff/enterprises/export',
  'enterprises.timeline': '/api/staff/enterprises/{uscc}/timeline',
  'pairings.create': '/api/staff/pairings',
  'pairings.list': '/api/staff/pairings',
  'pairings.reassign': '/api/staff/pairings/{id}/reassign',
  'pairings.pause': '/api/staff/pairings/{id}/pause',
  'pairings.resume': '/api/staff/pairings/{id}/resume',
  'pairings.end': '/api/staff/pairings/{id}/end',
  'pairings.contactLeader': '/api/staff/pairings/{id}/contact-leader',
  'pairings.change': '/api/staff/pairings/{id}',
  'pairings.export': '/api/staff/pairings/export',
  'submissions.list': '/api/staff/submissions',
  'submissions.create': '/api/staff/submissions',
  'submissions.export': '/api/staff/submissions/{serviceYear}/{city}/export',
  'submissions.deadline': '/api/staff/submissions/{serviceYear}/deadline',
  'pairings.bulk': '/api/staff/pairings/bulk',
  'pairings.workload': '/api/staff/pairings/workload',
  'pairings.rollOver': '/api/staff/pairings/roll-over',
  'coverage.get': '/api/staff/coverage',
  'warnings.get': '/api/staff/warnings',
  'contacts.create': '/api/staff/pairings/{id}/contacts',
  'contacts.list': '/api/staff/pairings/{id}/contacts',
  'contacts.recent': '/api/staff/pairings/{id}/recent-contacts',
  'users.list': '/api/staff/users',
  'users.create': '/api/staff/users',
  'users.update': '/api/staff/users/{username}',
  'evidence.create': '/api/staff/evidence',
  'evidence.get': '/api/staff/evidence/{id}',
  'audit.list': '/api/staff/audit',
  'audit.export': '/api/staff/audit/export',
  'ledger.export': '/api/staff/ledger-items/export',
  'compliance.export': '/api/staff/compliance/export',
  'compliance.open': '/api/staff/compliance/open',
  'deliveries.list': '/api/staff/deliveries',
  'deliveries.summary': '/api/staff/deliveries/summary',
  'deliveries.retry': '/api/staff/deliveries/retry',
  'deliveries.export': '/api/staff/deliveries/export',
  'today.get': '/api/staff/today',
  'nudges.list': '/api/staff/nudges',
  'inbox.list': '/api/staff/inbox',
  'inbox.read': '/api/staff/inbox/{id}/read',
  'compliance.get': '/api/staff/compliance',
  'compliance.recount': '/api/staff/compliance/recount',
  'leaderVisits.create': '/api/staff/leader-visits',
  'leaderVisits.list': '/api/staff/leader-visits',
  'leaderCompliance.get': '/api/staff/leader-compliance',
  'leaderCompliance.recount': '/api/staff/leader-compliance/recount',
  'cases.create': '/api/staff/cases',
  'cases.list': '/api/staff/cases',
  'cases.update': '/api/staff/cases/{id}',
  'cases.submit': '/api/staff/cases/{id}/submit',
  'cases.recommend': '/api/staff/cases/{id}/recommend',
  'cases.return': '/api/staff/cases/{id}/return',
  'cases.select': '/api/staff/cases/{id}/select',
  'cases.publish': '/api/staff/cases/{id}/publish',
  'cases.unpublish': '/api/staff/cases/{id}/unpublish',
  'webhooks.get': '/api/staff/webhooks/{jurisdiction}',
  'webhooks.put': '/api/staff/webhooks/{jurisdiction}',
  'webhooks.test': '/api/staff/webhooks/{jurisdiction}/test',
  'templates.current': '/api/staff/checkup-templates/current',
  'templates.create': '/api/staff/checkup-templates',
  'checkups.create': '/api/staff/checkups',
  'checkups.due': '/api/staff/checkups/due',
  'checkups.get': '/api/staff/checkups/{id}',
  'checkups.answer': '/api/staff/checkups/{id}',
  'checkups.submit': '/api/staff/checkups/{id}/submit',
  'health.firm': '/api/staff/enterprises/{uscc}/health',
  'ledger.create': '/api/staff/ledger-items',
  'ledger.list': '/api/staff/ledger-items',
  'ledger.get': '/api/staff/ledger-items/{id}',
  'ledger.transition': '/api/staff/ledger-items/{id}/transitions',
  'ledger.stats': '/api/staff/ledger-stats',
  'ledger.recount': '/api/staff/ledger-stats/recount',
  'parks.list': '/api/staff/parks',
  'parks.save': '/api/staff/parks',
  'serviceItems.get': '/api/staff/service-items',
  'serviceItems.put': '/api/staff/service-items',
  'serviceItems.stats': '/api/staff/service-items/stats',
  'suggestions.list': '/api/staff/ledger-suggestions',
  'suggestions.accept': '/api/staff/ledger-suggestions/{id}/accept',
  'suggestions.dismiss': '/api/staff/ledger-suggestions/{id}/dismiss',
  'days.create': '/api/staff/consultation-days',
  'days.list': '/api/staff/consultation-days',
  'days.get': '/api/staff/consultation-days/{dayId}',
  'days.copy': '/api/staff/consultation-days/{dayId}/copy',
  'days.update': '/api/staff/consultation-days/{dayId}',
  'days.cancel': '/api/staff/consultation-days/{dayId}/cancel',
  'days.bookings': '/api/staff/consultation-days/{dayId}/bookings',
  'days.bookingsCsv': '/api/staff/consultation-days/{dayId}/bookings.csv',
  'days.bookingsXlsx': '/api/staff/consultation-days/{dayId}/bookings.xlsx',
  'days.message': '/api/staff/consultation-days/{dayId}/messages',
  'bookings.attendance': '/api/staff/bookings/{code}/attendance',
};

/** The path of a staff route (`apiPath('days.bookingsCsv', {dayId})`), for downloads and uploads. */
export const apiPath = door(STAFF_PATHS).path;

/**
 * Calls the staff route `id` with its path parameters, query, JSON body and the session's token. A
 * call that carries a token sends the session's current one (renewed first when it is about to
 * expire, so a page open since the morning keeps working). A 401 to such a call is the one policy,
 * whatever the page does with the answer: the session is renewed once with its refresh token and the
 * call tried again; when that cannot be done or is refused too, the session is dropped and the page goes
 * to sign-in with `next` (`sessionExpired`). Only the sign-in page, which checks a fresh token itself,
 * answers a 401 on its own (`keepPageOn401`).
 */
export const api = async <K extends Answered<StaffRouteId>>(
  id: K,
  ...[options]: CallArgs<K>
): Promise<ApiResult<Answers[K]>> => {
  const path = apiPath(id, options?.params as ParamsOf<K> | undefined, options?.query);
  if (!options?.token || options.keepPageOn401) return fetchJson(path, options) as Promise<ApiResult<Answers[K]>>;
  const lang = location.pathname.startsWith('/en/') ? 'en' : 'zh';
  // No session any more (signed out in another tab): the token the page started with is not used.
  const token = await freshToken();
  if (!token) {
    sessionExpired(lang);
    return { ok: false, status: 401, body: null };
  }
  const result = await fetchJson(path, { ...options, token });
  if (result.status !== 401) return result as ApiResult<Answers[K]>;
  const renewed = await refreshSession(token);
  const again = renewed ? await fetchJson(path, { ...options, token: renewed }) : result;
  if (again.status === 401) sessionExpired(lang);
  return again as ApiResult<Answers[K]>;
};
