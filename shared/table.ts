import { JUDGED_ATTRIBUTES } from './pairing-views.ts';

/**
 * The single DynamoDB table, as data: CDK creates it from this and the local
 * bootstrap creates (and reconciles the indexes of) DynamoDB Local from it.
 * Access patterns and key layout: see table.md beside this file.
 */
export interface IndexDef {
  /** Named by the access pattern it serves. */
  readonly name: string;
  readonly partitionKey: string;
  readonly sortKey: string;
  readonly purpose: string;
  /** Project only these attributes (besides the keys); all attributes when absent. */
  readonly include?: readonly string[];
}

export const table = {
  logicalName: 'EcoLiaison',
  partitionKey: 'pk',
  sortKey: 'sk',
  /** Epoch seconds; DynamoDB deletes the item (or we strip personal data) after it. */
  ttlAttribute: 'expiresAt',
  indexes: [
    {
      name: 'byScope',
      partitionKey: 'scopePk',
      sortKey: 'scopeSk',
      purpose: 'List one kind of record inside a jurisdiction subtree: scopeSk starts with the six-digit code',
    },
    {
      name: 'byParent',
      partitionKey: 'parentPk',
      sortKey: 'parentSk',
      purpose: 'List the children of a record or collection in order: days by date, bookings of a day by slot and time',
    },
    {
      name: 'byJudging',
      partitionKey: 'judgePk',
      sortKey: 'judgeSk',
      purpose:
        'The scheduled jobs read what they judge: every pairing that may be judged for a month (sharded partitions read in parallel, ended pairings skipped by the sort key), and open ledger items by due date for the overdue rule',
      include: JUDGED_ATTRIBUTES,
    },
  ],
} as const satisfies {
  logicalName: string;
  partitionKey: string;
  sortKey: string;
  ttlAttribute: string;
  indexes: readonly IndexDef[];
};

/** DynamoDB's Projection of an index, from its definition. */
export const projectionOf = (index: IndexDef) =>
  index.include
    ? { ProjectionType: 'INCLUDE' as const, NonKeyAttributes: [...index.include] }
    : { ProjectionType: 'ALL' as const };

export type IndexName = (typeof table.indexes)[number]['name'];
