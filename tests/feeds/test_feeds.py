"""The pure calendar builder: what every client needs, checked on the bytes."""

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
from icalendar import Calendar

from feeds import render
from tests.feeds.parsers import check_all, parse_icaljs, unfolded, wire_lines

PARIS = ZoneInfo("Europe/Paris")
CHANGED = dt.datetime(2009, 3, 2, 8, 30, tzinfo=dt.UTC)
HALL = render.Place(
    "Salle des fêtes", "1 place de la République, 11190 Couiza", "Couiza", "FR", 42.9425, 2.254
)


def item(**kw) -> render.Item:
    base = dict(
        uid="activity-1@etape.planner",
        kind="activity",
        start=dt.datetime(2009, 3, 28, 10, tzinfo=PARIS),
        end=dt.datetime(2009, 3, 28, 12, tzinfo=PARIS),
        status="tentative",
        sequence=0,
        created=CHANGED,
        modified=CHANGED,
        title="Rencontre avec le maire",
        venue=HALL,
        hosts=(("Eric Andrieu", "maire"),),
        interpreters=(render.Interpreting("Ann Hitchman", (("fr", "en"), ("en", "fr"))),),
        languages=("fr",),
    )
    return render.Item(**{**base, **kw})


def feed(*items, language="en", audience="guest") -> render.Feed:
    return render.Feed(
        uid="feed-guest-1@etape.planner",
        audience=audience,
        visit_title="Étape régionale",
        subject_name="Marie Tremblay",
        language=language,
        time_zone="Europe/Paris",
        first_date=dt.date(2009, 3, 27),
        last_date=dt.date(2009, 3, 30),
        items=items,
    )


def lines_named(body: bytes, name: str, within: str | None = None) -> list[str]:
    found, inside = [], within is None
    for line in unfolded(body):
        if within and line in (f"BEGIN:{within}", f"END:{within}"):
            inside = line.startswith("BEGIN")
        elif inside and line.split(":")[0].split(";")[0] == name:
            found.append(line)
    return found


def test_render_same_data_gives_same_bytes():
    assert render.feed_render(feed(item(), item(uid="b@x"))) == render.feed_render(
        feed(item(uid="b@x"), item())
    )


def test_render_parses_in_icalendar_vobject_and_icaljs():
    body = render.feed_render(
        feed(item(), item(uid="activity-2@etape.planner", status="cancelled"))
    )
    cal, js = check_all(body)
    assert [str(e["UID"]) for e in cal.walk("VEVENT")] == [
        "activity-1@etape.planner",
        "activity-2@etape.planner",
    ]
    assert [(e["uid"], e["status"]) for e in js["events"]] == [
        ("activity-1@etape.planner", "TENTATIVE"),
        ("activity-2@etape.planner", "CANCELLED"),
    ]


def test_render_lines_are_crlf_and_at_most_75_octets_with_multibyte_text():
    body = render.feed_render(
        feed(item(title="Économie sociale et solidaire — " * 12, text="é€😀" * 200))
    )
    lines = wire_lines(body)
    assert max(len(line) for line in lines) == 75
    assert any(line.startswith(b" ") for line in lines)


def test_render_calendar_header_once_each():
    body = render.feed_render(feed(item()))
    head = unfolded(body)
    assert head[:3] == ["BEGIN:VCALENDAR", "VERSION:2.0", f"PRODID:{render.PRODID}"]
    assert lines_named(body, "NAME") == ["NAME:Étape régionale: Marie Tremblay"]
    assert lines_named(body, "X-WR-CALNAME") == ["X-WR-CALNAME:Étape régionale: Marie Tremblay"]
    assert lines_named(body, "REFRESH-INTERVAL") == ["REFRESH-INTERVAL;VALUE=DURATION:PT1H"]
    assert lines_named(body, "X-PUBLISHED-TTL") == ["X-PUBLISHED-TTL:PT1H"]


def test_render_never_invites_anyone():
    body = render.feed_render(feed(item()))
    for name in ("METHOD", "ATTENDEE", "ORGANIZER"):
        assert lines_named(body, name) == []


def test_render_empty_feed_still_has_a_vtimezone():
    body = render.feed_render(feed())
    cal, js = check_all(body)
    assert [c.name for c in cal.subcomponents] == ["VTIMEZONE"]
    assert js["events"] == []


def test_render_event_has_uid_dtstamp_utc_and_times_from_data():
    body = render.feed_render(feed(item(sequence=3)))
    assert lines_named(body, "DTSTAMP") == ["DTSTAMP:20090302T083000Z"]
    assert lines_named(body, "LAST-MODIFIED") == ["LAST-MODIFIED:20090302T083000Z"]
    assert lines_named(body, "SEQUENCE") == ["SEQUENCE:3"]
    assert lines_named(body, "DTSTART", "VEVENT") == ["DTSTART;TZID=Europe/Paris:20090328T100000"]
    assert lines_named(body, "DTEND", "VEVENT") == ["DTEND;TZID=Europe/Paris:20090328T120000"]


