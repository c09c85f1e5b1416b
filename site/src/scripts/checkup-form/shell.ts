/**
 * The check-up form's page and its files, kept for a reload without signal (see offline.ts): loaded by
 * the form once what it loads on first use has loaded, so the copy holds all of it, this file too.
 */
import { isApiPath } from '../../kit/paths.ts';
import type { TypedConsole } from '../console.ts';

/** The cache the service worker answers from when the network does not. */
const SHELL_CACHE = 'eco-field-shell-v1';

/**
 * Registers the service worker for the form's pages and caches this page and the files it loaded
 * (same origin, not the API), so a reload without signal still opens it. Nothing breaks without it.
 */
export const keepShell = async (c: TypedConsole) => {
  if (!('serviceWorker' in navigator) || typeof caches === 'undefined') return;
  try {
    await navigator.serviceWorker.register('/offline-sw.js', { scope: c.path('/staff/checkups/form/') });
    const urls = [location.href, ...performance.getEntriesByType('resource').map((e) => e.name)].filter((u) => {
      const url = new URL(u);
      return url.origin === location.origin && !isApiPath(url.pathname);
    });
    const cache = await caches.open(SHELL_CACHE);
    await cache.addAll([...new Set(urls)]);
  } catch {
    // A browser that refuses (a private window): the form works, only not after a reload offline.
  }
};
