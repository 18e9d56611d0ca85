"""A new organiser's visit from scratch, counted (issue #13): an operator creates the
organisation, its organiser sets a password from the printed link and enters a small visit
(3 days, 2 venues, 3 hosts with availability, 4 guests, 1 interpreter, 5 activities) in the
product's pages, builds the programme through a real django-q2 worker and publishes it.

Starts its own server and worker on a fresh SQLite database in a temporary folder, drives
Debian's Chromium, and prints what the person did. The last line is read by a program:

    scratch: pages=N submissions=N fields=N admin=N seconds=S

    .venv/bin/python benchmarks/pages/scratch.py [--port 8766] [--keep]
"""

import argparse
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from tests.browser.scratch_journey import Journey, run  # noqa: E402


def manage(env: dict, *args: str, **kwargs) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=env,
        check=True,
        capture_output=True,
        text=True,
        **kwargs,
    )


def wait_until_up(url: str, seconds: float = 60) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            urllib.request.urlopen(url, timeout=2)
            return
        except OSError:
            time.sleep(0.3)
    raise SystemExit(f"the server did not answer at {url}")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--port", type=int, default=8766)
    parser.add_argument("--keep", action="store_true", help="keep the data folder")
    args = parser.parse_args()
    base = f"http://127.0.0.1:{args.port}"
    data = Path(tempfile.mkdtemp(prefix="planner-scratch-"))
    env = {
        **os.environ,
        "PLANNER_DATA_DIR": str(data),
        "DEBUG": "1",
        "SITE_URL": base,
        "EMAIL_BACKEND": "django.core.mail.backends.locmem.EmailBackend",
    }
    for name in ("DATABASE_URL", "REDIS_URL", "Q_SYNC"):
        env.pop(name, None)
    manage(env, "migrate", "--noinput", "-v0")
    created = manage(
        env, "organisation_create", "Réseau Sud", "--email", "orga@example.org", "--country", "FR"
    )
    link = re.search(r"https?://\S+", created.stdout).group(0)
    link = re.sub(r"^https?://[^/]+", base, link)

    log = open(data / "server.log", "w")  # noqa: SIM115 (closed below, after both processes)
    server = subprocess.Popen(
        [sys.executable, "manage.py", "runserver", f"127.0.0.1:{args.port}", "--noreload"],
        cwd=ROOT,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    worker = subprocess.Popen(
        [sys.executable, "manage.py", "qcluster"],
        cwd=ROOT,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    try:
        wait_until_up(f"{base}/accounts/login/")
        from playwright.sync_api import sync_playwright

        chromium = shutil.which("chromium") or "/usr/bin/chromium"
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(
                executable_path=chromium,
                args=["--headless=new", "--no-sandbox", "--disable-background-networking"],
            )
            page = browser.new_page(locale="fr-FR", viewport={"width": 1280, "height": 1400})
            page.set_default_timeout(30_000)
            journey = Journey(page, base)
            try:
                visit = run(journey, link)
            except Exception:
                # What the person saw when it stopped, beside the server's log.
                page.screenshot(path=str(data / "failed.png"), full_page=True)
                (data / "failed.html").write_text(page.content())
                args.keep = True
                print(f"stopped at {page.url}; see {data}", file=sys.stderr)
                raise
            blocks = page.locator(".timetable .block").count()
            browser.close()
        print(f"visit {visit}: {blocks} activities on the published timetable")
        kinds = {re.sub(r"/\d+/", "/N/", url.split("?")[0]) for url in journey.seen}
        print(f"{len(kinds)} different pages among {journey.pages} loads")
        print(journey.line())
    finally:
        for process in (worker, server):
            process.terminate()
            try:
                process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                process.kill()
        log.close()
        if not args.keep:
            shutil.rmtree(data, ignore_errors=True)


if __name__ == "__main__":
    main()
