"""Serving benchmark: an organiser's page while 200 calendar clients poll their feeds.

    .venv/bin/python benchmarks/serving/load.py [--pollers 200] [--samples 80]

Loads the demo (``manage.py migrate``, ``load_demo``, ``demo_organiser``, ``solve_visit
aude-2009``: the Makefile's ``demo``) into a throw-away SQLite database, or into the
PostgreSQL database of ``DATABASE_URL`` when it is set (``REDIS_URL`` is passed on too),
signs the demo organiser in, makes one feed per poller through the API, then for each
server configuration starts gunicorn (subprocesses, free ports on 127.0.0.1) and times the
visit's timetable page (``/visits/<id>/``), one request after another, in rounds: idle, then
while the pollers poll. The pollers (another process, asyncio, keep-alive connections) first
get their feed and its ETag; then each sends its next conditional GET as soon as the last
answer came (closed loop, no pause: mostly 304s, far more often than any real calendar).
Their process runs at nice 19 (``--client-nice``): in production their CPU is the calendar
users', not the server's; the server's processes are as deployed.

The configurations: the README's old ``--workers 3`` (sync workers, one pool for all), one
pool of gthread workers (deploy/gunicorn.conf.py alone), and the two pools of deploy/ (feed
polls to their own pool at a lower CPU priority, as deploy/nginx.conf routes them; here the
pollers address the feed pool's port directly, as nginx would). Prints a table and last
``serving: p95_ratio=X.XX idle_p95_ms=N loaded_p95_ms=N pollers=200`` for the two pools.
"""

import argparse
import asyncio
import http.client
import json
import math
import multiprocessing
import os
import re
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
BIN = Path(sys.executable).parent
CONFIG = ROOT / "deploy" / "gunicorn.conf.py"
USERNAME, PASSWORD = "organiser", "planner-demo"  # manage.py demo_organiser's defaults
VISIT_SLUG = "aude-2009"


# ---------------------------------------------------------------------------------------------
# Servers


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def server_env(data_dir: Path) -> dict:
    env = os.environ.copy()
    env.update(
        PLANNER_DATA_DIR=str(data_dir),
        SECRET_KEY=env.get("SECRET_KEY") or "serving-benchmark-only",
        DEBUG="0",
        STATIC_MANIFEST="0",
        ALLOWED_HOSTS="127.0.0.1,localhost",
        # Persistent database connections, as a deployment would use.
        CONN_MAX_AGE=env.get("CONN_MAX_AGE", "60"),
        LOG_LEVEL="ERROR",
    )
    env.pop("PLANNER_POOL", None)
    (data_dir / "static").mkdir(exist_ok=True)  # STATIC_ROOT: nothing collected, no warning
    return env


def manage(env: dict, *args: str, **extra) -> None:
    subprocess.run([sys.executable, "manage.py", *args], cwd=ROOT, env={**env, **extra}, check=True)


def load_demo(env: dict) -> None:
    manage(env, "migrate", "--noinput", "-v0")
    manage(env, "load_demo")
    manage(env, "demo_organiser")
    # No worker here: the solve runs inside the command (Q_SYNC).
    manage(env, "solve_visit", VISIT_SLUG, "--if-missing", Q_SYNC="1")


class Config:
    def __init__(self, name: str, pools: list[tuple[list[str], dict]], feeds_pool: int):
        self.name, self.pools, self.feeds_pool = name, pools, feeds_pool
        self.processes: list[subprocess.Popen] = []

    def start(self, env: dict) -> None:
        for args, extra in self.pools:
            self.processes.append(
                subprocess.Popen(
                    [str(BIN / "gunicorn"), *args],
                    cwd=ROOT,
                    env={**env, **extra},
                    start_new_session=True,
                )
            )

    def stop(self) -> None:
        for p in self.processes:
            p.send_signal(signal.SIGTERM)
        for p in self.processes:
            try:
                p.wait(timeout=40)
            except subprocess.TimeoutExpired:
                p.kill()
                p.wait()
        self.processes.clear()


