import * as z from 'zod/mini';
import { prefixOf } from '../../shared/jurisdictions.ts';
import { contactInput, pairingInput, reassignInput } from '../../shared/pairing.ts';
import type { Identity } from '../lib/auth.ts';
import { getEnterprise } from '../lib/enterprises.ts';
import { ConflictError, ForbiddenError, found, ValidationError } from '../lib/errors.ts';
import { defineRoute, reply } from '../lib/http.ts';
import {
  createPairing,
  getPairing,
  listContacts,
  listPairings,
  logContact,
  reassignPairing,
  setPairingStatus,
} from '../lib/pairings.ts';
import { requireInScope, requireMayCreateIn } from '../lib/scope.ts';
import { getUserProfile } from '../lib/users.ts';

const idParams = z.object({ id: z.string().check(z.regex(/^[A-Za-z0-9-]{1,64}$/, 'Not a pairing id')) });

const pairingInScope = async (identity: Identity, id: string) => {
  const pairing = found(await getPairing(id));
  requireInScope(identity, pairing.county);
  return pairing;
};

/** The liaison must be a liaison account of the firm's county. */
const requireLiaisonOf = async (username: string, county: string) => {
  const profile = await getUserProfile(username);
  if (profile?.role !== 'liaison' || profile.jurisdiction !== county) {
    throw new ValidationError({ liaison: 'Not a liaison of the enterprise’s county' });
  }
};

/** POST /api/staff/pairings */
export const createPairingRoute = defineRoute({
  body: pairingInput,
  handler: async ({ body, identity }) => {
    const me = found(identity);
    const enterprise = found(await getEnterprise(body.uscc));
    requireInScope(me, enterprise.county);
    requireMayCreateIn(me, enterprise.county);
    await requireLiaisonOf(body.liaison, enterprise.county);
    if (body.mentorUscc && !(await getEnterprise(body.mentorUscc))) {
      throw new ValidationError({ mentorUscc: 'No enterprise with this USCC is registered' });
    }
    return reply(201, { pairing: await createPairing(body, enterprise.county, me, new Date()) });
  },
});

const listQuery = z.object({
  liaison: z.optional(z.string().check(z.maxLength(128))),
  county: z.optional(z.string().check(z.regex(/^\d{6}$/, 'Six-digit administrative code'))),
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
    return { pairings };
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
    return reassignPairing(before, body.liaison, me, new Date());
  },
});

const statusRoute = (to: 'paused' | 'active' | 'ended') =>
  defineRoute({
    params: idParams,
    handler: async ({ params, identity }) => {
      const me = found(identity);
      const before = await pairingInScope(me, params.id);
      return { pairing: await setPairingStatus(before, to, me, new Date()) };
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
    const now = new Date();
    if (new Date(body.at).getTime() > now.getTime() + FUTURE_TOLERANCE_MS) {
      throw new ValidationError({ at: 'A contact cannot be in the future' });
    }
    if (pairing.status === 'ended') throw new ConflictError('INVALID_TRANSITION', 'The pairing has ended');
    const { contact, warnings } = await logContact(pairing, body, me, now);
    return reply(201, { contact, warnings });
  },
});

/** GET /api/staff/pairings/{id}/contacts: newest first. */
export const listContactsRoute = defineRoute({
  params: idParams,
  handler: async ({ params, identity }) => {
    const pairing = await pairingInScope(found(identity), params.id);
    return { contacts: await listContacts(pairing.pairingId) };
  },
});
