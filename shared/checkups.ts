import * as z from 'zod/mini';
import {
  ANSWERS,
  type Answer,
  type Band,
  CATEGORIES,
  type Category,
  type CheckupTemplate,
  MAX_TEMPLATE_ITEMS,
} from './checkups-rules.ts';
import { SEVERITIES, type Severity } from './ledger.ts';
import type { EvidenceRef } from './pairing-views.ts';
import type { Named } from './staff-user.ts';
import { isValidUscc, normalizeUscc } from './uscc.ts';

export * from './checkups-rules.ts';

const item = (itemId: string, category: Category, zh: string, en: string, weight: number, failSeverity: Severity) => ({
  itemId,
  category,
  text: { zh, en },
  weight,
  failSeverity,
});

/** The default template (version 1): three categories, fourteen items. */
export const DEFAULT_TEMPLATE: CheckupTemplate = {
  version: 1,
  thresholds: { green: 85, yellow: 60 },
  items: [
    item(
      'M1',
      'management',
      '环境保护责任制度和岗位职责明确',
      'Environmental responsibilities and duties are assigned',
      6,
      'low',
    ),
    item(
      'M2',
      'management',
      '环评批复和竣工环保验收手续齐全',
      'EIA approval and completion acceptance are in place',
      8,
      'high',
    ),
    item(
      'M3',
      'management',
      '排污许可证在有效期内并按证排污',
      'The discharge permit is valid and followed',
      10,
      'high',
    ),
    item(
      'M4',
      'management',
      '环境管理台账和执行报告按时记录、提交',
      'Environmental records and permit reports are kept and filed on time',
      6,
      'medium',
    ),
    item(
      'M5',
      'management',
      '自行监测方案落实，监测数据公开',
      'Self-monitoring is carried out and its data published',
      6,
      'medium',
    ),
    item(
      'F1',
      'facilities',
      '废水治理设施正常运行，达标排放',
      'Wastewater treatment runs normally and meets the standards',
      10,
      'high',
    ),
    item(
      'F2',
      'facilities',
      '废气收集和治理设施正常运行，达标排放',
      'Air emissions are collected and treated to the standards',
      10,
      'high',
    ),
    item(
      'F3',
      'facilities',
      '排放口规范化设置，标识齐全',
      'Discharge outlets are laid out and labelled as required',
      5,
      'low',
    ),
    item(
      'F4',
      'facilities',
      '危险废物贮存、转移、处置规范',
      'Hazardous waste is stored, moved and disposed of as required',
      10,
      'high',
    ),
    item(
      'F5',
      'facilities',
      '一般工业固体废物和噪声管理符合要求',
      'Solid waste and noise are managed as required',
      5,
      'low',
    ),
    item(
      'R1',
      'risk',
      '突发环境事件应急预案编制并备案',
      'An environmental emergency plan is written and filed',
      7,
      'medium',
    ),
    item(
      'R2',
      'risk',
      '应急物资和设施配备到位，定期演练',
      'Emergency supplies are in place and drills are held',
      6,
      'medium',
    ),
    item('R3', 'risk', '环境风险隐患排查治理到位', 'Environmental risks are checked for and remedied', 6, 'medium'),
    item(
      'R4',
      'risk',
      '初期雨水、事故废水收集和截流措施有效',
      'First-flush rainwater and spill water are collected and held back',
      5,
      'medium',
    ),
  ],
};

/** The API's shapes of a check-up: what the handlers store and answer, what the check-up pages read. */
export interface CheckupAnswer {
  result: Answer;
  note?: string | undefined;
  evidenceIds?: string[] | undefined;
  /** The files of `evidenceIds`, attached to this check-up. */
  evidence?: EvidenceRef[] | undefined;
}

/**
 * A failed item of a submitted check-up and the ledger item it becomes. The ledger item's id is derived
 * from the check-up and the template item, so a submit sent again writes the same item, never a second.
 */
