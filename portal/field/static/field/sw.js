/* Service worker of the grid worker's workspace (scope /field/).
 *
 * Keeps the pages a worker has opened, and the workspace's own CSS/JS, on the
 * phone so that they open without a connection; POSTs are never touched (a
 * report typed offline is kept by offline.js in IndexedDB and sent later).
 * Pages: network first, the stored copy when the network fails, else the
 * "no network" page. Nothing is fetched from any other site.
 */
"use strict";

var CACHE = "field-pages-v1";
var OFFLINE_URL = "/field/offline/";

self.addEventListener("install", function (event) {
  event.waitUntil(
    caches.open(CACHE).then(function (cache) {
      return fetch(OFFLINE_URL, { credentials: "same-origin" }).then(function (response) {
        if (response.ok && !response.redirected) {
          return cache.put(OFFLINE_URL, response);
        }
      });
    }).catch(function () {}).then(function () { return self.skipWaiting(); })
  );
});

self.addEventListener("activate", function (event) {
  event.waitUntil(
    caches.keys().then(function (keys) {
      return Promise.all(keys.filter(function (key) {
        return key.indexOf("field-") === 0 && key !== CACHE;
      }).map(function (key) { return caches.delete(key); }));
    }).then(function () { return self.clients.claim(); })
  );
});

function storable(response) {
  return response && response.ok && !response.redirected && response.type === "basic";
}

function networkFirst(request) {
  return fetch(request).then(function (response) {
    if (storable(response)) {
      var copy = response.clone();
      caches.open(CACHE).then(function (cache) { cache.put(request, copy); });
    }
    return response;
  }).catch(function () {
    return caches.match(request).then(function (hit) {
      if (hit) { return hit; }
      if (request.mode === "navigate") { return caches.match(OFFLINE_URL); }
      return Response.error();
    });
  });
}

function cacheFirst(request) {
  return caches.match(request).then(function (hit) {
    var fresh = fetch(request).then(function (response) {
      if (storable(response)) {
        var copy = response.clone();
        caches.open(CACHE).then(function (cache) { cache.put(request, copy); });
      }
      return response;
    });
    return hit || fresh;
  });
}

self.addEventListener("fetch", function (event) {
  var request = event.request;
  if (request.method !== "GET") { return; }
  var url = new URL(request.url);
  if (url.origin !== self.location.origin) { return; }
  if (url.pathname.indexOf("/static/field/") === 0) {
    event.respondWith(cacheFirst(request));
    return;
  }
  if (url.pathname.indexOf("/field/") !== 0) { return; }
  if (url.pathname.indexOf("/field/sync/") === 0 || url.pathname === "/field/sw.js" ||
      url.pathname.indexOf("/field/login/") === 0) {
    return;
  }
  event.respondWith(networkFirst(request));
});

self.addEventListener("message", function (event) {
  if (event.data === "forget") {
    event.waitUntil(caches.delete(CACHE));
  }
});
