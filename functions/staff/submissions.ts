import * as z from 'zod/mini';
import { nameOf } from '../../shared/jurisdictions.ts';
import { deadlineInput, submitInput } from '../../shared/submissions.ts';
import { shanghaiDate } from '../../shared/time.ts';
import { withNames, withNamesOne } from '../lib/accounts/names.ts';
import { SHEET_FORMATS, sheetFile } from '../lib/formats/sheet-file.ts';
import { ForbiddenError, found, NotFoundError } from '../lib/http/errors.ts';
import { defineRoute, reply } from '../lib/http/handler.ts';
import { requireInScope } from '../lib/http/scope.ts';
import { SUBMISSION_HEADER } from '../lib/pairings/submission-rows.ts';
import { citiesIn, frozenRows, setDeadline, submitCity, yearStanding } from '../lib/pairings/submissions.ts';

const serviceYear = z.pipe(
  z.string().check(z.regex(/^20\d{2}$/, 'A service year like 2026')),
  z.transform((v) => Number(v)),
);

/** GET /api/staff/submissions?serviceYear= : the year's deadline and each city's standing in scope. */
export const listSubmissionsRoute = defineRoute({
  query: z.object({ serviceYear: z.optional(serviceYear) }),
  handler: async ({ query, identity }) => {
    const me = found(identity);
    const now = new Date();
    const standing = await yearStanding(
      query.serviceYear ?? Number(shanghaiDate(now).slice(0, 4)),
      me.jurisdiction,
      now,
    );
    return { ...standing, cities: await withNames(standing.cities, ['lastSubmittedBy']) };
  },
});

/**
 * POST /api/staff/submissions {"serviceYear","city"}: the city's lead (or an admin) freezes the city's
 * list as it stands: 201 with the version made.
 */
export const submitRoute = defineRoute({
  body: submitInput,
  handler: async ({ body, identity }) => {
    const me = found(identity);
    requireInScope(me, body.city);
    if (!citiesIn(body.city).includes(body.city)) throw new NotFoundError();
    if (me.role !== 'admin' && me.jurisdiction !== body.city) {
      throw new ForbiddenError('Only the city’s own lead submits its list');
    }
    const submission = await submitCity(body.serviceYear, body.city, me, new Date());
    return reply(201, {
      submission: await withNamesOne({ serviceYear: body.serviceYear, city: body.city, ...submission }, [
        'lastSubmittedBy',
      ]),
    });
  },
});

/** GET /api/staff/submissions/{serviceYear}/{city}/export?format=&version= : a frozen version as a sheet. */
export const exportSubmissionRoute = defineRoute({
  params: z.object({
    serviceYear,
    city: z.string().check(z.regex(/^\d{4}00$/, 'A city code')),
  }),
  query: z.object({
    format: z.optional(z.enum(SHEET_FORMATS)),
    version: z.optional(
      z.pipe(
        z.string().check(z.regex(/^\d{1,4}$/, 'A version number')),
        z.transform((v) => Number(v)),
      ),
    ),
  }),
  handler: async ({ params, query, identity }) => {
    requireInScope(found(identity), params.city);
    const frozen = await frozenRows(params.serviceYear, params.city, query.version);
    if (!frozen) throw new NotFoundError('Not submitted');
    return sheetFile(
      query.format ?? 'xlsx',
      `submission-${params.city}-${params.serviceYear}-v${frozen.version}`,
      `${nameOf(params.city)} ${params.serviceYear} 年结对名单（第 ${frozen.version} 版）`,
      SUBMISSION_HEADER,
      frozen.rows,
    );
  },
});

/** PUT /api/staff/submissions/{serviceYear}/deadline {"deadline","version"} (admins). */
export const setDeadlineRoute = defineRoute({
  params: z.object({ serviceYear }),
  body: deadlineInput,
  handler: async ({ params, body, identity }) => ({
    deadline: await setDeadline(params.serviceYear, body, found(identity), new Date()),
  }),
});