export interface CheckupFinding {
  itemId: string;
  ledgerItemId: string;
  /** The closed ledger item this finding repeats, judged once when the submit began. */
  recurringOf: string | null;
}

export interface Checkup {
  checkupId: string;
  uscc: string;
  county: string;
  firmName: string;
  templateVersion: number;
  at: string;
  inspectors: string[];
  answers: Record<string, CheckupAnswer>;
  /**
   * `submitting`: scored, and its findings are being written as ledger items over several transactions
   * (a transaction holds at most 100 writes); a submit sent again finishes it. `submitted`: all written.
   */
  state: 'draft' | 'submitting' | 'submitted';
  score: number | null;
  band: Band | null;
  ledgerItemIds: string[];
  /** Set by the submit: every failed item, the template item ids still to be written, and when. */
  findings?: CheckupFinding[] | undefined;
  pending?: string[] | undefined;
  submittedAt?: string | undefined;
  /** The firm representative's signature on the screen, named in the submit (issue 20). */
  signature?: CheckupSignature | undefined;
  createdBy: string;
  version: number;
  /** The ids of the last saves applied (`checkupPatch.requestId`), oldest first, at most CHECKUP_REQUEST_IDS. */
  requestIds?: string[] | undefined;
}

/**
 * The firm representative's signature, drawn on the form's confirmation step: a PNG uploaded as
 * evidence by the staff member who submits, attached to the check-up (`checkup-signature:<id>`) in the
 * submit's first transaction, and the name the signer typed.
 */
export interface CheckupSignature {
  evidenceId: string;
  signerName: string;
  contentType: string;
  signedAt: string;
}

/** A firm's health: its latest check-up's band and score, and whether the band got worse. */
export interface Health {
  uscc: string;
  latestBand: Band;
  latestScore: number;
  previousBand: Band | null;
  worsened: boolean;
  checkupId: string;
  at: string;
  /** The firm's county and name at the check-up (kept since the early-warning board, issue 19). */
  county?: string | undefined;
  firmName?: string | undefined;
}

/** An early warning beside a firm's health (`GET /api/staff/enterprises/{uscc}/health`). */
export interface HealthWarning {
  code: 'BAND_WORSE' | 'RED_FINDING_OVERDUE';
  message: string;
  itemId?: string;
  /** RED_FINDING_OVERDUE: the finding's title and due date (`YYYY-MM-DD`). */
  title?: string;
  dueOn?: string;
}

const text = (min: number, max: number) => z.string().check(z.trim(), z.minLength(min), z.maxLength(max));

export const checkupInput = z.object({
  uscc: z.pipe(
    z.string().check(z.overwrite(normalizeUscc)),
    z.string().check(z.refine(isValidUscc, 'Not a valid Unified Social Credit Code (check digit)')),
  ),
  templateVersion: z.optional(z.number().check(z.int(), z.minimum(1))),
  at: z.iso.datetime({ offset: true }),
  inspectors: z.array(text(1, 50)).check(z.minLength(1), z.maxLength(10)),
});

export const answerInput = z.object({
  result: z.enum(ANSWERS),
  note: z.optional(text(0, 1000)),
  evidenceIds: z.optional(z.array(z.string().check(z.regex(/^[A-Za-z0-9-]{1,64}$/))).check(z.maxLength(10))),
});

export const checkupPatch = z.object({
  version: z.number().check(z.int(), z.minimum(1)),
  answers: z.record(z.string().check(z.regex(/^[A-Z]\d{1,2}$/, 'An item id of the template')), answerInput),
  /**
   * The save's id, made by the form: a save sent again (an answer kept offline and replayed after a
   * crash between its send and its delete, issue 20) is answered with the check-up as it is, not
   * applied twice, even at the version it was first sent with.
   */
  requestId: z.optional(z.string().check(z.regex(/^[a-f0-9-]{36}$/, 'Not a request id'))),
});

/** How many save ids a check-up remembers (its saves come one at a time, from one or two tablets). */
export const CHECKUP_REQUEST_IDS = 100;

