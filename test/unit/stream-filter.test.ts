import { describe, expect, it } from 'vitest';
import { matchesFilter } from '../../infra/local/streams.ts';
import { MESSAGE_STREAM } from '../../shared/functions.ts';

// The local event source mapping applies the deliveries trigger's filter as Lambda would: only a
// message record just recorded or released (carrying `wake`) wakes the function; its own writes
// (the claim removes `wake`), other records and TTL deletions never do.
const record = (eventName: string, image?: Record<string, unknown>) => ({
  eventName,
  dynamodb: { Keys: { pk: { S: 'MSG#booking:X' }, sk: { S: 'confirmed#' } }, ...(image ? { NewImage: image } : {}) },
});

describe('the deliveries trigger’s stream filter', () => {
  it('lets through a message inserted or released with wake, and nothing else', () => {
    const awake = { type: { S: 'message' }, wake: { S: '1' } };
    expect(matchesFilter(MESSAGE_STREAM.filter, record('INSERT', awake))).toBe(true);
    expect(matchesFilter(MESSAGE_STREAM.filter, record('MODIFY', awake))).toBe(true);
    expect(matchesFilter(MESSAGE_STREAM.filter, record('MODIFY', { type: { S: 'message' }, round: { S: 'r' } }))).toBe(
      false,
    );
    expect(matchesFilter(MESSAGE_STREAM.filter, record('INSERT', { type: { S: 'booking' }, wake: { S: '1' } }))).toBe(
      false,
    );
    expect(matchesFilter(MESSAGE_STREAM.filter, record('REMOVE'))).toBe(false);
  });

  it('reads lists of allowed values and exists as Lambda’s filter syntax does', () => {
    expect(matchesFilter({ a: [{ exists: true }] }, { a: 1 })).toBe(true);
    expect(matchesFilter({ a: [{ exists: false }] }, {})).toBe(true);
    expect(matchesFilter({ a: ['x', 'y'] }, { a: 'y' })).toBe(true);
    expect(matchesFilter({ a: { b: ['x'] } }, { a: 'x' })).toBe(false);
  });
});
