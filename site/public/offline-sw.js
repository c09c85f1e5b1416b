/**
 * The check-up form's service worker (site/src/scripts/checkup-form/offline.ts registers it for the
 * form's pages): every request goes to the network as before; only when the network gives no answer
 * are the page and its files served from the copy the page cached, so a reload without signal still
 * opens the form with the answers waiting on the device. The API is never answered from here.
 */
const SHELL_CACHE = 'eco-field-shell-v1';

self.addEventListener('install', () => self.skipWaiting());
self.addEventListener('activate', (event) => event.waitUntil(self.clients.claim()));

self.addEventListener('fetch', (event) => {
  const request = event.request;
  const url = new URL(request.url);
  if (request.method !== 'GET' || url.origin !== self.location.origin || url.pathname.startsWith('/api/')) return;
  event.respondWith(
    fetch(request).catch(async () => {
      const cache = await caches.open(SHELL_CACHE);
      const copy = await cache.match(request, { ignoreSearch: request.mode === 'navigate' });
      return copy ?? Response.error();
    }),
  );
});
