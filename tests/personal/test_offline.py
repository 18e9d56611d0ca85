"""Reading a person's page offline (#20): the manifest and the service worker under the
person's own link, the "last brought up to date" line, the day maps' data, the printed
version in one or two languages; the same 404 for an unknown or revoked link."""

import datetime as dt
import json
import re
from zoneinfo import ZoneInfo

import pytest
from django.contrib.staticfiles import finders
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import translation

from personal import links, maps, offline, selectors
from scheduling.models import ProgrammeVersion
from tests import factories

PARIS = ZoneInfo("Europe/Paris")


@pytest.fixture
def aude(org):
    visit = factories.visit(
        org, title="Aude 2009", start_date=dt.date(2009, 4, 15), end_date=dt.date(2009, 4, 17)
    )
    mairie = factories.venue(
        visit,
        name="Mairie de Villerouge",
        address="1 place de la Mairie",
        city="Villerouge-Termenès",
        latitude="43.0057",
        longitude="2.6261",
    )
    base = factories.venue(
        visit,
        name="BASE Sud Audois",
        address="2 rue du Marché",
        city="Lézignan",
        latitude="43.2004",
        longitude="2.7578",
    )
    barn = factories.venue(visit, name="Grange sans coordonnées", city="Sarrant")
    mayor = factories.person(org, full_name="Le maire")
    welcome = factories.activity(
        visit, mairie, hosts=[mayor], title="Accueil en mairie", duration_minutes=60
    )
    visit_base = factories.activity(visit, base, title="Journée avec BASE", duration_minutes=120)
    barn_talk = factories.activity(visit, barn, title="Échanges à la grange", duration_minutes=60)
    delegation = factories.delegation(visit)
    ana = factories.guest(
        delegation,
        full_name="Ana Reyes",
        preferred_language="es",
        languages=(("es", "fluent"), ("fr", "good")),
    )
    other = factories.guest(delegation, full_name="Jacques Fiset", preferred_language="fr")
    day = dt.date(2009, 4, 15)
    factories.programme_version(
        visit,
        [
            (welcome, dt.datetime.combine(day, dt.time(9, 0), PARIS)),
            (visit_base, dt.datetime.combine(day, dt.time(11, 0), PARIS)),
            (barn_talk, dt.datetime.combine(day, dt.time(15, 0), PARIS)),
        ],
    )
    _link, key = links.personal_link_get(visit=visit, guest=ana)
    _other_link, other_key = links.personal_link_get(visit=visit, guest=other)
    return {"visit": visit, "ana": ana, "key": key, "other_key": other_key}


def test_manifest_is_scoped_to_the_persons_link(aude):
    key = aude["key"]
    response = Client().get(f"/me/{key}/manifest.webmanifest")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/manifest+json"
    assert "no-cache" in response["Cache-Control"] and "private" in response["Cache-Control"]
    data = json.loads(response.content)
    assert data["scope"] == f"/me/{key}/"
    assert data["start_url"] == f"/me/{key}/?lang=es"  # Ana reads Spanish
    assert data["lang"] == "es"
    assert data["display"] == "standalone"
    assert "Ana Reyes" in data["name"]
    for icon in data["icons"]:
        assert finders.find(icon["src"].removeprefix("/static/")), icon
    assert {icon["sizes"] for icon in data["icons"]} >= {"192x192", "512x512"}
    assert aude["other_key"] not in response.content.decode()


def test_manifest_follows_the_language_asked(aude):
    data = Client().get(f"/me/{aude['key']}/manifest.webmanifest?lang=en").json()
    assert data["lang"] == "en" and data["start_url"].endswith("?lang=en")


def test_service_worker_is_served_under_the_link(aude):
    key = aude["key"]
    response = Client().get(f"/me/{key}/sw.js")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/javascript")
    assert response["Service-Worker-Allowed"] == f"/me/{key}/"
    assert "no-cache" in response["Cache-Control"]
    body = response.content.decode()
    config = json.loads(re.match(r"self\.PERSONAL_OFFLINE = (\{.*?\});\n", body).group(1))
    assert config == {"static": "/static/", "pages": ["", "print/"]}
    assert "self.registration.scope" in body  # the worker keeps only its own scope
    assert aude["other_key"] not in body


@pytest.mark.parametrize("path", ["", "manifest.webmanifest", "sw.js", "print/"])
def test_unknown_and_revoked_links_answer_the_same_404(aude, path):
    client = Client()
    unknown = client.get(f"/me/{'A' * 43}/{path}")
    assert unknown.status_code == 404
    link = links.personal_link_resolve(key=aude["key"])
    links.personal_link_revoke(link=link)
    revoked = client.get(f"/me/{aude['key']}/{path}")
    assert revoked.status_code == 404
    assert revoked.content == unknown.content


