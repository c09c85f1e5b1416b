/**
 * How much of a spreadsheet the readers (csv.ts, xlsx.ts) keep. Rows and columns past these bounds
 * that hold data make the file too large (SheetLimitError); empty ones past them are skipped without
 * being stored, so a file naming row 120,000,000 or column XFD costs nothing.
 */
export interface SheetLimits {
  /** Rows read, the header included. */
  readonly rows: number;
  /** Columns read. */
  readonly columns: number;
}

/** A bureau's list has a dozen columns; a few dozen leaves room for notes they keep beside it. */
export const DEFAULT_SHEET_LIMITS: SheetLimits = { rows: 10_001, columns: 64 };

/** The file has data beyond the limits: `row` is the sheet row (1-based) that holds it. */
export class SheetLimitError extends Error {
  readonly row: number;

  constructor(message: string, row: number) {
    super(message);
    this.row = row;
  }
}
