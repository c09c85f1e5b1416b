import { DEFAULT_SHEET_LIMITS, SheetLimitError, type SheetLimits } from './sheet-limits.ts';

/** CSV as spreadsheet programs read it: UTF-8 with BOM (so Excel shows Chinese), CRLF, quoted fields. */
const cell = (value: unknown): string => {
  const text = value === null || value === undefined ? '' : String(value);
  // A leading = + - @ would be run as a formula by a spreadsheet: prefix it.
  const safe = /^[=+\-@\t\r]/.test(text) ? `'${text}` : text;
  return /[",\r\n]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
};

export const toCsv = (header: readonly string[], rows: readonly (readonly unknown[])[]): string =>
  `\uFEFF${[header, ...rows].map((row) => row.map(cell).join(',')).join('\r\n')}\r\n`;

export class CsvError extends Error {}

/** Bytes → text: a BOM names UTF-16 (Excel's "Unicode text") or UTF-8; else UTF-8, else GB18030. */
const decode = (bytes: Buffer): string => {
  if (bytes[0] === 0xff && bytes[1] === 0xfe) return new TextDecoder('utf-16le').decode(bytes.subarray(2));
  if (bytes[0] === 0xfe && bytes[1] === 0xff) return new TextDecoder('utf-16be').decode(bytes.subarray(2));
  try {
    return new TextDecoder('utf-8', { fatal: true, ignoreBOM: true }).decode(bytes);
  } catch {
    return new TextDecoder('gb18030').decode(bytes);
  }
};

/** Tab when the first line has more tabs than commas outside quotes (Excel's "Unicode text" is tab-separated). */
const separatorOf = (text: string): string => {
  let tabs = 0;
  let commas = 0;
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i];
    if (ch === '"') quoted = !quoted;
    else if (quoted) continue;
    else if (ch === '\t') tabs++;
    else if (ch === ',') commas++;
    else if (ch === '\n' || ch === '\r') break;
  }
  return tabs > commas ? '\t' : ',';
};

/**
 * CSV text as bureaus save it: UTF-8 (with or without BOM), GB18030/GBK as Excel on a Chinese
 * Windows writes it, or UTF-16 with its BOM and tabs (Excel's "Unicode text"); quoted fields with
 * doubled quotes, CRLF or LF. Answers rows of cells. One pass; rows and columns past `limits` that
 * hold data are a SheetLimitError, empty ones there are dropped; a quote left open is a CsvError
 * naming the row where it opened (it would otherwise swallow the rest of the file).
 */
export const parseCsv = (bytes: Buffer, limits: SheetLimits = DEFAULT_SHEET_LIMITS): string[][] => {
  let text = decode(bytes);
  if (text.startsWith('\uFEFF')) text = text.slice(1);
  const separator = separatorOf(text);
  const rows: string[][] = [];
  let rowNumber = 1;
  let row: string[] = [];
  let cells = 0;
  let cellText = '';
  let quoted = false;
  let quoteRow = 0;
  const endCell = () => {
    if (cellText !== '') {
      if (rowNumber > limits.rows)
        throw new SheetLimitError(`data in row ${rowNumber}, beyond the ${limits.rows} rows read`, rowNumber);
      if (cells >= limits.columns)
        throw new SheetLimitError(
          `data in row ${rowNumber} column ${cells + 1}, beyond the ${limits.columns} columns read`,
          rowNumber,
        );
    }
    if (cells < limits.columns) row.push(cellText);
    cells++;
    cellText = '';
  };
  const endRow = () => {
    endCell();
    // Past the limits a row is empty (or endCell threw): reuse it rather than allocate one per line.
    if (rowNumber <= limits.rows) {
      rows.push(row);
      row = [];
    } else row.length = 0;
    rowNumber++;
    cells = 0;
  };
  const sep = separator.charCodeAt(0);
  let i = 0;
  while (i < text.length) {
    if (quoted) {
      // Inside quotes everything up to the next quote is the cell's; "" is one quote.
      const close = text.indexOf('"', i);
      if (close < 0) throw new CsvError(`a quote opened in row ${quoteRow} is never closed`);
      cellText += text.slice(i, close);
      if (text.charCodeAt(close + 1) === 0x22) {
        cellText += '"';
        i = close + 2;
      } else {
        quoted = false;
        i = close + 1;
      }
      continue;
    }
    const code = text.charCodeAt(i);
    if (code === 0x22 && cellText === '') {
      quoted = true;
      quoteRow = rowNumber;
      i++;
    } else if (code === sep) {
      endCell();
      i++;
    } else if (code === 0x0a || code === 0x0d) {
      i += code === 0x0d && text.charCodeAt(i + 1) === 0x0a ? 2 : 1;
      endRow();
    } else {
      // A run of ordinary characters at once.
      let end = i + 1;
      for (; end < text.length; end++) {
        const c = text.charCodeAt(end);
        if (c === sep || c === 0x0a || c === 0x0d) break;
      }
      cellText += text.slice(i, end);
      i = end;
    }
  }
  if (quoted) throw new CsvError(`a quote opened in row ${quoteRow} is never closed`);
  if (cellText !== '' || row.length > 0) endRow();
  return rows;
};
