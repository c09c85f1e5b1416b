/**
 * The firm's session in the browser (issue 16): the token of `POST /api/public/firm-sign-in/verify`
 * and its expiry, kept in sessionStorage. Why sessionStorage and not localStorage: firms often sign
 * in on a shared office computer or a colleague's phone; a token that lives only as long as the tab
 * is not left behind for the next person, and no other tab or later visit can read it. The price is
 * signing in again in a new tab, for a token that lasts 12 hours at most anyway. An expired token is
 * dropped when read, so a page never sends one the API would refuse.
 */
const KEY = 'eco.firm.session';

export interface FirmSession {
  token: string;
  expiresAt: string;
}

export const readSession = (): FirmSession | null => {
  try {
    const parsed = JSON.parse(sessionStorage.getItem(KEY) ?? 'null') as FirmSession | null;
    if (!parsed || typeof parsed.token !== 'string' || !(Date.parse(parsed.expiresAt) > Date.now())) {
      sessionStorage.removeItem(KEY);
      return null;
    }
    return parsed;
  } catch {
    return null;
  }
};

export const saveSession = (session: FirmSession) => sessionStorage.setItem(KEY, JSON.stringify(session));
export const clearSession = () => sessionStorage.removeItem(KEY);

export interface Answer {
  status: number;
  // biome-ignore lint/suspicious/noExplicitAny: answers of a few known shapes, read field by field
  body: any;
  /** Seconds of a 429's `Retry-After`, when given. */
  retryAfter: number | null;
}

/** A same-origin JSON call; never throws (a network failure answers status 0). */
export const call = async (
  path: string,
  options: { json?: unknown; token?: string; headers?: Record<string, string> } = {},
): Promise<Answer> => {
  const headers: Record<string, string> = { accept: 'application/json', ...options.headers };
  if (options.json !== undefined) headers['content-type'] = 'application/json';
  if (options.token) headers.authorization = `Bearer ${options.token}`;
  try {
    const res = await fetch(path, {
      method: options.json === undefined ? 'GET' : 'POST',
      headers,
      body: options.json === undefined ? null : JSON.stringify(options.json),
      cache: 'no-store',
      signal: AbortSignal.timeout(15_000),
    });
    const after = Number(res.headers.get('retry-after'));
    return {
      status: res.status,
      body: await res.json().catch(() => null),
      retryAfter: Number.isFinite(after) && after > 0 ? after : null,
    };
  } catch {
    return { status: 0, body: null, retryAfter: null };
  }
};

/** The error code of an answer's envelope, if any. */
export const codeOf = (answer: Answer): string | undefined => answer.body?.error?.code;
