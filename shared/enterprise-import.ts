/**
 * The bureau's enterprise list, as imported and exported: one row per firm, a header row naming
 * the columns (Chinese as in the bureau's template; the English names and field keys are accepted
 * too). Shared by the API (import, template, roster export) and the console.
 */
export const IMPORT_COLUMNS = [
  { key: 'uscc', zh: '统一社会信用代码', en: 'USCC', required: true },
  { key: 'name', zh: '企业名称', en: 'Name', required: true },
  { key: 'county', zh: '所在区县代码', en: 'County code', required: true },
  { key: 'address', zh: '地址', en: 'Address', required: true },
  { key: 'industry', zh: '行业', en: 'Industry', required: true },
  { key: 'size', zh: '规模', en: 'Size', required: true },
  { key: 'tier', zh: '分级', en: 'Tier', required: true },
  { key: 'permitNo', zh: '排污许可证编号', en: 'Permit no.', required: false },
  { key: 'permitExpiresOn', zh: '许可证有效期至', en: 'Permit expires on', required: false },
  { key: 'contactName', zh: '联系人', en: 'Contact name', required: false },
  { key: 'contactMobile', zh: '联系电话', en: 'Contact mobile', required: false },
  { key: 'contactEmail', zh: '电子邮箱', en: 'Contact e-mail', required: false },
] as const;

export type ImportColumn = (typeof IMPORT_COLUMNS)[number]['key'];

/** How many rows one import takes (one request; the console shows its progress). */
export const MAX_IMPORT_ROWS = 5000;

/** The largest import file: Lambda's 6 MB request limit, less base64's third. */
export const MAX_IMPORT_BYTES = 4 * 1024 * 1024;

export const IMPORT_MODES = ['all-or-nothing', 'valid-rows'] as const;
export type ImportMode = (typeof IMPORT_MODES)[number];

/** Chinese words a bureau's list uses for the enumerations, mapped to the API's values. */
export const SIZE_WORDS: Record<string, string> = { 大型: 'large', 中型: 'medium', 小型: 'small', 微型: 'micro' };
export const TIER_WORDS: Record<string, string> = {
  县级: 'county',
  区县级: 'county',
  市级: 'city',
  设区市级: 'city',
  省级: 'province',
};

export const IMPORT_RESULTS = ['imported', 'updated', 'unchanged', 'failed', 'skipped'] as const;
export type ImportResult = (typeof IMPORT_RESULTS)[number];

export interface ImportRowReport {
  /** The row's number in the sheet (the header is row 1). */
  row: number;
  uscc: string | null;
  result: ImportResult;
  /** Column key → what is wrong, for failed rows. */
  fields?: Record<string, string>;
}

export interface ImportReport {
  mode: ImportMode;
  /** Whether anything was written: false when an all-or-nothing import was refused. */
  committed: boolean;
  total: number;
  imported: number;
  updated: number;
  unchanged: number;
  failed: number;
  rows: ImportRowReport[];
}
