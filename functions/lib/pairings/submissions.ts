import { contains, levelOf, names } from '../../../shared/jurisdictions.ts';
import { keys } from '../../../shared/keys.ts';
import {
  type CitySubmission,
  defaultDeadline,
  type SubmissionStatus,
  type SubmittedVersion,
  submissionStatus,
  type YearDeadline,
} from '../../../shared/submissions.ts';
import { shanghaiDate } from '../../../shared/time.ts';
import { ExportTooLargeError } from '../formats/export-bounds.ts';
import { ConflictError } from '../http/errors.ts';
import type { Identity } from '../http/identity.ts';
import { auditPut } from '../store/audit.ts';
import { batchGet, fromItem, getRecord, queryAll, tableName } from '../store/table.ts';
import { transact } from '../store/transact.ts';
import { type SubmissionRow, submissionRows } from './submission-rows.ts';

/**
 * The annual list's submissions (issue 19): a city freezes its table of a service year (the rows
 * the submission export gives at that moment) as a new version, in one transaction with the
 * pointer to it and the audit event, so a list once sent never changes under the province. The
 * rows go in chunks, each far below DynamoDB's 400 KB item limit.
 */
const ROWS_PER_CHUNK = 200;
/** One transaction holds the pointer, the version, the audit event and the chunks. */
const MAX_CHUNKS = 90;
export const MAX_SUBMISSION_ROWS = ROWS_PER_CHUNK * MAX_CHUNKS;

/** The service year's deadline and the version of the province's setting (0: the default, never set). */
export const deadlineOf = async (serviceYear: number): Promise<YearDeadline> => {
  const stored = await getRecord<YearDeadline>(keys.submissionYear(serviceYear), { consistent: true });
  return stored
    ? { deadline: stored.deadline, version: stored.version }
    : { deadline: defaultDeadline(serviceYear), version: 0 };
};

/** Sets a year's deadline at the version read (409 VERSION_CONFLICT otherwise), audited. */
export const setDeadline = async (
  serviceYear: number,
  change: { deadline: string; version: number },
  identity: Identity,
  now: Date,
): Promise<YearDeadline> => {
  const before = await deadlineOf(serviceYear);
  const after = { deadline: change.deadline, version: before.version + 1 };
  const result = await transact([
    {
      Put: {
        TableName: tableName(),
        Item: { ...keys.submissionYear(serviceYear), type: 'submissionYear', serviceYear, ...after },
        ConditionExpression: change.version === 0 ? 'attribute_not_exists(pk)' : 'version = :seen',
        ...(change.version === 0 ? {} : { ExpressionAttributeValues: { ':seen': change.version } }),
      },
    },
    auditPut(
      identity,
      {
        entity: `submission:${serviceYear}`,
        jurisdiction: identity.jurisdiction,
        action: 'submission.deadline',
        before,
        after,
      },
      now.toISOString(),
    ),
  ]);
  if (!result.ok) {
    throw new ConflictError('VERSION_CONFLICT', 'The deadline changed meanwhile; reload and try again');
  }
  return after;
};

/** The cities inside `scope` (a province: its cities; a city: itself; a county: none). */
export const citiesIn = (scope: string): string[] =>
  Object.keys(names)
    .filter((code) => levelOf(code) === 'city' && contains(scope, code))
    .sort();

/** Every city's standing in the service year, inside `scope`: one BatchGetItem. */
export const yearStanding = async (serviceYear: number, scope: string, now: Date) => {
  const { deadline, version } = await deadlineOf(serviceYear);
  const cities = citiesIn(scope);
  const found = new Map(
    (
      await batchGet(
        cities.map((city) => keys.submission(serviceYear, city)),
        { consistent: true },
      )
    ).map((item) => [String(item.pk), fromItem<SubmittedVersion>(item)]),
  );
  const today = shanghaiDate(now);
  const standing: CitySubmission[] = cities.map((city) => {
    const current = found.get(keys.submission(serviceYear, city).pk);
    return {
      city,
      status: submissionStatus(deadline, current?.firstSubmittedOn ?? null, today) as SubmissionStatus,
      version: current?.version ?? 0,
      firstSubmittedAt: current?.firstSubmittedAt ?? null,
      lastSubmittedAt: current?.lastSubmittedAt ?? null,
      lastSubmittedBy: current?.lastSubmittedBy ?? null,
      rows: current?.rows ?? 0,
    };
  });
  return { serviceYear, deadline, deadlineVersion: version, cities: standing };
};

