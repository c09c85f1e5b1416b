import * as z from 'zod/mini';
import { knownJurisdiction } from '../../shared/jurisdiction-input.ts';
import { prefixOf } from '../../shared/jurisdictions.ts';
import {
  bulkPairingInput,
  contactInput,
  contactLeaderInput,
  pairingChangeInput,
  pairingInput,
  reassignInput,
} from '../../shared/pairing.ts';
import { CONTACT_PEOPLE, type Contact, PAIRING_PEOPLE, type Pairing } from '../../shared/pairing-views.ts';
import { shanghaiDate } from '../../shared/time.ts';
import { nameRow, staffNames, withNames, withNamesOne } from '../lib/accounts/names.ts';
import { getEnterprise } from '../lib/enterprises/enterprises.ts';
import { SHEET_FORMATS, sheetFile } from '../lib/formats/sheet-file.ts';
import { ConflictError, ForbiddenError, found, ValidationError } from '../lib/http/errors.ts';
import { defineRoute, reply } from '../lib/http/handler.ts';
import type { Identity } from '../lib/http/identity.ts';
import { requireInScope } from '../lib/http/scope.ts';
import { pairFirms } from '../lib/pairings/bulk.ts';
import { earlierContact } from '../lib/pairings/contact-requests.ts';
import { liaisonToTell } from '../lib/pairings/firm-told.ts';
import {
  changePairing,
  createPairing,
  getPairing,
  listContacts,
  listPairings,
  logContact,
  reassignPairing,
  recentContactsWithFirm,
  setPairingStatus,
} from '../lib/pairings/pairings.ts';
import { firmToPair, requireContactLeaderOf, requireLiaisonOf, requireMentorInScope } from '../lib/pairings/rules.ts';
import { SUBMISSION_HEADER, submissionRows } from '../lib/pairings/submission-rows.ts';
import { liaisonWorkloads } from '../lib/pairings/workload.ts';

const idParams = z.object({ id: z.string().check(z.regex(/^[A-Za-z0-9-]{1,64}$/, 'Not a pairing id')) });

/** Pairings with their liaison's and contact leader's names (one lookup for all of them). */
const named = (pairings: readonly Pairing[]) => withNames(pairings, PAIRING_PEOPLE);
const namedOne = (pairing: Pairing) => withNamesOne(pairing, PAIRING_PEOPLE);
const namedContact = (contact: Contact) => withNamesOne(contact, CONTACT_PEOPLE);

const pairingInScope = async (identity: Identity, id: string) => {
  const pairing = found(await getPairing(id));
  requireInScope(identity, pairing.county);
  return pairing;
};

/** POST /api/staff/pairings */
export const createPairingRoute = defineRoute({
  body: pairingInput,
  handler: async ({ body, identity }) => {
    const me = found(identity);
    const enterprise = await firmToPair(me, body.uscc);
    await requireLiaisonOf(body.liaison, enterprise.county);
    if (body.mentorUscc) await requireMentorInScope(me, body.mentorUscc, enterprise.uscc);
    if (body.contactLeader) await requireContactLeaderOf(body.contactLeader, enterprise.county);
    const tell = { firm: enterprise, liaison: await liaisonToTell(body.liaison) };
    const pairing = await createPairing(body, enterprise.county, me, new Date(), tell);
    return reply(201, { pairing: await namedOne(pairing) });
  },
});

/**
 * POST /api/staff/pairings/bulk `{"requestId","liaison","firms":[uscc…],"startsOn"?}`: pairs each
 * firm with the liaison by the single pairing's rules and write, one result per firm (created with
 * its pairing id, or refused with the reason); the same request again answers the same (bulk.ts).
 */
export const bulkPairingsRoute = defineRoute({
  body: bulkPairingInput,
  handler: async ({ body, identity }) => ({ results: await pairFirms(body, found(identity), new Date()) }),
});

/**
 * GET /api/staff/pairings/workload?jurisdiction=: the liaisons inside the jurisdiction (default the
 * caller's) with the pairings each carries and those still to contact this month (workload.ts).
 */
export const workloadRoute = defineRoute({
  query: z.object({ jurisdiction: z.optional(knownJurisdiction) }),
  handler: async ({ query, identity }) => {
    const me = found(identity);
    const jurisdiction = query.jurisdiction ?? me.jurisdiction;
    requireInScope(me, jurisdiction);
    return { liaisons: await liaisonWorkloads(jurisdiction, new Date()) };
  },
});

