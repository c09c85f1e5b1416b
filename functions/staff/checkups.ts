import * as z from 'zod/mini';
import {
  checkupInput,
  checkupPatch,
  DEFAULT_DUE_WITHIN_DAYS,
  type HealthWarning,
  submitInput,
  templateInput,
} from '../../shared/checkups.ts';
import { usccField } from '../../shared/enterprise.ts';
import { knownJurisdiction } from '../../shared/jurisdiction-input.ts';
import { prefixOf } from '../../shared/jurisdictions.ts';
import { MANAGERS } from '../../shared/roles.ts';
import { shanghaiDate } from '../../shared/time.ts';
import { withNames } from '../lib/accounts/names.ts';
import { getEnterprise } from '../lib/enterprises/enterprises.ts';
import { found, NotFoundError } from '../lib/http/errors.ts';
import { defineRoute, reply } from '../lib/http/handler.ts';
import { type Identity, requireRole } from '../lib/http/identity.ts';
import { inScope, requireInScope } from '../lib/http/scope.ts';
import { checkupIntervalMonths, dueCheckups } from '../lib/ledger/checkup-schedule.ts';
import {
  answerCheckup,
  createCheckup,
  currentTemplateVersion,
  getCheckup,
  getHealth,
  requireTemplate,
  storeTemplate,
  submitCheckup,
} from '../lib/ledger/checkups.ts';
import { isOverdue, listLedgerItems } from '../lib/ledger/ledger.ts';
import { listPairings } from '../lib/pairings/pairings.ts';

const idParams = z.object({ id: z.string().check(z.regex(/^[a-f0-9-]{36}$/, 'Not a check-up id')) });

const firmInScope = async (identity: Identity, uscc: string) => {
  const firm = found(await getEnterprise(uscc));
  requireInScope(identity, firm.county);
  return firm;
};

/** A check-up the caller may read: leads and admins in their subtree, a liaison in its county (its firm pages). */
const checkupInScope = async (identity: Identity, id: string) => {
  const checkup = found(await getCheckup(id));
  requireInScope(identity, checkup.county);
  return checkup;
};

/** Whether a liaison serves a firm now: one of its own pairings with it is active. */
const servesFirm = async (liaison: Identity, uscc: string) =>
  (await listPairings({ jurisdiction: liaison.jurisdiction, prefix: '', liaison: liaison.username })).some(
    (p) => p.uscc === uscc && p.status === 'active',
  );

/**
 * A check-up the caller may fill in and submit: leads and admins in their subtree; a liaison only one
 * of a firm of its own active pairings. Any other answers 404, as if it did not exist (rule 8).
 */
const checkupToFillIn = async (identity: Identity, id: string) => {
  const checkup = await checkupInScope(identity, id);
  if (identity.role === 'liaison' && !(await servesFirm(identity, checkup.uscc))) throw new NotFoundError();
  return checkup;
};

/** GET /api/staff/checkup-templates/current */
export const getCurrentTemplate = defineRoute({
  handler: async () => ({ template: await requireTemplate(await currentTemplateVersion()) }),
});

/** POST /api/staff/checkup-templates (admin): stores the next version and makes it current. */
export const createTemplateVersion = defineRoute({
  body: templateInput,
  handler: async ({ body, identity }) =>
    reply(201, { template: await storeTemplate(body, found(identity), new Date()) }),
});

/**
 * POST /api/staff/checkups (leads, admins): a draft for a firm in scope, on the current template unless
 * one is named. Leads start check-ups; the firm's liaison fills them in.
 */
export const createCheckupRoute = defineRoute({
  body: checkupInput,
  handler: async ({ body, identity }) => {
    const me = found(identity);
    requireRole(me, MANAGERS);
    const firm = await firmInScope(me, body.uscc);
    const checkup = await createCheckup(body, firm, me, new Date());
    return reply(201, { checkup, template: await requireTemplate(checkup.templateVersion) });
  },
});

