import { checkupRequestInput, selfInspectionInput } from '../../shared/self-inspection.ts';
import {
  checkupRequestOf,
  firmTemplate,
  listSelfInspections,
  requestCheckup,
  submitSelfInspection,
} from '../lib/firms/self-inspection.ts';
import { UnauthenticatedError } from '../lib/http/errors.ts';
import { defineRoute, reply } from '../lib/http/handler.ts';
import type { FirmIdentity } from '../lib/http/identity.ts';

/**
 * The firm's self-inspection routes (issue 16). Every one acts for the token's USCC and takes no
 * parameter that could name another firm.
 */
const signedIn = (firm: FirmIdentity | undefined): FirmIdentity => {
  // The handler stack sets it on every firm route; its absence is a sign-in missing, never another firm.
  if (!firm) throw new UnauthenticatedError();
  return firm;
};

/** GET /api/firm/self-inspections/template: the items to answer (current template version). */
export const getSelfInspectionTemplate = defineRoute({
  handler: async ({ firm }) => {
    signedIn(firm);
    return { template: await firmTemplate() };
  },
});

/**
 * POST /api/firm/self-inspections {"id","templateVersion","answers"}: 201 with the submission; the
 * same id and answers again: 200 with the first (nothing written twice); the id with other answers: 409.
 */
export const createSelfInspection = defineRoute({
  body: selfInspectionInput,
  handler: async ({ body, firm }) => {
    const { uscc } = signedIn(firm);
    const { created, selfInspection } = await submitSelfInspection(uscc, body, new Date());
    return reply(created ? 201 : 200, { selfInspection });
  },
});

/** GET /api/firm/self-inspections: the firm's newest submissions and its check-up request. */
export const listSelfInspectionsRoute = defineRoute({
  handler: async ({ firm }) => {
    const { uscc } = signedIn(firm);
    const [selfInspections, request] = await Promise.all([listSelfInspections(uscc), checkupRequestOf(uscc)]);
    return {
      selfInspections,
      checkupRequest: request
        ? { requestedAt: request.request.requestedAt, note: request.request.note, open: request.open }
        : null,
    };
  },
});

/** POST /api/firm/checkup-requests {"note"?}: asks for an on-site check-up; 409 while one is open. */
export const createCheckupRequest = defineRoute({
  body: checkupRequestInput,
  handler: async ({ body, firm }) => {
    const { uscc } = signedIn(firm);
    const request = await requestCheckup(uscc, body?.note, new Date());
    return reply(201, { checkupRequest: { requestedAt: request.requestedAt, note: request.note, open: true } });
  },
});
