import { describe, expect, it } from 'vitest';
import { CsvError, parseCsv, toCsv } from '../../functions/lib/formats/csv.ts';
import { SheetLimitError } from '../../functions/lib/formats/sheet-limits.ts';

// The CSV reader against what spreadsheet programs save and what an attacker sends.

const errorOf = (run: () => unknown): unknown => {
  try {
    run();
  } catch (error) {
    return error;
  }
  return undefined;
};

/** UTF-16 with its BOM, as Excel's "Unicode text" saves it. */
const utf16 = (text: string, bigEndian = false): Buffer => {
  const le = Buffer.from(text, 'utf16le');
  if (bigEndian) le.swap16();
  return Buffer.concat([Buffer.from(bigEndian ? [0xfe, 0xff] : [0xff, 0xfe]), le]);
};

describe('reading CSV', () => {
  it('reads back what toCsv writes: BOM, quotes, commas and line breaks inside cells', () => {
    const csv = toCsv(
      ['a', 'b'],
      [
        ['甲,乙', 'say "hi"\r\nbye'],
        ['', '3'],
      ],
    );
    expect(parseCsv(Buffer.from(csv))).toEqual([
      ['a', 'b'],
      ['甲,乙', 'say "hi"\r\nbye'],
      ['', '3'],
    ]);
  });

  it('an unterminated quote is refused, naming the row where it opened, instead of swallowing the rest', () => {
    // Prepare: the quote opens in row 3 and never closes; rows 4 and 5 would vanish into its cell.
    const csv = 'a,b\r\n1,2\r\n3,"open\r\n4,5\r\n6,7\r\n';
    // Act
    const error = errorOf(() => parseCsv(Buffer.from(csv)));
    // Assess
    expect(error).toBeInstanceOf(CsvError);
    expect((error as Error).message).toContain('row 3');
  });

  it("reads Excel's Unicode text: UTF-16LE with its BOM, tab-separated", () => {
    const file = utf16('统一社会信用代码\t企业名称\r\n91320506MA1X0000\t苏州甲, 有限公司\r\n');
    expect(parseCsv(file)).toEqual([
      ['统一社会信用代码', '企业名称'],
      ['91320506MA1X0000', '苏州甲, 有限公司'],
    ]);
  });

  it('reads UTF-16BE with its BOM', () => {
    expect(parseCsv(utf16('甲,乙\n丙,丁\n', true))).toEqual([
      ['甲', '乙'],
      ['丙', '丁'],
    ]);
  });

  it('reads a UTF-8 file separated by tabs', () => {
    expect(parseCsv(Buffer.from('a\tb\n1,5\t2\n'))).toEqual([
      ['a', 'b'],
      ['1,5', '2'],
    ]);
  });

  it('data beyond the rows read is refused, naming its row; empty lines there are not stored', () => {
    const limits = { rows: 3, columns: 8 };
    expect(parseCsv(Buffer.from(`a\n1\n2\n${'\n'.repeat(1_000_000)}`), limits)).toEqual([['a'], ['1'], ['2']]);
    const error = errorOf(() => parseCsv(Buffer.from('a\n1\n2\n3\n'), limits));
    expect(error).toBeInstanceOf(SheetLimitError);
    expect((error as SheetLimitError).row).toBe(4);
  });

  it('data beyond the columns read is refused; trailing empty cells there are dropped', () => {
    const limits = { rows: 10, columns: 3 };
    expect(parseCsv(Buffer.from(`a,b,c${','.repeat(1_000_000)}\n`), limits)).toEqual([['a', 'b', 'c']]);
    expect(errorOf(() => parseCsv(Buffer.from('a,b,c,d\n'), limits))).toBeInstanceOf(SheetLimitError);
  });

  it('4 MB of line breaks stores no more rows than the limits', () => {
    const rows = parseCsv(Buffer.from('\n'.repeat(4 * 1024 * 1024)));
    expect(rows.length).toBe(10_001);
  });
});
