"""Test-session defaults, set before Django reads its settings."""

import os

# Tests run with DEBUG off, like production; they need a key, never a real one.
os.environ.setdefault("SECRET_KEY", "test-only-secret-key-not-for-production")
os.environ.setdefault("STATIC_MANIFEST", "0")
# Each test session has its own queue: a Redis broker may hold tasks of earlier runs.
os.environ.setdefault("Q_CLUSTER_NAME", f"planner-test-{os.getpid()}")
