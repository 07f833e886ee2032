/// <reference lib="webworker" />
import { cleanupOutdatedCaches, createHandlerBoundToURL, precacheAndRoute } from 'workbox-precaching';
import { NavigationRoute, registerRoute } from 'workbox-routing';

declare const self: ServiceWorkerGlobalScope & { __WB_MANIFEST: (string | { url: string; revision: string | null })[] };

// The console's own files, each under its revision: a new build installs a new cache and the old
// one is removed. The API is never cached here: its answers name people.
precacheAndRoute(self.__WB_MANIFEST);
cleanupOutdatedCaches();

// Every screen of the console opens offline from the cached index.html.
registerRoute(
  new NavigationRoute(createHandlerBoundToURL('/console/index.html'), {
    allowlist: [/^\/console(\/|$)/],
  }),
);

// A new build waits until the page says the user is ready (no half-written form is lost).
self.addEventListener('message', (event) => {
  if (event.data?.type === 'SKIP_WAITING') void self.skipWaiting();
});
