import { DEFAULT_SHEET_LIMITS, SheetLimitError, type SheetLimits } from './sheet-limits.ts';
import { readZip, zip } from './zip.ts';

/**
 * A minimal XLSX (Office Open XML spreadsheet) writer and reader: one sheet of text and numbers,
 * a bold header row; the reader takes the first sheet of what Excel, WPS or LibreOffice save.
 * Small enough for a Lambda bundle, unlike a full spreadsheet library.
 */
const xml = (value: string): string =>
  value
    .replace(/[&<>"]/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' })[c] as string)
    // Characters XML 1.0 cannot carry.
    // biome-ignore lint/suspicious/noControlCharactersInRegex: matching control characters is the point here
    .replace(/[\u0000-\u0008\u000B\u000C\u000E-\u001F]/g, '');

const column = (index: number): string => {
  let name = '';
  for (let n = index + 1; n > 0; n = Math.floor((n - 1) / 26)) name = String.fromCharCode(65 + ((n - 1) % 26)) + name;
  return name;
};

const cell = (value: unknown, ref: string, style: number): string => {
  if (value === null || value === undefined || value === '') return '';
  const s = style ? ` s="${style}"` : '';
  if (typeof value === 'number' && Number.isFinite(value)) return `<c r="${ref}"${s}><v>${value}</v></c>`;
  return `<c r="${ref}" t="inlineStr"${s}><is><t xml:space="preserve">${xml(String(value))}</t></is></c>`;
};

const sheetXml = (header: readonly string[], rows: readonly (readonly unknown[])[]): string => {
  const all = [header, ...rows];
  const body = all
    .map(
      (row, r) =>
        `<row r="${r + 1}">${row.map((v, c) => cell(v, `${column(c)}${r + 1}`, r === 0 ? 1 : 0)).join('')}</row>`,
    )
    .join('');
  return `<?xml version="1.0" encoding="UTF-8" standalone="yes"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetViews><sheetView workbookViewId="0"><pane ySplit="1" topLeftCell="A2" activePane="bottomLeft" state="frozen"/></sheetView></sheetViews><sheetData>${body}</sheetData></worksheet>`;
};

const files = (sheetName: string, sheet: string): [string, string][] => [
  [
    '[Content_Types].xml',
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/><Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/><Override PartName="/xl/styles.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"/></Types>',
  ],
  [
    '_rels/.rels',
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>',
  ],
  [
    'xl/workbook.xml',
    `<?xml version="1.0" encoding="UTF-8" standalone="yes"?><workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets><sheet name="${xml(sheetName.slice(0, 31))}" sheetId="1" r:id="rId1"/></sheets></workbook>`,
  ],
  [
    'xl/_rels/workbook.xml.rels',
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/><Relationship Id="rId2" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles" Target="styles.xml"/></Relationships>',
  ],
  [
    'xl/styles.xml',
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?><styleSheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><fonts count="2"><font><sz val="11"/><name val="Calibri"/></font><font><b/><sz val="11"/><name val="Calibri"/></font></fonts><fills count="2"><fill><patternFill patternType="none"/></fill><fill><patternFill patternType="gray125"/></fill></fills><borders count="1"><border/></borders><cellStyleXfs count="1"><xf/></cellStyleXfs><cellXfs count="2"><xf fontId="0"/><xf fontId="1" applyFont="1"/></cellXfs></styleSheet>',
  ],
  ['xl/worksheets/sheet1.xml', sheet],
];

export const XLSX_TYPE = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

export const toXlsx = (sheetName: string, header: readonly string[], rows: readonly (readonly unknown[])[]): Buffer =>
  zip(files(sheetName, sheetXml(header, rows)));

// ---- reading ----

/**
 * What one XLSX read may inflate: per part and in all. A 5,000-row roster export (13 columns of inline
 * strings) with every field at the schema's longest is 12 MB of sheet XML, a usual one 5 MB; Excel's
 * shared strings make it smaller still. Reading 16 MB takes well under a second.
 */
export const MAX_PART_BYTES = 16 * 1024 * 1024;
export const MAX_PARTS_BYTES = 24 * 1024 * 1024;
/** Elements open at once: a worksheet nests six deep; more is an attack on the stack. */
const MAX_DEPTH = 64;
/** Attributes on one tag: a cell has three or four. */
const MAX_ATTRIBUTES = 64;
/** Cell formats a workbook may define: Excel's own limit is 64,000. */
const MAX_STYLES = 65_536;
/** Excel's own bounds: 1,048,576 rows, 16,384 columns (XFD). */
const EXCEL_ROWS = 1_048_576;
const EXCEL_COLUMNS = 16_384;

export class SheetError extends Error {}

const ENTITIES: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" };

/** XML text → string: the five named entities and numeric character references (bounded, so linear). */
const unescapeXml = (text: string): string =>
  text.indexOf('&') < 0
    ? text
    : text.replace(/&(#[xX][0-9a-fA-F]{1,8}|#[0-9]{1,10}|[A-Za-z]{1,10});/g, (whole, ref: string) => {
        if (!ref.startsWith('#')) return ENTITIES[ref] ?? whole;
        const code = ref[1] === 'x' || ref[1] === 'X' ? Number.parseInt(ref.slice(2), 16) : Number(ref.slice(1));
        const surrogate = code >= 0xd800 && code <= 0xdfff;
        if (code === 0 || code > 0x10ffff || surrogate) throw new SheetError(`invalid character reference ${whole}`);
        return String.fromCodePoint(code);
      });

type Token =
  | { readonly kind: 'open'; readonly name: string; readonly attrs: Map<string, string>; readonly empty: boolean }
  | { readonly kind: 'close'; readonly name: string }
  | { readonly kind: 'text'; readonly text: string };

/** `x:row` → `row`: some generators prefix the spreadsheet namespace. */
const localName = (name: string): string => name.slice(name.indexOf(':') + 1);

const isSpace = (code: number): boolean => code === 0x20 || code === 0x0a || code === 0x0d || code === 0x09;
/** Space, `/` or `>`: what ends a tag or attribute name. */
const endsName = (code: number): boolean => isSpace(code) || code === 0x2f || code === 0x3e;

/**
 * A single pass over an XML document: tags (local names, attributes decoded), text (decoded; CDATA
 * as is). Every search either moves past what it found or ends the document with a SheetError, so
 * the work is linear in the input whatever it holds; tags must nest and close. No DTDs (XLSX has
 * none, and entity definitions are how XML expands a small file into a huge one).
 */
export function* xmlTokens(xml: string): Generator<Token> {
  const open: string[] = [];
  let at = 0;
  const fail = (what: string): never => {
    throw new SheetError(`malformed XML: ${what}`);
  };
  while (at < xml.length) {
    const lt = xml.indexOf('<', at);
    if (lt < 0) {
      if (xml.slice(at).trim() !== '' && open.length > 0) yield { kind: 'text', text: unescapeXml(xml.slice(at)) };
      break;
    }
    if (lt > at) yield { kind: 'text', text: unescapeXml(xml.slice(at, lt)) };
    if (xml.startsWith('<?', lt)) {
      const close = xml.indexOf('?>', lt + 2);
      if (close < 0) fail('unterminated processing instruction');
      at = close + 2;
    } else if (xml.startsWith('<!--', lt)) {
      const close = xml.indexOf('-->', lt + 4);
      if (close < 0) fail('unterminated comment');
      at = close + 3;
    } else if (xml.startsWith('<![CDATA[', lt)) {
      const close = xml.indexOf(']]>', lt + 9);
      if (close < 0) fail('unterminated CDATA');
      yield { kind: 'text', text: xml.slice(lt + 9, close) };
      at = close + 3;
    } else if (xml.startsWith('<!', lt)) {
      throw new SheetError('a DTD or declaration in the XML (not allowed)');
    } else if (xml[lt + 1] === '/') {
      const close = xml.indexOf('>', lt + 2);
      if (close < 0) fail('unterminated end tag');
      const name = xml.slice(lt + 2, close).trim();
      if (open.pop() !== name) fail(`</${name}> closes nothing open`);
      yield { kind: 'close', name: localName(name) };
      at = close + 1;
    } else {
      let i = lt + 1;
      while (i < xml.length && !endsName(xml.charCodeAt(i))) i++;
      const name = xml.slice(lt + 1, i);
      if (name === '') fail('a tag without a name');
      const attrs = new Map<string, string>();
      let empty = false;
      for (;;) {
        while (i < xml.length && isSpace(xml.charCodeAt(i))) i++;
        if (i >= xml.length) fail(`unterminated <${name}>`);
        if (xml[i] === '>') break;
        if (xml[i] === '/') {
          if (xml[i + 1] !== '>') fail(`stray / in <${name}>`);
          empty = true;
          i++;
          break;
        }
        const nameStart = i;
        while (i < xml.length && !endsName(xml.charCodeAt(i)) && xml.charCodeAt(i) !== 0x3d) i++;
        const attr = xml.slice(nameStart, i);
        while (i < xml.length && isSpace(xml.charCodeAt(i))) i++;
        if (attr === '' || xml[i] !== '=') fail(`an attribute without a value in <${name}>`);
        i++;
        while (i < xml.length && isSpace(xml.charCodeAt(i))) i++;
        const quote = xml[i];
        if (quote !== '"' && quote !== "'") fail(`an unquoted attribute in <${name}>`);
        const close = xml.indexOf(quote as string, i + 1);
        if (close < 0) fail(`unterminated attribute in <${name}>`);
        if (attrs.size >= MAX_ATTRIBUTES) fail(`more than ${MAX_ATTRIBUTES} attributes on <${name}>`);
        attrs.set(attr, unescapeXml(xml.slice(i + 1, close)));
        i = close + 1;
      }
      if (!empty) {
        if (open.length >= MAX_DEPTH) fail(`elements nested more than ${MAX_DEPTH} deep`);
        open.push(name);
      }
      yield { kind: 'open', name: localName(name), attrs, empty };
      at = i + 1;
    }
  }
  if (open.length > 0) fail(`<${open.at(-1)}> is never closed`);
}

/** The value of an attribute whatever its prefix (`r:id`, `rel:id`), for the relationship id. */
const prefixedAttr = (attrs: Map<string, string>, name: string): string | undefined => {
  for (const [key, value] of attrs) if (key.includes(':') && localName(key) === name) return value;
  return undefined;
};

/**
 * The text of a shared or inline string (`<si>`, `<is>`): its `<t>` and the `<t>` of its rich-text
 * runs, without the phonetic readings (`<rPh>`) Excel keeps beside Chinese and Japanese text.
 * Feed it the tokens inside the element; `text` is what it read.
 */
class RichText {
  private parts: string[] = [];
  private inT = false;
  private phonetic = 0;

  take(token: Token): void {
    if (token.kind === 'open' && token.name === 'rPh' && !token.empty) this.phonetic++;
    else if (token.kind === 'close' && token.name === 'rPh') this.phonetic--;
    else if (this.phonetic > 0) return;
    else if (token.kind === 'open' && token.name === 't') this.inT = !token.empty;
    else if (token.kind === 'close' && token.name === 't') this.inT = false;
    else if (token.kind === 'text' && this.inT) this.parts.push(token.text);
  }

  get text(): string {
    return this.parts.join('');
  }
}

const sharedStrings = (xml: string, max: number): string[] => {
  const strings: string[] = [];
  let current: RichText | undefined;
  for (const token of xmlTokens(xml)) {
    if (token.kind === 'open' && token.name === 'si') {
      if (strings.length >= max) throw new SheetError(`more than ${max} shared strings`);
      // An empty <si/> is a string too: skipping it would shift every later index.
      if (token.empty) strings.push('');
      else current = new RichText();
    } else if (token.kind === 'close' && token.name === 'si' && current) {
      strings.push(current.text);
      current = undefined;
    } else current?.take(token);
  }
  return strings;
};

/** Excel's built-in number formats that show a date (zh-CN's 27–31, 36, 50–58 among them), not times. */
const DATE_FORMATS = new Set([14, 15, 16, 17, 22, 27, 28, 29, 30, 31, 36, 50, 51, 54, 57, 58]);

/** Whether a custom format code shows a date: y or d outside quoted text, escapes and [colour/locale]. */
const isDateCode = (code: string): boolean => {
  const bare = code.replace(/"[^"]*"|\\.|\[[^\]]*\]/g, '');
  return /[yd]/i.test(bare) || (/m/i.test(bare) && !/[hs]/i.test(bare));
};

/** Per cell style index (`s`): whether it shows a date. */
const dateStyles = (xml: string): boolean[] => {
  const custom = new Map<number, string>();
  const styles: boolean[] = [];
  let inCellXfs = false;
  for (const token of xmlTokens(xml)) {
    if (token.kind === 'open' && token.name === 'numFmt') {
      custom.set(Number(token.attrs.get('numFmtId')), token.attrs.get('formatCode') ?? '');
    } else if (token.kind === 'open' && token.name === 'cellXfs') inCellXfs = !token.empty;
    else if (token.kind === 'close' && token.name === 'cellXfs') inCellXfs = false;
    else if (token.kind === 'open' && token.name === 'xf' && inCellXfs) {
      if (styles.length >= MAX_STYLES) throw new SheetError(`more than ${MAX_STYLES} cell styles`);
      const id = Number(token.attrs.get('numFmtId') ?? 0);
      const code = custom.get(id);
      styles.push(code === undefined ? DATE_FORMATS.has(id) : isDateCode(code));
    }
  }
  return styles;
};

/** A date cell's serial → `2027-03-01`, in the workbook's date system; out-of-range serials stay numbers. */
const serialDate = (value: string, date1904: boolean): string => {
  const serial = Number(value);
  if (!Number.isFinite(serial) || serial < 1 || serial >= 2_958_466) return value;
  const epoch = date1904 ? Date.UTC(1904, 0, 1) : Date.UTC(1899, 11, 30);
  return new Date(epoch + Math.floor(serial) * 86_400_000).toISOString().slice(0, 10);
};

/** `B7` → [column index 1, row 7]; anything else, or beyond Excel's sheet, is a SheetError. */
const cellRef = (ref: string): [number, number] => {
  const m = /^([A-Z]{1,3})([1-9][0-9]{0,6})$/.exec(ref);
  let column = 0;
  for (const ch of m?.[1] ?? '') column = column * 26 + (ch.charCodeAt(0) - 64);
  const row = Number(m?.[2]);
  if (!m || column > EXCEL_COLUMNS || row > EXCEL_ROWS) throw new SheetError(`bad cell reference ${ref}`);
  return [column - 1, row];
};

const rowNumber = (value: string): number => {
  const row = /^[1-9][0-9]{0,6}$/.test(value) ? Number(value) : 0;
  if (row < 1 || row > EXCEL_ROWS) throw new SheetError(`bad row number ${value}`);
  return row;
};

interface Cell {
  column: number;
  type: string;
  dateStyle: boolean;
  value: string[];
  inValue: boolean;
  inline: RichText | undefined;
  inInline: boolean;
}

/**
 * The rows of a worksheet, in one pass. Rows and cells come in order (as the format requires); a
 * `<row>` or `<c>` without its `r` is the next one. Rows or columns past `limits` that hold data are a
 * SheetLimitError; empty ones there are skipped, so the answer has at most limits.rows × limits.columns cells.
 */
const worksheetRows = (
  xml: string,
  shared: readonly string[],
  dates: readonly boolean[],
  date1904: boolean,
  limits: SheetLimits,
): string[][] => {
  const rows: string[][] = [];
  let lastRow = 0;
  let row: { number: number; explicit: boolean; cells: string[]; lastColumn: number } | undefined;
  let cell: Cell | undefined;
  const textOf = (c: Cell): string => {
    const raw = c.value.join('');
    if (c.type === 's') {
      const index = raw.trim();
      if (index === '') return '';
      const text = /^[0-9]{1,9}$/.test(index) ? shared[Number(index)] : undefined;
      if (text === undefined) throw new SheetError(`shared string ${index} does not exist`);
      return text;
    }
    if (c.type === 'inlineStr') return c.inline?.text ?? '';
    if (c.type === 'b') return raw === '' ? '' : raw === '1' ? 'TRUE' : 'FALSE';
    if (c.type === 'd') return /^\d{4}-\d{2}-\d{2}/.test(raw) ? raw.slice(0, 10) : raw;
    if ((c.type === 'n' || c.type === '') && c.dateStyle && raw !== '') return serialDate(raw, date1904);
    return raw;
  };
  let inSheetData = false;
  for (const token of xmlTokens(xml)) {
    // Rows and cells live in <sheetData>; the rest of a worksheet (columns, merges, extensions) is not read.
    if (token.kind !== 'text' && token.name === 'sheetData') {
      inSheetData = token.kind === 'open' && !token.empty;
      continue;
    }
    if (!inSheetData) continue;
    if (cell) {
      if (token.kind === 'close' && token.name === 'c') {
        const text = textOf(cell);
        const current = row as NonNullable<typeof row>;
        if (text !== '') {
          if (current.number > limits.rows)
            throw new SheetLimitError(
              `data in row ${current.number}, beyond the ${limits.rows} rows read`,
              current.number,
            );
          if (cell.column >= limits.columns)
            throw new SheetLimitError(
              `data in row ${current.number} column ${cell.column + 1}, beyond the ${limits.columns} columns read`,
              current.number,
            );
          while (current.cells.length < cell.column) current.cells.push('');
          current.cells[cell.column] = text;
        }
        cell = undefined;
      } else if (token.kind === 'open' && (token.name === 'c' || token.name === 'row')) {
        throw new SheetError(`a <${token.name}> inside a cell`);
      } else if (cell.inInline) {
        if (token.kind === 'close' && token.name === 'is') cell.inInline = false;
        else cell.inline?.take(token);
      } else if (token.kind === 'open' && token.name === 'is') {
        cell.inline = new RichText();
        cell.inInline = !token.empty;
        cell.type = 'inlineStr';
      } else if (token.kind === 'open' && token.name === 'v') cell.inValue = !token.empty;
      else if (token.kind === 'close' && token.name === 'v') cell.inValue = false;
      else if (token.kind === 'text' && cell.inValue) cell.value.push(token.text);
      continue;
    }
    if (token.kind === 'open' && token.name === 'row') {
      if (row) throw new SheetError('a <row> inside a <row>');
      const r = token.attrs.get('r');
      const number = r === undefined ? lastRow + 1 : rowNumber(r);
      if (number <= lastRow) throw new SheetError(`row ${number} comes after row ${lastRow}`);
      row = { number, explicit: r !== undefined, cells: [], lastColumn: -1 };
      if (!token.empty) continue;
    }
    if (token.kind === 'open' && token.name === 'c') {
      if (!row) throw new SheetError('a cell outside a row');
      const r = token.attrs.get('r');
      let column = row.lastColumn + 1;
      if (r !== undefined) {
        const [refColumn, refRow] = cellRef(r);
        // A row without `r` takes its number from its first cell, as a writer that skips empty rows means it.
        if (!row.explicit && row.lastColumn < 0 && refRow > lastRow) row.number = refRow;
        if (refRow !== row.number) throw new SheetError(`cell ${r} in row ${row.number}`);
        column = refColumn;
      }
      if (column <= row.lastColumn) throw new SheetError(`cell ${r} out of order in row ${row.number}`);
      if (column >= EXCEL_COLUMNS) throw new SheetError(`a cell beyond column XFD in row ${row.number}`);
      row.lastColumn = column;
      const style = Number(token.attrs.get('s') ?? 0);
      const next: Cell = {
        column,
        type: token.attrs.get('t') ?? '',
        dateStyle: dates[style] === true,
        value: [],
        inValue: false,
        inline: undefined,
        inInline: false,
      };
      cell = token.empty ? undefined : next;
      continue;
    }
    if ((token.kind === 'close' || (token.kind === 'open' && token.empty)) && token.name === 'row' && row) {
      lastRow = row.number;
      if (row.number <= limits.rows) {
        while (rows.length < row.number - 1) rows.push([]);
        rows.push(row.cells);
      }
      row = undefined;
    }
  }
  return rows;
};

interface Relationship {
  readonly id: string;
  readonly type: string;
  readonly path: string;
}

/** `xl/workbook.xml` + `worksheets/sheet1.xml` → `xl/worksheets/sheet1.xml`; `/xl/…` is from the root. */
const resolvePart = (from: string, target: string): string => {
  let decoded = target;
  try {
    decoded = decodeURIComponent(target);
  } catch {}
  const path = decoded.startsWith('/') ? decoded : `${from.slice(0, from.lastIndexOf('/') + 1)}${decoded}`;
  const out: string[] = [];
  for (const segment of path.split('/')) {
    if (segment === '..') out.pop();
    else if (segment !== '.' && segment !== '') out.push(segment);
  }
  return out.join('/');
};

/** The relationships of a part (`xl/workbook.xml` → `xl/_rels/workbook.xml.rels`), targets resolved. */
const relationships = (part: string, xml: string | undefined): Relationship[] => {
  const rels: Relationship[] = [];
  for (const token of xmlTokens(xml ?? '')) {
    if (token.kind !== 'open' || token.name !== 'Relationship') continue;
    const target = token.attrs.get('Target');
    if (!target || token.attrs.get('TargetMode') === 'External') continue;
    rels.push({
      id: token.attrs.get('Id') ?? '',
      type: token.attrs.get('Type') ?? '',
      path: resolvePart(part, target),
    });
  }
  return rels;
};

const relsOf = (part: string): string => {
  const slash = part.lastIndexOf('/') + 1;
  return `${part.slice(0, slash)}_rels/${part.slice(slash)}.rels`;
};

/**
 * The first visible worksheet of an XLSX file as rows of cell text (numbers as stored, booleans as
 * TRUE/FALSE, date-formatted numbers as `2027-03-01` in the workbook's date system), with gaps where
 * cells are empty. Row `i` of the answer is sheet row `i + 1`. Formulas give their cached value.
 * Bounded: parts inflate to MAX_PART_BYTES each and MAX_PARTS_BYTES in all, the XML is read in one
 * linear pass, and data beyond `limits` is a SheetLimitError.
 */
export const readXlsx = (file: Buffer, limits: SheetLimits = DEFAULT_SHEET_LIMITS): string[][] => {
  const entries = readZip(file);
  const lowerCase = new Map([...entries].map(([name, entry]) => [name.toLowerCase(), entry]));
  let budget = MAX_PARTS_BYTES;
  // Part names are case-insensitive in the package format.
  const read = (name: string): string | undefined => {
    const entry = entries.get(name) ?? lowerCase.get(name.toLowerCase());
    if (!entry) return undefined;
    const data = entry(Math.min(MAX_PART_BYTES, budget));
    budget -= data.length;
    return data.toString('utf8');
  };
  const root = relationships('', read('_rels/.rels'));
  const workbookPath = root.find((r) => r.type.endsWith('/officeDocument'))?.path ?? 'xl/workbook.xml';
  const workbook = read(workbookPath);
  if (!workbook && entries.has('content.xml'))
    throw new SheetError('an OpenDocument spreadsheet (.ods); save it as XLSX or CSV');
  if (!workbook) throw new SheetError('not a spreadsheet: no workbook');
  let date1904 = false;
  let sheetId: string | undefined;
  let sheets = 0;
  for (const token of xmlTokens(workbook)) {
    if (token.kind !== 'open') continue;
    if (token.name === 'workbookPr') date1904 = ['1', 'true'].includes(token.attrs.get('date1904') ?? '');
    if (token.name === 'sheet') {
      sheets++;
      const state = token.attrs.get('state');
      if (sheetId === undefined && state !== 'hidden' && state !== 'veryHidden')
        sheetId = prefixedAttr(token.attrs, 'id') ?? '';
    }
  }
  if (sheets > 0 && sheetId === undefined) throw new SheetError('no visible sheet');
  const rels = relationships(workbookPath, read(relsOf(workbookPath)));
  const part = (type: string, fallback: string) => rels.find((r) => r.type.endsWith(type))?.path ?? fallback;
  const sheetPath = rels.find((r) => r.id === sheetId)?.path ?? 'xl/worksheets/sheet1.xml';
  const sheet = read(sheetPath);
  if (sheet === undefined) throw new SheetError('not a spreadsheet: no worksheet');
  const strings = read(part('/sharedStrings', 'xl/sharedStrings.xml'));
  const styles = read(part('/styles', 'xl/styles.xml'));
  return worksheetRows(
    sheet,
    strings === undefined ? [] : sharedStrings(strings, limits.rows * limits.columns),
    styles === undefined ? [] : dateStyles(styles),
    date1904,
    limits,
  );
};