def test_render_no_floating_times():
    body = render.feed_render(feed(item()))
    cal = Calendar.from_ical(body)
    for event in cal.walk("VEVENT"):
        for name in ("DTSTART", "DTEND"):
            assert event[name].dt.tzinfo is not None
        for name in ("DTSTAMP", "CREATED", "LAST-MODIFIED"):
            assert event[name].dt.utcoffset() == dt.timedelta(0)


def test_render_vtimezone_covers_the_dates_without_rdate_or_comment():
    body = render.feed_render(feed(item()))
    cal = Calendar.from_ical(body)
    (tz,) = cal.walk("VTIMEZONE")
    assert str(tz["TZID"]) == "Europe/Paris"
    observances = [(c.name, c["DTSTART"].dt, c["TZOFFSETTO"].td) for c in tz.subcomponents]
    assert observances == [
        ("STANDARD", dt.datetime(2009, 3, 26), dt.timedelta(hours=1)),
        ("DAYLIGHT", dt.datetime(2009, 3, 29, 2), dt.timedelta(hours=2)),
    ]
    for name in ("RDATE", "RRULE", "COMMENT"):
        assert lines_named(body, name) == []


def test_render_times_are_right_across_a_daylight_saving_change():
    saturday = item(uid="sat@x")
    sunday = item(
        uid="sun@x",
        start=dt.datetime(2009, 3, 29, 10, tzinfo=PARIS),
        end=dt.datetime(2009, 3, 29, 12, tzinfo=PARIS),
    )
    _cal, js = check_all(render.feed_render(feed(saturday, sunday)))
    assert [(e["start_local"], e["start_utc"]) for e in js["events"]] == [
        ("2009-03-28T10:00:00", "2009-03-28T09:00:00.000Z"),
        ("2009-03-29T10:00:00", "2009-03-29T08:00:00.000Z"),
    ]


def test_render_autumn_change_is_right_too():
    october = item(
        start=dt.datetime(2009, 10, 25, 9, tzinfo=PARIS),
        end=dt.datetime(2009, 10, 25, 10, tzinfo=PARIS),
    )
    autumn = render.Feed(
        **{
            **feed(october).__dict__,
            "first_date": dt.date(2009, 10, 23),
            "last_date": dt.date(2009, 10, 26),
        }
    )
    _cal, js = check_all(render.feed_render(autumn))
    assert js["events"][0]["start_utc"] == "2009-10-25T08:00:00.000Z"


@pytest.mark.parametrize(
    "text",
    [
        "Vente, achat; troc \\ échange",
        "ligne 1\nligne 2",
        "END:VEVENT\nBEGIN:VEVENT\nUID:evil",
        'guillemets "doubles" et ; virgule, fin\\',
    ],
)
def test_render_user_text_round_trips_and_injects_no_line(text):
    body = render.feed_render(feed(item(title=text, text=text)))
    cal, js = check_all(body)
    (event,) = cal.walk("VEVENT")
    assert str(event["SUMMARY"]) == text
    assert js["events"][0]["summary"] == text
    assert len(cal.walk("VEVENT")) == 1
    assert "BEGIN:VEVENT" in unfolded(body)
    assert unfolded(body).count("BEGIN:VEVENT") == 1


def test_render_lone_cr_and_control_characters_become_clean_text():
    body = render.feed_render(feed(item(title="a\rUID:x\r\nb\x00c\x07d\x1b\x7fe\x85f")))
    cal, js = check_all(body)
    (event,) = cal.walk("VEVENT")
    assert str(event["SUMMARY"]) == "a\nUID:x\nbcdef"
    assert js["events"][0]["summary"] == "a\nUID:x\nbcdef"
    assert lines_named(body, "UID", "VEVENT") == ["UID:activity-1@etape.planner"]


def test_render_texts_carry_the_language_parameter():
    body = render.feed_render(feed(item(), language="fr"))
    for name in ("SUMMARY", "DESCRIPTION", "LOCATION"):
        (line,) = lines_named(body, name)
        assert line.startswith(f"{name};LANGUAGE=fr:")


def test_render_unknown_language_falls_back_to_the_default():
    body = render.feed_render(feed(item(), language="ms"))
    assert lines_named(body, "SUMMARY") == ["SUMMARY;LANGUAGE=en:Rencontre avec le maire"]


