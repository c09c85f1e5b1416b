import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { authConfigOf } from '../../shared/auth-config.ts';
import { safeNext } from '../../site/src/kit/session.ts';

// After signing in the console goes to `next` only when it is one of its own pages: an open redirect
// on the sign-in page would hand a fresh session's browser to any site a link names.
describe('where sign-in goes next', () => {
  it('keeps a console page of this site, with its query', () => {
    expect(safeNext('/staff/ledger/?status=open', 'zh')).toBe('/staff/ledger/?status=open');
    expect(safeNext('/en/staff/enterprises/firm/?uscc=91320506MA1XYZ1234', 'en')).toBe(
      '/en/staff/enterprises/firm/?uscc=91320506MA1XYZ1234',
    );
  });

  it('sends anything else to the console home in the page language', () => {
    for (const hostile of [
      null,
      '',
      'https://evil.example/staff/',
      '//evil.example/staff/',
      '/staff//evil.example',
      '/\\evil.example',
      '/staff/../../evil',
      '/staff/sign-in/?next=/staff/',
      '/consultation-days/',
      'javascript:alert(1)',
      '/staff/ledger/#x',
      '/staff/ledger/?a=<script>',
    ]) {
      expect(safeNext(hostile, 'zh'), String(hostile)).toBe('/staff/');
      expect(safeNext(hostile, 'en'), String(hostile)).toBe('/en/staff/');
    }
  });
});

describe('reading /config.json', () => {
  const good = {
    auth: {
      issuer: 'https://cognito-idp.ap-east-1.amazonaws.com/ap-east-1_abc',
      clientId: 'client1',
      scopes: ['openid'],
      callbackPaths: ['/staff/sign-in/'],
    },
  };

  it('reads the Site stack’s shape; sign-out returns to the callback pages when it names none', () => {
    expect(authConfigOf(good)).toEqual({ ...good.auth, signOutPaths: ['/staff/sign-in/'] });
  });

  it('refuses what is not that shape, and a Cognito logout endpoint that is not https', () => {
    for (const bad of [
      null,
      {},
      { auth: { ...good.auth, issuer: 'ftp://x' } },
      { auth: { ...good.auth, clientId: '' } },
    ])
      expect(authConfigOf(bad)).toBeUndefined();
    expect(authConfigOf({ auth: { ...good.auth, logoutEndpoint: 'http://x/logout' } })).not.toHaveProperty(
      'logoutEndpoint',
    );
  });
});

describe('the site and the local shortcut', () => {
  it('never calls POST /api/local-auth/sign-in (it exists only on the local gateway, for scripts and tests)', () => {
    // Prepare
    const root = join(import.meta.dirname, '../../site/src');
    const files = readdirSync(root, { recursive: true, encoding: 'utf8' }).filter((f) => /\.(ts|astro)$/.test(f));

    // Assess
    expect(files.length).toBeGreaterThan(10);
    expect(files.filter((f) => readFileSync(join(root, f), 'utf8').includes('local-auth'))).toEqual([]);
  });
});
