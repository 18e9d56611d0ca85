"""A new organiser's whole visit, from the link that sets their password to a published
programme, in the product's pages only, as a person would do it in Chromium.

The visit is the one issue #13 was measured on: 3 days, 2 venues, 3 hosts with availability,
4 guests who follow French or English, 1 interpreter, 5 activities. `Journey` counts what the
person does (page loads, form submissions, fields typed or picked, admin pages); the browser
test checks what they see and `benchmarks/pages/scratch.py` prints the counts.
"""

from __future__ import annotations

import datetime as dt
import re
import time
from dataclasses import dataclass, field

PASSWORD = "Villerouge-Termenes-2027"
FIRST_DAY = "2027-03-09"  # a Tuesday; the visit lasts three days


@dataclass
class Journey:
    page: object
    base_url: str
    pages: int = 0
    submissions: int = 0
    fields: int = 0
    admin: int = 0
    seen: list[str] = field(default_factory=list)
    started: float = field(default_factory=time.perf_counter)

    def __post_init__(self) -> None:
        page = self.page
        page.on("load", lambda _page: self._loaded())
        page.on("request", self._request)

    def _loaded(self) -> None:
        self.pages += 1
        url = self.page.url
        self.seen.append(url)
        if "/admin/" in url:
            self.admin += 1

    def _request(self, request) -> None:
        if request.method == "POST" and (
            request.is_navigation_request() or request.resource_type in ("fetch", "xhr")
        ):
            self.submissions += 1

    # What a person does, each counted once.
    def fill(self, selector: str, value: str) -> None:
        self.page.fill(selector, value)
        self.fields += 1

    def pick(self, selector: str, value: str | None = None, *, label: str | None = None) -> None:
        if label is None:
            self.page.select_option(selector, value)
        else:
            self.page.select_option(selector, label=label)
        self.fields += 1

    def tick(self, selector: str) -> None:
        self.page.check(selector)
        self.fields += 1

    def submit(self, selector: str) -> None:
        with self.page.expect_navigation():
            self.page.click(selector)

    def go(self, path: str) -> None:
        self.page.goto(self.base_url + path)

    def follow(self, href: str) -> None:
        """Click a link of the page's main part, as a person finds their way (found by its
        address, which stays when the wording changes)."""
        with self.page.expect_navigation():
            self.page.locator(f'main a[href$="{href}"]').first.click()

    def follow_row(self, text: str, href: str) -> None:
        """Click the link ending in `href` on the list row that names `text`."""
        row = self.page.locator("main tr", has_text=text).first
        with self.page.expect_navigation():
            row.locator(f'a[href$="{href}"]').first.click()

    def drag(self, first: str, last: str, *, within=None) -> None:
        """Drag over the week grid's half-hours from one cell to another (one gesture), in
        ``within`` when the page shows several grids."""
        page = self.page
        scope = within if within is not None else page
        # A person scrolls the grid into view first.
        scope.locator(f'button.cell[data-key="{first}"]').scroll_into_view_if_needed()
        start = scope.locator(f'button.cell[data-key="{first}"]').bounding_box()
        end = scope.locator(f'button.cell[data-key="{last}"]').bounding_box()
        page.mouse.move(start["x"] + 3, start["y"] + 3)
        page.mouse.down()
        page.mouse.move(end["x"] + 3, end["y"] + 3, steps=4)
        page.mouse.up()
        self.fields += 1

    @staticmethod
    def saved_week(week) -> bool:
        """The grid says its week was saved (its status names the host, no change waiting)."""
        return week.locator("form.week-form").get_attribute("data-saved") == "1"

    @property
    def seconds(self) -> float:
        return time.perf_counter() - self.started

    def line(self) -> str:
        return (
            f"scratch: pages={self.pages} submissions={self.submissions} fields={self.fields} "
            f"admin={self.admin} seconds={self.seconds:.1f}"
        )


def visit_id_of(url: str) -> int:
    return int(re.search(r"/visits/(\d+)/", url).group(1))


