"""A newcomer's path, timed: against the server `make demo` started, sign in, open the Aude
visit, print the programme (French with English beside it) to PDF. Prints each step's time.
Add the time `make demo` took to serve (printed by `time make demo` on a clean clone).

    .venv/bin/python benchmarks/pages/newcomer.py [--url http://127.0.0.1:8000]
"""

import argparse
import shutil
import tempfile
import time
from pathlib import Path


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--url", default="http://127.0.0.1:8000")
    args = parser.parse_args()
    from playwright.sync_api import sync_playwright

    chromium = shutil.which("chromium") or "/usr/bin/chromium"
    steps = []
    t0 = time.perf_counter()

    def step(name: str) -> None:
        steps.append((name, time.perf_counter() - t0))

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=chromium, args=["--headless=new"])
        page = browser.new_page(locale="fr-FR")
        page.goto(f"{args.url}/accounts/login/?next=/")
        page.fill("#id_username", "organiser")
        page.fill("#id_password", "planner-demo")
        page.click("#sign-in")
        page.wait_for_load_state()
        step("signed in, list of visits")
        page.click("text=Aude")
        page.wait_for_selector(".timetable .block")
        step("visit page with the timetable")
        page.click("#booklet-link")
        page.select_option("#also", "en")
        page.click(".booklet-options button[type=submit]")
        page.wait_for_selector('.booklet td[lang="en"]')
        step("printed programme fr + en on screen")
        out = Path(tempfile.mkdtemp()) / "programme.pdf"
        page.pdf(path=str(out), format="A4")
        step(f"PDF written ({out.stat().st_size // 1024} KB)")
        browser.close()
    for name, at in steps:
        print(f"  {at:6.1f} s  {name}")


if __name__ == "__main__":
    main()
