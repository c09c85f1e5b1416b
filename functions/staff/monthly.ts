import * as z from 'zod/mini';
import type { InboxMessage } from '../../shared/answers.ts';
import { knownJurisdiction } from '../../shared/jurisdiction-input.ts';
import { keys } from '../../shared/keys.ts';
import { monthField, monthOf, NUDGE_KINDS } from '../../shared/monthly.ts';
import { parkId } from '../../shared/parks.ts';
import { robotUrlProblem, webhookInput } from '../../shared/webhooks.ts';
import { withNames } from '../lib/accounts/names.ts';
import { parkCompliance } from '../lib/enterprises/park-views.ts';
import { decodeCursor, encodeCursor } from '../lib/http/cursor.ts';
import { AppError, ConflictError, found, ValidationError } from '../lib/http/errors.ts';
import { defineRoute, reply } from '../lib/http/handler.ts';
import { requireInScope } from '../lib/http/scope.ts';
import { publicDeliveries } from '../lib/messaging/deliveries.ts';
import {
  contactsAfterNudges,
  getInboxEntry,
  type InboxEntry,
  type InboxState,
  inboxPage,
  markInboxEntryRead,
} from '../lib/messaging/inbox.ts';
import { robotPolicy, WebhookError } from '../lib/messaging/notify.ts';
import { getWebhook, sendToRobot, setWebhook } from '../lib/messaging/webhooks.ts';
import { compliance, nudgesOf, recount } from '../lib/pairings/compliance.ts';
import { fromItem } from '../lib/store/table.ts';

const code = knownJurisdiction;

/** GET /api/staff/nudges?month=&kind=&county= (leads, admins: in scope; liaisons: their own). */
export const listNudges = defineRoute({
  query: z.object({ month: monthField, kind: z.optional(z.enum(NUDGE_KINDS)), county: z.optional(code) }),
  handler: async ({ query, identity }) => {
    const me = found(identity);
    const jurisdiction = query.county ?? me.jurisdiction;
    requireInScope(me, jurisdiction);
    const nudges = (await nudgesOf(query.month, jurisdiction, query.kind)).filter(
      (n) => me.role !== 'liaison' || n.liaison === me.username,
    );
    return {
      nudges: await withNames(
        nudges.map((n) => ({
          nudgeId: n.nudgeId,
          pairingId: n.pairingId,
          uscc: n.uscc,
          firmName: n.firmName,
          county: n.county,
          liaison: n.liaison,
          month: n.month,
          kind: n.kind,
          createdAt: n.createdAt,
          lastQualifyingContactAt: n.lastQualifyingContactAt,
          deliveries: publicDeliveries((n.deliveries ?? []) as never),
        })),
        ['liaison'],
      ),
    };
  },
});

