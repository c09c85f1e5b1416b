/**
 * What the browser tests (test/e2e/) share besides the product itself (product.ts): the browser
 * contexts' sizes, an API client with the staff's bearer tokens, signing in through the sign-in page,
 * and a watch on what a page's Content-Security-Policy refused.
 */
import type { Page } from 'playwright-core';

/** A desk (Chinese). */
export const deskSize = { viewport: { width: 1280, height: 800 }, locale: 'zh-CN' };

/** A small phone, 360 pixels wide, touch (Chinese). */
export const phoneSize = {
  viewport: { width: 360, height: 740 },
  deviceScaleFactor: 2,
  isMobile: true,
  hasTouch: true,
  locale: 'zh-CN',
};

/** A tablet held upright, 820 × 1180, touch (Chinese). */
export const tabletSize = { ...phoneSize, viewport: { width: 820, height: 1180 } };

export interface ApiAnswer {
  status: number;
  /** The answer's JSON (null when there is none). */
  body: Record<string, unknown> | null;
}

/**
 * Helpers for the product at `base()` (read at each call, so they can be made before the product is
 * started): `call` sends a request as a staff user (by the token `apiSignIn` got for them, or none),
 * `signIn` signs a page in through `/staff/sign-in/`; every demo user's password is `demo`.
 */
export const productClient = (base: () => string) => {
  /** Staff tokens by username. */
  const token: Record<string, string> = {};

  const call = async (method: string, path: string, who?: string, body?: unknown): Promise<ApiAnswer> => {
    const res = await fetch(`${base()}${path}`, {
      method,
      headers: {
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
        ...(who ? { authorization: `Bearer ${token[who]}` } : {}),
      },
      body: body === undefined ? null : JSON.stringify(body),
    });
    const json = (await res.json().catch(() => null)) as Record<string, unknown> | null;
    return { status: res.status, body: json };
  };

  /** Signs `username` in through `POST /api/local-auth/sign-in` and keeps the token; answers the API's answer. */
  const apiSignIn = async (username: string): Promise<ApiAnswer> => {
    const res = await call('POST', '/api/local-auth/sign-in', undefined, { username, password: 'demo' });
    token[username] = String(res.body?.token);
    return res;
  };

  /** Signs the page in as `username` on the sign-in page and waits for the "me" card. */
  const signIn = async (p: Page, username: string) => {
    await p.goto(`${base()}/staff/sign-in/`);
    await p.fill('#username', username);
    await p.fill('#password', 'demo');
    await p.click('#sign-in-form button[type=submit]');
    await p.locator('#me').waitFor({ state: 'visible' });
  };

  return { token, call, apiSignIn, signIn };
};

/**
 * What the browser refused under the pages' Content-Security-Policy (`blocked`, which must stay empty),
 * from the pages given to `watchCsp`.
 */
export const cspWatch = () => {
  const blocked: string[] = [];
  const watchCsp = (p: Page) =>
    p.on('console', (message) => {
      if (message.type() === 'error' && /Content Security Policy/i.test(message.text())) blocked.push(message.text());
    });
  return { blocked, watchCsp };
};
