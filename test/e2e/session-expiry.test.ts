import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { deskSize, productClient, signInAtIssuer, storedToken, storeSession } from '../support/e2e.ts';
import { type Product, startProduct } from '../support/product.ts';

// A session that ends while a console page is open (the token expired or was revoked after the page
// checked it): whatever the page was loading, the person lands on sign-in in the page's language with
// `next` naming the page (path and query), and the dead token is no longer stored. The product runs as
// `npm start` runs it; only the page's own data request is answered 401 by the browser (the API cannot
// be made to expire a token between two requests of one page), `/api/staff/me` stays real.
let product: Product;
let url: string;
let browser: Browser;
const { token, apiSignIn } = productClient(() => url);

beforeAll(async () => {
  product = await startProduct('eco-e2e-expiry-');
  ({ url, browser } = product);
  await apiSignIn('admin');
});

afterAll(async () => {
  await product?.stop();
});

const EXPIRED = { error: { code: 'UNAUTHENTICATED', message: 'The session has expired.' } };

/** A page of the site in a desk-sized tab that holds `stored` as its session token. */
const tabWithToken = async (stored: string): Promise<Page> => {
  const page = await (await browser.newContext(deskSize)).newPage();
  await page.goto(`${url}/`);
  await storeSession(page, stored);
  return page;
};

/** Where the page went: the path, and `next` decoded. */
const landing = (page: Page) => {
  const at = new URL(page.url());
  return { path: at.pathname, next: at.searchParams.get('next') };
};

describe('a session that expires on a console page', () => {
  // Each page with the API path its first data request goes to (after `/api/staff/me`).
  const pages = [
    { page: '/staff/users/', api: '/api/staff/users' },
    { page: '/staff/pairings/', api: '/api/staff/pairings' },
    { page: '/staff/ledger/', api: '/api/staff/ledger-items' },
    { page: '/staff/audit/', api: '/api/staff/audit' },
    { page: '/staff/inbox/', api: '/api/staff/inbox' },
    { page: '/staff/consultation-days/', api: '/api/staff/consultation-days' },
    { page: '/staff/enterprises/firm/?uscc=91320506MA1XYZ1234', api: '/api/staff/enterprises/' },
    { page: '/staff/checkups/report/?id=0b6d2f3e-5a1c-4f7e-9d2b-1c3a5e7f9a0b', api: '/api/staff/checkups/' },
    { page: '/en/staff/compliance/?month=2026-10&jurisdiction=320000', api: '/api/staff/compliance' },
  ];

  for (const { page: at, api } of pages) {
    it(`${at}: a 401 lands on sign-in with next=${at} and drops the token`, async () => {
      // Prepare: a real session, whose page data the API refuses from now on.
      const page = await tabWithToken(token.admin as string);
      await page.route(
        (address) => address.pathname.startsWith(api),
        (route) => route.fulfill({ status: 401, contentType: 'application/json', body: JSON.stringify(EXPIRED) }),
      );

      // Act
      await page.goto(`${url}${at}`);
      await page.waitForURL(/\/staff\/sign-in\/\?next=/);

      // Assess
      expect(landing(page)).toEqual({
        path: at.startsWith('/en/') ? '/en/staff/sign-in/' : '/staff/sign-in/',
        next: at,
      });
      expect(await storedToken(page)).toBeNull();
      await page.context().close();
    });
  }

  it('a token the API itself refuses (forged) on an English console page: English sign-in, next, no token', async () => {
    // Prepare
    const page = await tabWithToken('eyJhbGciOiJub25lIn0.eyJzdWIiOiJ4In0.');

    // Act
    await page.goto(`${url}/en/staff/ledger/`);
    await page.waitForURL(/\/staff\/sign-in\/\?next=/);

    // Assess
    expect(landing(page)).toEqual({ path: '/en/staff/sign-in/', next: '/en/staff/ledger/' });
    expect(await storedToken(page)).toBeNull();
    await page.context().close();
  });

  it('signing in again goes back to the page the session ended on, query and all', async () => {
    // Prepare: the firm page's session ends while it loads the firm.
    const at = '/staff/enterprises/firm/?uscc=91320506MA1XYZ1234';
    const page = await tabWithToken(token.admin as string);
    const expire = (address: URL) => address.pathname.startsWith('/api/staff/enterprises/');
    await page.route(expire, (route) =>
      route.fulfill({ status: 401, contentType: 'application/json', body: JSON.stringify(EXPIRED) }),
    );
    await page.goto(`${url}${at}`);
    await page.waitForURL(/\/staff\/sign-in\/\?next=/);
    await page.unroute(expire);

    // Act: the page says the session ended; signing in at the issuer comes back to the firm page.
    await page.locator('#sign-in-status').filter({ hasText: '登录已失效' }).waitFor();
    await signInAtIssuer(page, 'admin');
    await page.waitForURL((address) => address.pathname === '/staff/enterprises/firm/');

    // Assess
    expect(new URL(page.url()).search).toBe('?uscc=91320506MA1XYZ1234');
    expect(await storedToken(page)).not.toBeNull();
    await page.context().close();
  });
});
