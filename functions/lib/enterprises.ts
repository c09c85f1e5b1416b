import { QueryCommand } from '@aws-sdk/lib-dynamodb';
import type { EnterpriseInput, EnterprisePatch } from '../../shared/enterprise.ts';
import { prefixOf } from '../../shared/jurisdictions.ts';
import { keys } from '../../shared/keys.ts';
import { auditPut } from './audit.ts';
import type { Identity } from './auth.ts';
import { batchGet, db, fromItem, getRecord, tableName } from './aws.ts';
import { ConflictError } from './errors.ts';
import { transact } from './transact.ts';

/** Enterprises in the single table (see shared/table.md). */
export interface Enterprise extends EnterpriseInput {
  status: 'active' | 'paused' | 'closed';
  version: number;
  createdAt: string;
  updatedAt: string;
}

export const getEnterprise = (uscc: string) => getRecord<Enterprise>(keys.enterprise(uscc));

/** The names of some firms by USCC (one BatchGet per hundred), for lists that carry only the code. */
export const enterpriseNames = async (usccs: readonly string[]): Promise<Map<string, string>> =>
  new Map(
    (await batchGet([...new Set(usccs)].map((u) => keys.enterprise(u)))).map((i) => [String(i.uscc), String(i.name)]),
  );

/** The Put of an enterprise with its index keys (roster by jurisdiction). */
export const enterprisePut = (enterprise: Enterprise) => ({
  TableName: tableName(),
  Item: {
    ...keys.enterprise(enterprise.uscc),
    ...keys.enterpriseScope(enterprise.county, enterprise.uscc),
    type: 'enterprise',
    ...enterprise,
  },
});

/** Registers an enterprise with its audit event; a USCC registered already is 409 ALREADY_EXISTS. */
export const createEnterprise = async (input: EnterpriseInput, identity: Identity, now: Date): Promise<Enterprise> => {
  const at = now.toISOString();
  const enterprise: Enterprise = { ...input, status: 'active', version: 1, createdAt: at, updatedAt: at };
  const result = await transact([
    { Put: { ...enterprisePut(enterprise), ConditionExpression: 'attribute_not_exists(pk)' } },
    auditPut(
      identity,
      {
        entity: `enterprise:${input.uscc}`,
        jurisdiction: input.county,
        action: 'enterprise.create',
        after: enterprise,
      },
      at,
    ),
  ]);
  if (!result.ok) throw new ConflictError('ALREADY_EXISTS', 'An enterprise with this USCC is registered already');
  return enterprise;
};

/** Applies a patch at the version the caller saw; a stale version is 409 VERSION_CONFLICT (rule 9). */
export const updateEnterprise = async (
  before: Enterprise,
  patch: EnterprisePatch,
  identity: Identity,
  now: Date,
): Promise<Enterprise> => {
  if (patch.version !== before.version)
    throw new ConflictError('VERSION_CONFLICT', 'The enterprise changed meanwhile; reload it');
  const { version, ...changes } = patch;
  const after: Enterprise = { ...before, ...changes, version: before.version + 1, updatedAt: now.toISOString() };
  const result = await transact([
    {
      Put: {
        ...enterprisePut(after),
        ConditionExpression: 'version = :version',
        ExpressionAttributeValues: { ':version': before.version },
      },
    },
    auditPut(
      identity,
      { entity: `enterprise:${after.uscc}`, jurisdiction: after.county, action: 'enterprise.update', before, after },
      now.toISOString(),
    ),
  ]);
  if (!result.ok) throw new ConflictError('VERSION_CONFLICT', 'The enterprise changed meanwhile; reload it');
  return after;
};

/**
 * One page of the enterprises inside a jurisdiction subtree (Query on byScope, never a Scan),
 * optionally narrowed by tier, status, and a name fragment or USCC prefix.
 */
export const listEnterprises = async (options: {
  jurisdiction: string;
  tier?: string | undefined;
  status?: string | undefined;
  q?: string | undefined;
  limit: number;
  cursor?: Record<string, unknown> | undefined;
}): Promise<{ items: Enterprise[]; next?: Record<string, unknown> }> => {
  const filters: string[] = [];
  const names: Record<string, string> = {};
  const values: Record<string, unknown> = {
    ':p': keys.enterprisesScopePk(),
    ':prefix': prefixOf(options.jurisdiction),
  };
  if (options.tier) {
    filters.push('tier = :tier');
    values[':tier'] = options.tier;
  }
  if (options.status) {
    filters.push('#status = :status');
    names['#status'] = 'status';
    values[':status'] = options.status;
  }
  if (options.q) {
    filters.push('(contains(#name, :q) OR begins_with(uscc, :qu))');
    names['#name'] = 'name';
    values[':q'] = options.q;
    values[':qu'] = options.q.toUpperCase();
  }
  const out = await db().send(
    new QueryCommand({
      TableName: tableName(),
      IndexName: 'byScope',
      KeyConditionExpression: 'scopePk = :p AND begins_with(scopeSk, :prefix)',
      ...(filters.length > 0 ? { FilterExpression: filters.join(' AND ') } : {}),
      ...(Object.keys(names).length > 0 ? { ExpressionAttributeNames: names } : {}),
      ExpressionAttributeValues: values,
      Limit: options.limit,
      ExclusiveStartKey: options.cursor,
    }),
  );
  return {
    items: (out.Items ?? []).map((i) => fromItem<Enterprise>(i)),
    ...(out.LastEvaluatedKey ? { next: out.LastEvaluatedKey } : {}),
  };
};
