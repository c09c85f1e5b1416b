import * as z from 'zod/mini';
import { knownJurisdiction } from '../../shared/jurisdiction-input.ts';
import { nameOf, prefixOf } from '../../shared/jurisdictions.ts';
import type { MessageState } from '../../shared/keys.ts';
import { zh as deliveryWords } from '../../shared/messages/deliveries.ts';
import { beijingTime, cappedRows, ExportTooLargeError, exportLimits } from '../lib/formats/export-bounds.ts';
import { SHEET_FORMATS, sheetFile } from '../lib/formats/sheet-file.ts';
import { type CursorScope, decodeCursor, encodeCursor } from '../lib/http/cursor.ts';
import { ConflictError, found, NotFoundError } from '../lib/http/errors.ts';
import { defineRoute } from '../lib/http/handler.ts';
import { inScope, requireInScope } from '../lib/http/scope.ts';
import { type Delivery, publicDeliveries } from '../lib/messaging/deliveries.ts';
import { COUNT_CAP, countUnder, messagesUnder, readMessage, requeueMessage } from '../lib/messaging/delivery-board.ts';

/**
 * The deliveries page (leads and admins, in their subtree; issue 15): messages to people outside the
 * console whose e-mail or text is still due or was given up, and the retry of a given-up one. A
 * recipient is shown masked (the page is for seeing that a channel fails, not for reading the
 * roster's contacts); a message outside one's subtree is never listed and answers 404.
 */

/** `13812345678` → `138****5678`; `wang@example.com` → `w***@example.com`. */
export const maskRecipient = (channel: string, to: string): string => {
  if (channel === 'sms') return to.length >= 7 ? `${to.slice(0, 3)}****${to.slice(-4)}` : '****';
  if (channel === 'email') {
    const at = to.lastIndexOf('@');
    return at > 0 ? `${to.slice(0, 1)}***${to.slice(at)}` : '***';
  }
  return to; // a robot: its jurisdiction, not a person's address
};

const CHANNELS = ['email', 'sms', 'webhook'] as const;

/**
 * Messages that carry a secret in their subject (a firm's sign-in code, a booking's hold code, the
 * code that finds a firm's bookings are texted with their words as the subject): never shown, and never sent again from here (a code given up on is long expired).
 */
const SECRET_KINDS = new Set(['sign-in-code', 'hold-code', 'recovery-code']);
const carriesSecret = (item: Record<string, unknown>) =>
  SECRET_KINDS.has(String(item.kind)) || (item.text !== undefined && item.subject === item.text);

const listQuery = z.object({
  status: z.optional(z.enum(['pending', 'failed'])),
  channel: z.optional(z.enum(CHANNELS)),
  kind: z.optional(z.string().check(z.regex(/^[A-Za-z-]{1,40}$/, 'A message kind, like confirmed'))),
  limit: z.optional(z.coerce.number().check(z.int(), z.minimum(1), z.maximum(100))),
  cursor: z.optional(z.string().check(z.maxLength(2000))),
});

const rowOf = (item: Record<string, unknown>, status: MessageState, channel: string | undefined) => {
  const deliveries = publicDeliveries((item.deliveries ?? []) as Delivery[])
    .filter((d) => d.channel !== 'inbox' && (!channel || d.channel === channel))
    .map((d) => {
      const tracked = d as Exclude<Delivery, { channel: 'inbox' }>;
      return {
        channel: tracked.channel,
        to: maskRecipient(tracked.channel, tracked.to),
        status: tracked.status,
        attempts: tracked.attempts,
        ...(tracked.lastError ? { lastError: tracked.lastError } : {}),
      };
    });
  return {
    about: String(item.about),
    kind: String(item.kind),
    occasion: String(item.occasion),
    jurisdiction: String(item.jurisdiction),
    // An SMS-only message may have its words as its subject: shown by its kind instead.
    subject: carriesSecret(item) ? '' : String(item.subject ?? ''),
    // A job's digest (missed-contact, overdue): how many nudges it carries.
    ...(item.type === 'nudgeDigest' ? { nudges: Number(item.nudges ?? 0) } : {}),
    createdAt: String(item.createdAt),
    status,
    deliveries,
  };
};

/** GET /api/staff/deliveries?status=&channel=&kind= : one page, oldest first. */
export const listDeliveries = defineRoute({
  query: listQuery,
  handler: async ({ query: q, identity: caller }) => {
    const identity = found(caller);
    const status = q.status ?? 'failed';
    const prefix = prefixOf(identity.jurisdiction);
    const cursorScope: CursorScope = {
      route: 'deliveries.list',
      caller: identity,
      query: { status, channel: q.channel, kind: q.kind },
      partition: { scopePk: `MSGS#${status}`, scopeSk: { prefix } },
    };
    const start = await decodeCursor(q.cursor, cursorScope);
    const out = await messagesUnder({ status, prefix, kind: q.kind }, { limit: q.limit ?? 50, start });
    const messages = out.items
      .filter((item) => inScope(identity, String(item.jurisdiction)))
      .map((item) => rowOf(item, status, q.channel))
      // A channel filter keeps the messages with a delivery of that channel still due or given up.
      .filter((m) => m.deliveries.some((d) => d.status !== 'sent'));
    return { messages, nextCursor: await encodeCursor(out.lastKey, cursorScope) };
  },
});

