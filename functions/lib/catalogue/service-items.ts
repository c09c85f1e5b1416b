import { keys } from '../../../shared/keys.ts';
import { monthOf } from '../../../shared/monthly.ts';
import {
  type CatalogueInput,
  contactCounter,
  DEFAULT_CATALOGUE,
  droppedIds,
  ledgerCounter,
  type ServiceCatalogue,
  type ServiceStats,
  serviceStatsOf,
  unofferedTags,
} from '../../../shared/service-items.ts';
import { ConflictError, ValidationError } from '../http/errors.ts';
import type { Identity } from '../http/identity.ts';
import { withAncestors } from '../pairings/counters.ts';
import { auditPut } from '../store/audit.ts';
import { fromItem, getRecord, queryAll, tableName } from '../store/table.ts';
import { transact } from '../store/transact.ts';

/**
 * The annual service items (issue 19): the catalogue admins keep, the check that a contact's or a
 * ledger item's tags are offered, and the per-item counters written in those facts' own
 * transactions, so "how much policy, technology and service did we bring" is a Query of months.
 */

/** The catalogue offered now: the stored one, else the built-in 14 items (version 0). */
export const currentCatalogue = async (): Promise<ServiceCatalogue> => {
  const stored = await getRecord<ServiceCatalogue>(keys.serviceCatalogue(), { consistent: true });
  return stored
    ? { version: stored.version, items: stored.items, updatedAt: stored.updatedAt, updatedBy: stored.updatedBy }
    : DEFAULT_CATALOGUE;
};

/**
 * Saves a new catalogue at the version the admin saw (409 VERSION_CONFLICT otherwise). Items may be
 * added, renamed or retired, never dropped: last year's tags must keep their names.
 */
export const saveCatalogue = async (input: CatalogueInput, identity: Identity, now: Date) => {
  const before = await currentCatalogue();
  if (before.version !== input.version) {
    throw new ConflictError('VERSION_CONFLICT', 'The catalogue changed meanwhile; reload and try again');
  }
  const dropped = droppedIds(before.items, input.items);
  if (dropped.length > 0) {
    throw new ValidationError({ items: `Retire items instead of removing them: ${dropped.join(', ')}` });
  }
  const at = now.toISOString();
  const after: ServiceCatalogue = {
    version: before.version + 1,
    items: input.items.map((i) => ({
      id: i.id,
      category: i.category,
      zh: i.zh,
      en: i.en,
      ...(i.retired ? { retired: true } : {}),
    })),
    updatedAt: at,
    updatedBy: identity.username,
  };
  const record = { type: 'serviceCatalogue', ...after };
  const result = await transact([
    {
      Put: {
        TableName: tableName(),
        Item: { ...keys.serviceCatalogue(), ...record },
        ConditionExpression: before.version === 0 ? 'attribute_not_exists(pk)' : 'version = :seen',
        ...(before.version === 0 ? {} : { ExpressionAttributeValues: { ':seen': before.version } }),
      },
    },
    {
      Put: {
        TableName: tableName(),
        Item: { ...keys.serviceCatalogueVersion(after.version), ...record },
        ConditionExpression: 'attribute_not_exists(pk)',
      },
    },
    auditPut(
      identity,
      {
        entity: 'catalogue:service-items',
        jurisdiction: identity.jurisdiction,
        action: 'serviceItems.save',
        before,
        after,
      },
      at,
    ),
  ]);
  if (!result.ok) throw new ConflictError('VERSION_CONFLICT', 'The catalogue changed meanwhile; reload and try again');
  return after;
};

/** Refuses tags the current catalogue does not offer (a 400 naming `field`); reads it only when tagged. */
export const checkTags = async (tags: readonly string[] | undefined, field = 'serviceItems') => {
  if (!tags || tags.length === 0) return;
  const unoffered = unofferedTags(await currentCatalogue(), tags);
  if (unoffered.length > 0) {
    throw new ValidationError({ [field]: `Not offered in the service items' catalogue: ${unoffered.join(', ')}` });
  }
};

/**
 * The counter Updates of tagged work at `at` in a county: one per level (county, city, province),
 * to go in the fact's own transaction, so a contact or an item is counted exactly when it is stored.
 */
export const serviceCountUpdates = (
  county: string,
  at: string,
  tags: { contact?: readonly string[] | undefined; ledger?: readonly string[] | undefined },
) => {
  const names = [...(tags.contact ?? []).map(contactCounter), ...(tags.ledger ?? []).map(ledgerCounter)];
  if (names.length === 0) return [];
  const month = monthOf(new Date(at));
  return withAncestors(county).map((code) => {
    const { pk, sk, parentPk, parentSk } = keys.serviceCounts(month, code);
    return {
      Update: {
        TableName: tableName(),
        Key: { pk, sk },
        UpdateExpression: `ADD ${names.map((_, i) => `#c${i} :one`).join(', ')} SET parentPk = :pp, parentSk = :ps, code = :code, #month = :month`,
        ExpressionAttributeNames: { ...Object.fromEntries(names.map((n, i) => [`#c${i}`, n])), '#month': 'month' },
        ExpressionAttributeValues: { ':one': 1, ':pp': parentPk, ':ps': parentSk, ':code': code, ':month': month },
      },
    };
  });
};

/** Work per service item of a jurisdiction over months `from`..`to` (YYYY-MM): one Query and the catalogue. */
export const serviceStats = async (jurisdiction: string, from: string, to: string): Promise<ServiceStats> => {
  const [catalogue, months] = await Promise.all([
    currentCatalogue(),
    queryAll({
      IndexName: 'byParent',
      KeyConditionExpression: 'parentPk = :pp AND parentSk BETWEEN :from AND :to',
      ExpressionAttributeValues: { ':pp': keys.serviceTrendOf(jurisdiction).parentPk, ':from': from, ':to': to },
    }),
  ]);
  const rows = months.map((m) => fromItem<Record<string, unknown>>(m));
  const sum = (counter: string) => rows.reduce((n, row) => n + Number(row[counter] ?? 0), 0);
  return { jurisdiction, from, to, catalogueVersion: catalogue.version, ...serviceStatsOf(catalogue, sum) };
};
