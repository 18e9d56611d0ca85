/* The service worker of one person's page (guest or interpreter), served by
   personal/offline.py at /p/<key>/sw.js so that its scope is that link and nothing else.

   It keeps, for reading without a network: the page, its printed version, and the static
   files they link. Network first, the cached copy when the network fails (or is too slow
   and a copy exists). It never touches a request outside its own link or the static
   files: no other person's page, no organiser page, no feed, no map tile. When the link
   answers 404 or 410 (revoked, expired), it drops its copies and unregisters itself.

   The view puts the configuration first: self.PERSONAL_OFFLINE = {"static": "/static/",
   "pages": ["", "print/"]}. */
"use strict";

var CONFIG = self.PERSONAL_OFFLINE || { static: "/static/", pages: ["", "print/"] };
var SCOPE = self.registration.scope; // https://host/p/<key>/
var CACHE = "personal-offline:" + new URL(SCOPE).pathname;
var ASSET = /<(?:link[^>]+href|script[^>]+src|img[^>]+src)="([^"]+)"/g;
var ICON = /"src":\s*"([^"]+)"/g;
var SLOW_MS = 6000; // past this, a cached copy is served while the network finishes

function inScope(url) {
  return url.indexOf(SCOPE) === 0;
}

function isStatic(url) {
  var parsed = new URL(url);
  return parsed.origin === self.location.origin && parsed.pathname.indexOf(CONFIG.static) === 0;
}

function allowed(url) {
  return inScope(url) || isStatic(url);
}

function isRoot(url) {
  var parsed = new URL(url);
  return parsed.origin + parsed.pathname === SCOPE;
}

function forget() {
  return caches.delete(CACHE).then(function () {
    return self.registration.unregister();
  });
}

// The static files a kept page links: its HTML's stylesheets, scripts and images, or the
// manifest's icons.
function assetsOf(text, base) {
  var assets = [];
  [ASSET, ICON].forEach(function (pattern) {
    var found;
    pattern.lastIndex = 0;
    while ((found = pattern.exec(text)) !== null) {
      var asset = new URL(found[1].replace(/&amp;/g, "&"), base).href;
      if (isStatic(asset) && assets.indexOf(asset) < 0) {
        assets.push(asset);
      }
    }
  });
  return assets;
}

// A page and the static files its HTML links, into the cache.
function keepPage(cache, url) {
  return fetch(url, { credentials: "same-origin" }).then(function (response) {
    if (!response.ok) {
      return null;
    }
    return response
      .clone()
      .text()
      .then(function (html) {
        return cache.put(url, response).then(function () {
          return keepAll(cache, assetsOf(html, url));
        });
      });
  });
}

// Static files no kept page links any more (a new release renamed them) are let go, so the
// copy does not grow with each release.
function prune(cache) {
  return cache.keys().then(function (requests) {
    var pages = requests.filter(function (request) {
      return inScope(request.url);
    });
    return Promise.all(
      pages.map(function (request) {
        return cache.match(request, EXACT).then(function (response) {
          return response ? response.text() : "";
        });
      })
    ).then(function (texts) {
      var linked = {};
      texts.forEach(function (text, i) {
        assetsOf(text, pages[i].url).forEach(function (asset) {
          linked[asset] = true;
        });
      });
      return Promise.all(
        requests
          .filter(function (request) {
            return isStatic(request.url) && !linked[request.url];
          })
          .map(function (request) {
            return cache.delete(request);
          })
      );
    });
  });
}

function keepPageOnce(cache, url) {
  return cache.match(url, EXACT).then(function (hit) {
    return hit ? null : keepPage(cache, url);
  });
}

function keepOne(cache, url) {
  return cache.match(url, EXACT).then(function (hit) {
    if (hit) {
      return null;
    }
    return fetch(url, { credentials: "same-origin" }).then(function (response) {
      return response.ok ? cache.put(url, response) : null;
    });
  });
}

function keepAll(cache, urls) {
  // One failure (say, a file missing) must not lose the rest.
  return Promise.all(
    urls.map(function (url) {
      return keepOne(cache, url).catch(function () {
        return null;
      });
    })
  );
}

self.addEventListener("install", function (event) {
  event.waitUntil(
    caches
      .open(CACHE)
      .then(function (cache) {
        return Promise.all(
          CONFIG.pages.map(function (page) {
            return keepPage(cache, new URL(page, SCOPE).href).catch(function () {
              return null;
            });
          })
        );
      })
      .then(function () {
        return self.skipWaiting();
      })
  );
});

self.addEventListener("activate", function (event) {
  event.waitUntil(self.clients.claim());
});

// The page tells what it shows (its own address with its language, its printed version's
// links, its static files); only this link's pages and static files are kept.
self.addEventListener("message", function (event) {
  var data = event.data || {};
  if (data.type !== "keep" || !Array.isArray(data.urls)) {
    return;
  }
  var urls = data.urls.filter(function (url) {
    return typeof url === "string" && allowed(url);
  });
  event.waitUntil(
    caches.open(CACHE).then(function (cache) {
      return Promise.all(
        urls.map(function (url) {
          var keep = inScope(url) ? keepPageOnce(cache, url) : keepOne(cache, url);
          return keep.catch(function () {
            return null;
          });
        })
      );
    })
  );
});

// Vary (Accept-Language, Cookie) is ignored: the cache holds one person's link only, and
// the language is in the address.
var EXACT = { ignoreVary: true };
var NEAR = { ignoreVary: true, ignoreSearch: true };

function fallback(cache, request) {
  return cache.match(request, EXACT).then(function (hit) {
    if (hit) {
      return hit;
    }
    // Another language of the same page is better than nothing.
    return cache.match(request, NEAR).then(function (near) {
      if (near || request.mode !== "navigate") {
        return near;
      }
      return cache.match(SCOPE, NEAR);
    });
  });
}

function networkFirst(request) {
  return caches.open(CACHE).then(function (cache) {
    var network = fetch(request).then(function (response) {
      if (response.ok && response.type === "basic") {
        var kept = cache.put(request, response.clone());
        if (request.mode === "navigate") {
          kept.then(function () {
            return prune(cache);
          });
        }
      } else if ((response.status === 404 || response.status === 410) && isRoot(request.url)) {
        forget();
      }
      return response;
    });
    var offline = network.catch(function () {
      return fallback(cache, request).then(function (hit) {
        return hit || Response.error();
      });
    });
    var slow = new Promise(function (resolve) {
      setTimeout(function () {
        fallback(cache, request).then(function (hit) {
          if (hit) {
            resolve(hit);
          }
        });
      }, SLOW_MS);
    });
    return Promise.race([offline, slow]);
  });
}

self.addEventListener("fetch", function (event) {
  var request = event.request;
  if (request.method !== "GET" || !allowed(request.url)) {
    return; // not ours: the browser fetches it as if there were no service worker
  }
  event.respondWith(networkFirst(request));
});
