import * as z from 'zod/mini';
import { knownJurisdiction } from '../../shared/jurisdiction-input.ts';
import { levelOf, nameOf, prefixOf } from '../../shared/jurisdictions.ts';
import { keys } from '../../shared/keys.ts';
import { OPEN_STATES } from '../../shared/ledger.ts';
import { zh as ledgerWords } from '../../shared/messages/ledger.ts';
import { monthField, monthOf } from '../../shared/monthly.ts';
import { shanghaiDate } from '../../shared/time.ts';
import {
  beijingTime,
  cappedRows,
  dayField,
  dayRange,
  daysBetween,
  ExportTooLargeError,
  exportLimits,
} from '../lib/formats/export-bounds.ts';
import { SHEET_FORMATS, sheetFile } from '../lib/formats/sheet-file.ts';
import { found, ValidationError } from '../lib/http/errors.ts';
import { defineRoute } from '../lib/http/handler.ts';
import type { Identity } from '../lib/http/identity.ts';
import { inScope, requireInScope } from '../lib/http/scope.ts';
import type { LedgerItem } from '../lib/ledger/ledger.ts';
import { auditEvents } from '../lib/store/audit.ts';
import { fromItem, queryEach } from '../lib/store/table.ts';

/**
 * The spreadsheets leaders pass upward (issue 19): the 台账, compliance per month and unit, the
 * audit log. Each is scoped like the list it exports (a unit outside one's subtree answers 404,
 * rule 8), reads its records page by page and stops at EXPORT_ROW_CAP rows (422 EXPORT_TOO_LARGE),
 * and takes only bounded date ranges (export-bounds.ts). Headers and values are Chinese; times are
 * Beijing wall-clock; CSV carries a BOM so Excel reads it as UTF-8 (csv.ts).
 */

/**
 * Records read (before the date and scope filters) per row an export may hold: beyond the budget the
 * request is answered 422 rather than left to run into the function's timeout.
 */
const READ_BUDGET_ROWS = 20;
const PAGE = 500;

const formatField = z.optional(z.enum(SHEET_FORMATS));

const readingBudget = () => {
  let read = 0;
  return (n: number) => {
    read += n;
    if (read > READ_BUDGET_ROWS * exportLimits.rows) throw new ExportTooLargeError(exportLimits.rows);
  };
};

// ---- 台账 ----

const LEDGER_HEADER = [
  '序号',
  '事项编号',
  '所在地区',
  '企业名称',
  '统一社会信用代码',
  '事项',
  '来源',
  '紧急程度',
  '状态',
  '责任部门',
  '承办单位',
  '登记时间',
  '办理期限',
  '已办天数',
  '是否逾期',
  '办结或撤销时间',
  '最近处理',
];

const word = (key: string, fallback: string) => (ledgerWords as Record<string, string>)[key] ?? fallback;

/** When an item left the open states: closed at `closedAt`, cancelled by its last move. */
const endedAt = (item: LedgerItem): string | null =>
  item.state === 'closed'
    ? (item.closedAt ?? item.lastMove?.at ?? null)
    : item.state === 'cancelled'
      ? (item.lastMove?.at ?? null)
      : null;

/**
 * Whether the item was on the ledger at some time in the range: raised by its end and not closed or
 * cancelled before its start. So a year's 台账 holds the items carried over into it, not only the
 * ones raised in it.
 */
const onLedgerDuring = (item: LedgerItem, range: { fromIso: string; toIso: string }) => {
  const ended = endedAt(item);
  return item.createdAt <= range.toIso && (ended === null || ended >= range.fromIso);
};

/** The same reach as the board (functions/staff/ledger.ts): the firm's county or a unit following the item. */
const mayReach = (me: Identity, item: Pick<LedgerItem, 'county' | 'followers'>) =>
  [item.county, ...(item.followers ?? [])].some((code) => inScope(me, code));

const ledgerQuery = z.object({
  format: formatField,
  jurisdiction: z.optional(knownJurisdiction),
  from: z.optional(dayField),
  to: z.optional(dayField),
});

