"""Invitation letters: the organiser's template filled for one guest (pure text, no HTML).

Placeholders are ``{{ name }}`` from a fixed list; anything else is refused when the template
is saved, so a letter never goes out with a hole or with text the organiser did not mean.
"""

import re

from django.utils.translation import gettext as _

PLACEHOLDER = re.compile(r"\{\{\s*([a-z_]+)\s*\}\}")
NAMES = (
    "guest",
    "country",
    "organisation",
    "position",
    "visit",
    "dates",
    "arrival",
    "departure",
    "lodging",
    "host_organisation",
    "today",
)


def unknown_placeholders(text: str) -> list[str]:
    found = PLACEHOLDER.findall(text)
    # A brace pair that is not a well-formed placeholder is refused too.
    stray = re.findall(r"\{\{(?!\s*[a-z_]+\s*\}\})[^}]*\}?\}?", text)
    return [name for name in found if name not in NAMES] + stray


def fill(text: str, values: dict[str, str]) -> str:
    return PLACEHOLDER.sub(lambda m: values.get(m.group(1), m.group(0)), text)


def default_template() -> tuple[str, str]:
    """Subject and body in the active language, used until the organiser writes their own."""
    subject = _("Letter of invitation — {{ guest }}")
    body = _(
        "To whom it may concern,\n\n"
        "{{ host_organisation }} invites {{ guest }}, {{ position }} at {{ organisation }} "
        "({{ country }}), to take part in “{{ visit }}”, {{ dates }}.\n\n"
        "{{ guest }} will arrive on {{ arrival }} and leave on {{ departure }}. "
        "Lodging is provided by the organisers at {{ lodging }}.\n\n"
        "We would be grateful for any help you can give {{ guest }} in obtaining a visa "
        "for this visit.\n"
    )
    return subject, body
