import * as z from 'zod/mini';
import { ValidationError } from './errors.ts';

/** Opaque paging cursors: DynamoDB's LastEvaluatedKey as base64url JSON, checked on the way back. */
const keyShape = z.record(z.string(), z.string());

export const encodeCursor = (key: Record<string, unknown> | undefined): string | null =>
  key ? Buffer.from(JSON.stringify(key)).toString('base64url') : null;

export const decodeCursor = (cursor: string | undefined): Record<string, string> | undefined => {
  if (!cursor) return undefined;
  try {
    return z.parse(keyShape, JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')));
  } catch {
    throw new ValidationError({ cursor: 'Not a cursor from a previous page' });
  }
};
