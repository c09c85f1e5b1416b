import { randomUUID } from 'node:crypto';
import { QueryCommand } from '@aws-sdk/lib-dynamodb';
import type { AuditAction } from '../../../shared/audit.ts';
import { keys } from '../../../shared/keys.ts';
import type { Identity } from '../http/identity.ts';
import { db, tableName } from './table.ts';

/**
 * The Put of one audit event, to be written in the same transaction as the change it
 * records (rule 8): who, when, what, before and after. The action is one of shared/audit.ts's, so
 * every action the log can hold has its name in the bureau's words on the audit page and export.
 */
export const auditPut = (
  identity: Pick<Identity, 'username'> & { role: string },
  event: { entity: string; jurisdiction: string; action: AuditAction; before?: unknown; after?: unknown },
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

/**
 * One page of audit events, newest first: those of one entity (its partition), or else those under a
 * jurisdiction prefix (the byScope index), at times in [from, to], of one actor if given. The caller
 * still filters by its own scope: an entity's partition holds events of any jurisdiction.
 */
export const auditEvents = async (
  where: { entity?: string; scopePrefix: string; actor?: string; from: string; to: string },
  page: { limit: number; start: Record<string, unknown> | undefined },
) => {
  const filters = ['#at BETWEEN :from AND :to'];
  const values: Record<string, unknown> = { ':from': where.from, ':to': where.to };
  if (where.actor) {
    filters.push('actor = :actor');
    values[':actor'] = where.actor;
  }
  const out = await db().send(
    new QueryCommand({
      TableName: tableName(),
      ...(where.entity
        ? {
            KeyConditionExpression: 'pk = :pk',
            ExpressionAttributeValues: { ...values, ':pk': `AUDIT#${where.entity}` },
          }
        : {
            IndexName: 'byScope',
            KeyConditionExpression: 'scopePk = :p AND begins_with(scopeSk, :prefix)',
            ExpressionAttributeValues: { ...values, ':p': 'AUDIT', ':prefix': where.scopePrefix },
          }),
      FilterExpression: filters.join(' AND '),
      ExpressionAttributeNames: { '#at': 'at' },
      ScanIndexForward: false,
      Limit: page.limit,
      ExclusiveStartKey: page.start,
    }),
  );
  return { items: out.Items ?? [], lastKey: out.LastEvaluatedKey };
};