def test_render_description_names_hosts_interpreters_languages_and_grid_question():
    body = render.feed_render(
        feed(
            item(phase="Illustrer", questions=("Quelle économie l'action a-t-elle générée ?",)),
            language="fr",
        )
    )
    description = str(Calendar.from_ical(body).walk("VEVENT")[0]["DESCRIPTION"])
    assert "Eric Andrieu (maire)" in description
    assert "Ann Hitchman (français → anglais, anglais → français)" in description
    assert ": français" in description
    assert "Illustrer" in description
    assert "Quelle économie l'action a-t-elle générée ?" in description


def test_render_location_is_the_full_address_with_geo():
    body = render.feed_render(feed(item(), language="es"))
    event = Calendar.from_ical(body).walk("VEVENT")[0]
    assert (
        str(event["LOCATION"]) == "Salle des fêtes, 1 place de la République, 11190 Couiza, Francia"
    )
    assert (event["GEO"].latitude, event["GEO"].longitude) == (42.9425, 2.254)


def test_render_travel_leg_is_its_own_event():
    leg = item(
        uid="travel-a1-a2@x",
        kind="travel",
        status="confirmed",
        origin=HALL,
        destination=render.Place("Ferme de Sarrant", "32120 Sarrant"),
        minutes=120,
        venue=None,
    )
    cal, js = check_all(render.feed_render(feed(leg)))
    event = cal.walk("VEVENT")[0]
    assert str(event["SUMMARY"]) == "Travel: Salle des fêtes → Ferme de Sarrant"
    assert str(event["DESCRIPTION"]) == "Travel time: 2 hr"
    assert js["events"][0]["status"] == "CONFIRMED"


def test_icaljs_helper_reports_a_broken_file():
    with pytest.raises(AssertionError, match=r"ical\.js"):
        parse_icaljs(b"BEGIN:VCALENDAR\r\nBEGIN:VEVENT\r\n")


@pytest.mark.parametrize(
    ("zone", "day"),
    [
        ("Europe/Paris", dt.date(2030, 4, 12)),  # summer time all along (#19)
        ("Europe/Paris", dt.date(2030, 1, 12)),
        ("Australia/Sydney", dt.date(2030, 1, 12)),  # southern summer
        ("Asia/Tokyo", dt.date(2030, 4, 12)),  # no daylight time at all
    ],
)
def test_render_every_vtimezone_has_a_standard_part(zone, day):
    tz = ZoneInfo(zone)
    start = dt.datetime.combine(day, dt.time(10), tz)
    body = render.feed_render(
        render.Feed(
            **{
                **feed().__dict__,
                "time_zone": zone,
                "first_date": day,
                "last_date": day + dt.timedelta(days=2),
                "items": (item(start=start, end=start + dt.timedelta(hours=2)),),
            }
        )
    )
    cal, js = check_all(body)
    (vtimezone,) = cal.walk("VTIMEZONE")
    parts = [c.name for c in vtimezone.subcomponents]
    assert "STANDARD" in parts, parts
    # ical.js and icalendar read the local time and the instant right from the block (vobject
    # parses it in check_all, but keeps the first block of a TZID for the whole process).
    (event,) = js["events"]
    assert event["start_local"] == start.replace(tzinfo=None).isoformat()
    assert event["start_utc"] == start.astimezone(dt.UTC).strftime("%Y-%m-%dT%H:%M:%S.000Z")
    assert cal.walk("VEVENT")[0]["DTSTART"].dt == start
    for name in ("RDATE", "RRULE"):
        assert lines_named(body, name) == []


def test_render_cancelled_event_is_titled_cancelled_and_leaves_the_time_free():
    body = render.feed_render(feed(item(status="cancelled"), item(uid="b@x")))
    assert lines_named(body, "SUMMARY") == [
        "SUMMARY;LANGUAGE=en:Cancelled: Rencontre avec le maire",
        "SUMMARY;LANGUAGE=en:Rencontre avec le maire",
    ]
    assert lines_named(body, "TRANSP") == ["TRANSP:TRANSPARENT"]
    _cal, js = check_all(body)
    assert js["events"][0]["summary"] == "Cancelled: Rencontre avec le maire"


@pytest.mark.parametrize("language", ["fr", "es"])
def test_render_cancelled_title_in_the_readers_language(language):
    from django.utils import translation

    with translation.override(language):
        wanted = translation.gettext("Cancelled: %(title)s") % {"title": "Rencontre"}
    assert wanted == {"fr": "Annulé : Rencontre", "es": "Cancelado: Rencontre"}[language]
    travel = item(
        kind="travel",
        status="cancelled",
        origin=HALL,
        destination=render.Place("Ferme"),
        minutes=90,
        uid="t@x",
    )
    body = render.feed_render(
        feed(item(status="cancelled", title="Rencontre"), travel, language=language)
    )
    summaries = lines_named(body, "SUMMARY")
    assert summaries[0] == f"SUMMARY;LANGUAGE={language}:{wanted}"
    assert summaries[1].startswith(f"SUMMARY;LANGUAGE={language}:{wanted.split('Rencontre')[0]}")
    assert lines_named(body, "TRANSP") == ["TRANSP:TRANSPARENT"] * 2


