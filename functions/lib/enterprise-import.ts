import * as z from 'zod/mini';
import { type EnterpriseInput, enterpriseInput } from '../../shared/enterprise.ts';
import {
  IMPORT_COLUMNS,
  type ImportColumn,
  type ImportMode,
  type ImportReport,
  type ImportRowReport,
  MAX_IMPORT_ROWS,
  SIZE_WORDS,
  TIER_WORDS,
} from '../../shared/enterprise-import.ts';
import { keys } from '../../shared/keys.ts';
import { auditPut } from './audit.ts';
import type { Identity } from './auth.ts';
import { batchGet, fromItem } from './aws.ts';
import { CsvError, parseCsv } from './csv.ts';
import { type Enterprise, enterprisePut } from './enterprises.ts';
import { UnprocessableError, ValidationError } from './errors.ts';
import type { UploadedFile } from './http.ts';
import { inScope } from './scope.ts';
import { SheetLimitError } from './sheet-limits.ts';
import { transact } from './transact.ts';
import { readXlsx, SheetError } from './xlsx.ts';
import { ZipError } from './zip.ts';

/** Rows per transaction: each row writes the enterprise and its audit event (100 items at most). */
const ROWS_PER_TRANSACTION = 50;
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

const headerKey = (cell: string): ImportColumn | undefined => {
  const name = cell.trim().replace(/\s+/g, ' ').toLowerCase();
  return IMPORT_COLUMNS.find((c) => c.zh === name || c.en.toLowerCase() === name || c.key.toLowerCase() === name)?.key;
};

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

/** Where an issue of the enterprise schema is shown: its column. */
const columnOf = (path: readonly PropertyKey[]): string => {
  const [head, , leaf] = path;
  if (head !== 'contacts') return String(head ?? 'row');
  if (leaf === 'mobile') return 'contactMobile';
  if (leaf === 'email') return 'contactEmail';
  return 'contactName';
};

type Parsed = { ok: true; input: EnterpriseInput } | { ok: false; uscc: string | null; fields: Record<string, string> };

/** One row's cells → the enterprise it describes, checked with the API's own schema. */
const parseRow = (cells: Partial<Record<ImportColumn, string>>): Parsed => {
  const value = (key: ImportColumn) => cells[key] || undefined;
  const hasContact = Boolean(value('contactName') || value('contactMobile') || value('contactEmail'));
  const size = value('size');
  const tier = value('tier');
  const permitExpiresOn = value('permitExpiresOn');
  const candidate = {
    uscc: value('uscc') ?? '',
    name: value('name') ?? '',
    county: value('county') ?? '',
    address: value('address') ?? '',
    industry: value('industry') ?? '',
    size: size ? (SIZE_WORDS[size] ?? size.toLowerCase()) : '',
    tier: tier ? (TIER_WORDS[tier] ?? tier.toLowerCase()) : '',
    permitNo: value('permitNo'),
    permitExpiresOn: permitExpiresOn ? isoDate(permitExpiresOn) : undefined,
    contacts: hasContact
      ? [{ name: value('contactName') ?? '', mobile: value('contactMobile') ?? '', email: value('contactEmail') }]
      : [],
  };
  const result = z.safeParse(enterpriseInput, candidate);
  if (result.success) return { ok: true, input: result.data };
  const fields: Record<string, string> = {};
  for (const issue of result.error.issues) fields[columnOf(issue.path)] ??= issue.message;
  return { ok: false, uscc: candidate.uscc || null, fields };
};

interface Planned {
  row: number;
  input: EnterpriseInput;
}

/** The fields an import sets; an existing firm keeps its status and, with no contact in the row, its contacts. */
const merged = (before: Enterprise, input: EnterpriseInput): Enterprise => ({
  ...before,
  ...input,
  contacts: input.contacts.length > 0 ? input.contacts : before.contacts,
});

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

