/**
 * What the browser tests (test/e2e/) share besides the product itself (product.ts): the browser
 * contexts' sizes, an API client with the staff's bearer tokens, signing in through the sign-in page,
 * and a watch on what a page's Content-Security-Policy refused.
 */
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { pairedWuzhongFirm } from './firms.ts';
import { phone } from './product.ts';

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

/** The briefs' phone, 390 × 844, touch (Chinese). */
export const phoneZh = { ...phone, locale: 'zh-CN' };

/**
 * A phone (`phoneZh`) and a desk, a page each, in one browser, for tests that follow one piece of
 * work from the field to the office; `close` closes both.
 */
export const phoneAndDesk = async (browser: Browser) => {
  const mobile = await browser.newContext(phoneZh);
  const desk = await browser.newContext(deskSize);
  return {
    phonePage: await mobile.newPage(),
    deskPage: await desk.newPage(),
    close: async () => {
      await mobile.close();
      await desk.close();
    },
  };
};

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

  /**
   * Signs the page in as `username` without the issuer's pages (for tests about something else): an ID
   * token from the local shortcut, stored as the console's OpenID Connect client stores a session
   * (`storeSession`), then the console home, where a person lands after signing in.
   */
  const signIn = async (p: Page, username: string) => {
    const res = await apiSignIn(username);
    if (res.status !== 200) throw new Error(`${username} could not sign in: ${res.status}`);
    await p.goto(`${base()}/`);
    await storeSession(p, token[username] as string);
    await p.goto(`${base()}/staff/`);
    await p.locator('#console-me').waitFor({ state: 'visible' });
  };

  return { token, call, apiSignIn, signIn };
};

export type ProductClient = ReturnType<typeof productClient>;

/** The console's session record in localStorage (site/src/kit/session.ts): one per browser, every tab. */
export const SESSION_KEY = 'eco.session';

/** The session record for an ID token, as the console keeps it (expiry read from the token). */
export const sessionRecord = (idToken: string): string => {
  const payload = JSON.parse(Buffer.from(idToken.split('.')[1] ?? '', 'base64url').toString('utf8') || '{}') as {
    exp?: number;
  };
  return JSON.stringify({ idToken, exp: payload.exp ?? 0 });
};

/** Stores an ID token as the console's session, on the page's origin (the page must be on the site). */
export const storeSession = async (p: Page, idToken: string): Promise<void> => {
  await p.evaluate(
    ([key, value]) => localStorage.setItem(key as string, value as string),
    [SESSION_KEY, sessionRecord(idToken)],
  );
};

/** Makes every page of a browser context start with this ID token as its session (before any script runs). */
export const sessionOnEveryPage = async (context: BrowserContext, idToken: string): Promise<void> => {
  await context.addInitScript(
    ([key, value]) => {
      // Only where no session was stored yet, so a test can still sign out or replace it.
      if (!localStorage.getItem(key as string)) localStorage.setItem(key as string, value as string);
    },
    [SESSION_KEY, sessionRecord(idToken)],
  );
};

/** The stored session's ID token (null without one). */
export const storedToken = (p: Page): Promise<string | null> =>
  p.evaluate((key) => {
    try {
      return (JSON.parse(localStorage.getItem(key) ?? 'null') as { idToken?: string } | null)?.idToken ?? null;
    } catch {
      return null;
    }
  }, SESSION_KEY);

/**
 * Signs in through the issuer's own page, as a person does: the console's sign-in button, then the
 * provider's form. Answers once the form is sent (the test waits for where it lands).
 */
export const signInAtIssuer = async (p: Page, username: string, password = 'demo'): Promise<void> => {
  await p.locator('#sign-in-start').click();
  await p.waitForURL(/\/oidc\/interaction\//);
  await p.fill('#username', username);
  await p.fill('#password', password);
  await p.click('#sign-in-form button[type=submit]');
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

/**
 * The field tests' start: the Wuzhong lead and liaison signed in to the API, and the liaison on a
 * phone (`phoneZh`) signed in to the console, whose network a test may cut (`phone.setOffline`).
 */
export const liaisonOnPhone = async (browser: Browser, client: Pick<ProductClient, 'apiSignIn' | 'signIn'>) => {
  for (const who of ['lead.wuzhong', 'liaison.wuzhong']) await client.apiSignIn(who);
  const context = await browser.newContext(phoneZh);
  const page = await context.newPage();
  await client.signIn(page, 'liaison.wuzhong');
  return { phone: context, mobile: page };
};

/**
 * The field-day tests' firms: each registered in Wuzhong with one contact and paired with
 * liaison.wuzhong from the month's first day, through the API as a lead would (lead.wuzhong must
 * be signed in). Answers each firm's pairing id.
 */
export const pairWuzhongFirms = async (
  call: (method: string, path: string, who?: string, body?: unknown) => Promise<ApiAnswer>,
  month: string,
  firms: readonly (readonly [uscc: string, name: string])[],
): Promise<Record<string, string>> => {
  const pairingOf: Record<string, string> = {};
  for (const [uscc, name] of firms) {
    pairingOf[uscc] = await pairedWuzhongFirm(
      call,
      uscc,
      {
        name,
        address: '苏州市吴中区木渎镇金枫南路 8 号',
        industry: '电镀',
        contacts: [{ name: '王经理', role: '环保专员', mobile: '13812345678' }],
      },
      `${month}-01`,
    );
  }
  return pairingOf;
};
