"""Real headless Chromium (Debian's package) driven by Playwright against a live server."""

import os
import shutil
from pathlib import Path

import pytest

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"
# The workplace has no network: these flags keep Chromium from trying to reach Google.
ARGS = [
    "--headless=new",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


@pytest.fixture(scope="session")
def browser():
    if not Path(CHROMIUM).exists():
        if os.environ.get("CI"):
            pytest.fail("Chromium is missing: .ci/run installs Debian's chromium package.")
        pytest.skip("Debian's chromium is not installed (apt-get install chromium)")
    # Playwright's sync API runs an event loop; Django must allow ORM calls from the test.
    os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        instance = playwright.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        yield CspWatch(instance)
        instance.close()


# Every page of every browser test runs under the site's Content-Security-Policy
# (planner/csp.py); Chromium reports a refused script, style or frame on the console.
CSP_VIOLATIONS: list[str] = []


def _watch(page) -> None:
    def seen(message):
        if "Content Security Policy" in message.text:
            CSP_VIOLATIONS.append(f"{page.url}: {message.text}")

    page.on("console", seen)


class _Context:
    def __init__(self, context):
        self._context = context
        context.on("page", _watch)

    def __getattr__(self, name):
        return getattr(self._context, name)


class CspWatch:
    """The browser, whose pages report Content-Security-Policy violations."""

    def __init__(self, browser):
        self._browser = browser

    def new_context(self, **kwargs):
        return _Context(self._browser.new_context(**kwargs))

    def new_page(self, **kwargs):
        page = self._browser.new_page(**kwargs)
        _watch(page)
        return page

    def __getattr__(self, name):
        return getattr(self._browser, name)


@pytest.fixture(autouse=True)
def no_csp_violation():
    CSP_VIOLATIONS.clear()
    yield
    found, CSP_VIOLATIONS[:] = list(CSP_VIOLATIONS), []
    assert found == [], "Content-Security-Policy violations:\n" + "\n".join(found)


@pytest.fixture
def artifacts() -> Path:
    ARTIFACTS.mkdir(exist_ok=True)
    return ARTIFACTS
