import { createHash, randomUUID } from 'node:crypto';
import { gunzipSync, gzipSync } from 'node:zlib';
import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { DeleteCommand, PutCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import * as z from 'zod/mini';
import { type EnterpriseInput, enterpriseInput } from '../../../shared/enterprise.ts';
import {
  CONTACT_FIELDS,
  type ContactField,
  contactColumn,
  countyCodeOf,
  ERROR_COLUMN,
  IMPORT_COLUMNS,
  type ImportMode,
  type ImportReport,
  type ImportRowReport,
  MAX_CONTACTS,
  MAX_IMPORT_ROWS,
  SIZE_WORDS,
  TIER_WORDS,
} from '../../../shared/enterprise-import.ts';
import { firmTypesOf } from '../../../shared/enterprise-words.ts';
import { keys } from '../../../shared/keys.ts';
import { type ParkList, parkNamed } from '../../../shared/parks.ts';
import { CsvError, parseCsv } from '../formats/csv.ts';
import { SheetLimitError } from '../formats/sheet-limits.ts';
import { readXlsx, SheetError } from '../formats/xlsx.ts';
import { ZipError } from '../formats/zip.ts';
import { ConflictError, UnprocessableError, ValidationError } from '../http/errors.ts';
import type { UploadedFile } from '../http/handler.ts';
import type { Identity } from '../http/identity.ts';
import { inScope } from '../http/scope.ts';
import { auditPut } from '../store/audit.ts';
import { eachLimit } from '../store/concurrency.ts';
import { db, getRecord, tableName } from '../store/table.ts';
import { transact } from '../store/transact.ts';
import {
  type Enterprise,
  enterprisePut,
  IMPORT_LEASE_MS,
  type ImportRun,
  LEASE_MARGIN_MS,
  overwriteCondition,
  readStored,
  type StagedChange,
  type Stored,
  settleCommitted,
} from './enterprises.ts';
import { readParksOf } from './parks.ts';

/** Rows per transaction: each row writes the enterprise and its audit event (100 items at most). */
const ROWS_PER_TRANSACTION = 50;
/** Rows per staging transaction: one item each. */
const STAGE_ROWS_PER_TRANSACTION = 100;
/** Transactions in flight at once. */
const PARALLEL_TRANSACTIONS = 8;

/** What an import reads of a sheet: a header and MAX_IMPORT_ROWS rows, a few dozen columns. */
const IMPORT_SHEET_LIMITS = { rows: MAX_IMPORT_ROWS + 1, columns: 64 };

/**
 * A CSV or XLSX upload → rows of cells. XLSX is recognised by its ZIP signature, whatever the type says.
 * The readers are linear and bounded; whatever they refuse is a 400 on `file` naming what is wrong.
 */
export const readSheet = (file: UploadedFile): string[][] => {
  if (file.bytes.length === 0) throw new ValidationError({ file: 'The file is empty' });
  const isZip = file.bytes.subarray(0, 4).equals(Buffer.from([0x50, 0x4b, 0x03, 0x04]));
  // Excel 97–2003 (.xls) is an OLE2 compound file: read as CSV it would only say that columns are missing.
  if (file.bytes.subarray(0, 8).equals(Buffer.from([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1])))
    throw new ValidationError({ file: 'An Excel 97–2003 (.xls) file; save it as XLSX or CSV' });
  try {
    return isZip ? readXlsx(file.bytes, IMPORT_SHEET_LIMITS) : parseCsv(file.bytes, IMPORT_SHEET_LIMITS);
  } catch (error) {
    if (error instanceof SheetLimitError)
      throw new ValidationError({
        file: `At most ${MAX_IMPORT_ROWS} rows of ${IMPORT_SHEET_LIMITS.columns} columns per import: ${error.message}`,
      });
    if (error instanceof CsvError) throw new ValidationError({ file: `Not a readable CSV file: ${error.message}` });
    if (error instanceof SheetError || error instanceof ZipError)
      throw new ValidationError({ file: `Not a readable XLSX file: ${error.message}` });
    throw error;
  }
};

/** Every heading the import knows (Chinese, English or the field key, any case) → its column key. */
const HEADINGS = new Map<string, string>();
const know = (key: string, ...names: string[]) => {
  for (const name of [key, ...names]) HEADINGS.set(name.toLowerCase(), key);
};
for (const c of IMPORT_COLUMNS) know(c.key, c.zh, c.en);
for (let n = 2; n <= MAX_CONTACTS; n++)
  for (const field of CONTACT_FIELDS) {
    const column = contactColumn(n, field);
    know(column.key, column.zh, column.en);
  }

const headerKey = (cell: string): string | undefined => HEADINGS.get(cell.trim().replace(/\s+/g, ' ').toLowerCase());

/** A spreadsheet's guard against formulas (`'=…`) is undone; cells are trimmed. */
const clean = (cell: string | undefined): string => {
  const text = (cell ?? '').trim();
  return /^'[=+\-@]/.test(text) ? text.slice(1) : text;
};

/** Excel's day number (days since 1899-12-30) or `2027/3/1`, `2027-3-1` → `2027-03-01`. */
const isoDate = (text: string): string => {
  if (/^\d{4,5}(\.\d+)?$/.test(text)) {
    const serial = Math.floor(Number(text));
    if (serial > 20_000 && serial < 80_000)
      return new Date(Date.UTC(1899, 11, 30) + serial * 86_400_000).toISOString().slice(0, 10);
  }
  const m = /^(\d{4})[-/.年](\d{1,2})[-/.月](\d{1,2})日?$/.exec(text);
  return m ? `${m[1]}-${(m[2] ?? '').padStart(2, '0')}-${(m[3] ?? '').padStart(2, '0')}` : text;
};

/** A code or number a spreadsheet re-saved as a decimal (`320506.0`) → its digits. */
const digits = (text: string | undefined): string | undefined => text?.replace(/^(\d+)\.0+$/, '$1');

/** What the file's header carries: the column keys present, and how many contacts' columns. */
export interface Carried {
  columns: Set<string>;
  contacts: number;
}

type Parsed =
  | { ok: true; input: EnterpriseInput; groups: number[]; retiredPark: boolean }
  | { ok: false; uscc: string | null; fields: Record<string, string> };

/** A row's county code as the import reads it (a code, or a county's name). */
const countyOfCell = (cell: string | undefined): string => countyCodeOf(digits(cell) ?? '');

/**
 * One row's cells → the enterprise it describes, checked with the API's own schema. `parks` holds
 * the lists of the counties whose rows name a park: the name becomes the park's id (a retired park
 * is let through here and refused in `plan` unless the firm has it already).
 */
const parseRow = (cells: Record<string, string>, carried: Carried, parks: Map<string, ParkList>): Parsed => {
  const value = (key: string) => cells[key] || undefined;
  const errors: Record<string, string> = {};
  const types = firmTypesOf(value('types') ?? '');
  if (types.unknown.length > 0)
    errors.types = `Unknown firm type: ${types.unknown.join('、')} (use 重点排污单位、战略性新兴产业、环保第三方治理、雄鹰行动、监督执法正面清单)`;
  const parkName = value('park');
  const county = countyOfCell(value('county'));
  const park = parkName ? parks.get(county) && parkNamed(parks.get(county) as ParkList, parkName) : undefined;
  if (parkName && !park) errors.park = 'No park of this name in the firm’s county';
  const size = value('size');
  const tier = value('tier');
  const permitExpiresOn = value('permitExpiresOn');
  // Each contact's group of columns that holds anything, in order; `groups[i]` is the contact's number.
  const groups: number[] = [];
  const contacts = [];
  for (let n = 1; n <= carried.contacts; n++) {
    const cell = (field: ContactField) => value(contactColumn(n, field).key);
    if (!CONTACT_FIELDS.some((field) => cell(field))) continue;
    groups.push(n);
    contacts.push({
      name: cell('name') ?? '',
      role: cell('role'),
      mobile: digits(cell('mobile')) ?? '',
      email: cell('email'),
    });
  }
  const candidate = {
    uscc: value('uscc') ?? '',
    name: value('name') ?? '',
    county,
    address: value('address') ?? '',
    industry: value('industry') ?? '',
    size: size ? (SIZE_WORDS[size] ?? size.toLowerCase()) : '',
    tier: tier ? (TIER_WORDS[tier] ?? tier.toLowerCase()) : '',
    permitNo: value('permitNo'),
    permitExpiresOn: permitExpiresOn ? isoDate(permitExpiresOn) : undefined,
    contacts,
    types: types.codes,
    park: park ? park.id : undefined,
  };
  const result = z.safeParse(enterpriseInput, candidate);
  if (result.success && Object.keys(errors).length === 0)
    return { ok: true, input: result.data, groups, retiredPark: Boolean(park?.retired) };
  const fields: Record<string, string> = { ...errors };
  for (const issue of result.error?.issues ?? []) {
    const [head, index, leaf] = issue.path;
    const column =
      head === 'contacts'
        ? contactColumn(
            groups[Number(index)] ?? 1,
            (CONTACT_FIELDS as readonly unknown[]).includes(leaf) ? (leaf as ContactField) : 'name',
          ).key
        : String(head ?? 'row');
    fields[column] ??= issue.message;
  }
  return { ok: false, uscc: candidate.uscc || null, fields };
};

interface Planned {
  row: number;
  input: EnterpriseInput;
  /** Each contact's number in the file's columns. */
  groups: number[];
  /** The row names a retired park: kept by a firm that has it, refused for any other. */
  retiredPark?: boolean;
}

/**
 * The fields an import sets: what the file carries. An existing firm keeps its status, the optional
 * fields whose columns the file lacks, with no contact in the row its contacts, and otherwise the
 * contacts beyond the file's contact columns and each listed contact's role or e-mail when the file
 * has no column for it (matched by mobile, else name).
 */
const merged = (before: Enterprise, { input, groups }: Planned, carried: Carried): Enterprise => {
  const result: Enterprise = { ...before, ...input, contacts: before.contacts };
  for (const key of ['permitNo', 'permitExpiresOn', 'park'] as const)
    if (!carried.columns.has(key)) result[key] = before[key];
  // No types column, or none in the row of a firm registered before firms had types: as it was.
  if (!carried.columns.has('types') || (input.types?.length === 0 && before.types === undefined))
    result.types = before.types;
  if (input.contacts.length === 0) return result;
  const listed = input.contacts.map((contact, i) => {
    const old =
      before.contacts.find((o) => o.mobile === contact.mobile) ?? before.contacts.find((o) => o.name === contact.name);
    const n = groups[i] ?? i + 1;
    const keep = (field: 'role' | 'email') =>
      carried.columns.has(contactColumn(n, field).key) ? contact[field] : old?.[field];
    return { ...contact, role: keep('role'), email: keep('email') };
  });
  const mobiles = new Set(listed.map((c) => c.mobile));
  const beyond = before.contacts.slice(carried.contacts).filter((c) => !mobiles.has(c.mobile));
  result.contacts = [...listed, ...beyond].slice(0, MAX_CONTACTS);
  return result;
};

/** A value in one spelling whatever its key order (DynamoDB keeps none) and without undefined members. */
const canonical = (value: unknown): unknown => {
  if (Array.isArray(value)) return value.map(canonical);
  if (value === null || typeof value !== 'object') return value;
  return Object.fromEntries(
    Object.entries(value)
      .filter(([, v]) => v !== undefined)
      .sort(([x], [y]) => (x < y ? -1 : 1))
      .map(([k, v]) => [k, canonical(v)]),
  );
};

const sameRecord = (a: Enterprise, b: Enterprise): boolean => {
  const strip = ({ version: _v, updatedAt: _u, createdAt: _c, ...rest }: Enterprise) => JSON.stringify(canonical(rest));
  return strip(a) === strip(b);
};

interface Write {
  row: number;
  stored: Stored;
  before: Enterprise | undefined;
  after: Enterprise;
}

/** The record a row makes of the firm as readers see it, at the import's time. */
const afterOf = (before: Enterprise | undefined, planned: Planned, carried: Carried, at: string): Enterprise =>
  before
    ? { ...merged(before, planned, carried), version: before.version + 1, updatedAt: at }
    : {
        ...planned.input,
        types: planned.input.types ?? [],
        status: 'active',
        version: 1,
        createdAt: at,
        updatedAt: at,
      };

const NOT_YOURS = 'This USCC cannot be imported by you; ask the bureau that keeps the roster';
const CHANGED_MEANWHILE = 'Changed by someone else during the import; import this row again';

/**
 * The rows' firms as stored, with any committed change of an earlier import applied first, so that
 * every firm is either untouched by imports, held by a live one, or left over by a dead one.
 */
const readFirms = async (usccs: readonly string[]): Promise<Map<string, Stored>> => {
  let stored = await readStored(usccs, { consistent: true });
  if (stored.some((s) => s.fate === 'committed')) {
    await settleCommitted(stored);
    stored = await readStored(usccs, { consistent: true });
  }
  return new Map(stored.map((s) => [s.uscc, s]));
};

/**
 * Each valid row against the firm as stored: refused (outside the caller's scope, or held by another
 * live import), unchanged, or a write. `ownToken` is the run this request continues, if any.
 */
const plan = (
  planned: readonly Planned[],
  firms: Map<string, Stored>,
  identity: Identity,
  carried: Carried,
  at: string,
  ownToken?: string,
): { reports: ImportRowReport[]; writes: Write[] } => {
  const reports: ImportRowReport[] = [];
  const writes: Write[] = [];
  for (const item of planned) {
    const { row, input } = item;
    const stored = firms.get(input.uscc) ?? { uscc: input.uscc, view: undefined, applied: undefined };
    const before = stored.view;
    // A firm (or another import's firm) outside the caller's scope: one plain message that says
    // neither where it is nor anything of its record (rule 8); the report echoes only the file.
    const elsewhere = before ?? (stored.fate === 'live' ? stored.staged?.record : undefined);
    if (elsewhere && !inScope(identity, elsewhere.county)) {
      reports.push({ row, uscc: input.uscc, result: 'failed', fields: { uscc: NOT_YOURS } });
      continue;
    }
    if (stored.fate === 'live' && stored.staged?.token !== ownToken) {
      reports.push({ row, uscc: input.uscc, result: 'failed', fields: { uscc: CHANGED_MEANWHILE } });
      continue;
    }
    if (item.retiredPark && before?.park !== input.park) {
      reports.push({ row, uscc: input.uscc, result: 'failed', fields: { park: 'This park is retired' } });
      continue;
    }
    const after = afterOf(before, item, carried, at);
    if (before && sameRecord(before, after)) reports.push({ row, uscc: input.uscc, result: 'unchanged' });
    else writes.push({ row, stored, before, after });
  }
  return { reports, writes };
};

/**
 * Imports the bureau's enterprise list. Every row is checked first (schema, the caller's scope,
 * duplicates inside the file, an existing firm outside the scope). `all-or-nothing` writes nothing
 * when any row is at fault (422 IMPORT_REJECTED with the report) and otherwise everything, whatever
 * happens meanwhile (see importAtomically); `valid-rows` writes the good ones, in transactions of
 * rows each with its audit event, and reports each row as it ended.
 */
export const importEnterprises = async (
  file: UploadedFile,
  mode: ImportMode,
  identity: Identity,
  now: Date,
): Promise<ImportReport> => {
  const sheet = readSheet(file);
  const [header = [], ...body] = sheet;
  const columns = header.map(headerKey);
  const carried: Carried = { columns: new Set(columns.flatMap((c) => (c ? [c] : []))), contacts: 0 };
  for (let n = 1; n <= MAX_CONTACTS; n++)
    if (CONTACT_FIELDS.some((field) => carried.columns.has(contactColumn(n, field).key))) carried.contacts = n;
  const missing = IMPORT_COLUMNS.filter((c) => c.required && !columns.includes(c.key)).map((c) => c.zh);
  if (missing.length > 0) throw new ValidationError({ file: `Missing columns: ${missing.join(', ')}` });
  const rows = body
    .map((cells, index) => ({ row: index + 2, cells: cells.map(clean) }))
    .filter(({ cells }) => cells.some((cell) => cell !== ''));
  if (rows.length === 0) throw new ValidationError({ file: 'The file has no rows under its header' });
  const sheetRows: SheetRows = { header, columns, cells: new Map(rows.map((r) => [r.row, r.cells])) };
  if (rows.length > MAX_IMPORT_ROWS)
    throw new ValidationError({ file: `At most ${MAX_IMPORT_ROWS} rows per import; this file has ${rows.length}` });

  const reports: ImportRowReport[] = [];
  const planned: Planned[] = [];
  const seen = new Map<string, number>();
  const records = rows.map(({ row, cells }) => {
    const record: Record<string, string> = {};
    columns.forEach((key, i) => {
      if (key) record[key] = cells[i] ?? '';
    });
    return { row, record };
  });
  // The park lists of the counties whose rows name a park: one BatchGet (at most a few counties).
  const parks = await readParksOf(records.flatMap(({ record }) => (record.park ? [countyOfCell(record.county)] : [])));
  for (const { row, record } of records) {
    const parsed = parseRow(record, carried, parks);
    if (!parsed.ok) {
      reports.push({ row, uscc: parsed.uscc, result: 'failed', fields: parsed.fields });
      continue;
    }
    const { input } = parsed;
    const earlier = seen.get(input.uscc);
    if (earlier !== undefined) {
      reports.push({ row, uscc: input.uscc, result: 'failed', fields: { uscc: `Same USCC as row ${earlier}` } });
      continue;
    }
    seen.set(input.uscc, row);
    if (!inScope(identity, input.county)) {
      reports.push({ row, uscc: input.uscc, result: 'failed', fields: { county: 'Outside your jurisdiction' } });
      continue;
    }
    planned.push({ row, input, groups: parsed.groups, retiredPark: parsed.retiredPark });
  }
  if (mode === 'all-or-nothing') return importAtomically(file, reports, planned, carried, sheetRows, identity, now);

  const firms = await readFirms(planned.map((p) => p.input.uscc));
  const at = now.toISOString();
  const checked = plan(planned, firms, identity, carried, at);
  reports.push(...checked.reports);
  const chunks: Write[][] = [];
  for (let i = 0; i < checked.writes.length; i += ROWS_PER_TRANSACTION)
    chunks.push(checked.writes.slice(i, i + ROWS_PER_TRANSACTION));
  const writeChunk = async (chunk: Write[]) => {
    const result = await transact(
      chunk.flatMap(({ stored, before, after }) => [
        { Put: { ...enterprisePut(after), ...overwriteCondition(stored) } },
        auditPut(
          identity,
          {
            entity: `enterprise:${after.uscc}`,
            jurisdiction: after.county,
            action: before ? 'enterprise.import.update' : 'enterprise.import.create',
            ...(before ? { before } : {}),
            after,
          },
          at,
        ),
      ]),
    );
    if (result.ok) {
      for (const w of chunk)
        reports.push({ row: w.row, uscc: w.after.uscc, result: w.before ? 'updated' : 'imported' });
      return;
    }
    // Someone changed a firm of this chunk while the import ran: write the others, report that one.
    const changed = new Set(result.failed.map((index) => Math.floor(index / 2)));
    for (const [i, w] of chunk.entries()) {
      if (changed.has(i))
        reports.push({ row: w.row, uscc: w.after.uscc, result: 'failed', fields: { uscc: CHANGED_MEANWHILE } });
    }
    const rest = chunk.filter((_, i) => !changed.has(i));
    if (rest.length > 0) await writeChunk(rest);
  };
  await eachLimit(chunks, PARALLEL_TRANSACTIONS, writeChunk);
  return summary(mode, true, reports, sheetRows);
};

/** The import's record as stored: its run and, once committed, its report (gzipped JSON). */
type RunRecord = ImportRun & { report?: Uint8Array; appliedAt?: string };

const storedReport = (run: RunRecord): ImportReport =>
  JSON.parse(gunzipSync(run.report ?? new Uint8Array()).toString());

const refuse = (mode: ImportMode, reports: ImportRowReport[], writes: readonly Write[], sheet: SheetRows): never => {
  for (const w of writes) reports.push({ row: w.row, uscc: w.after.uscc, result: 'skipped' });
  for (const r of reports) if (r.result === 'unchanged') r.result = 'skipped';
  throw new UnprocessableError('IMPORT_REJECTED', 'Some rows are at fault; nothing was imported', {
    report: summary(mode, false, reports, sheet),
  });
};

/**
 * All or nothing for up to 5,000 rows, more than one transaction holds (100 items), under concurrent
 * edits and a crash at any point:
 *
 * 1. The import's record `IMPORT#<id>` (id: a hash of caller, mode and file, so a retry of the same
 *    request finds it) is created in state `staging` with a run token and a lease (or, when a run of
 *    the same request is staging still, joined: its token is reused and every step below repeats
 *    harmlessly).
 * 2. Each row's change is staged on its firm's item (`staged`, or a placeholder item for a new firm),
 *    conditional on the version read and on no other import holding it. Readers ignore it, so nothing
 *    shows yet. A firm changed meanwhile fails its condition: the run is aborted, its staged changes
 *    cleared, and the answer is 422 naming those rows. Edits of a staged firm wait (409) until the
 *    run commits or its lease ends.
 * 3. One UpdateItem flips the record to `committed` (while the lease holds) with the report: from
 *    that moment readers see every row's change at once (enterprises.ts honours committed changes).
 * 4. The changes are applied (record and its audit event, whose fixed id writes it once), then the
 *    record says `applied`. A crash before the flip leaves nothing visible; after it, the retry of
 *    the same request (or an edit of a firm) applies what is left, and the report is the stored one.
 */
const importAtomically = async (
  file: UploadedFile,
  reports: ImportRowReport[],
  planned: readonly Planned[],
  carried: Carried,
  sheet: SheetRows,
  identity: Identity,
  now: Date,
): Promise<ImportReport> => {
  const mode: ImportMode = 'all-or-nothing';
  if (reports.some((r) => r.result === 'failed')) {
    const firms = await readFirms(planned.map((p) => p.input.uscc));
    const checked = plan(planned, firms, identity, carried, now.toISOString());
    return refuse(mode, [...reports, ...checked.reports], checked.writes, sheet);
  }
  const importId = createHash('sha256').update(`${identity.username}\n${mode}\n`).update(file.bytes).digest('hex');
  const runKey = keys.enterpriseImport(importId);
  const usccs = planned.map((p) => p.input.uscc);
  /** Applies a committed run: `staged`, the firms as this request staged them, or else as read now. */
  const finish = async (run: RunRecord, staged?: Stored[]): Promise<ImportReport> => {
    const firms = staged ?? (await readStored(usccs, { consistent: true }));
    await settleCommitted(firms.filter((s) => s.staged?.token === run.token));
    await db().send(
      new UpdateCommand({
        TableName: tableName(),
        Key: runKey,
        UpdateExpression: 'SET #state = :applied, appliedAt = :now',
        ConditionExpression: '#token = :token',
        ExpressionAttributeNames: { '#state': 'state', '#token': 'token' },
        ExpressionAttributeValues: { ':applied': 'applied', ':now': new Date().toISOString(), ':token': run.token },
      }),
    );
    return storedReport(run);
  };

  const found = await getRecord<RunRecord>(runKey, { consistent: true });
  // Committed by an earlier attempt of this request: finish it, answer its report.
  if (found?.state === 'committed') return finish(found);
  // An attempt of this request staging still (or crashed while staging) is joined while its lease
  // holds; once the lease has ended (and the margin that writers give it) a new run takes over.
  const lease = found?.state === 'staging' ? Date.parse(found.leaseUntil) : Number.NEGATIVE_INFINITY;
  const live = now.getTime() <= lease;
  if (!live && now.getTime() <= lease + LEASE_MARGIN_MS)
    throw new ConflictError('IMPORT_IN_PROGRESS', 'This file is being imported already; try again in a minute');
  const run: ImportRun =
    live && found
      ? found
      : {
          importId,
          token: randomUUID(),
          state: 'staging',
          leaseUntil: new Date(now.getTime() + IMPORT_LEASE_MS).toISOString(),
          at: now.toISOString(),
          // Earlier runs that committed: the new firms they wrote stay marked with their tokens.
          committed: [...(found?.committed ?? []), ...(found?.state === 'applied' ? [found.token] : [])],
        };
  const firms = await readFirms(usccs);
  const checked = plan(planned, firms, identity, carried, run.at, run.token);
  reports.push(...checked.reports);
  if (reports.some((r) => r.result === 'failed')) return refuse(mode, reports, checked.writes, sheet);
  if (checked.writes.length === 0) {
    // Nothing to write: an import already applied answers its own report (a retry after a lost answer).
    if (found?.state === 'applied' && found.report) return storedReport(found);
    return summary(mode, true, reports, sheet);
  }
  if (!live) {
    try {
      await db().send(
        new PutCommand({
          TableName: tableName(),
          Item: { ...runKey, type: 'enterpriseImport', ...run, actor: identity.username },
          ConditionExpression: 'attribute_not_exists(pk) OR #token = :seen',
          ExpressionAttributeNames: { '#token': 'token' },
          ExpressionAttributeValues: { ':seen': found?.token ?? '' },
        }),
      );
    } catch (error) {
      if (error instanceof ConditionalCheckFailedException)
        throw new ConflictError('IMPORT_IN_PROGRESS', 'This file is being imported already; try again in a minute');
      throw error;
    }
  }

  // 2. Stage every change, conditional on the firm as read.
  const conflicts = new Set<number>();
  const chunks: Write[][] = [];
  for (let i = 0; i < checked.writes.length; i += STAGE_ROWS_PER_TRANSACTION)
    chunks.push(checked.writes.slice(i, i + STAGE_ROWS_PER_TRANSACTION));
  await eachLimit(chunks, PARALLEL_TRANSACTIONS, async (chunk) => {
    const result = await transact(chunk.map((w) => stageItem(w, run, identity)));
    if (!result.ok) for (const index of result.failed) conflicts.add((chunk[index] as Write).row);
  });
  if (conflicts.size > 0) {
    if (!(await abort(run, runKey, checked.writes))) {
      // Not staging any more: another attempt of this same request committed it meanwhile (the
      // "conflicts" are its own rows, applied already). Its outcome is this request's.
      const settled = await getRecord<RunRecord>(runKey, { consistent: true });
      if (settled?.token === run.token && settled.state === 'committed') return finish(settled);
      if (settled?.token === run.token && settled.state === 'applied') return storedReport(settled);
    }
    for (const w of checked.writes)
      if (conflicts.has(w.row))
        reports.push({ row: w.row, uscc: w.after.uscc, result: 'failed', fields: { uscc: CHANGED_MEANWHILE } });
    return refuse(
      mode,
      reports,
      checked.writes.filter((w) => !conflicts.has(w.row)),
      sheet,
    );
  }

  // 3. Commit: one write makes every row visible.
  for (const w of checked.writes)
    reports.push({ row: w.row, uscc: w.after.uscc, result: w.before ? 'updated' : 'imported' });
  const report = summary(mode, true, reports, sheet);
  try {
    await db().send(
      new UpdateCommand({
        TableName: tableName(),
        Key: runKey,
        UpdateExpression: 'SET #state = :committed, report = :report',
        ConditionExpression: '#token = :token AND #state = :staging AND leaseUntil > :now',
        ExpressionAttributeNames: { '#state': 'state', '#token': 'token' },
        ExpressionAttributeValues: {
          ':committed': 'committed',
          ':staging': 'staging',
          ':token': run.token,
          ':now': new Date().toISOString(),
          ':report': gzipSync(JSON.stringify(report)),
        },
      }),
    );
  } catch (error) {
    if (!(error instanceof ConditionalCheckFailedException)) throw error;
    // A joined attempt of this request may have committed it; otherwise the lease ran out.
    const now2 = await getRecord<RunRecord>(runKey, { consistent: true });
    if (now2?.token !== run.token || now2.state === 'staging' || now2.state === 'aborted')
      throw new ConflictError(
        'IMPORT_INTERRUPTED',
        'The import was interrupted; nothing was imported, send the file again',
      );
    return finish(now2);
  }
  // 4. Apply.
  return finish(
    { ...run, state: 'committed', report: gzipSync(JSON.stringify(report)) },
    checked.writes.map((w) => ({
      ...w.stored,
      view: w.after,
      staged: stagedChange(w, run, identity),
      fate: 'committed' as const,
      change: w.after,
    })),
  );
};

/** One row's change staged on its firm's item: conditional on the item being as read (or staged by this run). */
const stagedChange = (w: Write, run: ImportRun, identity: Identity): StagedChange => ({
  importId: run.importId,
  token: run.token,
  ...(w.before ? { record: w.after } : {}),
  action: w.before ? 'enterprise.import.update' : 'enterprise.import.create',
  actor: identity.username,
  role: identity.role,
});

const stageItem = (w: Write, run: ImportRun, identity: Identity) => {
  const staged = stagedChange(w, run, identity);
  const { stored } = w;
  const seenToken = stored.staged?.token;
  const names: Record<string, string> = { '#staged': 'staged', '#token': 'token' };
  const values: Record<string, unknown> = { ':staged': staged, ':mine': run.token };
  // Staged by this run already (a joined attempt), as read, or over a dead run's leftover.
  let condition = '#staged.#token = :mine';
  if (stored.applied) {
    values[':version'] = stored.applied.version;
    condition += seenToken
      ? ' OR (version = :version AND #staged.#token = :seen)'
      : ' OR (version = :version AND attribute_not_exists(#staged))';
  } else condition += seenToken ? ' OR #staged.#token = :seen' : ' OR attribute_not_exists(pk)';
  if (seenToken) values[':seen'] = seenToken;
  if (stored.applied)
    return {
      Update: {
        TableName: tableName(),
        Key: keys.enterprise(w.after.uscc),
        UpdateExpression: 'SET #staged = :staged',
        ConditionExpression: condition,
        ExpressionAttributeNames: names,
        ExpressionAttributeValues: values,
      },
    };
  // A new firm is written whole, marked with the change: readers treat it as absent until the import
  // commits, and as the firm after that (the marker stays until the firm's next write).
  const { ':staged': _, ...conditionValues } = values;
  return {
    Put: {
      ...enterprisePut(w.after),
      Item: { ...enterprisePut(w.after).Item, staged },
      ConditionExpression: condition,
      ExpressionAttributeNames: names,
      ExpressionAttributeValues: conditionValues,
    },
  };
};

/**
 * Marks a run aborted (readers and writers then ignore its staged changes) and clears them, best
 * effort. False when the run is not staging any more (committed by another attempt, or taken over).
 */
const abort = async (
  run: ImportRun,
  runKey: ReturnType<typeof keys.enterpriseImport>,
  writes: readonly Write[],
): Promise<boolean> => {
  try {
    await db().send(
      new UpdateCommand({
        TableName: tableName(),
        Key: runKey,
        UpdateExpression: 'SET #state = :aborted',
        ConditionExpression: '#token = :token AND #state = :staging',
        ExpressionAttributeNames: { '#state': 'state', '#token': 'token' },
        ExpressionAttributeValues: { ':aborted': 'aborted', ':staging': 'staging', ':token': run.token },
      }),
    );
  } catch (error) {
    if (!(error instanceof ConditionalCheckFailedException)) throw error;
    return false;
  }
  // Leftovers of an aborted run are inert (its record says so); clearing them is tidiness only.
  await eachLimit(writes, PARALLEL_TRANSACTIONS, async (w) => {
    const onlyMine = {
      ConditionExpression: '#staged.#token = :token',
      ExpressionAttributeNames: { '#staged': 'staged', '#token': 'token' },
      ExpressionAttributeValues: { ':token': run.token },
    };
    const key = keys.enterprise(w.after.uscc);
    try {
      await db().send(
        w.stored.applied
          ? new UpdateCommand({ TableName: tableName(), Key: key, UpdateExpression: 'REMOVE #staged', ...onlyMine })
          : new DeleteCommand({ TableName: tableName(), Key: key, ...onlyMine }),
      );
    } catch (error) {
      if (!(error instanceof ConditionalCheckFailedException)) throw error;
    }
  });
  return true;
};

/** The file's rows as read: its header and each row's cells by row number, for the report. */
interface SheetRows {
  header: string[];
  columns: (string | undefined)[];
  cells: Map<number, string[]>;
}

/**
 * The report: the counts, each row with the name the file gives it and, when it failed, the values
 * at fault, and the failed rows as the file had them plus an error column (to fix and upload again).
 */
const summary = (mode: ImportMode, committed: boolean, rows: ImportRowReport[], sheet: SheetRows): ImportReport => {
  const count = (result: ImportRowReport['result']) => rows.filter((r) => r.result === result).length;
  const cellOf = (row: number, key: string) => {
    const index = sheet.columns.indexOf(key);
    return index < 0 ? '' : (sheet.cells.get(row)?.[index] ?? '');
  };
  const heading = (key: string) => {
    const index = sheet.columns.indexOf(key);
    return index < 0 ? key : (sheet.header[index] ?? key).trim();
  };
  const failed = rows.filter((r) => r.result === 'failed');
  for (const r of rows) {
    r.name = cellOf(r.row, 'name') || null;
    if (r.fields) r.values = Object.fromEntries(Object.keys(r.fields).map((key) => [key, cellOf(r.row, key)]));
  }
  return {
    mode,
    committed,
    total: rows.length,
    imported: count('imported'),
    updated: count('updated'),
    unchanged: count('unchanged'),
    failed: failed.length,
    rows: rows.sort((a, b) => a.row - b.row),
    ...(failed.length > 0
      ? {
          rejected: {
            header: [...sheet.header.map((h) => h.trim()), ERROR_COLUMN],
            rows: failed.map((r) => [
              ...sheet.header.map((_, i) => sheet.cells.get(r.row)?.[i] ?? ''),
              Object.entries(r.fields ?? {})
                .map(([key, text]) => `${heading(key)}: ${text}`)
                .join('; '),
            ]),
          },
        }
      : {}),
  };
};
