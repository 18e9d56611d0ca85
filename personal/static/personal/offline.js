/* A person's page, readable offline: registers the page's service worker (its address and
   scope are on this script's data-sw and data-scope), hands it the page's own address and
   files to keep, and shows the "offline" note (rendered by the server, hidden) when the
   browser has no network. Without JavaScript or service workers the page is unchanged. */
(function () {
  "use strict";
  var script = document.currentScript;
  var note = document.querySelector("[data-offline-note]");

  function showNote() {
    if (note) {
      note.hidden = navigator.onLine !== false;
    }
  }
  window.addEventListener("online", showNote);
  window.addEventListener("offline", showNote);
  showNote();

  if (!script || !("serviceWorker" in navigator)) {
    return;
  }
  var scope = new URL(script.dataset.scope, location.href).href;

  function kept() {
    var urls = [location.href];
    var nodes = document.querySelectorAll(
      "link[rel~=stylesheet][href], link[rel~=icon][href], link[rel=manifest][href], script[src], img[src], a[href]"
    );
    Array.prototype.forEach.call(nodes, function (node) {
      var url = node.href || node.src;
      if (!url) {
        return;
      }
      url = new URL(url, location.href);
      url.hash = "";
      url = url.href;
      if (node.tagName === "A" && !(url.indexOf(scope) === 0 && node.hasAttribute("data-offline"))) {
        return; // of the links, only those marked data-offline (the printed version)
      }
      if (urls.indexOf(url) < 0) {
        urls.push(url);
      }
    });
    return urls;
  }

  navigator.serviceWorker
    .register(script.dataset.sw, { scope: scope })
    .then(function () {
      return navigator.serviceWorker.ready;
    })
    .then(function (registration) {
      if (registration.active) {
        registration.active.postMessage({ type: "keep", urls: kept() });
      }
      document.documentElement.setAttribute("data-offline-ready", "");
    })
    .catch(function () {
      /* private browsing or a refused worker: the page still works online */
    });
})();
