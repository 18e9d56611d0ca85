"""The guests sheet of the spreadsheet import (events.import_services): registered there by
DelegationsConfig.ready, since events sits under delegations and does not import it."""

from django.utils.translation import gettext as _

from delegations.models import Delegation, Guest, GuestLanguage, SubGroup
from events.import_services import UNCHANGED, UPDATED, Importer, fail, given


class GuestImporter(Importer):
    """A row of the guests sheet: the guest, its delegation and sub-group (made if new), its
    languages."""

    key_column = "full_name"

    def key(self, values):
        return (values.get("delegation"), values.get("full_name"))

    def apply(self, values):
        delegation = self.side_create(
            Delegation, {"visit": self.visit, "name": values["delegation"]}, "delegation"
        )
        data = given(
            values,
            (
                "country",
                "organisation",
                "position",
                "email",
                "preferred_language",
                "arrival",
                "departure",
                "dietary_needs",
            ),
            {
                "organisation": "",
                "position": "",
                "email": "",
                "dietary_needs": "",
                "arrival": None,
                "departure": None,
                "country": "",
            },
        )
        if "subgroup" in values:
            name = values["subgroup"]
            data["subgroup"] = (
                self.side_create(SubGroup, {"delegation": delegation, "name": name}, "subgroup")
                if name
                else None
            )
        guest, status = self.upsert(
            Guest, {"delegation": delegation, "full_name": values["full_name"]}, data
        )
        if "languages" in values and self.set_languages(guest, values["languages"] or []):
            status = UPDATED if status == UNCHANGED else status
        return status

    def set_languages(self, guest: Guest, pairs: list[tuple[str, str]]) -> bool:
        codes = [code for code, _level in pairs]
        if len(set(codes)) != len(codes):
            fail("languages", _("A language is listed twice."))
        current = dict(guest.languages.values_list("language", "level"))
        if current == dict(pairs):
            return False
        guest.languages.exclude(language__in=codes).delete()
        for code, level in pairs:
            self.upsert(
                GuestLanguage,
                {"guest": guest, "language": code},
                {"level": level},
                fields={"language": "languages", "level": "languages"},
            )
        return True