/**
 * Freezes the city's table of the service year as its next version. Two submits at once: one wins,
 * the other gets 409 VERSION_CONFLICT (nothing half-written: it is one transaction).
 */
export const submitCity = async (serviceYear: number, city: string, identity: Identity, now: Date) => {
  const rows = await submissionRows(identity, city, serviceYear);
  if (rows.length > MAX_SUBMISSION_ROWS) throw new ExportTooLargeError(MAX_SUBMISSION_ROWS);
  const before = await getRecord<SubmittedVersion>(keys.submission(serviceYear, city), { consistent: true });
  const at = now.toISOString();
  const version = (before?.version ?? 0) + 1;
  const current: SubmittedVersion = {
    version,
    firstSubmittedAt: before?.firstSubmittedAt ?? at,
    firstSubmittedOn: before?.firstSubmittedOn ?? shanghaiDate(now),
    lastSubmittedAt: at,
    lastSubmittedBy: identity.username,
    rows: rows.length,
  };
  const chunks: SubmissionRow[][] = [];
  for (let i = 0; i < rows.length; i += ROWS_PER_CHUNK) chunks.push(rows.slice(i, i + ROWS_PER_CHUNK));
  const result = await transact([
    {
      Put: {
        TableName: tableName(),
        Item: { ...keys.submission(serviceYear, city), type: 'submission', serviceYear, city, ...current },
        ConditionExpression: before ? 'version = :seen' : 'attribute_not_exists(pk)',
        ...(before ? { ExpressionAttributeValues: { ':seen': before.version } } : {}),
      },
    },
    {
      Put: {
        TableName: tableName(),
        Item: {
          ...keys.submissionVersion(serviceYear, city, version),
          type: 'submissionVersion',
          submittedAt: at,
          submittedBy: identity.username,
          rows: rows.length,
          chunks: chunks.length,
        },
        ConditionExpression: 'attribute_not_exists(pk)',
      },
    },
    ...chunks.map((chunk, k) => ({
      Put: {
        TableName: tableName(),
        Item: { ...keys.submissionChunk(serviceYear, city, version, k), type: 'submissionRows', rows: chunk },
      },
    })),
    auditPut(
      identity,
      {
        entity: `submission:${serviceYear}-${city}`,
        jurisdiction: city,
        action: 'submission.submit',
        after: { ...current, serviceYear, city },
      },
      at,
    ),
  ]);
  if (!result.ok) throw new ConflictError('VERSION_CONFLICT', 'The city was submitted meanwhile; reload and see');
  return current;
};

/** The frozen rows of a city's version (the latest when none is named), or undefined before any submit. */
export const frozenRows = async (serviceYear: number, city: string, version?: number) => {
  const current = await getRecord<SubmittedVersion>(keys.submission(serviceYear, city), { consistent: true });
  if (!current) return undefined;
  const wanted = version ?? current.version;
  if (wanted < 1 || wanted > current.version) return undefined;
  const prefix = `${keys.submissionVersion(serviceYear, city, wanted).sk}#ROWS#`;
  const chunks = await queryAll({
    KeyConditionExpression: 'pk = :pk AND begins_with(sk, :prefix)',
    ExpressionAttributeValues: { ':pk': keys.submission(serviceYear, city).pk, ':prefix': prefix },
    ConsistentRead: true,
  });
  return {
    version: wanted,
    rows: chunks.flatMap((c) => fromItem<{ rows: SubmissionRow[] }>(c).rows),
  };
};
