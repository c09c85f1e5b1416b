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
  ],
} as const satisfies {
  logicalName: string;
  partitionKey: string;
  sortKey: string;
  ttlAttribute: string;
  indexes: readonly IndexDef[];
};

export type IndexName = (typeof table.indexes)[number]['name'];
