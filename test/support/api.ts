/**
 * JSON calls to a running product (the local runtime) as one of the accounts signed in by the
 * test: `tokens[who]` is its bearer token; `who` undefined calls without one.
 */
export const apiCaller =
  (baseUrl: () => string, tokens: Record<string, string>) =>
  async (method: string, path: string, who: string | undefined, body?: unknown) => {
    const res = await fetch(`${baseUrl()}${path}`, {
      method,
      headers: { 'content-type': 'application/json', ...(who ? { authorization: `Bearer ${tokens[who]}` } : {}) },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    // biome-ignore lint/suspicious/noExplicitAny: answers of many shapes, checked field by field by the tests
    return { status: res.status, body: (await res.json()) as Record<string, any> };
  };

/**
 * Runs a scheduled job of a running product as Scheduler would fire it at `at`
 * (`POST /api/local/jobs/{name}`): the answer's JSON (a monthly job answers `runs`, any other `result`).
 */
export const runLocalJob = async (baseUrl: string, name: string, at: string) => {
  const res = await fetch(`${baseUrl}/api/local/jobs/${name}`, { method: 'POST', body: JSON.stringify({ at }) });
  // biome-ignore lint/suspicious/noExplicitAny: the job's own tally, read field by field by the tests
  return (await res.json()) as { result?: Record<string, any>; runs?: { job: string; result: Record<string, any> }[] };
};
