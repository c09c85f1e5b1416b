import { sentLocally } from '../../infra/local/channels.ts';
import type { OutboxEntry } from '../../shared/outbox.ts';

/**
 * The one reader of what was sent, for every test: the entries the channel stand-ins of this test
 * process received (the integration tier starts them per file in channels-setup.ts; a runtime
 * started by a test adds its own), the same list `GET /api/local/outbox` answers. Oldest first.
 */
export const readOutbox = (): OutboxEntry[] => sentLocally();

export type SentEmail = Extract<OutboxEntry, { channel: 'email' }>;
export type SentText = Extract<OutboxEntry, { channel: 'sms' }>;
export type RobotPost = Extract<OutboxEntry, { channel: 'robot' }>;

export const sentEmails = (): SentEmail[] => readOutbox().filter((e): e is SentEmail => e.channel === 'email');
export const sentTexts = (): SentText[] => readOutbox().filter((e): e is SentText => e.channel === 'sms');
export const robotPosts = (): RobotPost[] => readOutbox().filter((e): e is RobotPost => e.channel === 'robot');

/** The same list from a running instance, through `GET /api/local/outbox` (e2e: the product may run in another process). */
export const fetchOutbox = async (url: string): Promise<OutboxEntry[]> =>
  ((await (await fetch(`${url}/api/local/outbox`)).json()) as { entries: OutboxEntry[] }).entries;

export const fetchEmails = async (url: string): Promise<SentEmail[]> =>
  (await fetchOutbox(url)).filter((e): e is SentEmail => e.channel === 'email');
