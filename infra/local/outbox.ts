import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { OutboxEntry } from '../../shared/outbox.ts';

/** The entry of one file, or undefined while its writer is still writing it (read again later). */
const entryOf = (file: string): OutboxEntry | undefined => {
  try {
    return JSON.parse(readFileSync(file, 'utf8')) as OutboxEntry;
  } catch {
    return undefined;
  }
};

/**
 * Every recorded message, oldest first (file names start with the time). Messages are sent while
 * requests go on (the deliveries function), so a file being written is left for the next read.
 */
export const readOutbox = (dir: string): OutboxEntry[] =>
  existsSync(dir)
    ? readdirSync(dir)
        .filter((f) => f.endsWith('.json'))
        .sort()
        .map((f) => entryOf(join(dir, f)))
        .filter((e): e is OutboxEntry => e !== undefined)
    : [];