def configs() -> list[tuple[Config, int, int]]:
    """(config, port of pages, port of feeds)."""
    old_port, one_port, web_port, feeds_port = (free_port() for _ in range(4))
    old_args = ["planner.wsgi", "--workers", "3", "--bind", f"127.0.0.1:{old_port}"]
    old = Config("old: 3 sync workers, one pool", [([*old_args, "--log-level", "warning"], {})], 0)
    one = Config(
        "one gthread pool (web only)",
        [(["-c", str(CONFIG), "planner.wsgi"], {"WEB_BIND": f"127.0.0.1:{one_port}"})],
        0,
    )
    two = Config(
        "two pools: web + niced feeds",
        [
            (["-c", str(CONFIG), "planner.wsgi"], {"WEB_BIND": f"127.0.0.1:{web_port}"}),
            (
                ["-c", str(CONFIG), "planner.wsgi"],
                {"PLANNER_POOL": "feeds", "FEEDS_BIND": f"127.0.0.1:{feeds_port}"},
            ),
        ],
        1,
    )
    return [(old, old_port, old_port), (one, one_port, one_port), (two, web_port, feeds_port)]


# ---------------------------------------------------------------------------------------------
# The organiser's side: one connection, one request at a time


class Browser:
    def __init__(self, port: int):
        self.port = port
        self.cookies: dict[str, str] = {}
        self.conn = http.client.HTTPConnection("127.0.0.1", port, timeout=120)

    def request(self, method: str, path: str, body=None, headers=None) -> tuple[int, bytes]:
        headers = dict(headers or {})
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        for attempt in range(2):
            try:
                self.conn.request(method, path, body=body, headers=headers)
                response = self.conn.getresponse()
                data = response.read()
                break
            except (http.client.RemoteDisconnected, BrokenPipeError, ConnectionResetError):
                self.conn.close()  # a sync worker closes after each answer: open again
                if attempt:
                    raise
        for header, value in response.getheaders():
            if header.lower() == "set-cookie":
                name, _, rest = value.partition("=")
                self.cookies[name.strip()] = rest.split(";", 1)[0]
        if response.getheader("connection", "").lower() == "close":
            self.conn.close()
        return response.status, data

    def wait_ready(self, deadline_s: float = 60) -> None:
        end = time.monotonic() + deadline_s
        while True:
            try:
                if self.request("GET", "/accounts/login/")[0] == 200:
                    return
            except OSError:
                self.conn.close()
            if time.monotonic() > end:
                raise RuntimeError(f"no server on port {self.port}")
            time.sleep(0.2)

    def login(self) -> None:
        status, page = self.request("GET", "/accounts/login/")
        token = re.search(rb'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1).decode()
        form = f"username={USERNAME}&password={PASSWORD}&csrfmiddlewaretoken={token}"
        status, _ = self.request(
            "POST",
            "/accounts/login/",
            body=form,
            headers={"Content-Type": "application/x-www-form-urlencoded"},
        )
        if status != 302 or "sessionid" not in self.cookies:
            raise RuntimeError(f"the demo organiser could not sign in ({status})")

    def api(self, method: str, path: str, payload=None):
        body = json.dumps(payload) if payload is not None else None
        headers = {"Content-Type": "application/json", "X-CSRFToken": self.cookies["csrftoken"]}
        status, data = self.request(method, "/api/v1" + path, body=body, headers=headers)
        if status >= 300:
            raise RuntimeError(f"{method} {path}: {status} {data[:300]!r}")
        return json.loads(data)


def demo_visit_and_feeds(browser: Browser, count: int) -> tuple[int, list[str]]:
    """The demo visit's id and ``count`` new feed addresses (the API shows a key once)."""
    listed = browser.api("GET", "/visits?limit=200")
    items = listed["items"] if isinstance(listed, dict) else listed
    visit_id = next(v["id"] for v in items if v["slug"] == VISIT_SLUG)
    languages = ["fr", "en", "es", ""]
    paths = []
    for n in range(count):
        made = browser.api(
            "POST",
            f"/visits/{visit_id}/feeds",
            {"subject": "programme", "language": languages[n % 4] or None},
        )
        paths.append("/" + made["https_url"].split("://", 1)[1].split("/", 1)[1])
    return visit_id, paths


def p95(xs: list[float]) -> float:
    ordered = sorted(xs)
    return ordered[max(0, math.ceil(0.95 * len(ordered)) - 1)]


def time_page(browser: Browser, path: str, samples: int, pause_s: float) -> list[float]:
    times = []
    for _ in range(samples):
        t = time.perf_counter()
        status, _ = browser.request("GET", path)
        times.append(time.perf_counter() - t)
        if status != 200:
            raise RuntimeError(f"{path} answered {status}")
        time.sleep(pause_s)
    return times


# ---------------------------------------------------------------------------------------------
# The calendars' side: asyncio, raw keep-alive HTTP/1.1, in a process of its own


async def _read_response(reader: asyncio.StreamReader) -> tuple[int, dict, bytes]:
    head = await reader.readuntil(b"\r\n\r\n")
    lines = head.decode("latin-1").split("\r\n")
    status = int(lines[0].split(" ", 2)[1])
    headers = {}
    for line in lines[1:]:
        if ":" in line:
            k, v = line.split(":", 1)
            headers[k.strip().lower()] = v.strip()
    if status in (204, 304):
        body = b""
    elif "content-length" in headers:
        body = await reader.readexactly(int(headers["content-length"]))
    elif headers.get("transfer-encoding", "").lower() == "chunked":
        body = b""
        while True:
            size = int((await reader.readline()).split(b";")[0], 16)
            chunk = await reader.readexactly(size + 2)
            if size == 0:
                break
            body += chunk[:-2]
    else:
        body = await reader.read()
        headers["connection"] = "close"
    return status, headers, body


async def _poller(port: int, path: str, go: asyncio.Event, stop, stats: dict, think_s: float):
    reader = writer = None
    etag, last = None, 0.0
    while not stop.is_set():
        await go.wait()
        if stop.is_set():
            break
        try:
            if writer is not None and time.perf_counter() - last > 4:
                writer.close()  # idle during a pause: the server may have closed it (keepalive)
                reader = writer = None
            if writer is None:
                reader, writer = await asyncio.open_connection("127.0.0.1", port)
            conditional = f"If-None-Match: {etag}\r\n" if etag else ""
            writer.write(
                f"GET {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nUser-Agent: calendar-poller\r\n"
                f"{conditional}\r\n".encode()
            )
            t = time.perf_counter()
            status, headers, _ = await _read_response(reader)
            last = time.perf_counter()
            if stats["counting"]:
                stats["latencies"].append(last - t)
                stats["statuses"][status] = stats["statuses"].get(status, 0) + 1
            if status == 200:
                stats["primed"] += etag is None
                etag = headers.get("etag")
            if headers.get("connection", "").lower() == "close":
                writer.close()
                reader = writer = None
        except (OSError, asyncio.IncompleteReadError, ValueError):
            stats["errors"] += 1
            if writer is not None:
                writer.close()
            reader = writer = None
            await asyncio.sleep(0.05)
        if think_s:
            await asyncio.sleep(think_s)
    if writer is not None:
        writer.close()


def _pollers_main(port, paths, args, running, primed, stop_flag, results):
    """The pollers poll while ``running`` is set (the page's loaded phases) and pause while it
    is not (its idle phases); polls are counted from the first loaded phase on."""
    if args.client_nice:
        os.nice(args.client_nice)

    async def run():
        loop = asyncio.get_running_loop()
        go, stop = asyncio.Event(), asyncio.Event()
        stats = {"latencies": [], "statuses": {}, "errors": 0, "primed": 0, "counting": False}
        go.set()
        tasks = [
            asyncio.create_task(_poller(port, paths[n % len(paths)], go, stop, stats, args.think))
            for n in range(args.pollers)
        ]
        # Every poller first gets its feed and ETag: from then on, a calendar's steady state.
        deadline = loop.time() + 300
        while stats["primed"] < args.pollers and loop.time() < deadline:
            await asyncio.sleep(0.05)
        go.clear()
        stats["errors"] = 0
        primed.set()
        polling_s, since = 0.0, None
        while not stop_flag.is_set():
            if running.is_set() and not go.is_set():
                stats["counting"], since = True, loop.time()
                go.set()
            elif not running.is_set() and go.is_set():
                go.clear()
                polling_s += loop.time() - since
            await asyncio.sleep(0.02)
        if go.is_set():
            polling_s += loop.time() - since
        stop.set()
        go.set()
        await asyncio.wait(tasks, timeout=30)
        results.put(
            {
                "polls": len(stats["latencies"]),
                "seconds": polling_s,
                "p95": p95(stats["latencies"]) if stats["latencies"] else float("nan"),
                "statuses": stats["statuses"],
                "errors": stats["errors"],
            }
        )

    asyncio.run(run())


# ---------------------------------------------------------------------------------------------


def measure(config: Config, page_port: int, feeds_port: int, env, paths, args) -> dict:
    """The page timed in rounds, idle then loaded, so a neighbour's load on this machine
    falls on both alike."""
    config.start(env)
    ctx = multiprocessing.get_context("fork")
    running, primed, stop, results = ctx.Event(), ctx.Event(), ctx.Event(), ctx.Queue()
    pollers = None
    try:
        browser = Browser(page_port)
        browser.wait_ready()
        if feeds_port != page_port:
            Browser(feeds_port).wait_ready()
        browser.login()
        page = args.page_path
        time_page(browser, page, 10, 0)  # warm the workers and their caches
        pollers = ctx.Process(
            target=_pollers_main, args=(feeds_port, paths, args, running, primed, stop, results)
        )
        pollers.start()
        if not primed.wait(330):
            raise RuntimeError("the pollers never got their feeds")
        idle, loaded = [], []
        per_round = math.ceil(args.samples / args.rounds)
        for _ in range(args.rounds):
            time.sleep(1)  # the last polls are answered
            idle += time_page(browser, page, per_round, args.pause)
            running.set()
            time.sleep(args.warmup)  # the queues fill
            loaded += time_page(browser, page, per_round, args.pause)
            running.clear()
        stop.set()
        polls = results.get(timeout=60)
    finally:
        stop.set()
        if pollers is not None:
            pollers.join(30)
        config.stop()
    return {"idle": idle, "loaded": loaded, "polls": polls}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pollers", type=int, default=200)
    parser.add_argument("--samples", type=int, default=80, help="page requests, idle and loaded")
    parser.add_argument("--pause", type=float, default=0.1, help="seconds between page requests")
    parser.add_argument("--rounds", type=int, default=4, help="idle and loaded phases, in turn")
    parser.add_argument(
        "--warmup", type=float, default=2.0, help="seconds of polls before timing the page"
    )
    parser.add_argument(
        "--client-nice",
        type=int,
        default=19,
        help="the pollers' own CPU priority: their CPU is the calendar users' in production,"
        " not the server's (0: compete with the server as equals)",
    )
    parser.add_argument("--think", type=float, default=0.0, help="a poller's pause after a poll")
    parser.add_argument(
        "--only", choices=["old", "one", "two"], action="append", help="some configurations"
    )
    args = parser.parse_args()

    tmp = Path(tempfile.mkdtemp(prefix="serving-bench-"))
    env = server_env(tmp)
    database = "PostgreSQL" if env.get("DATABASE_URL", "").startswith("postgres") else "SQLite"
    print(f"Loading the demo into {database} ({tmp})...", flush=True)
    load_demo(env)

    chosen = configs()
    keys = {"old": 0, "one": 1, "two": 2}
    if args.only:
        chosen = [chosen[keys[k]] for k in args.only]

    # The feeds, made once through the first server (they live in the database).
    first, page_port, _ = chosen[0]
    first.start(env)
    try:
        browser = Browser(page_port)
        browser.wait_ready()
        browser.login()
        visit_id, paths = demo_visit_and_feeds(browser, args.pollers)
    finally:
        first.stop()
    args.page_path = f"/visits/{visit_id}/"

    results = {}
    for config, page_port, feeds_port in chosen:
        print(f"  {config.name}...", flush=True)
        results[config.name] = measure(config, page_port, feeds_port, env, paths, args)

    ms = lambda s: s * 1000  # noqa: E731
    print()
    print(
        f"Timetable page {args.page_path} ({database}), {args.samples} requests idle and"
        f" {args.samples} with {args.pollers} closed-loop feed pollers (think {args.think} s,"
        f" client nice {args.client_nice}), in {args.rounds} rounds; {os.cpu_count()} CPUs"
    )
    print(
        f"  {'configuration':30} {'idle p50':>9} {'idle p95':>9} {'load p50':>9} {'load p95':>9}"
        f" {'ratio':>6} {'polls/s':>8} {'poll p95':>9} {'statuses':>16}"
    )
    for name, r in results.items():
        polls = r["polls"]
        statuses = ",".join(f"{k}:{v}" for k, v in sorted(polls["statuses"].items()))
        if polls["errors"]:
            statuses += f",err:{polls['errors']}"
        print(
            f"  {name:30} {ms(statistics.median(r['idle'])):9.0f} {ms(p95(r['idle'])):9.0f}"
            f" {ms(statistics.median(r['loaded'])):9.0f} {ms(p95(r['loaded'])):9.0f}"
            f" {p95(r['loaded']) / p95(r['idle']):6.2f}"
            f" {polls['polls'] / polls['seconds']:8.0f} {ms(polls['p95']):9.0f} {statuses:>16}"
        )
    print("  (milliseconds; ratio = loaded p95 / idle p95, goal <= 2)")
    last = results[list(results)[-1]]
    idle_p95, loaded_p95 = p95(last["idle"]), p95(last["loaded"])
    print(
        f"serving: p95_ratio={loaded_p95 / idle_p95:.2f} idle_p95_ms={ms(idle_p95):.0f}"
        f" loaded_p95_ms={ms(loaded_p95):.0f} pollers={args.pollers}"
    )


if __name__ == "__main__":
    main()
