#!/usr/bin/env bash
# Start PostgreSQL and Redis if this machine has them but they are stopped (CI and developer
# machines of this project's kind start them at boot; a restart can leave them down).
set -u
if command -v pg_ctlcluster >/dev/null 2>&1 && ! pg_isready -q -h 127.0.0.1 -p 5432; then
    for version in $(ls /etc/postgresql 2>/dev/null); do
        pg_ctlcluster --skip-systemctl-redirect "$version" main start || true
    done
fi
if command -v redis-server >/dev/null 2>&1 && ! redis-cli -h 127.0.0.1 -p 6379 ping >/dev/null 2>&1; then
    redis-server --daemonize yes --bind 127.0.0.1 -::1 --port 6379 --save "" --appendonly no \
        --dir /tmp --logfile /tmp/planner-redis.log || true
fi
for _ in $(seq 1 20); do
    pg_isready -q -h 127.0.0.1 -p 5432 2>/dev/null && break
    sleep 0.5
done
exit 0
