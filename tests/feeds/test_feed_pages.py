import pytest
from django.test import Client

from scheduling import services
from tests import factories


@pytest.fixture
def organiser_client(aude):
    client = Client()
    client.force_login(factories.organiser(aude.owner))
    return client


def published(aude):
    job = services.programme_solve(job_id=services.solve_start(visit=aude, time_limit_s=20).pk)
    services.version_publish(version=job.result_version)


def test_feed_page_makes_a_link_with_qr_that_serves_the_programme(aude, organiser_client):
    published(aude)
    page = organiser_client.post(f"/visits/{aude.pk}/feeds/new/", {"who": "programme:"})
    assert page.status_code == 200
    body = page.content.decode()
    assert 'value="webcal://127.0.0.1:8000/feeds/' in body
    assert "<svg" in body
    https = body.split('id="https" class="link" readonly value="', 1)[1].split('"', 1)[0]
    feed = Client().get(https.removeprefix("http://127.0.0.1:8000"))
    assert feed.status_code == 200
    assert feed["Content-Type"] == "text/calendar; charset=utf-8"


def test_feed_page_revoke_makes_the_link_gone(aude, organiser_client):
    published(aude)
    body = organiser_client.post(f"/visits/{aude.pk}/feeds/new/", {"who": "programme:"})
    https = body.content.decode().split('id="https" class="link" readonly value="', 1)[1]
    path = https.split('"', 1)[0].removeprefix("http://127.0.0.1:8000")
    from scheduling.access import AccessToken

    token = AccessToken.objects.get()
    organiser_client.post(f"/visits/{aude.pk}/feeds/{token.pk}/", {"action": "revoke"})
    assert Client().get(path).status_code == 410


def test_feed_page_unknown_guest_is_422(aude, organiser_client):
    page = organiser_client.post(f"/visits/{aude.pk}/feeds/new/", {"who": "guest:999999"})
    assert page.status_code == 422


def test_feed_links_add_to_google_and_outlook_in_one_click(settings):
    from urllib.parse import parse_qs, urlsplit

    from feeds.views import feed_links

    settings.SITE_URL = "https://planner.example.org"
    links = feed_links("K" * 43, "Étape: Marie & co")
    https = "https://planner.example.org/feeds/" + "K" * 43 + ".ics"
    google = urlsplit(links["google_url"])
    assert (google.netloc, google.path) == ("calendar.google.com", "/calendar/render")
    assert parse_qs(google.query) == {"cid": ["webcal://" + https.split("://")[1]]}
    outlook = urlsplit(links["outlook_url"])
    assert (outlook.netloc, outlook.path) == ("outlook.live.com", "/calendar/0/addfromweb")
    assert parse_qs(outlook.query) == {"url": [https], "name": ["Étape: Marie & co"]}
    assert "&" not in outlook.query.split("name=")[1]  # the name's own & is escaped


def test_feed_page_shows_google_and_outlook_beside_webcal(aude, organiser_client):
    from html import unescape
    from urllib.parse import unquote

    page = organiser_client.post(f"/visits/{aude.pk}/feeds/new/", {"who": "programme:"})
    body = page.content.decode()
    google = unescape(body.split('id="add-google"', 1)[0].rsplit('href="', 1)[1].split('"')[0])
    outlook = unescape(body.split('id="add-outlook"', 1)[0].rsplit('href="', 1)[1].split('"')[0])
    assert google.startswith("https://calendar.google.com/calendar/render?cid=webcal%3A%2F%2F")
    assert outlook.startswith("https://outlook.live.com/calendar/0/addfromweb?url=http")
    assert "name=" in outlook and aude.title.split()[0] in unquote(outlook)
