import { describe, expect, it } from 'vitest';
import { SheetLimitError } from '../../functions/lib/formats/sheet-limits.ts';
import { MAX_PART_BYTES, readXlsx, SheetError, toXlsx } from '../../functions/lib/formats/xlsx.ts';
import { MAX_ZIP_ENTRIES, ZipError, zip } from '../../functions/lib/formats/zip.ts';

// The XLSX reader against what spreadsheet programs write and what an attacker writes: workbooks are
// built with the product's own ZIP writer, their XML by hand.

const NS = 'http://schemas.openxmlformats.org/spreadsheetml/2006/main';
const REL = 'http://schemas.openxmlformats.org/officeDocument/2006/relationships';

interface Parts {
  sheet: string;
  shared?: string;
  styles?: string;
  /** The `<sheets>` element's content; by default one sheet, rId1. */
  sheets?: string;
  workbookPr?: string;
  /** The workbook's relationships' content; by default rId1 → worksheets/sheet1.xml (+ strings, styles). */
  rels?: string;
  extra?: [string, string][];
}

const workbook = (p: Parts): Buffer =>
  zip([
    [
      '_rels/.rels',
      `<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="${REL}/officeDocument" Target="xl/workbook.xml"/></Relationships>`,
    ],
    [
      'xl/workbook.xml',
      `<workbook xmlns="${NS}" xmlns:r="${REL}">${p.workbookPr ?? ''}<sheets>${p.sheets ?? '<sheet name="S" sheetId="1" r:id="rId1"/>'}</sheets></workbook>`,
    ],
    [
      'xl/_rels/workbook.xml.rels',
      `<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">${
        p.rels ??
        `<Relationship Id="rId1" Type="${REL}/worksheet" Target="worksheets/sheet1.xml"/><Relationship Id="rId2" Type="${REL}/sharedStrings" Target="sharedStrings.xml"/><Relationship Id="rId3" Type="${REL}/styles" Target="styles.xml"/>`
      }</Relationships>`,
    ],
    ['xl/worksheets/sheet1.xml', p.sheet],
    ...(p.shared === undefined ? [] : [['xl/sharedStrings.xml', p.shared] as [string, string]]),
    ...(p.styles === undefined ? [] : [['xl/styles.xml', p.styles] as [string, string]]),
    ...(p.extra ?? []),
  ]);

const sheetOf = (rows: string): string => `<worksheet xmlns="${NS}"><sheetData>${rows}</sheetData></worksheet>`;
const sst = (items: string): string => `<sst xmlns="${NS}">${items}</sst>`;
const elapsed = (run: () => void): number => {
  const start = performance.now();
  try {
    run();
  } catch {}
  return performance.now() - start;
};
const errorOf = (run: () => unknown): unknown => {
  try {
    run();
  } catch (error) {
    return error;
  }
  return undefined;
};

