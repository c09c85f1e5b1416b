import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { OutboxEntry } from '../../shared/outbox.ts';

/** Every recorded message, oldest first (file names start with the time). */
export const readOutbox = (dir: string): OutboxEntry[] =>
  existsSync(dir)
    ? readdirSync(dir)
        .filter((f) => f.endsWith('.json'))
        .sort()
        .map((f) => JSON.parse(readFileSync(join(dir, f), 'utf8')) as OutboxEntry)
    : [];
