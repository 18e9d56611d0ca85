"""How an activity's languages are written for its reader: the one place the timetable, the
printed programme and the calendar feeds take them from."""

from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from planner import i18n


def languages_text(choice: dict | None, candidates=(), locale: str | None = None) -> str:
    """ "in French, interpreted into English for 2 guests" from a slot's stored choice
    (Slot.languages: {"spoken": code, "listening": [[group, code, guests], ...]}), in the
    active language (names from CLDR in ``locale``, by default the active one). Without a
    choice (a version made before choices), the languages it can be held in: "French,
    English"."""
    if not choice or not choice.get("spoken"):
        return i18n.names([i18n.language_name(c, locale) for c in candidates], locale)
    spoken = choice["spoken"]
    guests: dict[str, int] = {}
    for _group, code, count in choice.get("listening", ()):
        if code != spoken:
            guests[code] = guests.get(code, 0) + count
    name = i18n.language_name(spoken, locale)
    if not guests:
        return _("in %(language)s") % {"language": name}
    targets = [
        ngettext("%(language)s for %(count)d guest", "%(language)s for %(count)d guests", count)
        % {"language": i18n.language_name(code, locale), "count": count}
        for code, count in sorted(guests.items())
    ]
    return _("in %(language)s, interpreted into %(targets)s") % {
        "language": name,
        "targets": i18n.names(targets, locale),
    }
