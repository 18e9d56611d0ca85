"""Test-session defaults, set before Django reads its settings."""

import os
from urllib.parse import urlsplit, urlunsplit

# Tests run with DEBUG off, like production; they need a key, never a real one.
os.environ.setdefault("SECRET_KEY", "test-only-secret-key-not-for-production")
os.environ.setdefault("STATIC_MANIFEST", "0")
# Each test session has its own queue: a Redis broker may hold tasks of earlier runs.
os.environ.setdefault("Q_CLUSTER_NAME", f"planner-test-{os.getpid()}")

# Under pytest-xdist (`-n 2`) each worker is a process of its own with its own test database
# (pytest-django); it inherits the controller's environment, so whatever the workers would
# otherwise share is made theirs here. Ports are free ones already (live_server binds port 0).
WORKER = os.environ.get("PYTEST_XDIST_WORKER", "")  # "gw0", "gw1", ... set before plugins load
if WORKER:
    # Its own django-q2 queue (a qcluster started by a test serves only its worker's jobs)...
    os.environ["Q_CLUSTER_NAME"] = f"{os.environ['Q_CLUSTER_NAME']}-{WORKER}"
    # ...and its own Redis database: cache.clear() is FLUSHDB, which would empty the other
    # worker's cache and queue; cached feeds are keyed by ids that both test databases reuse.
    if os.environ.get("REDIS_URL"):
        url = urlsplit(os.environ["REDIS_URL"])
        base = int(url.path.strip("/") or 0)
        db = (base + int(WORKER.removeprefix("gw"))) % 16
        os.environ["REDIS_URL"] = urlunsplit(url._replace(path=f"/{db}"))
