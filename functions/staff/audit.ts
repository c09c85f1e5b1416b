import * as z from 'zod/mini';
import type { AuditEvent } from '../../shared/audit.ts';
import { auditPeople } from '../../shared/audit-words.ts';
import { prefixOf } from '../../shared/jurisdictions.ts';
import { nameRow, staffNames } from '../lib/accounts/names.ts';
import { type CursorScope, decodeCursor, encodeCursor } from '../lib/http/cursor.ts';
import { found, ValidationError } from '../lib/http/errors.ts';
import { defineRoute } from '../lib/http/handler.ts';
import { inScope } from '../lib/http/scope.ts';
import { auditEvents } from '../lib/store/audit.ts';
import { fromItem } from '../lib/store/table.ts';

const query = z.object({
  entity: z.optional(
    z.string().check(z.regex(/^[a-z]+:[A-Za-z0-9-]{1,64}$/, 'Like day:<id>, booking:<code>, enterprise:<uscc>')),
  ),
  actor: z.optional(z.string().check(z.minLength(1), z.maxLength(128))),
  from: z.optional(z.iso.datetime({ offset: true })),
  to: z.optional(z.iso.datetime({ offset: true })),
  limit: z.optional(z.coerce.number().check(z.int(), z.minimum(1), z.maximum(200))),
  cursor: z.optional(z.string().check(z.maxLength(2000))),
});

/**
 * GET /api/staff/audit?entity=&actor=&from=&to= (leads and admins): the audit events of one
 * entity, or every event inside the caller's jurisdiction, newest first. Events of records outside
 * one's scope are never shown.
 */
export const listAudit = defineRoute({
  query,
  handler: async ({ query: q, identity: caller }) => {
    const identity = found(caller);
    const from = q.from ? new Date(q.from).toISOString() : '0000';
    const to = q.to ? new Date(q.to).toISOString() : '9999';
    if (to < from) throw new ValidationError({ to: 'Must not be before from' });
    const cursorScope: CursorScope = {
      route: 'audit.list',
      caller: identity,
      query: { entity: q.entity, actor: q.actor, from, to },
      partition: q.entity
        ? { pk: `AUDIT#${q.entity}` }
        : { scopePk: 'AUDIT', scopeSk: { prefix: prefixOf(identity.jurisdiction) } },
    };
    const start = await decodeCursor(q.cursor, cursorScope);
    const out = await auditEvents(
      { entity: q.entity, scopePrefix: prefixOf(identity.jurisdiction), actor: q.actor, from, to },
      { limit: q.limit ?? 50, start },
    );
    const events = out.items
      .filter((e) => inScope(identity, String(e.jurisdiction)))
      .map((item) => fromItem<AuditEvent>(item))
      .sort((a, b) => b.at.localeCompare(a.at));
    // People by name (issue 18): each event's actor beside its username, and `names` for the people
    // its fields name (a pairing's liaison), all from one lookup. Only names of this page's events.
    const usernames = [...new Set(events.flatMap(auditPeople))];
    const personOf = await staffNames(usernames);
    return {
      events: events.map((e) => nameRow(e, ['actor'], personOf)),
      names: Object.fromEntries(usernames.map((u) => [u, personOf(u)])),
      nextCursor: await encodeCursor(out.lastKey, cursorScope),
    };
  },
});
