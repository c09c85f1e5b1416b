import { randomUUID } from 'node:crypto';
import { keys } from '../../../shared/keys.ts';
import type { Identity } from '../http/identity.ts';
import { tableName } from './table.ts';

/**
 * The Put of one audit event, to be written in the same transaction as the change it
 * records (rule 8): who, when, what, before and after.
 */
export const auditPut = (
  identity: Pick<Identity, 'username'> & { role: string },
  event: { entity: string; jurisdiction: string; action: string; before?: unknown; after?: unknown },
  at: string,
  /** A fixed id for a write a retry may repeat: the event is then written once (the Put is conditional). */
  fixedId?: string,
) => {
  const eventId = fixedId ?? randomUUID();
  return {
    Put: {
      ...(fixedId ? { ConditionExpression: 'attribute_not_exists(pk)' } : {}),
      TableName: tableName(),
      Item: {
        ...keys.audit(event.entity, at, eventId),
        ...keys.auditScope(event.jurisdiction, at, eventId),
        type: 'audit',
        eventId,
        at,
        actor: identity.username,
        role: identity.role,
        entity: event.entity,
        jurisdiction: event.jurisdiction,
        action: event.action,
        before: event.before ?? null,
        after: event.after ?? null,
      },
    },
  };
};
