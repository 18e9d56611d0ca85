"""The service worker of a person's page, run in Node against stand-ins for the browser's
caches and network (a browser test covers the real thing, tests/browser/test_personal_offline.py):
it keeps its own link's page, printed version and static files, answers them from the cache
without a network, never touches another person's page, an organiser page, a feed or a map
tile, and drops its copies when its link answers 404."""

import json
import shutil
import subprocess

import pytest

from personal import offline

ORIGIN = "https://planner.example.org"
SCOPE = f"{ORIGIN}/me/{'K' * 43}/"
OTHER = f"{ORIGIN}/me/{'O' * 43}/"

HARNESS = r"""
const vm = require("vm");
const [source, scenario] = [process.argv[2], JSON.parse(process.argv[3])];
const stores = new Map();
class Store {
  constructor() { this.rows = new Map(); }
  async put(request, response) {
    const url = typeof request === "string" ? request : request.url;
    this.rows.set(url, response);
  }
  async match(request, options) {
    const url = new URL(typeof request === "string" ? request : request.url);
    for (const [key, response] of this.rows) {
      const kept = new URL(key);
      if (key === url.href || (options && options.ignoreSearch &&
          kept.origin + kept.pathname === url.origin + url.pathname)) {
        return response.clone();
      }
    }
    return undefined;
  }
  async keys() {
    return [...this.rows.keys()].map((url) => ({ url }));
  }
  async delete(request) {
    return this.rows.delete(typeof request === "string" ? request : request.url);
  }
}
const caches = {
  async open(name) {
    if (!stores.has(name)) stores.set(name, new Store());
    return stores.get(name);
  },
  async delete(name) { return stores.delete(name); },
};
const fetched = [];
let online = true;
const pages = scenario.pages;
async function fetch(request) {
  const url = typeof request === "string" ? request : request.url;
  fetched.push(url);
  if (!online) throw new TypeError("Failed to fetch");
  const status = scenario.status[url] || 200;
  const body = pages[url] || "body of " + url;
  const response = new Response(body, { status, headers: { "content-type": "text/html" } });
  Object.defineProperty(response, "type", { value: "basic" });
  return response;
}
const listeners = {};
let unregistered = false;
const self = {
  location: new URL(scenario.scope + "sw.js"),
  registration: { scope: scenario.scope, unregister: async () => { unregistered = true; } },
  clients: { claim: async () => {} },
  skipWaiting: async () => {},
  addEventListener: (type, fn) => { listeners[type] = fn; },
};
const context = vm.createContext({
  self, caches, fetch, URL, Response, Promise, setTimeout, console,
});
vm.runInContext(source, context);

async function dispatch(type, data) {
  const waits = [];
  let answer = null;
  const event = Object.assign({
    waitUntil: (p) => waits.push(p),
    respondWith: (p) => { answer = p; },
  }, data);
  listeners[type](event);
  await Promise.all(waits);
  return answer;
}
const kept = async () => {
  const out = {};
  for (const [name, store] of stores) out[name] = [...store.rows.keys()].sort();
  return out;
};
(async () => {
  const report = { answered: {}, offline: {} };
  await dispatch("install", {});
  report.installed = await kept();
  report.installFetched = fetched.slice();
  await dispatch("message", { data: { type: "keep", urls: scenario.keep } });
  report.afterKeep = await kept();
  for (const url of scenario.requests) {
    const answer = await dispatch("fetch", { request: new Request(url) });
    report.answered[url] = answer !== null;
  }
  // A navigation to the page: static files no kept page links are let go.
  const navigation = { url: scenario.scope, mode: "navigate", method: "GET" };
  await (await dispatch("fetch", { request: navigation }));
  await new Promise((r) => setTimeout(r, 10));
  report.afterNavigation = await kept();
  online = false;
  for (const url of scenario.offline) {
    const answer = await dispatch("fetch", { request: new Request(url) });
    const response = answer && await answer;
    report.offline[url] = response && response.type !== "error" ? await response.text() : null;
  }
  online = true;
  scenario.status[scenario.scope] = 404;
  const gone = await dispatch("fetch", { request: new Request(scenario.scope) });
  report.goneStatus = (await gone).status;
  await new Promise((r) => setTimeout(r, 10));
  report.afterGone = await kept();
  report.unregistered = unregistered;
  console.log(JSON.stringify(report));
})().catch((e) => { console.error(e); process.exit(1); });
"""