/** GET /api/staff/deliveries/summary : the console home's count. */
export const deliveriesSummary = defineRoute({
  handler: async ({ identity: caller }) => {
    const identity = found(caller);
    const prefix = prefixOf(identity.jurisdiction);
    const [pending, failed] = await Promise.all([countUnder('pending', prefix), countUnder('failed', prefix)]);
    return { pending: pending.count, failed: failed.count, capped: pending.capped || failed.capped, cap: COUNT_CAP };
  },
});

const retryBody = z.object({
  about: z.string().check(z.minLength(3), z.maxLength(200), z.regex(/^[a-z]+:[^#\s]{1,160}$/, 'Like booking:<code>')),
  kind: z.string().check(z.regex(/^[A-Za-z-]{1,40}$/, 'A message kind, like confirmed')),
  occasion: z.string().check(z.maxLength(64), z.regex(/^[^#\s]*$/, 'The occasion as listed')),
});

/**
 * POST /api/staff/deliveries/retry {about, kind, occasion}: a given-up message back in the queue,
 * delivered again by the deliveries function (its sent channels are not sent again). 404 outside
 * one's subtree; 409 when it is not given up (still being tried, retried already, or all sent).
 */
export const retryDelivery = defineRoute({
  body: retryBody,
  handler: async ({ body, identity: caller }) => {
    const identity = found(caller);
    const item = await readMessage(body);
    if (item?.type !== 'message' && item?.type !== 'nudgeDigest') throw new NotFoundError();
    requireInScope(identity, String(item.jurisdiction));
    if (carriesSecret(item))
      throw new ConflictError('INVALID_TRANSITION', 'A sign-in code is not sent again; the firm asks for a new one');
    if (!(await requeueMessage(identity, item, new Date())))
      throw new ConflictError('INVALID_TRANSITION', 'Only a message that was given up can be retried');
    return { status: 'pending' as const };
  },
});

// ---- the export ----

const EXPORT_HEADER = [
  '序号',
  '记录时间',
  '地区',
  '消息类型',
  '主题',
  '渠道',
  '收件人',
  '投递状态',
  '尝试次数',
  '最近错误',
  '所含提醒数',
];
const PAGE = 500;
/** Messages read per row the file may hold before the request gives up (422), as the other exports. */
const READ_BUDGET_ROWS = 20;

/** A word of the deliveries page's Chinese dictionary, or `fallback` when it has none. */
const say = (key: string, fallback: string) => (deliveryWords as Record<string, string>)[key] ?? fallback;

/**
 * GET /api/staff/deliveries/export?status=failed|pending&channel=&jurisdiction=&format=csv|xlsx
 * (leads, admins; issue 18): the deliveries page as a sheet in the bureau's words, one row per
 * channel still due or given up: the message's kind, channel and state in Chinese, Beijing times,
 * recipients masked as on the page and subjects that carry a code left out.
 */
export const exportDeliveriesRoute = defineRoute({
  query: z.object({
    format: z.optional(z.enum(SHEET_FORMATS)),
    status: listQuery.shape.status,
    channel: listQuery.shape.channel,
    jurisdiction: z.optional(knownJurisdiction),
  }),
  handler: async ({ query, identity: caller }) => {
    const identity = found(caller);
    const jurisdiction = query.jurisdiction ?? identity.jurisdiction;
    requireInScope(identity, jurisdiction);
    const status = query.status ?? 'failed';
    const lines = cappedRows<unknown[]>();
    let read = 0;
    let start: Record<string, unknown> | undefined;
    do {
      const page = await messagesUnder({ status, prefix: prefixOf(jurisdiction) }, { limit: PAGE, start });
      read += page.items.length;
      if (read > READ_BUDGET_ROWS * exportLimits.rows) throw new ExportTooLargeError(exportLimits.rows);
      for (const item of page.items) {
        if (!inScope(identity, String(item.jurisdiction))) continue;
        const m = rowOf(item, status, query.channel);
        for (const d of m.deliveries.filter((each) => each.status !== 'sent'))
          lines.add([
            beijingTime(m.createdAt),
            nameOf(m.jurisdiction),
            say(`deliveries.kind.${m.kind}`, '其他消息'),
            m.subject,
            say(`deliveries.channel.${d.channel}`, d.channel),
            // A robot's address is its jurisdiction: named, as every unit is in the bureau's sheets.
            d.channel === 'webhook' && /^\d{6}$/.test(d.to) ? nameOf(d.to) : d.to,
            say(`deliveries.d.${d.status}`, d.status),
            d.attempts,
            d.lastError ?? '',
            m.nudges ?? '',
          ]);
      }
      start = page.lastKey;
    } while (start);
    return sheetFile(
      query.format ?? 'xlsx',
      `deliveries-${status}-${jurisdiction}`,
      status === 'failed' ? '发送失败的消息' : '发送中的消息',
      EXPORT_HEADER,
      lines.rows.map((line, i) => [i + 1, ...line]),
    );
  },
});
