/**
 * Signing a firm in as a test needs it (integration and e2e alike): the public SMS sign-in, with the
 * code the SMS stand-in received. The code is the newest one to that mobile sent after this start,
 * so a test that signs the same firm in twice never reads a stale code.
 */
import { expect } from 'vitest';
import type { OutboxEntry } from '../../shared/outbox.ts';
import { fetchOutbox, readOutbox, waitForOutbox } from './outbox.ts';

export interface FirmSession {
  token: string;
  expiresAt: string;
}

/**
 * Signs the firm `uscc` in with its roster contact `mobile` against the product at `base`. The outbox
 * is this process's (integration), or the product's own when `outbox` is given (e2e, another process).
 */
export const signInFirm = async (
  base: string,
  uscc: string,
  mobile: string,
  { outbox }: { outbox?: string } = {},
): Promise<FirmSession> => {
  const post = (path: string, body: unknown) =>
    fetch(`${base}${path}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
  const codes = (entries: OutboxEntry[]) =>
    entries.filter((e) => e.channel === 'sms' && e.to === `+86${mobile}` && e.text.includes('验证码'));
  const before = codes(outbox ? await fetchOutbox(outbox) : readOutbox()).length;
  expect((await post('/api/public/firm-sign-in/start', { uscc, mobile })).status).toBe(202);
  const entries = await waitForOutbox((all) => codes(all).length > before, { url: outbox, timeoutMs: 10_000 });
  const code = /验证码为 (\d{6})/.exec(codes(entries).at(-1)?.text ?? '')?.[1] ?? '';
  const verified = await post('/api/public/firm-sign-in/verify', { uscc, mobile, code });
  const text = await verified.text();
  expect(verified.status, text).toBe(200);
  return JSON.parse(text) as FirmSession;
};
