/**
 * The console's "today" answer (`GET /api/staff/today`, issue 18), read once per page and kept a
 * minute in sessionStorage: the nav's counts show on every console page, and without the cache each
 * page load would add a request to its own. The home page asks for a fresh one (its cards are the
 * answer itself); an action that changes a count (reading an inbox entry) forgets the cached one.
 */
import type { TodayView } from '../../../shared/today.ts';
import { api } from './api.ts';

const STORE_KEY = 'eco-today';
/** How long a read answer stands for the nav: counts a minute old are good enough between pages. */
const KEEP_MS = 60_000;

let asked: Promise<TodayView | null> | undefined;

interface Kept {
  /** The end of the token it was read with: another account's answer is never shown. */
  tag: string;
  at: number;
  view: TodayView;
}

const kept = (tag: string): TodayView | null => {
  try {
    const entry = JSON.parse(sessionStorage.getItem(STORE_KEY) ?? 'null') as Kept | null;
    return entry?.tag === tag && Date.now() - entry.at < KEEP_MS ? entry.view : null;
  } catch {
    return null;
  }
};

const read = async (token: string, fresh: boolean): Promise<TodayView | null> => {
  const tag = token.slice(-24);
  const stored = fresh ? null : kept(tag);
  if (stored) return stored;
  const answer = await api('today.get', { token });
  if (!answer.ok) return null;
  const view = answer.body;
  try {
    sessionStorage.setItem(STORE_KEY, JSON.stringify({ tag, at: Date.now(), view } satisfies Kept));
  } catch {
    // A full or refused storage only costs the next page a request.
  }
  return view;
};

/** The answer, one request per page at most (`fresh`: not from the cache; only the first call decides). */
export const todayView = (token: string, options: { fresh?: boolean } = {}): Promise<TodayView | null> => {
  asked ??= read(token, options.fresh ?? false);
  return asked;
};

/** Drops the cached answer, so the next page reads the counts again. */
export const forgetToday = (): void => {
  asked = undefined;
  try {
    sessionStorage.removeItem(STORE_KEY);
  } catch {
    // Nothing kept.
  }
};