/** GET /api/staff/checkups/{id}: the check-up with the template version it uses. */
export const getCheckupRoute = defineRoute({
  params: idParams,
  handler: async ({ params, identity }) => {
    const checkup = await checkupInScope(found(identity), params.id);
    return { checkup, template: await requireTemplate(checkup.templateVersion) };
  },
});

/** PATCH /api/staff/checkups/{id} {version, answers}: autosave of a draft (who may: checkupToFillIn). */
export const answerCheckupRoute = defineRoute({
  params: idParams,
  body: checkupPatch,
  handler: async ({ params, body, identity }) => {
    const me = found(identity);
    return { checkup: await answerCheckup(await checkupToFillIn(me, params.id), body, me, new Date()) };
  },
});

/**
 * POST /api/staff/checkups/{id}/submit {version, signature: {evidenceId, signerName}}: score, band, a
 * ledger item per failed answer, the firm representative's signature and the firm's message that its
 * report is ready (who may: checkupToFillIn).
 */
export const submitCheckupRoute = defineRoute({
  params: idParams,
  body: submitInput,
  handler: async ({ params, body, identity }) => {
    const me = found(identity);
    const checkup = await checkupToFillIn(me, params.id);
    const firm = await firmInScope(me, checkup.uscc);
    return { checkup: await submitCheckup(checkup, body, firm, me, new Date()) };
  },
});

/**
 * GET /api/staff/enterprises/{uscc}/health: the latest band, and the early warnings: the band got
 * worse, or a high-severity finding is still open past its due date.
 */
export const getHealthRoute = defineRoute({
  params: z.object({ uscc: usccField }),
  handler: async ({ params, identity }) => {
    const me = found(identity);
    await firmInScope(me, params.uscc);
    const health = await getHealth(params.uscc);
    const now = new Date();
    const overdueRed = (await listLedgerItems({ uscc: params.uscc, prefix: '' })).filter(
      (i) => i.source === 'checkup' && i.severity === 'high' && isOverdue(i, now),
    );
    const warnings: HealthWarning[] = [
      ...(health?.worsened
        ? [
            {
              code: 'BAND_WORSE' as const,
              message: `The band went from ${health.previousBand} to ${health.latestBand}`,
            },
          ]
        : []),
      ...overdueRed.map((i) => ({
        code: 'RED_FINDING_OVERDUE' as const,
        message: `${i.title}: due ${i.dueOn}`,
        itemId: i.itemId,
        title: i.title,
        dueOn: i.dueOn,
      })),
    ];
    return { health: health ?? null, warnings };
  },
});

/**
 * GET /api/staff/checkups/due?jurisdiction=&within=30: the paired firms in scope whose check-up is
 * overdue or due within `within` days (issue 19: check-ups held regularly, with an early warning),
 * overdue first. Leads and admins see their subtree (or a unit of it); a liaison its own pairings.
 * Reads the unit's pairings (one Query, as the compliance list does) and the firms' health records
 * (BatchGet); no Scan.
 */
export const dueCheckupsRoute = defineRoute({
  query: z.object({
    jurisdiction: z.optional(knownJurisdiction),
    within: z.optional(z.coerce.number().check(z.int(), z.minimum(0), z.maximum(366))),
  }),
  handler: async ({ query, identity }) => {
    const me = found(identity);
    const jurisdiction = query.jurisdiction ?? me.jurisdiction;
    requireInScope(me, jurisdiction);
    const now = new Date();
    const today = shanghaiDate(now);
    const within = query.within ?? DEFAULT_DUE_WITHIN_DAYS;
    const months = checkupIntervalMonths();
    const pairings = (
      await listPairings({
        jurisdiction,
        prefix: prefixOf(jurisdiction),
        ...(me.role === 'liaison' ? { liaison: me.username } : {}),
      })
    ).filter(
      (p) =>
        inScope(me, p.county) &&
        p.status === 'active' &&
        p.startsOn <= today &&
        (p.endedOn === null || p.endedOn > today),
    );
    const firms = await withNames(await dueCheckups(pairings, today, within, months), ['liaison']);
    return { today, intervalMonths: months, within, firms };
  },
});
