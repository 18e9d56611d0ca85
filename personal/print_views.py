"""The printed version of a person's page (``/p/<key>/print/``): their days on paper, in
their language or ``?lang=``, and with ``?second=`` each text followed by its translation
(the Spanish-speaking guest and the French driver read the same sheet); the places of each
day with their addresses, and a QR code back to the page. Read offline like the page (its
service worker keeps it), with the same "last brought up to date" line."""

from itertools import zip_longest

from django.conf import settings
from django.shortcuts import render
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from personal import links, maps, offline, selectors
from planner import i18n
from planner.qr import qr_svg

TEXTS = (
    "time_label",
    "title",
    "place",
    "address",
    "language",
    "interpretation",
    "mode",
    "vehicle",
    "diet",
)
LISTS = ("hosts", "directions", "lines")
DAY_TEXTS = ("label", "lodging", "load")


def _both(first: str, second: str) -> tuple[str, str]:
    """A text and its translation, the translation left out when it reads the same."""
    first, second = first or "", second or ""
    return first, (second if second and second != first else "")


def _texts(first, second, names) -> dict:
    return {name: _both(getattr(first, name), getattr(second, name, "")) for name in names}


def _lists(first, second, names) -> dict:
    return {
        name: [
            _both(a, b)
            for a, b in zip_longest(getattr(first, name), getattr(second, name, []), fillvalue="")
            if a
        ]
        for name in names
    }


def _build(link, language: str):
    """The page's days and the sheet's own words in ``language`` (the page's texts, so the
    printed version reads as the page does)."""
    with translation.override(language):
        view = selectors.page_view(link=link)
        maps.attach(view)
        interpreter = view.kind == "interpreter"
        words = {
            "heading": _("Your assignments") if interpreter else _("Your programme"),
            "changed": {"moved": _("Changed"), "added": _("New")},
            "night": _("Night:"),
            "with": _("Hosts") if interpreter else _("Who receives you"),
            "empty": _("Nothing is planned for you yet."),
            "cancelled": _("Cancelled:"),
        }
    return view, words


def _pages(first_view, second_view) -> list[dict]:
    days = []
    others = second_view.days if second_view else []
    for day, other in zip_longest(first_view.days, others):
        if day is None:
            break
        entries = []
        other_entries = other.entries if other else []
        for entry, twin in zip_longest(day.entries, other_entries):
            if entry is None:
                break
            entries.append(
                {
                    "kind": entry.kind,
                    "changed": entry.changed,
                    **_texts(entry, twin, TEXTS),
                    **_lists(entry, twin, LISTS),
                }
            )
        days.append(
            {
                "day": day,
                "map": getattr(day, "map", None),
                "over_cap": day.over_cap,
                "lodging_address": day.lodging_address,
                "entries": entries,
                **_texts(day, other, DAY_TEXTS),
            }
        )
    return days


def _language(value: str) -> str | None:
    return value if value in dict(settings.LANGUAGES) else None


@require_safe
@offline.guarded
def print_page(request, key: str, link):
    first = _language(request.GET.get("lang", "")) or links.link_language(link)
    second = _language(request.GET.get("second", ""))
    if second == first:
        second = None
    first_view, first_words = _build(link, first)
    second_view, second_words = _build(link, second) if second else (None, {})
    page_url = links.page_url(key)
    with translation.override(first):
        context = {
            "key": key,
            "view": first_view,
            "days": _pages(first_view, second_view),
            "first": first,
            "second": second or "",
            "words": first_words,
            "second_words": second_words,
            "cancelled": list(
                zip_longest(first_view.cancelled, second_view.cancelled if second_view else [])
            ),
            "page_url": page_url,
            "qr_svg": qr_svg(page_url, scale=3, title=_("Your page")),
            "choices": [(code, i18n.language_name(code)) for code in dict(settings.LANGUAGES)],
            "offline": offline.offline_context(key=key, link=link, now=timezone.now()),
        }
        response = render(request, "personal/print.html", context)
    return offline.private(response)