const listQuery = z.object({
  liaison: z.optional(z.string().check(z.maxLength(128))),
  county: z.optional(knownJurisdiction),
  serviceYear: z.optional(z.coerce.number().check(z.int(), z.minimum(2020), z.maximum(2100))),
});

/** GET /api/staff/pairings?liaison=&county=&serviceYear= (a liaison sees its own pairings). */
export const listPairingsRoute = defineRoute({
  query: listQuery,
  handler: async ({ query, identity }) => {
    const me = found(identity);
    const jurisdiction = query.county ?? me.jurisdiction;
    requireInScope(me, jurisdiction);
    const liaison = me.role === 'liaison' ? me.username : query.liaison;
    const pairings = await listPairings({
      jurisdiction,
      prefix: prefixOf(jurisdiction),
      ...(liaison ? { liaison } : {}),
      ...(query.serviceYear ? { serviceYear: query.serviceYear } : {}),
    });
    return { pairings: await named(pairings) };
  },
});

/** POST /api/staff/pairings/{id}/reassign: ends this pairing and starts one with another liaison. */
export const reassignPairingRoute = defineRoute({
  params: idParams,
  body: reassignInput,
  handler: async ({ params, body, identity }) => {
    const me = found(identity);
    const before = await pairingInScope(me, params.id);
    await requireLiaisonOf(body.liaison, before.county);
    if (body.liaison === before.liaison)
      throw new ValidationError({ liaison: 'That liaison already serves this pairing' });
    const tell = { firm: await getEnterprise(before.uscc), liaison: await liaisonToTell(body.liaison) };
    const { ended, pairing } = await reassignPairing(before, body.liaison, me, new Date(), tell);
    // Both pairings' people in one lookup.
    const personOf = await staffNames([ended, pairing].flatMap((p) => PAIRING_PEOPLE.map((field) => p[field])));
    return { ended: nameRow(ended, PAIRING_PEOPLE, personOf), pairing: nameRow(pairing, PAIRING_PEOPLE, personOf) };
  },
});

/** A pairing in scope that may still change, at the version the caller read (else 409). */
const pairingToChange = async (identity: Identity, id: string, version: number) => {
  const before = await pairingInScope(identity, id);
  if (before.status === 'ended') throw new ConflictError('INVALID_TRANSITION', 'The pairing has ended');
  if (before.version !== version)
    throw new ConflictError('VERSION_CONFLICT', 'The pairing changed meanwhile; reload it');
  return before;
};

/** POST /api/staff/pairings/{id}/contact-leader `{"contactLeader": username | null, "version"}` */
export const setContactLeaderRoute = defineRoute({
  params: idParams,
  body: contactLeaderInput,
  handler: async ({ params, body, identity }) => {
    const me = found(identity);
    const before = await pairingToChange(me, params.id, body.version);
    if (body.contactLeader !== null) await requireContactLeaderOf(body.contactLeader, before.county);
    const change = { contactLeader: body.contactLeader };
    return { pairing: await namedOne(await changePairing(before, change, 'pairing.contactLeader', me, new Date())) };
  },
});

/**
 * PATCH /api/staff/pairings/{id} `{"version","checkupIntervalMonths": 3|6|12|24|null}`: the firm's
 * check-up cadence (issue 19), null for the deployment's; the due list reads it at once.
 */
export const changePairingRoute = defineRoute({
  params: idParams,
  body: pairingChangeInput,
  handler: async ({ params, body, identity }) => {
    const me = found(identity);
    const before = await pairingToChange(me, params.id, body.version);
    const change = { checkupIntervalMonths: body.checkupIntervalMonths };
    return { pairing: await namedOne(await changePairing(before, change, 'pairing.cadence', me, new Date())) };
  },
});

const statusRoute = (to: 'paused' | 'active' | 'ended') =>
  defineRoute({
    params: idParams,
    handler: async ({ params, identity }) => {
      const me = found(identity);
      const before = await pairingInScope(me, params.id);
      return { pairing: await namedOne(await setPairingStatus(before, to, me, new Date())) };
    },
  });

/** POST /api/staff/pairings/{id}/pause, …/resume, …/end */
export const pausePairingRoute = statusRoute('paused');
export const resumePairingRoute = statusRoute('active');
export const endPairingRoute = statusRoute('ended');

/** Clock skew allowed between a phone and the server before a contact time counts as future. */
const FUTURE_TOLERANCE_MS = 2 * 60_000;