/** An inbox message's id in URLs: its sort key, so reading it is one GetItem in one's own inbox. */
const inboxId = (sk: string) => Buffer.from(sk).toString('base64url');
/** The sort key an id names, or undefined when it cannot be one (`<ISO time>#<message id>`): then 404. */
const inboxSk = (id: string): string | undefined => {
  const sk = Buffer.from(id, 'base64url').toString('utf8');
  return /^\d{4}-\d\d-\d\dT[^#]+#./.test(sk) ? sk : undefined;
};

/** GET /api/staff/inbox: one's own messages, newest first, with the unread count. */
export const listInbox = defineRoute({
  query: z.object({
    limit: z.optional(z.coerce.number().check(z.int(), z.minimum(1), z.maximum(100))),
    cursor: z.optional(z.string().check(z.maxLength(1000))),
  }),
  handler: async ({ query, identity }) => {
    const me = found(identity);
    const pk = keys.inboxOf(me.username).pk;
    const cursorScope = { route: 'inbox.list', caller: me, query: {}, partition: { pk } };
    const start = await decodeCursor(query.cursor, cursorScope);
    const page = await inboxPage(me.username, { limit: query.limit ?? 30, start });
    const contacted = await contactsAfterNudges(page.items);
    return {
      messages: page.items.map((item): InboxMessage => {
        const { messageId, at, kind, title, text, link, read, readAt } = fromItem<InboxEntry & InboxState>(item);
        const contactedOn = contacted.get(String(item.sk));
        return {
          id: inboxId(String(item.sk)),
          messageId,
          at,
          kind,
          title,
          text,
          link,
          read,
          ...(readAt ? { readAt } : {}),
          ...(contactedOn ? { contactedOn } : {}),
        };
      }),
      unread: page.unread,
      nextCursor: await encodeCursor(page.lastKey, cursorScope),
    };
  },
});

/** POST /api/staff/inbox/{id}/read: marks one's own message read (idempotent). */
export const readInboxMessage = defineRoute({
  params: z.object({ id: z.string().check(z.regex(/^[A-Za-z0-9_-]{1,300}$/, 'Not a message id')) }),
  handler: async ({ params, identity }) => {
    const me = found(identity);
    const sk = found(inboxSk(params.id));
    const message = found(await getInboxEntry(me.username, sk));
    if (message.read === true) return { id: params.id, read: true };
    await markInboxEntryRead(me, sk, params.id);
    return { id: params.id, read: true };
  },
});

/**
 * GET /api/staff/compliance?month=&jurisdiction=&park= (leads, admins; in scope). With `park`, the
 * park's firms only, counted from the facts of its county (functions/lib/enterprises/park-views.ts).
 */
export const getCompliance = defineRoute({
  query: z.object({ month: z.optional(monthField), jurisdiction: z.optional(code), park: z.optional(parkId) }),
  handler: async ({ query, identity }) => {
    const me = found(identity);
    if (query.park) return parkCompliance(me, query.month ?? monthOf(new Date()), query.park);
    const jurisdiction = query.jurisdiction ?? me.jurisdiction;
    requireInScope(me, jurisdiction);
    return compliance(query.month ?? monthOf(new Date()), jurisdiction);
  },
});

/** POST /api/staff/compliance/recount {"month","fix"?} (admins): recounts from the facts, reports differences. */
export const recountCompliance = defineRoute({
  body: z.object({ month: monthField, fix: z.optional(z.boolean()) }),
  handler: async ({ body }) => recount(body.month, body.month < monthOf(new Date()), body.fix ?? false),
});

const webhookParams = z.object({ jurisdiction: code });

/** The robot address without its access token (a secret of the chat group), for display. */
const masked = (url: string) => url.replace(/(access_token|key)=([^&]{4})[^&]*([^&]{4})/, '$1=$2…$3');

/** GET /api/staff/webhooks/{jurisdiction}: the chat robot of a unit in scope (token masked). */
export const getWebhookRoute = defineRoute({
  params: webhookParams,
  handler: async ({ params, identity }) => {
    requireInScope(found(identity), params.jurisdiction);
    const hook = await getWebhook(params.jurisdiction);
    return {
      webhook: hook
        ? {
            jurisdiction: params.jurisdiction,
            kind: hook.kind,
            url: masked(hook.url),
            signed: Boolean(hook.secret),
            version: hook.version,
          }
        : null,
    };
  },
});

/**
 * PUT /api/staff/webhooks/{jurisdiction}: sets the robot (with `version` when replacing one). The
 * address must be one of the platform's own (this deployment's `robotHosts`, the kind's path):
 * the server calls it later, so anything else would let a lead aim our requests anywhere.
 */
export const putWebhookRoute = defineRoute({
  params: webhookParams,
  body: webhookInput,
  handler: async ({ params, body, identity }) => {
    const me = found(identity);
    requireInScope(me, params.jurisdiction);
    const problem = robotUrlProblem(body.kind, body.url, robotPolicy());
    if (problem) throw new ValidationError({ url: problem });
    const before = await getWebhook(params.jurisdiction);
    if (before && body.version !== before.version)
      throw new ConflictError('VERSION_CONFLICT', 'The robot was changed meanwhile; reload it');
    const version = await setWebhook(me, params.jurisdiction, body, before, {
      // The address carries the group's token: the audit keeps it masked, the secret not at all.
      kind: body.kind,
      url: masked(body.url),
      signed: Boolean(body.secret),
    });
    return {
      webhook: {
        jurisdiction: params.jurisdiction,
        kind: body.kind,
        url: masked(body.url),
        signed: Boolean(body.secret),
        version,
      },
    };
  },
});

/**
 * POST /api/staff/webhooks/{jurisdiction}/test: sends a test message now; 502 `WEBHOOK_FAILED` if it
 * fails, saying at most the HTTP status or the platform's numeric errcode (never the answer's text:
 * the far side's words are not passed on).
 */
export const testWebhookRoute = defineRoute({
  params: webhookParams,
  handler: async ({ params, identity }) => {
    const me = found(identity);
    requireInScope(me, params.jurisdiction);
    const hook = found(await getWebhook(params.jurisdiction));
    try {
      await sendToRobot(hook, `【环保服务联络】测试消息：${me.username} 于 ${new Date().toISOString()} 发送。`);
    } catch (error) {
      throw new AppError(
        502,
        'WEBHOOK_FAILED',
        error instanceof WebhookError ? error.message : 'The robot did not accept the message',
      );
    }
    return reply(200, { sent: true });
  },
});
