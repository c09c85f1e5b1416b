import { type Reply, reply } from '../http/handler.ts';
import { toCsv } from './csv.ts';
import { toXlsx, XLSX_TYPE } from './xlsx.ts';

export const SHEET_FORMATS = ['csv', 'xlsx'] as const;
export type SheetFormat = (typeof SHEET_FORMATS)[number];

/** A table as a CSV or XLSX download named `<baseName>.<format>` (exports and templates). */
export const sheetFile = (
  format: SheetFormat,
  baseName: string,
  sheetName: string,
  header: readonly string[],
  rows: readonly (readonly unknown[])[],
): Reply => {
  // The name is ASCII (RFC 6266's plain `filename`): callers pass dates and codes, not firm names.
  const disposition = `attachment; filename="${baseName.replace(/[^\w.-]/g, '_')}.${format}"`;
  return format === 'csv'
    ? reply(200, toCsv(header, rows), { 'content-type': 'text/csv; charset=utf-8', 'content-disposition': disposition })
    : reply(200, toXlsx(sheetName, header, rows), { 'content-type': XLSX_TYPE, 'content-disposition': disposition });
};
