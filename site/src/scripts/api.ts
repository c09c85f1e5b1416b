/**
 * Same-origin JSON calls to `/api` from the browser. Never throws: a network failure or a
 * timeout answers status 0, a body that is not JSON answers `body: null`.
 */
export interface ApiResult {
  status: number;
  body: unknown;
}

export interface ApiOptions {
  method?: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  json?: unknown;
  token?: string | null;
  timeoutMs?: number;
}

export const api = async (path: string, options: ApiOptions = {}): Promise<ApiResult> => {
  const headers: Record<string, string> = { accept: 'application/json' };
  if (options.json !== undefined) headers['content-type'] = 'application/json';
  if (options.token) headers.authorization = `Bearer ${options.token}`;
  try {
    const response = await fetch(path, {
      method: options.method ?? (options.json === undefined ? 'GET' : 'POST'),
      headers,
      body: options.json === undefined ? null : JSON.stringify(options.json),
      credentials: 'same-origin',
      cache: 'no-store',
      signal: AbortSignal.timeout(options.timeoutMs ?? 15_000),
    });
    const body: unknown = await response.json().catch(() => null);
    return { status: response.status, body };
  } catch {
    return { status: 0, body: null };
  }
};

/** The `error.code` of an error body (`{"error": {"code": …}}`), if any. */
export const errorCodeOf = (body: unknown): string | undefined => {
  const error = (body as { error?: { code?: unknown } } | null)?.error;
  return typeof error?.code === 'string' ? error.code : undefined;
};

/** The messages a component rendered into `data-msg` for its script. */
export const messagesOf = (element: HTMLElement): Record<string, string> => {
  try {
    return JSON.parse(element.dataset.msg ?? '{}') as Record<string, string>;
  } catch {
    return {};
  }
};