def _forget():
    for kept in (render._event_bytes, render._vtimezone_bytes, render._head):
        kept.cache_clear()


def test_render_writes_each_event_once_and_reuses_its_bytes(monkeypatch):
    written = []
    real = render._event

    def counting(item, *args):
        written.append(item.uid)
        return real(item, *args)

    monkeypatch.setattr(render, "_event", counting)
    _forget()
    items = [item(uid=f"a{n}@x", title=f"Rencontre {n}") for n in range(5)]
    first = render.feed_render(feed(*items))
    assert len(written) == 5
    assert render.feed_render(feed(*items)) == first
    assert len(written) == 5  # nothing written again
    moved = [*items[:4], item(uid="a4@x", title="Rencontre 4", sequence=1)]
    render.feed_render(feed(*moved))
    assert written[5:] == ["a4@x"]  # only the changed event
    # Another language or audience is other bytes: written anew.
    render.feed_render(feed(*items, language="fr"))
    assert len(written) == 11


def test_render_kept_bytes_are_the_bytes_written_afresh():
    items = [
        item(uid="a@x"),
        item(uid="b@x", status="cancelled"),
        item(uid="t@x", kind="travel", origin=HALL, destination=render.Place("Ferme"), minutes=90),
    ]
    for audience in ("guest", "person", "programme"):
        _forget()
        fresh = render.feed_render(feed(*items, audience=audience))
        assert render.feed_render(feed(*items, audience=audience)) == fresh
        check_all(fresh)


def test_render_event_has_url_categories_geo_and_apple_structured_location():
    hall = render.Place('Salle "des" fêtes; x', HALL.address, "Couiza", "FR", 42.9425, 2.254)
    body = render.feed_render(
        render.Feed(
            **{
                **feed().__dict__,
                "language": "fr",
                "url": "https://planner.example.org/hosts/abc/",
                "items": (
                    item(venue=hall, category="meeting"),
                    item(uid="t@x", kind="travel", origin=HALL, destination=hall, minutes=90),
                    item(uid="n@x", venue=render.Place("Sans coordonnées"), category="?"),
                ),
            }
        )
    )
    cal, js = check_all(body)
    meeting, plain, travel = js["events"]  # same start: by UID
    assert meeting["url"] == "https://planner.example.org/hosts/abc/"
    assert meeting["categories"] == ["Rencontre"]  # the activity's kind, in French
    assert travel["categories"] == ["Trajet"]
    assert plain["categories"] == ["Activité"]
    assert meeting["geo"] == [42.9425, 2.254]
    assert meeting["apple_location"] == {
        "value": "geo:42.9425,2.254",
        "title": "Salle 'des' fêtes; x",
        "address": 'Salle "des" fêtes; x, 1 place de la République, 11190 Couiza, France'.replace(
            '"', "'"
        ),
    }
    assert travel["apple_location"]["value"] == "geo:42.9425,2.254"  # where it starts
    assert plain["geo"] is None and plain["apple_location"] is None
    (event, *_rest) = cal.walk("VEVENT")
    assert event["X-APPLE-STRUCTURED-LOCATION"].params["X-TITLE"] == "Salle 'des' fêtes; x"
    assert str(event["URL"]) == "https://planner.example.org/hosts/abc/"
    assert [str(c) for c in event["CATEGORIES"].cats] == ["Rencontre"]


@pytest.mark.parametrize(
    "day", [dt.date(2030, 7, 1), dt.date(2030, 1, 12), dt.date(2030, 3, 29), dt.date(2030, 10, 26)]
)
def test_render_irish_time_is_standard_in_winter_and_daylight_in_summer(day):
    """tzdata writes Ireland's winter as a negative daylight saving (IST the standard time):
    taken as is, GMT became the DAYLIGHT part and IST the STANDARD one, which Outlook (one
    standard offset, one daylight offset above it) reads the other way round."""
    body = render.feed_render(
        render.Feed(
            **{
                **feed().__dict__,
                "time_zone": "Europe/Dublin",
                "first_date": day,
                "last_date": day + dt.timedelta(days=2),
            }
        )
    )
    cal, _js = check_all(body)
    (vtimezone,) = cal.walk("VTIMEZONE")
    offsets = {(c.name, c["TZOFFSETTO"].td) for c in vtimezone.subcomponents}
    assert ("STANDARD", dt.timedelta(0)) in offsets, offsets
    assert offsets <= {("STANDARD", dt.timedelta(0)), ("DAYLIGHT", dt.timedelta(hours=1))}