def run(journey: Journey, password_link: str) -> int:
    """Walks the whole journey; returns the new visit's id. Each step waits for what the
    person would wait for before going on. After the visit is created the person follows
    the setup path: each step's "Save and continue" button leads to the next one."""
    page = journey.page
    page.goto(password_link)
    journey.fill("#id_new_password1", PASSWORD)
    journey.fill("#id_new_password2", PASSWORD)
    journey.submit("#set-password")
    if "/accounts/login/" in page.url or "/reset/done" in page.url:
        if "/accounts/login/" not in page.url:
            journey.go("/accounts/login/")
        journey.fill("#id_username", "orga@example.org")
        journey.fill("#id_password", PASSWORD)
        journey.submit("#sign-in")

    # An empty list of visits says what to do first.
    journey.follow("/visits/new/")
    journey.fill("#id_title", "Délégation du Sénégal")
    journey.fill("#id_start_date", FIRST_DAY)
    journey.fill("#id_end_date", "2027-03-11")
    journey.tick("#id_working_languages_0")  # français
    journey.tick("#id_working_languages_1")  # anglais
    journey.submit("#save-visit")
    visit = visit_id_of(page.url)

    # Step 1, the venues: several at once.
    if "/venues/" not in page.url:
        journey.follow(f"/visits/{visit}/venues/")
    for n, (name, city, lat, lon) in enumerate(
        (
            ("Mairie de Villerouge-Termenès", "Villerouge-Termenès", "43.0069", "2.6244"),
            ("Librairie de Sarrant", "Sarrant", "43.7747", "0.9297"),
        )
    ):
        journey.fill(f"#id_add-{n}-name", name)
        journey.fill(f"#id_add-{n}-city", city)
        journey.fill(f"#id_add-{n}-latitude", lat)
        journey.fill(f"#id_add-{n}-longitude", lon)
    journey.submit("#continue")

    # Step 2, the hosts: a name and a language each (the visit's first one is offered).
    hosts = (
        ("Maire de Villerouge", "fr", ("d0-09:00", "d0-17:30")),
        ("Libraire de Sarrant", "fr", ("d1-09:00", "d1-16:30")),
        ("Chargée de mission", "en", ("d0-14:00", "d2-17:30")),
    )
    for n, (name, language, _week) in enumerate(hosts):
        journey.fill(f"#id_add-{n}-full_name", name)
        if page.input_value(f"#id_add-{n}-language") != language:
            journey.pick(f"#id_add-{n}-language", language)
    journey.submit("#continue")

    # Step 3, every host's week on one page, each saved in place.
    for name, _language, (first, last) in hosts:
        week = page.locator("section.host-week", has=page.get_by_role("heading", name=name))
        journey.drag(_cell(week, first), _cell(week, last), within=week)
        status = week.locator(".week-status")
        week.locator("button.save-week").click()
        status.filter(has_text=name).wait_for()
        assert journey.saved_week(week), status.inner_text()
    journey.submit("#continue")

    # Step 4, the guests: the first ones make the visit's delegation.
    for n, (name, country, language) in enumerate(
        (
            ("Awa Diop", "SN", "fr"),
            ("Moussa Ndiaye", "SN", "fr"),
            ("Grace Mensah", "GH", "en"),
            ("Kwame Asante", "GH", "en"),
        )
    ):
        journey.fill(f"#id_add-{n}-full_name", name)
        journey.pick(f"#id_add-{n}-country", country)
        journey.pick(f"#id_add-{n}-language", language)
    journey.submit("#continue")

    # Step 5, the interpreter: French and English both ways, consecutive and whispered, are
    # what the form offers for a visit in those two languages.
    journey.fill("#id_full_name", "Interprète de liaison")
    for selector, value in (("#id_directions-0-source", "fr"), ("#id_directions-0-target", "en")):
        if page.input_value(selector) != value:
            journey.pick(selector, value)
    if not page.is_checked("#id_directions-0-both_ways"):
        journey.tick("#id_directions-0-both_ways")
    journey.submit("#continue")

    # Step 6, the activities: several at once (90 minutes is offered).
    activities = (
        ("Accueil à la mairie", "Mairie de Villerouge-Termenès", "Maire de Villerouge"),
        ("Visite de la librairie", "Librairie de Sarrant", "Libraire de Sarrant"),
        ("Rencontre avec les élus", "Mairie de Villerouge-Termenès", "Maire de Villerouge"),
        ("Atelier économie solidaire", "Librairie de Sarrant", "Chargée de mission"),
        ("Bilan de la visite", "Mairie de Villerouge-Termenès", "Chargée de mission"),
    )
    for n, (title, venue, host) in enumerate(activities):
        journey.fill(f"#id_add-{n}-title", title)
        if page.input_value(f"#id_add-{n}-duration_minutes") != "90":
            journey.fill(f"#id_add-{n}-duration_minutes", "90")
        journey.pick(f"#id_add-{n}-venue", label=venue)
        journey.pick(f"#id_add-{n}-host", label=host)
    journey.submit("#continue")  # to the visit's page, where the programme is built

    journey.submit("#solve-button")
    page.wait_for_selector(".timetable .block", timeout=60_000)
    journey.submit("#publish-button")
    if page.locator("#publish-anyway").count():  # the problems are listed first
        journey.submit("#publish-anyway")
    return visit


def _cell(scope, key: str) -> str:
    """The week grid's cell for 'd<day index>-HH:MM' (day 0 is the visit's first day), in
    ``scope`` (the page, or one host's part of it)."""
    day, hhmm = key.split("-")
    date = dt.date.fromisoformat(FIRST_DAY) + dt.timedelta(days=int(day[1:]))
    keys = scope.locator("button.cell").evaluate_all("cs => cs.map(c => c.dataset.key)")
    return next(k for k in keys if k.startswith(date.isoformat()) and k.endswith(hhmm))
