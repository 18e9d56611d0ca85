"""Words for the people confirmations writes to: their language, a slot's time as they read
it, and the organisers of a visit as recipients."""

from zoneinfo import ZoneInfo

from django.conf import settings

from delegations.models import Guest
from events.models import Person, Visit
from notifications import services as notify
from planner import i18n
from planner.languages import text_language
from planner.models import Organiser


def language_of(person: Person | Guest) -> str:
    """The language to write to someone in: theirs when the site has texts in it (and Babel
    its dates), else the site's default."""
    return text_language(person.preferred_language)


def when(slot_or_start, end=None, *, zone: ZoneInfo) -> str:
    """ "lundi 20 avril 2009, 10:00–12:00" in the active language."""
    start = getattr(slot_or_start, "start", slot_or_start)
    end = getattr(slot_or_start, "end", end)
    return i18n.day_time_range(start, end, zone)


def organisers_of(visit: Visit) -> list[notify.Recipient]:
    """The visit's organisers who have an email address, written to in the site's language."""
    return [
        notify.Recipient(o.user.email, settings.LANGUAGE_CODE, o.user.get_full_name())
        for o in Organiser.objects.filter(organisation_id=visit.owner_id)
        .select_related("user")
        .exclude(user__email="")
    ]
