import * as z from 'zod/mini';
import type { AuditReader } from '../../shared/audit-words.ts';
import type { MessageKey } from '../../shared/i18n.ts';
import { knownJurisdiction } from '../../shared/jurisdiction-input.ts';
import { levelOf, nameOf, prefixOf } from '../../shared/jurisdictions.ts';
import { keys } from '../../shared/keys.ts';
import { OPEN_STATES } from '../../shared/ledger.ts';
import { zh as ledgerWords } from '../../shared/messages/ledger.ts';
import { monthField, monthOf } from '../../shared/monthly.ts';
import { parkId } from '../../shared/parks.ts';
import { ROLE_WORDS } from '../../shared/roles.ts';
import { shanghaiDate } from '../../shared/time.ts';
import { parkCompliance } from '../lib/enterprises/park-views.ts';
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
const LEVEL_WORDS = { province: '省', city: '设区市', county: '县(市、区)', park: '园区' } as const;

/** One row of the compliance export: a unit's (or a park's) counts of the month. */
const complianceRow = (
  i: number,
  unit: { name: string; code: string; level: keyof typeof LEVEL_WORDS },
  month: string,
  counts: { judged: number; contacted: number; missed: number },
  running: boolean,
) => [
  i + 1,
  unit.name,
  unit.code,
  LEVEL_WORDS[unit.level],
  month,
  counts.judged,
  counts.contacted,
  counts.missed,
  counts.judged > 0 ? `${(Math.min(1, counts.contacted / counts.judged) * 100).toFixed(1)}%` : '',
  running ? '本月进行中' : '已结束',
];

/**
 * GET /api/staff/compliance/export?month=&jurisdiction=&park=&format= (leads, admins): the month's
 * counters of the unit and every unit below it, one row each, from the same counters as the
 * compliance view (one Query, a few hundred rows at most for a province). With `park`, the one row
 * of that park's firms, counted as the compliance page counts it (park-views.ts); its code column
 * holds the park's county, and a park outside the caller's scope answers 404 as the page does.
 */
