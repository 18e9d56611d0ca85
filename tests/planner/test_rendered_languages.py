"""Every page, the host page, a feed and an email, rendered in French, English and Spanish
on the solved Aude demo: no English sentence of the catalogues left untranslated on a French
or Spanish page, and each reader's language where it should be."""

import html
import json
import re
from pathlib import Path

import pytest
from babel.messages.pofile import read_po
from django.test import Client
from django.utils import translation
from django.utils.translation import gettext as _
from django_q.conf import Conf

from confirmations import links, proposals
from delegations.models import Guest
from events.models import Person
from logistics.models import Vehicle
from notifications.models import OutgoingEmail
from scheduling import services
from scheduling.access import AccessToken, access_token_create
from tests import factories
from web.seed import seed_load

ROOT = Path(__file__).resolve().parents[2]
DEMO = ROOT / "web" / "demo" / "aude-2009.json"
PLACEHOLDER = re.compile(r"%\(\w+\)[sd]|%[sd]|\{\{.*?\}\}|\{%.*?%\}|<[^>]+>|[“”«»]")


def english_sentences(lang: str) -> list[str]:
    """The English of every catalogue entry translated differently, cut at placeholders;
    only pieces of four words or more (short ones like "Programme" are the same in French)."""
    with open(ROOT / "locale" / lang / "LC_MESSAGES" / "django.po", "rb") as f:
        catalogue = read_po(f)
    pieces = set()
    for message in catalogue:
        if not message.id or isinstance(message.id, tuple) or message.string == message.id:
            continue
        for piece in PLACEHOLDER.split(message.id):
            piece = " ".join(piece.split()).strip(" .,:;")
            if len(piece.split()) >= 4:
                pieces.add(piece)
    return sorted(pieces)


def visible_text(page: str) -> str:
    page = re.sub(r"<(script|style)\b.*?</\1>", " ", page, flags=re.S | re.I)
    page = re.sub(r"<[^>]+>", " ", page)
    return " ".join(html.unescape(page).split())


@pytest.fixture
def aude(db, monkeypatch, django_capture_on_commit_callbacks):
    monkeypatch.setattr(Conf, "SYNC", True)
    visit = seed_load(json.loads(DEMO.read_text(encoding="utf-8"))).visits[0]
    organiser = factories.organiser(visit.owner, username="organiser")
    with django_capture_on_commit_callbacks(execute=True):  # the queued solve runs here
        services.solve_start(visit=visit, user=organiser, reason="tests")
    version = visit.programme.versions.order_by("-number").first()
    services.version_publish(version=version)
    return visit, organiser


def organiser_pages(visit) -> list[str]:
    base = f"/visits/{visit.pk}"
    host = Person.objects.filter(owner=visit.owner).order_by("pk").first()
    guest = Guest.objects.filter(delegation__visit=visit).order_by("pk").first()
    vehicle = Vehicle.objects.filter(visit=visit).order_by("pk").first()
    pages = [
        "/",
        f"{base}/",
        f"{base}/booklet/",
        f"{base}/feeds/",
        f"{base}/import/",
        f"{base}/activities/new/",
        f"{base}/windows/?person={host.pk}",
        f"{base}/confirmations/",
        f"{base}/logistics/",
        f"{base}/logistics/rooming/",
        f"{base}/logistics/guests/{guest.pk}/itinerary/",
        f"{base}/logistics/guests/{guest.pk}/letter/",
    ]
    if vehicle:
        pages.append(f"{base}/logistics/vehicles/{vehicle.pk}/")
    return pages


@pytest.mark.slow
@pytest.mark.parametrize("lang", ["fr", "es"])
def test_every_organiser_page_is_in_the_readers_language(aude, lang):
    visit, organiser = aude
    client = Client(headers={"Accept-Language": lang})
    client.force_login(organiser)
    english = english_sentences(lang)
    leftovers = {}
    for path in organiser_pages(visit):
        response = client.get(path)
        assert response.status_code == 200, path
        text = visible_text(response.content.decode())
        found = [s for s in english if s in text]
        if found:
            leftovers[path] = found
    assert leftovers == {}


@pytest.mark.parametrize("lang", ["fr", "en", "es"])
def test_host_page_feed_and_email_speak_the_persons_language(aude, lang):
    visit, organiser = aude
    host = (
        Person.objects.filter(owner=visit.owner, hosted_activities__slots__isnull=False)
        .distinct()
        .order_by("pk")
        .first()
    )
    Person.objects.filter(pk=host.pk).update(preferred_language=lang)
    host.refresh_from_db()
    _link, key = links.host_link_get(visit=visit, person=host)
    page = Client().get(f"/host/{key}/")
    feed_key = access_token_create(
        visit=visit, purpose=AccessToken.Purpose.FEED, subject="person", subject_id=host.pk
    )[1]
    feed = Client().get(f"/feeds/{feed_key}.ics").content.decode().replace("\r\n ", "")
    proposals.proposals_send(visit=visit, user=organiser, person_ids=[host.pk])
    email = OutgoingEmail.objects.filter(to_email=host.email).latest("pk")
    with translation.override(lang):
        confirm = _("Confirm")
        subject = _("Times proposed for your meetings: %(visit)s") % {"visit": visit.title}
    assert page.status_code == 200
    assert f'lang="{lang}"' in page.content.decode()
    assert confirm in visible_text(page.content.decode())
    assert f"SUMMARY;LANGUAGE={lang}:" in feed
    assert (email.language, email.subject) == (lang, subject)
    if lang != "en":
        english = english_sentences(lang)
        for name, text in (
            ("host page", visible_text(page.content.decode())),
            ("email", email.body_text),
            ("feed", feed),
        ):
            assert [s for s in english if s in text] == [], name
