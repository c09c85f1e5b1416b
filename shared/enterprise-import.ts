import { levelOf, names } from './jurisdictions.ts';

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
  // Issue 19: the firm's types in words separated by 、 or ; (shared/enterprise-words.ts), and its
  // park by name (one of its county's parks, shared/parks.ts).
  { key: 'types', zh: '企业类型', en: 'Firm types', required: false },
  { key: 'park', zh: '所属园区', en: 'Industrial park', required: false },
  { key: 'contactName', zh: '联系人', en: 'Contact name', required: false },
  { key: 'contactRole', zh: '联系人职务', en: 'Contact role', required: false },
  { key: 'contactMobile', zh: '联系电话', en: 'Contact mobile', required: false },
  { key: 'contactEmail', zh: '电子邮箱', en: 'Contact e-mail', required: false },
] as const;

export type ImportColumn = (typeof IMPORT_COLUMNS)[number]['key'];

/**
 * A firm has up to MAX_CONTACTS contacts. The first one's columns are the template's (联系人,
 * 联系人职务, 联系电话, 电子邮箱); the roster export adds numbered groups for the others (联系人2,
 * 联系人2职务, 联系人2电话, 联系人2邮箱, …), which the import reads back, so a firm's contacts make the
 * round trip whole.
 */
export const MAX_CONTACTS = 10;
export const CONTACT_FIELDS = ['name', 'role', 'mobile', 'email'] as const;
export type ContactField = (typeof CONTACT_FIELDS)[number];

const FIELD_WORDS: Record<ContactField, { key: string; zh: string; en: string }> = {
  name: { key: 'Name', zh: '', en: 'name' },
  role: { key: 'Role', zh: '职务', en: 'role' },
  mobile: { key: 'Mobile', zh: '电话', en: 'mobile' },
  email: { key: 'Email', zh: '邮箱', en: 'e-mail' },
};

/** The column of one field of the nth contact (1-based): its report key and its headings. */
export const contactColumn = (n: number, field: ContactField): { key: string; zh: string; en: string } => {
  const words = FIELD_WORDS[field];
  if (n === 1) {
    const first = IMPORT_COLUMNS.find((c) => c.key === `contact${words.key}`);
    if (first) return { key: first.key, zh: first.zh, en: first.en };
  }
  return { key: `contact${n}${words.key}`, zh: `联系人${n}${words.zh}`, en: `Contact ${n} ${words.en}` };
};

/** A report's column key of a later contact (`contact3Mobile`) → the first contact's (`contactMobile`). */
export const columnRule = (key: string): string => key.replace(/^contact\d+(Name|Role|Mobile|Email)$/, 'contact$1');

/** The roster's columns for firms with at most `contacts` contacts: the template's, then the later contacts'. */
export const rosterHeader = (contacts: number, lang: 'zh' | 'en' = 'zh'): string[] => [
  ...IMPORT_COLUMNS.map((c) => c[lang]),
  ...Array.from({ length: Math.max(0, contacts - 1) }, (_, i) =>
    CONTACT_FIELDS.map((field) => contactColumn(i + 2, field)[lang]),
  ).flat(),
];

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
  /** The firm's name as the row gives it (never a stored one: rule 8). */
  name?: string | null;
  result: ImportResult;
  /** Column key → what is wrong, for failed rows. */
  fields?: Record<string, string>;
  /** Column key → the value the row gave, for the fields at fault. */
  values?: Record<string, string>;
}

/** The failed rows as the file had them, plus an error column: a sheet to fix and upload again. */
export interface RejectedRows {
  header: string[];
  rows: string[][];
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
  /** Present when rows failed. */
  rejected?: RejectedRows;
}

/** The heading of the error column in the sheet of rejected rows (the import ignores it). */
export const ERROR_COLUMN = '错误 error';

/**
 * A county as a bureau's list may give it: its six-digit code, or its name in Chinese or English,
 * with or without the 区 / 县 / 市 / District suffix (吴中区, 吴中, Wuzhong District, wuzhong).
 * Anything else comes back as given, for the schema to refuse with its message.
 */
export const countyCodeOf = (text: string): string => {
  if (/^\d{6}$/.test(text)) return text;
  const plain = (name: string) =>
    name
      .toLowerCase()
      .replace(/\s+/g, ' ')
      .trim()
      .replace(/( district| county| city|区|县|市)$/, '');
  const wanted = plain(text);
  if (wanted === '') return text;
  const found = Object.entries(names).filter(
    ([code, name]) => levelOf(code) === 'county' && (plain(name.zh) === wanted || plain(name.en) === wanted),
  );
  return found.length === 1 ? (found[0]?.[0] ?? text) : text;
};