def test_last_brought_up_to_date_is_in_the_readers_language(aude):
    link = links.personal_link_resolve(key=aude["key"])
    now = dt.datetime(2009, 4, 15, 7, 5, tzinfo=dt.UTC)
    with translation.override("es"):
        context = offline.offline_context(key=aude["key"], link=link, now=now)
    assert "miércoles, 15 de abril de 2009, 9:05" in context["updated"]  # the visit's zone
    assert context["updated_iso"] == "2009-04-15T07:05:00+00:00"
    assert context["scope"] == f"/me/{aude['key']}/"


def test_day_map_numbers_the_places_in_order_and_keeps_those_without_coordinates(aude):
    link = links.personal_link_resolve(key=aude["key"])
    with translation.override("es"):
        view = selectors.page_view(link=link)
    maps.attach(view)
    day = next(d for d in view.days if d.day == dt.date(2009, 4, 15))
    names = [p.name for p in day.map.places]
    assert names == ["Mairie de Villerouge", "BASE Sud Audois", "Grange sans coordonnées"]
    data = day.map.data()
    assert [p["n"] for p in data["points"]] == [1, 2]  # the barn is listed, not drawn
    assert data["path"] == [[43.0057, 2.6261], [43.2004, 2.7578]]
    assert day.map.places[0].times == ["9:00–10:00"]


def test_print_in_two_languages_has_both_texts_a_qr_code_and_no_inline_code(aude):
    key = aude["key"]
    response = Client().get(f"/me/{key}/print/?lang=es&second=fr")
    assert response.status_code == 200
    html = response.content.decode()
    assert '<html lang="es">' in html
    assert "miércoles, 15 de abril de 2009" in html
    assert '<span class="second" lang="fr">mercredi 15 avril 2009</span>' in html
    assert "Accueil en mairie" in html and "BASE Sud Audois" in html
    assert "<svg" in html and "segno" in html  # the QR code to the page
    assert f"/me/{key}/" in html
    assert aude["other_key"] not in html and "Jacques Fiset" not in html
    assert not re.search(r"\sstyle=", html), "inline style attribute"
    assert not re.search(r"<script(?![^>]*\bsrc=)(?![^>]*application/json)", html)
    assert "personal/offline.js" in html and 'rel="manifest"' in html
    assert "no-cache" in response["Cache-Control"]


def test_print_in_one_language_and_a_bad_language_falls_back(aude):
    html = Client().get(f"/me/{aude['key']}/print/?lang=xx&second=es").content.decode()
    assert '<html lang="es">' in html  # her language; the same second one is dropped
    assert 'class="second"' not in html


def test_print_queries_do_not_grow_with_the_activities(aude):
    client = Client()
    url = f"/me/{aude['key']}/print/?lang=es&second=fr"
    client.get(url)
    with CaptureQueriesContext(connection) as before:
        client.get(url)
    visit = aude["visit"]
    venue = visit.venues.first()
    extra = [
        factories.activity(visit, venue, title=f"Extra {n}", duration_minutes=30) for n in range(6)
    ]
    version = ProgrammeVersion.objects.filter(programme__visit=visit).latest("number")
    day = dt.date(2009, 4, 16)
    factories.programme_version(
        visit,
        [(s.activity, s.start) for s in version.slots.all()]
        + [(a, dt.datetime.combine(day, dt.time(9 + n), PARIS)) for n, a in enumerate(extra)],
    )
    client.get(url)
    with CaptureQueriesContext(connection) as after:
        response = client.get(url)
    assert "Extra 5" in response.content.decode()
    assert len(after) == len(before)


def test_an_interpreters_printed_version_and_manifest(published):
    _link, key = links.personal_link_get(visit=published.visit, interpreter=published.interpreter)
    client = Client()
    html = client.get(f"/me/{key}/print/").content.decode()
    assert '<html lang="en">' in html  # her preferred language
    assert "Rencontre avec le maire" in html
    assert "French → Spanish" in html  # her direction
    assert "Salle des fêtes" in html and "1 place de la République" in html
    assert "Librairie de Sarrant" not in html  # not hers
    manifest = client.get(f"/me/{key}/manifest.webmanifest").json()
    assert "Clara Interprète" in manifest["name"] and manifest["scope"] == f"/me/{key}/"


def test_a_guests_printed_version_shows_nothing_of_the_others_nor_anything_internal(published):
    _link, key = links.personal_link_get(visit=published.visit, guest=published.ana)
    html = Client().get(f"/me/{key}/print/?lang=es&second=fr").content.decode()
    assert "Ana García" in html and "vegetariana" in html  # her own diet, at the lunch
    for other in ("Marie Tremblay", "Private: no pork", "Amadou", "marie.tremblay@example.org"):
        assert other not in html
    assert "Internal: budget" not in html
    assert "maire@example.org" not in html and "+33 4 00 00 00 01" not in html
