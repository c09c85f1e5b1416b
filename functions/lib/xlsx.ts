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

const ENTITIES: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" };

/** XML text → string: the five named entities and numeric character references. */
const unescapeXml = (text: string): string =>
  text.replace(/&(#x[0-9a-fA-F]+|#\d+|\w+);/g, (whole, ref: string) => {
    if (ref.startsWith('#x')) return String.fromCodePoint(Number.parseInt(ref.slice(2), 16));
    if (ref.startsWith('#')) return String.fromCodePoint(Number.parseInt(ref.slice(1), 10));
    return ENTITIES[ref] ?? whole;
  });

/** The text of every `<t>` inside a fragment (a shared string may be split into rich-text runs). */
const textOf = (fragment: string): string =>
  [...fragment.matchAll(/<t(?:\s[^>]*)?>([\s\S]*?)<\/t>|<t(?:\s[^>]*)?\/>/g)]
    .map((m) => unescapeXml(m[1] ?? ''))
    .join('');

const attr = (tag: string, name: string): string | undefined => new RegExp(`\\s${name}="([^"]*)"`).exec(tag)?.[1];

/** `B7` → column index 1. */
const columnIndex = (ref: string): number => {
  let index = 0;
  for (const ch of /^[A-Z]+/.exec(ref)?.[0] ?? 'A') index = index * 26 + (ch.charCodeAt(0) - 64);
  return index - 1;
};

export class SheetError extends Error {}

/**
 * The first worksheet of an XLSX file as rows of cell text (numbers as Excel shows them without
 * formatting, booleans as TRUE/FALSE), with gaps where cells are empty. Row `i` of the answer is
 * sheet row `i + 1`. Formulas give their cached value.
 */
export const readXlsx = (file: Buffer): string[][] => {
  const entries = readZip(file);
  const read = (name: string): string | undefined => entries.get(name)?.().toString('utf8');
  const workbook = read('xl/workbook.xml');
  if (!workbook) throw new SheetError('not a spreadsheet: no workbook');
  const firstSheet = /<sheet\s[^>]*>/.exec(workbook)?.[0] ?? '';
  const relId = attr(firstSheet, 'r:id');
  const rels = read('xl/_rels/workbook.xml.rels') ?? '';
  const rel = [...rels.matchAll(/<Relationship\s[^>]*>/g)].map((m) => m[0]).find((tag) => attr(tag, 'Id') === relId);
  const target = rel ? attr(rel, 'Target') : undefined;
  const sheetPath = target ? (target.startsWith('/') ? target.slice(1) : `xl/${target}`) : 'xl/worksheets/sheet1.xml';
  const sheet = read(sheetPath);
  if (!sheet) throw new SheetError('not a spreadsheet: no worksheet');
  const shared = [...(read('xl/sharedStrings.xml') ?? '').matchAll(/<si>([\s\S]*?)<\/si>/g)].map((m) =>
    textOf(m[1] ?? ''),
  );

  const rows: string[][] = [];
  for (const rowMatch of sheet.matchAll(/<row\s([^>]*?)(?:\/>|>([\s\S]*?)<\/row>)/g)) {
    const rowNumber = Number(attr(` ${rowMatch[1]}`, 'r') ?? rows.length + 1);
    const cells: string[] = [];
    let next = 0;
    for (const cellMatch of (rowMatch[2] ?? '').matchAll(/<c(\s[^>]*?)?(?:\/>|>([\s\S]*?)<\/c>)/g)) {
      const tag = cellMatch[1] ?? '';
      const ref = attr(tag, 'r');
      const index = ref ? columnIndex(ref) : next;
      next = index + 1;
      const inner = cellMatch[2] ?? '';
      const value = /<v>([\s\S]*?)<\/v>/.exec(inner)?.[1];
      const type = attr(tag, 't');
      let text = '';
      if (type === 's') text = shared[Number(value)] ?? '';
      else if (type === 'inlineStr') text = textOf(inner);
      else if (type === 'b') text = value === '1' ? 'TRUE' : 'FALSE';
      else if (value !== undefined) text = unescapeXml(value);
      cells[index] = text;
    }
    rows[rowNumber - 1] = Array.from(cells, (cell) => cell ?? '');
  }
  return Array.from(rows, (row) => row ?? []);
};