describe('reading XLSX: hostile files are refused quickly with a typed error', () => {
  it('40,000 unclosed <row> tags (1–2 KB compressed) are refused within a second', () => {
    // Prepare
    const file = workbook({ sheet: sheetOf('<row r="1">'.repeat(40_000)) });
    expect(file.length).toBeLessThan(4096);
    // Act
    const start = performance.now();
    const error = errorOf(() => readXlsx(file));
    const ms = performance.now() - start;
    // Assess
    expect(error).toBeInstanceOf(SheetError);
    expect(ms).toBeLessThan(1000);
  });

  it('parsing time grows linearly: a sheet twice as long takes well under four times as long', () => {
    // Prepare: well-formed sheets of N and 2N rows, read with limits that take them all.
    const sheet = (n: number) =>
      workbook({
        sheet: sheetOf(
          Array.from(
            { length: n },
            (_, i) =>
              `<row r="${i + 1}"><c r="A${i + 1}"><v>${i}</v></c><c r="B${i + 1}" t="inlineStr"><is><t>x</t></is></c></row>`,
          ).join(''),
        ),
      });
    const limits = { rows: 1_000_000, columns: 64 };
    const [small, large] = [sheet(10_000), sheet(20_000)];
    // Act: the best of three runs each, against scheduling noise on a shared machine.
    const best = (file: Buffer) => Math.min(...Array.from({ length: 3 }, () => elapsed(() => readXlsx(file, limits))));
    best(small);
    const [t1, t2] = [best(small), best(large)];
    // Assess
    expect(readXlsx(large, limits)).toHaveLength(20_000);
    expect(t2 / t1).toBeLessThan(3.5);
  }, 30_000);

  it("a row numbered 120,000,000 (past Excel's last row) is refused without allocating its sparse array", () => {
    const file = workbook({ sheet: sheetOf('<row r="120000000"><c r="A120000000"><v>1</v></c></row>') });
    expect(errorOf(() => readXlsx(file))).toBeInstanceOf(SheetError);
  });

  it('data in row 1,000,000 is refused as beyond the rows read, naming the row', () => {
    const file = workbook({ sheet: sheetOf('<row r="1000000"><c r="A1000000"><v>1</v></c></row>') });
    const error = errorOf(() => readXlsx(file, { rows: 5001, columns: 64 }));
    expect(error).toBeInstanceOf(SheetLimitError);
    expect((error as SheetLimitError).row).toBe(1_000_000);
  });

  it('empty rows and columns far beyond the limits are skipped, not stored', () => {
    const file = workbook({
      sheet: sheetOf('<row r="1"><c r="A1"><v>1</v></c><c r="XFD1" s="0"/></row><row r="900000" customHeight="1"/>'),
    });
    expect(readXlsx(file)).toEqual([['1']]);
  });

  it('data beyond the columns read is refused, naming its row', () => {
    const file = workbook({ sheet: sheetOf('<row r="3"><c r="BZ3"><v>1</v></c></row>') });
    const error = errorOf(() => readXlsx(file));
    expect(error).toBeInstanceOf(SheetLimitError);
    expect((error as Error).message).toContain('row 3');
  });

  it.each([
    ['row 0', '<row r="0"><c><v>1</v></c></row>'],
    ['a row past Excel', '<row r="1048577"><c><v>1</v></c></row>'],
    ['a cell ref past Excel', '<row r="1"><c r="XFD1048577"><v>1</v></c></row>'],
    ['a column past XFD', '<row r="1"><c r="XFE1"><v>1</v></c></row>'],
    ['a lowercase ref', '<row r="1"><c r="a1"><v>1</v></c></row>'],
    ['a cell of another row', '<row r="1"><c r="A2"><v>1</v></c></row>'],
    ['rows out of order', '<row r="2"/><row r="1"/>'],
    ['cells out of order', '<row r="1"><c r="B1"/><c r="A1"/></row>'],
    ['a missing shared string', '<row r="1"><c r="A1" t="s"><v>7</v></c></row>'],
    ['a row inside a row', '<row r="1"><row r="2"></row></row>'],
    ['a DTD', '<!DOCTYPE x [<!ENTITY a "aaaa">]><row/>'],
    ['an invalid character reference', '<row r="1"><c r="A1" t="inlineStr"><is><t>&#x110000;</t></is></c></row>'],
    ['a lone surrogate', '<row r="1"><c r="A1" t="inlineStr"><is><t>&#xD800;</t></is></c></row>'],
    ['an unterminated attribute', `<row r="1${'x'.repeat(100_000)}`],
    ['an unterminated comment', `<!--${'<row>'.repeat(100_000)}`],
    ['tags nested 100,000 deep', '<a>'.repeat(100_000)],
  ])('refuses %s with a SheetError', (_, rows) => {
    const file = workbook({ sheet: sheetOf(rows) });
    let error: unknown;
    const ms = elapsed(() => {
      error = errorOf(() => readXlsx(file));
    });
    expect(error).toBeInstanceOf(SheetError);
    expect(ms).toBeLessThan(1000);
  });

  it('more shared strings or cell styles than a sheet within the limits can use are refused', () => {
    const strings = workbook({ shared: sst('<si/>'.repeat(5001 * 64 + 1)), sheet: sheetOf('') });
    expect(errorOf(() => readXlsx(strings, { rows: 5001, columns: 64 }))).toBeInstanceOf(SheetError);
    const styles = workbook({
      styles: `<styleSheet><cellXfs>${'<xf/>'.repeat(70_000)}</cellXfs></styleSheet>`,
      sheet: sheetOf(''),
    });
    expect(errorOf(() => readXlsx(styles))).toBeInstanceOf(SheetError);
  });

  it('a part that inflates past its cap is refused before it is parsed', () => {
    const file = workbook({ sheet: sheetOf(' '.repeat(MAX_PART_BYTES + 1)) });
    expect(errorOf(() => readXlsx(file))).toBeInstanceOf(ZipError);
  });
});

