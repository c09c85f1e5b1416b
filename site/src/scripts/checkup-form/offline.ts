/**
 * What lets the check-up form open again without signal (issue 20: answers kept on the device must
 * still show as waiting after a reload in a basement): the last copy of the check-up and its template
 * (kit/drafts.ts), and the page itself, kept by a small service worker (`/offline-sw.js`: the network
 * first, this copy only when there is none) that serves the form's page and its files cached here.
 */

import { checkupCopyOf, keepCheckupCopy } from '../../kit/drafts.ts';
import { isApiPath } from '../../kit/paths.ts';
import { type Checkup, type Loaded, loadCheckup } from '../checkup-common.ts';
import type { TypedConsole } from '../console.ts';

/** The cache the service worker answers from when the network does not. */
const SHELL_CACHE = 'eco-field-shell-v1';

/** The check-up from the server (its copy kept), or without an answer the copy kept before. */
export const loadOrCopy = async (c: TypedConsole, id: string): Promise<Awaited<ReturnType<typeof loadCheckup>>> => {
  const loaded = await loadCheckup(c, id);
  if (loaded.checkup && loaded.template) {
    await keepCopy(c, loaded.checkup, loaded.template);
    return loaded;
  }
  if (loaded.status !== 0) return loaded;
  const copy = await checkupCopyOf(c.me.username, id).catch(() => undefined);
  if (!copy) return loaded;
  return { ...loaded, checkup: copy.checkup as Checkup, template: copy.template as Loaded['template'] };
};

export const keepCopy = (c: TypedConsole, checkup: Checkup, template: Loaded['template']) =>
  keepCheckupCopy({ username: c.me.username, checkupId: checkup.checkupId, checkup, template }).catch(() => undefined);

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
