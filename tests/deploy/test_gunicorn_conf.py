"""deploy/gunicorn.conf.py: two pools sized from the environment, the feed pool at a lower
CPU priority, and the nginx example routing /feeds/ to the feed pool's port."""

import re
import runpy
from pathlib import Path

import pytest
from gunicorn.config import Config

DEPLOY = Path(__file__).resolve().parents[2] / "deploy"
ENV = (
    *("PLANNER_POOL", "WEB_BIND", "WEB_WORKERS", "WEB_THREADS"),
    *("FEEDS_BIND", "FEEDS_WORKERS", "FEEDS_THREADS", "FEEDS_NICE", "GUNICORN_TIMEOUT"),
)


@pytest.fixture
def conf(monkeypatch):
    monkeypatch.setattr("os.cpu_count", lambda: 4)

    def load(**env):
        """The settings read from exactly this environment (and nothing else of ours)."""
        for name in ENV:
            monkeypatch.delenv(name, raising=False)
        for name, value in env.items():
            monkeypatch.setenv(name, value)
        return runpy.run_path(str(DEPLOY / "gunicorn.conf.py"))

    return load


def test_the_web_pool_is_sized_from_the_cpu_count(conf):
    c = conf()
    assert c["worker_class"] == "gthread"
    assert (c["workers"], c["threads"]) == (5, 4)
    assert c["bind"] == ["127.0.0.1:8000"]


def test_the_feed_pool_has_its_own_port_and_sizes(conf):
    c = conf(PLANNER_POOL="feeds")
    assert (c["workers"], c["threads"]) == (4, 8)
    assert c["bind"] == ["127.0.0.1:8001"]


def test_the_environment_overrides_the_sizes(conf):
    c = conf(PLANNER_POOL="feeds", FEEDS_WORKERS="2", FEEDS_THREADS="3", FEEDS_BIND="0.0.0.0:9")
    assert (c["workers"], c["threads"], c["bind"]) == (2, 3, ["0.0.0.0:9"])
    with pytest.raises(ValueError):
        conf(WEB_WORKERS="0")
    with pytest.raises(ValueError):
        conf(PLANNER_POOL="both")


def test_only_feed_workers_give_way_for_the_cpu(conf, monkeypatch):
    calls = []
    monkeypatch.setattr("os.nice", calls.append)
    conf()["post_fork"](None, None)
    assert calls == []
    conf(PLANNER_POOL="feeds")["post_fork"](None, None)
    assert calls == [19]


def test_gunicorn_reads_every_setting(conf, monkeypatch):
    """No name gunicorn ignores by mistake: the file's settings are gunicorn's own."""
    cfg = Config()
    for name, value in conf(PLANNER_POOL="feeds").items():
        if name in cfg.settings:
            cfg.set(name, value)
    assert cfg.worker_class_str == "gthread"
    assert cfg.workers == 4 and cfg.threads == 8
    assert cfg.bind == ["127.0.0.1:8001"]
    assert cfg.post_fork.__name__ == "post_fork"


def test_nginx_sends_feed_polls_to_the_feed_pool(conf):
    nginx = (DEPLOY / "nginx.conf").read_text()
    upstreams = dict(re.findall(r"upstream (\w+) \{\s*server ([\d.:]+);", nginx))
    routes = dict(re.findall(r"location (\S+) \{\s*proxy_pass http://(\w+);", nginx))
    assert upstreams[routes["/feeds/"]] == conf(PLANNER_POOL="feeds")["bind"][0]
    assert upstreams[routes["/"]] == conf()["bind"][0]