/** A valid archive's central directory and end record, for tampering. */
const layout = (file: Buffer) => {
  const end = file.lastIndexOf(Buffer.from([0x50, 0x4b, 0x05, 0x06]));
  return { end, directory: file.readUInt32LE(end + 16) };
};

describe('reading ZIP archives: a hostile archive is a ZipError, never a crash or a bomb', () => {
  const good = () => workbook({ sheet: sheetOf('<row r="1"><c r="A1"><v>1</v></c></row>') });

  it('more entries than a workbook ever has', () => {
    const file = zip(Array.from({ length: MAX_ZIP_ENTRIES + 1 }, (_, i) => [`f${i}`, ''] as [string, string]));
    expect(errorOf(() => readXlsx(file))).toBeInstanceOf(ZipError);
  });

  it('a central directory past the end of the file', () => {
    const file = good();
    file.writeUInt32LE(file.length + 10, layout(file).end + 16);
    expect(errorOf(() => readXlsx(file))).toBeInstanceOf(ZipError);
  });

  it('a local header offset past the end of the file', () => {
    const file = good();
    file.writeUInt32LE(0xfffffff0, layout(file).directory + 42);
    expect(errorOf(() => readXlsx(file))).toBeInstanceOf(ZipError);
  });

  it('a packed size running past the archive', () => {
    const file = good();
    file.writeUInt32LE(0x7fffffff, layout(file).directory + 20);
    expect(errorOf(() => readXlsx(file))).toBeInstanceOf(ZipError);
  });

  it('two entries sharing the same bytes (an overlapping zip bomb)', () => {
    const file = zip([
      ['a', 'x'],
      ['b', 'x'],
    ]);
    const { directory } = layout(file);
    // The second central record (after the first one's 46 bytes and one-byte name) points at the first entry.
    file.writeUInt32LE(0, directory + 47 + 42);
    expect(errorOf(() => readXlsx(file))).toBeInstanceOf(ZipError);
  });

  it('an entry that inflates to more than it declares', () => {
    const file = good();
    // The first entry (_rels/.rels) claims to hold 10 bytes.
    file.writeUInt32LE(10, layout(file).directory + 24);
    expect(errorOf(() => readXlsx(file))).toBeInstanceOf(ZipError);
  });

  it('deflate data that is corrupt', () => {
    const file = good();
    const nameLength = file.readUInt16LE(26);
    file.fill(0xff, 30 + nameLength, 30 + nameLength + 8);
    expect(errorOf(() => readXlsx(file))).toBeInstanceOf(ZipError);
  });
});