export const signatureInput = z.object({
  evidenceId: z.string().check(z.regex(/^[a-f0-9-]{36}$/, 'Not an evidence id')),
  signerName: text(1, 50),
});

/** The submit names the representative's signature: a check-up is not closed without one (issue 20). */
export const submitInput = z.object({
  version: z.number().check(z.int(), z.minimum(1)),
  signature: signatureInput,
});

export const templateInput = z.object({
  items: z
    .array(
      z.object({
        itemId: z.string().check(z.regex(/^[A-Z]\d{1,2}$/)),
        category: z.enum(CATEGORIES),
        text: z.object({ zh: text(2, 200), en: text(2, 200) }),
        weight: z.number().check(z.int(), z.minimum(1), z.maximum(100)),
        failSeverity: z.enum(SEVERITIES),
      }),
    )
    .check(
      z.minLength(1),
      z.maxLength(MAX_TEMPLATE_ITEMS),
      // Answers and the ledger items of findings are keyed by item id: two items with one id would share them.
      z.refine((items) => new Set(items.map((i) => i.itemId)).size === items.length, 'Each item needs its own id'),
    ),
  thresholds: z.object({
    green: z.number().check(z.int(), z.minimum(1), z.maximum(100)),
    yellow: z.number().check(z.int(), z.minimum(0), z.maximum(99)),
  }),
});

/**
 * Check-ups held regularly (issue 19): a paired firm needs one every `CHECKUP_INTERVAL_MONTHS` months
 * (CDK context `checkupIntervalMonths`, default 12), counted from its last submitted check-up's day
 * (Asia/Shanghai), or from its pairing's start when it never had one.
 */
export const DEFAULT_CHECKUP_INTERVAL_MONTHS = 12;
/** The early warning's default look-ahead: firms due within this many days are "due soon". */
export const DEFAULT_DUE_WITHIN_DAYS = 30;

/** The interval of a deployment's setting: whole months, 1 to 60; unset or blank is the default. */
export const checkupIntervalFrom = (text: string | undefined): number => {
  if (text === undefined || text.trim() === '') return DEFAULT_CHECKUP_INTERVAL_MONTHS;
  const months = Number(text.trim());
  if (!/^\d+$/.test(text.trim()) || months < 1 || months > 60)
    throw new Error(`"${text}" is not a whole number of months from 1 to 60`);
  return months;
};

/** `YYYY-MM-DD` plus `months` calendar months; a day the month lacks becomes its last (31 Jan + 1 → 28/29 Feb). */
export const addMonths = (date: string, months: number): string => {
  const [y, m, d] = date.split('-').map(Number) as [number, number, number];
  const index = y * 12 + (m - 1) + months;
  const year = Math.floor(index / 12);
  const month = (index % 12) + 1;
  const last = new Date(Date.UTC(year, month, 0)).getUTCDate();
  return `${year}-${String(month).padStart(2, '0')}-${String(Math.min(d, last)).padStart(2, '0')}`;
};

/** Whole days from `from` to `to` (`YYYY-MM-DD`), negative when `to` is earlier. */
export const daysFromTo = (from: string, to: string): number =>
  Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / 86_400_000);

/** One paired firm of `GET /api/staff/checkups/due`. */
export interface DueCheckup {
  uscc: string;
  firmName: string;
  county: string;
  liaison: string;
  pairingId: string;
  /** The day (Shanghai) of its last submitted check-up; null when it never had one. */
  lastCheckupOn: string | null;
  lastCheckupId: string | null;
  dueOn: string;
  /** Months between its check-ups: its pairing's cadence, or the deployment's when it has none. */
  intervalMonths: number;
  /** Days from today to `dueOn`: negative when overdue (by that many days), 0 when due today. */
  days: number;
  state: 'overdue' | 'due_soon';
}

/** A due check-up as answered: the liaison by display name beside its username (issue 18). */
export type DueCheckupView = Named<DueCheckup, 'liaison'>;
