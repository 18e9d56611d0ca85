"""gunicorn settings for the planner: two pools, so that calendar polls never delay organisers.

    gunicorn -c deploy/gunicorn.conf.py planner.wsgi                      # pages, API: :8000
    PLANNER_POOL=feeds gunicorn -c deploy/gunicorn.conf.py planner.wsgi   # /feeds/: :8001

Calendar clients poll every feed for weeks: on a busy visit they are most of the requests.
In one pool an organiser's page waits in the same queue as hundreds of polls (measured:
p95 3.3 s with 200 pollers and 3 sync workers). Here the reverse proxy sends ``/feeds/`` to
a pool of its own (deploy/nginx.conf) whose workers run at a lower CPU priority
(``os.nice``): when both pools want the CPU, the page pool gets it, and polls, which no
person waits for, take what is left. benchmarks/serving/load.py measures it.

Every figure comes from the environment, with defaults from the machine's CPU count:

    PLANNER_POOL              web (default) or feeds
    WEB_BIND / FEEDS_BIND     127.0.0.1:8000 / 127.0.0.1:8001
    WEB_WORKERS               CPU count + 1 (at least 2)
    WEB_THREADS               4   (threads wait on the database, not on the CPU)
    FEEDS_WORKERS             CPU count
    FEEDS_THREADS             8
    FEEDS_NICE                19  (0 turns the lower priority off)
    GUNICORN_TIMEOUT          60  seconds before a silent worker is restarted
"""

import os

CPUS = os.cpu_count() or 1
POOL = os.environ.get("PLANNER_POOL", "web").strip().lower()
if POOL not in {"web", "feeds"}:
    raise ValueError(f"PLANNER_POOL must be 'web' or 'feeds', not {POOL!r}")


def _int(name: str, default: int, minimum: int = 1) -> int:
    value = int(os.environ.get(name, default))
    if value < minimum:
        raise ValueError(f"{name} must be at least {minimum}, not {value}")
    return value


wsgi_app = "planner.wsgi:application"
# Threads: a worker answers several requests at once while they wait on PostgreSQL or Redis,
# and keeps connections open (keep-alive) for the proxy instead of one connection a request.
worker_class = "gthread"
timeout = _int("GUNICORN_TIMEOUT", 60)
graceful_timeout = 30
# Requests come from the reverse proxy on the same machine (or a private network).
forwarded_allow_ips = os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1")
accesslog = os.environ.get("GUNICORN_ACCESS_LOG") or None
# The access log writes the request line, and a host's or a feed's key is in the path: the
# logger below masks keys in every access and error line (planner/log_filters.py).
logger_class = "planner.log_filters.GunicornLogger"
errorlog = "-"
loglevel = os.environ.get("GUNICORN_LOG_LEVEL", "warning")

if POOL == "web":
    proc_name = "planner-web"
    bind = [os.environ.get("WEB_BIND", "127.0.0.1:8000")]
    workers = _int("WEB_WORKERS", max(2, CPUS + 1))
    threads = _int("WEB_THREADS", 4)
    keepalive = 5
    feeds_nice = 0
else:
    proc_name = "planner-feeds"
    bind = [os.environ.get("FEEDS_BIND", "127.0.0.1:8001")]
    workers = _int("FEEDS_WORKERS", CPUS)
    threads = _int("FEEDS_THREADS", 8)
    # Polls are small and many: the proxy keeps its connections to the pool open.
    keepalive = 30
    feeds_nice = _int("FEEDS_NICE", 19, minimum=0)


def post_fork(server, worker):
    """Each feed worker gives way to the page workers for the CPU (niceness only ever goes
    up for an unprivileged process, and a restarted worker starts from the master's)."""
    if feeds_nice:
        os.nice(feeds_nice)