describe('reading XLSX as spreadsheet programs write it', () => {
  it('reads back what toXlsx writes', () => {
    const file = toXlsx(
      '名录',
      ['a', 'b', 'c'],
      [
        ['甲 & <乙>', 42, ''],
        ['', null, 'x'],
      ],
    );
    expect(readXlsx(file)).toEqual([
      ['a', 'b', 'c'],
      ['甲 & <乙>', '42'],
      ['', '', 'x'],
    ]);
  });

  it("a 5,000-row roster export at the schema's longest values stays within the part caps", () => {
    // Name 100, address 200, industry 100 characters of Chinese; permit and contact at their maximum.
    const rows = Array.from({ length: 5000 }, (_, i) => [
      `91320506MA1${String(i).padStart(7, '0')}`,
      '苏'.repeat(100),
      '320506',
      '路'.repeat(200),
      '染'.repeat(100),
      '小型',
      '县级',
      'P'.repeat(50),
      '2027-01-01',
      '王'.repeat(50),
      '13800000000',
      `${'a'.repeat(50)}@example.com`,
      '正常',
    ]);
    const file = toXlsx(
      '名录',
      Array.from({ length: 13 }, (_, c) => `列${c}`),
      rows,
    );
    const read = readXlsx(file, { rows: 5001, columns: 64 });
    expect(read).toHaveLength(5001);
    expect(read[5000]?.[0]).toBe('91320506MA10004999');
  }, 30_000);

  it('an empty <si/> keeps the later shared strings at their index', () => {
    const file = workbook({
      shared: sst('<si><t>a</t></si><si/><si><t>c</t></si>'),
      sheet: sheetOf(
        '<row r="1"><c r="A1" t="s"><v>0</v></c><c r="B1" t="s"><v>1</v></c><c r="C1" t="s"><v>2</v></c></row>',
      ),
    });
    expect(readXlsx(file)).toEqual([['a', '', 'c']]);
  });

  it('phonetic readings (<rPh>) are not part of the text; rich-text runs are', () => {
    const file = workbook({
      shared: sst(
        '<si><r><rPr><b/></rPr><t>苏州</t></r><r><t xml:space="preserve"> 甲</t></r><rPh sb="0" eb="2"><t>スーチョウ</t></rPh><phoneticPr fontId="1"/></si>',
      ),
      sheet: sheetOf(
        '<row r="1"><c r="A1" t="s"><v>0</v></c><c r="B1" t="inlineStr"><is><t>乙</t><rPh><t>イ</t></rPh></is></c></row>',
      ),
    });
    expect(readXlsx(file)).toEqual([['苏州 甲', '乙']]);
  });

  it('prefixed XML (<x:worksheet>, <x:row>, <x:c>) reads like the default namespace', () => {
    const file = workbook({
      shared: `<x:sst xmlns:x="${NS}"><x:si><x:t>甲</x:t></x:si></x:sst>`,
      sheet: `<x:worksheet xmlns:x="${NS}"><x:sheetData><x:row r="1"><x:c r="A1" t="s"><x:v>0</x:v></x:c><x:c r="B1"><x:v>7</x:v></x:c></x:row></x:sheetData></x:worksheet>`,
    });
    expect(readXlsx(file)).toEqual([['甲', '7']]);
  });

  it('a <row> or <c> without r is the next row or column', () => {
    const file = workbook({
      sheet: sheetOf(
        '<row><c><v>1</v></c><c><v>2</v></c></row><row r="4"><c r="B4"><v>3</v></c><c><v>4</v></c></row><row><c r="A5"><v>5</v></c></row><row><c r="B7"><v>6</v></c></row>',
      ),
    });
    expect(readXlsx(file)).toEqual([['1', '2'], [], [], ['', '3', '4'], ['5'], [], ['', '6']]);
  });

  it('a hidden first sheet is passed over for the first visible one', () => {
    const file = workbook({
      sheets:
        '<sheet name="h" sheetId="1" state="hidden" r:id="rId1"/><sheet name="v" sheetId="2" state="veryHidden" r:id="rId1"/><sheet name="s" sheetId="3" r:id="rId9"/>',
      rels: `<Relationship Id="rId1" Type="${REL}/worksheet" Target="worksheets/sheet1.xml"/><Relationship Id="rId9" Type="${REL}/worksheet" Target="/xl/worksheets/sheet2.xml"/>`,
      sheet: sheetOf('<row r="1"><c r="A1" t="inlineStr"><is><t>hidden</t></is></c></row>'),
      extra: [
        ['xl/worksheets/sheet2.xml', sheetOf('<row r="1"><c r="A1" t="inlineStr"><is><t>visible</t></is></c></row>')],
      ],
    });
    expect(readXlsx(file)).toEqual([['visible']]);
  });

  it('the shared strings are found through the workbook relationships, relative or absolute', () => {
    const file = workbook({
      rels: `<Relationship Id="rId1" Type="${REL}/worksheet" Target="./worksheets/../worksheets/sheet1.xml"/><Relationship Id="rId2" Type="${REL}/sharedStrings" Target="/xl/strings/custom.xml"/>`,
      sheet: sheetOf('<row r="1"><c r="A1" t="s"><v>0</v></c></row>'),
      extra: [['xl/strings/custom.xml', sst('<si><t>甲</t></si>')]],
    });
    expect(readXlsx(file)).toEqual([['甲']]);
  });

  it('entities and numeric character references decode, in text and CDATA as is', () => {
    const file = workbook({
      sheet: sheetOf(
        '<row r="1"><c r="A1" t="inlineStr"><is><t>&lt;&amp;&gt;&quot;&apos;&#x4E2D;&#25991;&#x1F600;</t></is></c><c r="B1" t="inlineStr"><is><t><![CDATA[&amp;<b>]]></t></is></c></row>',
      ),
    });
    expect(readXlsx(file)).toEqual([['<&>"\'中文😀', '&amp;<b>']]);
  });

  describe('dates: date-formatted numbers read as ISO dates in the workbook date system', () => {
    const styles = `<styleSheet xmlns="${NS}"><numFmts count="2"><numFmt numFmtId="164" formatCode="yyyy&quot;年&quot;m&quot;月&quot;d&quot;日&quot;"/><numFmt numFmtId="165" formatCode="0.00&quot;d&quot;"/></numFmts><cellStyleXfs count="1"><xf numFmtId="14"/></cellStyleXfs><cellXfs count="5"><xf numFmtId="0"/><xf numFmtId="14" applyNumberFormat="1"/><xf numFmtId="164"/><xf numFmtId="165"/><xf numFmtId="20"/></cellXfs></styleSheet>`;
    const row =
      '<row r="1"><c r="A1" s="1"><v>46387</v></c><c r="B1" s="2"><v>46387.5</v></c><c r="C1" s="3"><v>46387</v></c><c r="D1" s="4"><v>0.5</v></c><c r="E1"><v>46387</v></c></row>';

    it('1900 system: built-in 14 and a custom 年月日 format are dates; quoted text, times and plain numbers are not', () => {
      const file = workbook({ styles, sheet: sheetOf(row) });
      expect(readXlsx(file)).toEqual([['2026-12-31', '2026-12-31', '46387', '0.5', '46387']]);
    });

    it('1904 system (<workbookPr date1904="1"/>): the same serial is four years and a day later', () => {
      const file = workbook({ styles, workbookPr: '<workbookPr date1904="1"/>', sheet: sheetOf(row) });
      expect(readXlsx(file)[0]?.slice(0, 2)).toEqual(['2031-01-01', '2031-01-01']);
    });
  });
});

describe('reading XLSX: what is not the sheet is not read', () => {
  it('rows and cells are read only inside <sheetData>', () => {
    const file = workbook({
      sheet: `<worksheet xmlns="${NS}"><sheetPr/><sheetData><row r="1"><c r="A1"><v> 1 </v></c></row></sheetData><extLst><ext><c/><row r="1"/></ext></extLst></worksheet>`,
    });
    expect(readXlsx(file)).toEqual([[' 1 ']]);
  });

  it('an OpenDocument spreadsheet is named as such', () => {
    const file = zip([
      ['mimetype', 'application/vnd.oasis.opendocument.spreadsheet'],
      ['content.xml', '<office:document-content/>'],
    ]);
    expect((errorOf(() => readXlsx(file)) as Error).message).toContain('.ods');
  });
});