@pytest.fixture(scope="module")
def report(tmp_path_factory):
    node = shutil.which("node")
    if node is None:
        pytest.skip("node is not installed")
    folder = tmp_path_factory.mktemp("worker")
    (folder / "harness.js").write_text(HARNESS)
    page = (
        '<link rel="stylesheet" href="/static/personal/page.css">'
        '<script src="/static/personal/offline.js" defer></script>'
        '<img src="https://tile.openstreetmap.org/1/1/1.png">'
    )
    scenario = {
        "scope": SCOPE,
        "pages": {SCOPE: page, SCOPE + "print/": page.replace("page.css", "print.css")},
        "status": {},
        "keep": [
            SCOPE + "?lang=es",
            OTHER,
            f"{ORIGIN}/visits/1/",
            f"{ORIGIN}/feeds/{'F' * 43}.ics",
            "https://tile.openstreetmap.org/5/16/11.png",
            f"{ORIGIN}/static/personal/map.js",
        ],
        "requests": [
            SCOPE,
            SCOPE + "print/?lang=es&second=fr",
            f"{ORIGIN}/static/planner/planner.css",
            OTHER,
            OTHER + "print/",
            f"{ORIGIN}/visits/1/",
            f"{ORIGIN}/me/",
            f"{ORIGIN}/feeds/{'F' * 43}.ics",
            "https://tile.openstreetmap.org/5/16/11.png",
            "https://elsewhere.example.com/static/x.js",
        ],
        "offline": [SCOPE, SCOPE + "print/", SCOPE + "?lang=fr", OTHER],
    }
    done = subprocess.run(
        [node, str(folder / "harness.js"), offline.worker_script(), json.dumps(scenario)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout)


def _all_kept(rows: dict) -> list[str]:
    return [url for urls in rows.values() for url in urls]


def test_install_keeps_the_page_its_printed_version_and_their_static_files(report):
    assert _all_kept(report["installed"]) == sorted(
        [
            SCOPE,
            SCOPE + "print/",
            f"{ORIGIN}/static/personal/page.css",
            f"{ORIGIN}/static/personal/print.css",
            f"{ORIGIN}/static/personal/offline.js",
        ]
    )
    assert not any("tile.openstreetmap.org" in url for url in report["installFetched"])


def test_only_its_own_link_and_static_files_are_kept(report):
    kept = _all_kept(report["afterKeep"])
    assert SCOPE + "?lang=es" in kept
    assert f"{ORIGIN}/static/personal/map.js" in kept
    assert all(url.startswith(SCOPE) or url.startswith(f"{ORIGIN}/static/") for url in kept)


def test_it_answers_only_its_own_link_and_static_files(report):
    answered = report["answered"]
    assert answered[SCOPE] and answered[SCOPE + "print/?lang=es&second=fr"]
    assert answered[f"{ORIGIN}/static/planner/planner.css"]
    others = [url for url in answered if not url.startswith((SCOPE, f"{ORIGIN}/static/"))]
    assert others and not any(answered[url] for url in others), answered


def test_static_files_no_kept_page_links_are_let_go_after_a_visit(report):
    before, after = _all_kept(report["afterKeep"]), _all_kept(report["afterNavigation"])
    assert f"{ORIGIN}/static/personal/map.js" in before  # kept when the page asked
    assert f"{ORIGIN}/static/personal/map.js" not in after  # no kept page links it
    assert f"{ORIGIN}/static/personal/page.css" in after
    assert f"{ORIGIN}/static/personal/print.css" in after
    assert {u for u in before if u.startswith(SCOPE)} <= set(after)  # pages are not let go


def test_without_a_network_it_serves_the_kept_copies(report):
    served = report["offline"]
    assert "personal/page.css" in served[SCOPE]
    assert "personal/print.css" in served[SCOPE + "print/"]
    assert served[SCOPE + "?lang=fr"] is not None  # another language of the page, not nothing
    assert served[OTHER] is None  # not its page: left to the browser


def test_a_link_that_answers_404_is_forgotten(report):
    assert report["goneStatus"] == 404
    assert report["afterGone"] == {}
    assert report["unregistered"] is True