/**
 * GET /api/staff/ledger-items/export?format=csv|xlsx&jurisdiction=&from=&to= (leads, admins): one row
 * per item of the unit's queue (the board's items) that was on the ledger during [from, to]
 * (Beijing days; default the year up to today), ordered by county, then time raised.
 */
export const exportLedgerRoute = defineRoute({
  query: ledgerQuery,
  handler: async ({ query, identity }) => {
    const me = found(identity);
    const jurisdiction = query.jurisdiction ?? me.jurisdiction;
    requireInScope(me, jurisdiction);
    const now = new Date();
    const range = dayRange(query, now);
    const today = shanghaiDate(now);
    const items = cappedRows<LedgerItem>();
    const read = readingBudget();
    await queryEach(
      {
        IndexName: 'byScope',
        KeyConditionExpression: 'scopePk = :p AND begins_with(scopeSk, :prefix)',
        ExpressionAttributeValues: { ':p': keys.ledgerQueuePk(), ':prefix': prefixOf(jurisdiction) },
        Limit: PAGE,
      },
      (page) => {
        read(page.length);
        for (const record of page) {
          const item = fromItem<LedgerItem>(record);
          if (mayReach(me, item) && onLedgerDuring(item, range)) items.add(item);
        }
      },
    );
    const rows = items.rows
      .sort((a, b) => a.county.localeCompare(b.county) || a.createdAt.localeCompare(b.createdAt))
      .map((item, i) => {
        const ended = endedAt(item);
        const open = OPEN_STATES.includes(item.state);
        return [
          i + 1,
          item.itemId,
          nameOf(item.county),
          item.firmName,
          item.uscc,
          item.title,
          word(`ledger.source.${item.source}`, item.source),
          word(`ledger.severity.${item.severity}`, item.severity),
          word(`ledger.state.${item.state}`, item.state),
          item.ownerDepartment,
          nameOf(item.holder),
          beijingTime(item.createdAt),
          item.dueOn,
          daysBetween(shanghaiDate(new Date(item.createdAt)), ended ? shanghaiDate(new Date(ended)) : today),
          open && item.dueOn < today ? '是' : '否',
          beijingTime(ended),
          item.lastMove?.note ?? '',
        ];
      });
    return sheetFile(
      query.format ?? 'xlsx',
      `ledger-${jurisdiction}-${range.from}-${range.to}`,
      '服务台账',
      LEDGER_HEADER,
      rows,
    );
  },
});

// ---- compliance per month and unit ----

const COMPLIANCE_HEADER = [
  '序号',
  '地区',
  '行政区划代码',
  '层级',
  '月份',
  '应联系企业数',
  '已走访或视频连线',
  '未联系（已提醒）',
  '联系率',
  '统计状态',
];
const LEVEL_WORDS = { province: '省', city: '设区市', county: '县(市、区)' } as const;

/**
 * GET /api/staff/compliance/export?month=&jurisdiction=&format= (leads, admins): the month's
 * counters of the unit and every unit below it, one row each, from the same counters as the
 * compliance view (one Query, a few hundred rows at most for a province).
 */
export const exportComplianceRoute = defineRoute({
  query: z.object({ format: formatField, month: z.optional(monthField), jurisdiction: z.optional(knownJurisdiction) }),
  handler: async ({ query, identity }) => {
    const me = found(identity);
    const jurisdiction = query.jurisdiction ?? me.jurisdiction;
    requireInScope(me, jurisdiction);
    const current = monthOf(new Date());
    const month = query.month ?? current;
    if (month > current) throw new ValidationError({ month: 'Not after the current month' });
    const units = cappedRows<Record<string, unknown>>();
    const read = readingBudget();
    await queryEach(
      {
        KeyConditionExpression: 'pk = :pk AND begins_with(sk, :prefix)',
        ExpressionAttributeValues: { ':pk': keys.countsOfMonth(month).pk, ':prefix': prefixOf(jurisdiction) },
        Limit: PAGE,
      },
      (page) => {
        read(page.length);
        for (const counter of page) if (inScope(me, String(counter.sk))) units.add(counter);
      },
    );
    const running = month === current;
    const rows = units.rows
      .sort((a, b) => String(a.sk).localeCompare(String(b.sk)))
      .map((counter, i) => {
        const code = String(counter.sk);
        const judged = Number(counter.judged ?? 0);
        const contacted = Number(counter.contacted ?? 0);
        return [
          i + 1,
          nameOf(code),
          code,
          LEVEL_WORDS[levelOf(code)],
          month,
          judged,
          contacted,
          Number(counter.missed ?? 0),
          judged > 0 ? `${(Math.min(1, contacted / judged) * 100).toFixed(1)}%` : '',
          running ? '本月进行中' : '已结束',
        ];
      });
    return sheetFile(
      query.format ?? 'xlsx',
      `compliance-${jurisdiction}-${month}`,
      `联系情况 ${month}`,
      COMPLIANCE_HEADER,
      rows,
    );
  },
});