/**
 * Imports the bureau's enterprise list. Every row is checked first (schema, the caller's scope,
 * duplicates inside the file, an existing firm outside the scope). `all-or-nothing` writes nothing
 * when any row is at fault (422 IMPORT_REJECTED with the report); `valid-rows` writes the good ones.
 * New firms are created only if still absent and existing ones updated only at the version read,
 * each with its audit event in the same transaction.
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
  const missing = IMPORT_COLUMNS.filter((c) => c.required && !columns.includes(c.key)).map((c) => c.zh);
  if (missing.length > 0) throw new ValidationError({ file: `Missing columns: ${missing.join(', ')}` });
  const rows = body
    .map((cells, index) => ({ row: index + 2, cells: cells.map(clean) }))
    .filter(({ cells }) => cells.some((cell) => cell !== ''));
  if (rows.length === 0) throw new ValidationError({ file: 'The file has no rows under its header' });
  if (rows.length > MAX_IMPORT_ROWS)
    throw new ValidationError({ file: `At most ${MAX_IMPORT_ROWS} rows per import; this file has ${rows.length}` });

  const reports: ImportRowReport[] = [];
  const planned: Planned[] = [];
  const seen = new Map<string, number>();
  for (const { row, cells } of rows) {
    const record: Partial<Record<ImportColumn, string>> = {};
    columns.forEach((key, i) => {
      if (key) record[key] = cells[i] ?? '';
    });
    const parsed = parseRow(record);
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
    planned.push({ row, input });
  }

  const existing = new Map<string, Enterprise>();
  for (const item of await batchGet(planned.map((p) => keys.enterprise(p.input.uscc)))) {
    const enterprise = fromItem<Enterprise>(item);
    existing.set(enterprise.uscc, enterprise);
  }
  const writes: { row: number; before: Enterprise | undefined; after: Enterprise }[] = [];
  const at = now.toISOString();
  for (const { row, input } of planned) {
    const before = existing.get(input.uscc);
    if (before && !inScope(identity, before.county)) {
      reports.push({
        row,
        uscc: input.uscc,
        result: 'failed',
        fields: { uscc: 'Registered outside your jurisdiction' },
      });
      continue;
    }
    const after: Enterprise = before
      ? { ...merged(before, input), version: before.version + 1, updatedAt: at }
      : { ...input, status: 'active', version: 1, createdAt: at, updatedAt: at };
    if (before && sameRecord(before, after)) reports.push({ row, uscc: input.uscc, result: 'unchanged' });
    else writes.push({ row, before, after });
  }

  const faulty = reports.some((r) => r.result === 'failed');
  if (faulty && mode === 'all-or-nothing') {
    for (const w of writes) reports.push({ row: w.row, uscc: w.after.uscc, result: 'skipped' });
    for (const r of reports) if (r.result === 'unchanged') r.result = 'skipped';
    throw new UnprocessableError('IMPORT_REJECTED', 'Some rows are at fault; nothing was imported', {
      report: summary(mode, false, reports),
    });
  }

  const chunks: (typeof writes)[] = [];
  for (let i = 0; i < writes.length; i += ROWS_PER_TRANSACTION) chunks.push(writes.slice(i, i + ROWS_PER_TRANSACTION));
  const writeChunk = async (chunk: typeof writes) => {
    const result = await transact(
      chunk.flatMap(({ before, after }) => [
        before
          ? {
              Put: {
                ...enterprisePut(after),
                ConditionExpression: 'version = :version',
                ExpressionAttributeValues: { ':version': before.version },
              },
            }
          : { Put: { ...enterprisePut(after), ConditionExpression: 'attribute_not_exists(pk)' } },
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
        reports.push({
          row: w.row,
          uscc: w.after.uscc,
          result: 'failed',
          fields: { uscc: 'Changed by someone else during the import; import this row again' },
        });
    }
    const rest = chunk.filter((_, i) => !changed.has(i));
    if (rest.length > 0) await writeChunk(rest);
  };
  for (let i = 0; i < chunks.length; i += PARALLEL_TRANSACTIONS) {
    await Promise.all(chunks.slice(i, i + PARALLEL_TRANSACTIONS).map(writeChunk));
  }
  return summary(mode, true, reports);
};

const summary = (mode: ImportMode, committed: boolean, rows: ImportRowReport[]): ImportReport => {
  const count = (result: ImportRowReport['result']) => rows.filter((r) => r.result === result).length;
  return {
    mode,
    committed,
    total: rows.length,
    imported: count('imported'),
    updated: count('updated'),
    unchanged: count('unchanged'),
    failed: count('failed'),
    rows: rows.sort((a, b) => a.row - b.row),
  };
};