export const exportComplianceRoute = defineRoute({
  query: z.object({
    format: formatField,
    month: z.optional(monthField),
    jurisdiction: z.optional(knownJurisdiction),
    park: z.optional(parkId),
  }),
  handler: async ({ query, identity }) => {
    const me = found(identity);
    const current = monthOf(new Date());
    const month = query.month ?? current;
    if (query.park) {
      if (month > current) throw new ValidationError({ month: 'Not after the current month' });
      const park = await parkCompliance(me, month, query.park);
      const unit = { name: `${nameOf(park.jurisdiction.code)} ${park.park.name}`, code: park.jurisdiction.code };
      return sheetFile(
        query.format ?? 'xlsx',
        `compliance-${park.park.id}-${month}`,
        `联系情况 ${month}`,
        COMPLIANCE_HEADER,
        [complianceRow(0, { ...unit, level: 'park' }, month, park.totals, month === current)],
      );
    }
    const jurisdiction = query.jurisdiction ?? me.jurisdiction;
    requireInScope(me, jurisdiction);
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
    const rows = units.rows
      .sort((a, b) => String(a.sk).localeCompare(String(b.sk)))
      .map((counter, i) => {
        const code = String(counter.sk);
        const counts = {
          judged: Number(counter.judged ?? 0),
          contacted: Number(counter.contacted ?? 0),
          missed: Number(counter.missed ?? 0),
        };
        return complianceRow(i, { name: nameOf(code), code, level: levelOf(code) }, month, counts, month === current);
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
/** A cell holds at most 32,767 characters in Excel; a record's before and after are cut well below. */
const SNAPSHOT_CHARS = 2000;
const cut = (text: string) => (text.length > SNAPSHOT_CHARS ? `${text.slice(0, SNAPSHOT_CHARS)}…` : text);
/** The actor's role: a staff role as the console names it (shared/roles.ts), or a firm or the system. */
const ACTOR_WORDS: Record<string, string> = { ...ROLE_WORDS.zh, firm: '企业', system: '系统' };

/**
 * The Chinese words an audit row may use (shared/audit.ts AUDIT_MESSAGE_KEYS): the `zh` halves of the
 * dictionaries that hold them. Not shared/i18n.ts, whose every page's words in both languages would
 * double this function's bundle (one CommonJS file: a dynamic import is bundled all the same) and
 * its cold start.
 */
const auditWords = async (): Promise<Partial<Record<MessageKey, string>>> => {
  const parts = await Promise.all([
    import('../../shared/messages/audit.ts'),
    import('../../shared/messages/consultation.ts'),
    import('../../shared/messages/pairings.ts'),
    import('../../shared/messages/roster.ts'),
    import('../../shared/messages/cases.ts'),
    import('../../shared/messages/monthly.ts'),
  ]);
  return {
    ...ledgerWords,
    ...Object.assign({}, ...parts.map((part) => part.zh)),
    'role.liaison': ROLE_WORDS.zh.liaison,
    'role.lead': ROLE_WORDS.zh.lead,
    'role.admin': ROLE_WORDS.zh.admin,
  };
};

/**
 * An event's row in the bureau's words, as the audit page shows it (shared/audit.ts): the action's
 * name, the record by kind and firm, the fields a person reads with Chinese values, people by name.
 * Ids, versions and bearer secrets (a booking's code, a robot's secret) never reach the sheet: a
 * spreadsheet travels by mail and chat far beyond the console.
 */
const auditRows = async (events: readonly Record<string, unknown>[]) => {
  const [words, audit, { staffNames }, { enterpriseViews }] = await Promise.all([
    auditWords(),
    import('../../shared/audit-words.ts'),
    import('../lib/accounts/names.ts'),
    import('../lib/enterprises/enterprises.ts'),
  ]);
  const fields = (e: Record<string, unknown>, side: 'before' | 'after') => {
    const v = e[side];
    const inner = v && typeof v === 'object' ? (v as Record<string, unknown>) : null;
    return (inner?.day && typeof inner.day === 'object' ? (inner.day as Record<string, unknown>) : inner) ?? null;
  };
  const usccs = new Set<string>();
  for (const e of events) {
    for (const side of ['before', 'after'] as const) {
      const f = fields(e, side);
      if (typeof f?.uscc === 'string') usccs.add(f.uscc);
    }
    const entity = String(e.entity);
    if (entity.startsWith('enterprise:')) usccs.add(entity.slice('enterprise:'.length));
  }
  const [personOf, firms] = await Promise.all([
    staffNames(events.flatMap(audit.auditPeople)),
    enterpriseViews([...usccs]),
  ]);
  const reader: AuditReader = {
    lang: 'zh',
    say: (key, vars) => {
      const text = words[key] ?? key;
      return vars ? fillIn(text, vars) : text;
    },
    has: (key): key is MessageKey => key in words,
    person: personOf,
    time: beijingTime,
  };
  return events.map((e, i) => {
    const [kind = ''] = String(e.entity).split(':');
    const uscc =
      (fields(e, 'after')?.uscc as string | undefined) ??
      (fields(e, 'before')?.uscc as string | undefined) ??
      (kind === 'enterprise' ? String(e.entity).slice('enterprise:'.length) : undefined);
    const firm = uscc ? firms.get(uscc)?.name : undefined;
    const changes = audit.auditChanges(reader, { entity: String(e.entity), before: e.before, after: e.after });
    const side = (which: 'before' | 'after') =>
      cut(
        changes
          .map((c) =>
            (which === 'before' ? c.before : c.after) === undefined
              ? ''
              : `${c.label}：${which === 'before' ? c.before : c.after}`,
          )
          .filter(Boolean)
          .join('；'),
      );
    return [
      i + 1,
      beijingTime(String(e.at)),
      reader.person(String(e.actor)),
      ACTOR_WORDS[String(e.role)] ?? '',
      audit.auditActionText(reader, String(e.action)),
      [audit.auditKindText(reader, kind), firm, uscc].filter(Boolean).join(' · '),
      nameOf(String(e.jurisdiction)),
      e.before && e.after ? side('before') : '',
      side('after'),
    ];
  });
};

/** `{n} 项` with `{ n: 3 }` → `3 项`. */
const fillIn = (template: string, vars: Record<string, string | number>) =>
  template.replace(/\{(\w+)\}/g, (whole, name: string) => (name in vars ? String(vars[name]) : whole));

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
    const rows = await auditRows(events.rows.sort((a, b) => String(a.at).localeCompare(String(b.at))));
    return sheetFile(
      query.format ?? 'xlsx',
      `audit-${jurisdiction}-${range.from}-${range.to}`,
      '操作日志',
      AUDIT_HEADER,
      rows,
    );
  },
});