// ---- the audit log ----

const AUDIT_HEADER = ['序号', '时间', '操作人', '角色', '操作', '对象', '地区', '变更前', '变更后'];
const ROLE_WORDS: Record<string, string> = {
  liaison: '企业联络员',
  lead: '工作专班负责人',
  admin: '管理员',
  firm: '企业',
  system: '系统',
};
/** A cell holds at most 32,767 characters in Excel; a record's before and after are cut well below. */
const SNAPSHOT_CHARS = 2000;
/**
 * Bearer secrets a record may carry (a booking's code, a confirmation link's token, a robot's
 * signing secret): whoever holds one may act on it, and a spreadsheet travels by mail and chat far
 * beyond the console. They are written as `***`, as the logs write them (shared/routes.ts `secret`).
 */
const SECRET_FIELD = /^(code|token|secret|[a-z]+Token|[a-z]+Secret)$/;
const redact = (_key: string, value: unknown) => (SECRET_FIELD.test(_key) && typeof value === 'string' ? '***' : value);
const snapshot = (value: unknown) => {
  if (value === null || value === undefined) return '';
  const text = JSON.stringify(value, redact);
  return text.length > SNAPSHOT_CHARS ? `${text.slice(0, SNAPSHOT_CHARS)}…` : text;
};
/** An entity named by a bearer secret (`booking:<code>`) shows its kind only. */
const entityLabel = (entity: string) => (entity.startsWith('booking:') ? 'booking:***' : entity);

/**
 * GET /api/staff/audit/export?format=&jurisdiction=&from=&to=&actor= (leads, admins): the audit
 * events inside the unit during [from, to] (Beijing days; default the year up to today), oldest
 * first. Only events whose jurisdiction lies in the caller's scope, as on the audit page.
 */
export const exportAuditRoute = defineRoute({
  query: z.object({
    format: formatField,
    jurisdiction: z.optional(knownJurisdiction),
    from: z.optional(dayField),
    to: z.optional(dayField),
    actor: z.optional(z.string().check(z.minLength(1), z.maxLength(128))),
  }),
  handler: async ({ query, identity }) => {
    const me = found(identity);
    const jurisdiction = query.jurisdiction ?? me.jurisdiction;
    requireInScope(me, jurisdiction);
    const range = dayRange(query, new Date());
    const events = cappedRows<Record<string, unknown>>();
    const read = readingBudget();
    let start: Record<string, unknown> | undefined;
    do {
      const page = await auditEvents(
        { scopePrefix: prefixOf(jurisdiction), actor: query.actor, from: range.fromIso, to: range.toIso },
        { limit: PAGE, start },
      );
      read(PAGE);
      for (const event of page.items) if (inScope(me, String(event.jurisdiction))) events.add(event);
      start = page.lastKey;
    } while (start);
    const rows = events.rows
      .sort((a, b) => String(a.at).localeCompare(String(b.at)))
      .map((e, i) => [
        i + 1,
        beijingTime(String(e.at)),
        e.actor,
        ROLE_WORDS[String(e.role)] ?? e.role,
        e.action,
        entityLabel(String(e.entity)),
        nameOf(String(e.jurisdiction)),
        snapshot(e.before),
        snapshot(e.after),
      ]);
    return sheetFile(
      query.format ?? 'xlsx',
      `audit-${jurisdiction}-${range.from}-${range.to}`,
      '操作日志',
      AUDIT_HEADER,
      rows,
    );
  },
});