/** POST /api/staff/pairings/{id}/contacts: the pairing's liaison, or a lead in scope. */
export const logContactRoute = defineRoute({
  params: idParams,
  body: contactInput,
  handler: async ({ params, body, identity }) => {
    const me = found(identity);
    const pairing = await pairingInScope(me, params.id);
    if (me.role === 'liaison' && pairing.liaison !== me.username) {
      throw new ForbiddenError('Only the pairing’s liaison or a lead may log contacts');
    }
    // Sent again (a draft kept offline, an answer lost): the contact it made, whatever happened since.
    if (body.requestId) {
      const earlier = await earlierContact(me.username, body.requestId, pairing.pairingId, body);
      if (earlier) return reply(200, { contact: await namedContact(earlier), warnings: [], replayed: true });
    }
    const now = new Date();
    if (new Date(body.at).getTime() > now.getTime() + FUTURE_TOLERANCE_MS) {
      throw new ValidationError({ at: 'A contact cannot be in the future' });
    }
    if (pairing.status === 'ended') throw new ConflictError('INVALID_TRANSITION', 'The pairing has ended');
    // A pairing rolled over into the next year ends on a day that may lie ahead (roll-over.ts): from
    // that day on its contacts belong to the pairing that continues it, whose month they count for.
    if (pairing.endedOn !== null && shanghaiDate(new Date(body.at)) >= pairing.endedOn)
      throw new ConflictError(
        'INVALID_TRANSITION',
        `The pairing ended on ${pairing.endedOn}; log it on the one that continues it`,
      );
    const logged = await logContact(pairing, body, me, now);
    const { warnings, replayed } = logged;
    const contact = await namedContact(logged.contact);
    return replayed ? reply(200, { contact, warnings, replayed }) : reply(201, { contact, warnings });
  },
});

/**
 * GET /api/staff/pairings/{id}/recent-contacts?at=: the firm's contacts in the REPEAT_VISIT_DAYS
 * before `at` (default now), the same ones saving a contact at `at` would warn about, so the
 * liaison reads the warning before the visit is logged (issue 20). Only when, how and whether it
 * was the caller's own: who else came is not the form's business.
 */
export const recentContactsRoute = defineRoute({
  params: idParams,
  query: z.object({ at: z.optional(z.iso.datetime({ offset: true })) }),
  handler: async ({ params, query, identity }) => {
    const me = found(identity);
    const pairing = await pairingInScope(me, params.id);
    // The warning belongs to the form: those who may log a contact here (the same rule as saving).
    if (me.role === 'liaison' && pairing.liaison !== me.username) {
      throw new ForbiddenError('Only the pairing’s liaison or a lead may log contacts');
    }
    const now = new Date();
    const asked = query.at ? new Date(query.at) : now;
    // A time in the future reads as now: the form refuses it anyway.
    const at = asked.getTime() > now.getTime() ? now : asked;
    const contacts = (await recentContactsWithFirm(pairing.uscc, at))
      .sort((a, b) => b.at.localeCompare(a.at))
      .map((c) => ({
        contactId: c.contactId,
        at: c.at,
        mode: c.mode,
        mine: c.loggedBy === me.username,
      }));
    return { at: at.toISOString(), contacts };
  },
});

/** GET /api/staff/pairings/{id}/contacts: newest first. */
export const listContactsRoute = defineRoute({
  params: idParams,
  handler: async ({ params, identity }) => {
    const pairing = await pairingInScope(found(identity), params.id);
    return { contacts: await withNames(await listContacts(pairing.pairingId), CONTACT_PEOPLE) };
  },
});

const exportQuery = z.object({
  format: z.optional(z.enum(SHEET_FORMATS)),
  county: listQuery.shape.county,
  serviceYear: listQuery.shape.serviceYear,
});

/**
 * GET /api/staff/pairings/export?format=csv|xlsx&serviceYear=&county=: the province's submission
 * table of paired firms and their liaisons (one service year, default the current one).
 */
export const exportPairingsRoute = defineRoute({
  query: exportQuery,
  handler: async ({ query, identity }) => {
    const me = found(identity);
    const jurisdiction = query.county ?? me.jurisdiction;
    requireInScope(me, jurisdiction);
    const serviceYear = query.serviceYear ?? Number(shanghaiDate(new Date()).slice(0, 4));
    const rows = await submissionRows(me, jurisdiction, serviceYear);
    return sheetFile(
      query.format ?? 'xlsx',
      `pairings-${jurisdiction}-${serviceYear}`,
      `结对服务 ${serviceYear}`,
      SUBMISSION_HEADER,
      rows,
    );
  },
});
