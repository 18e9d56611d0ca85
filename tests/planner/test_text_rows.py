"""Issue 16: the remaining free texts are clean at the model (positions, addresses, cities,
organisation names, descriptions), and ``clean_text_rows`` finds the rows stored before,
and with --fix rewrites them, printing every change and cutting no text."""

import io

import pytest
from django.core.exceptions import ValidationError
from django.core.management import CommandError, call_command
from django.db import connection

from delegations.models import Delegation, Guest
from events.models import Activity, Person, Venue, Visit
from planner.models import Organisation
from tests import factories


def _person(visit):
    return factories.person(visit.owner, full_name="Eric Andrieu")


def _venue(visit):
    return factories.venue(visit, name="Mairie")


def _activity(visit):
    return factories.activity(visit, factories.venue(visit, name="Ferme"), title="Visite")


def _guest(visit):
    return factories.guest(factories.delegation(visit), full_name="Jacques Fiset")


CASES = [
    (_person, "position", "Maire\nATTENDEE:mailto:x@example.org"),
    (_person, "position", "Maire\x1b[31m"),
    (_person, "phone", "+33\t4"),
    (_venue, "address", "1 rue\r\nde la Mairie"),
    (_venue, "city", "Villerouge\x00"),
    (lambda visit: visit.owner, "name", "Mairie\u202eeiriaM"),
    (lambda visit: visit.owner, "city", "Narbonne\nAude"),
    (lambda visit: visit, "description", "Programme\x1b]0;title\x07"),
    (_activity, "description", "Une visite\x0bet\x00plus"),
    (_guest, "position", "Directeur\rgénéral"),
    (_guest, "organisation", "CLD\x1b"),
    (lambda visit: factories.delegation(visit), "description", "Délégation\x7f"),
]


@pytest.mark.parametrize(("make", "field", "value"), CASES, ids=range(len(CASES)))
def test_the_free_texts_refuse_control_characters(visit, make, field, value):
    row = make(visit)
    setattr(row, field, value)
    with pytest.raises(ValidationError) as refused:
        row.full_clean()
    assert field in refused.value.message_dict


def test_descriptions_keep_their_line_breaks_and_tabs(visit):
    visit.description = "Jour 1\n\tvisite\r\nJour 2"
    visit.full_clean()
    assert visit.description == "Jour 1\n\tvisite\r\nJour 2"


def run(*args) -> str:
    out = io.StringIO()
    call_command("clean_text_rows", *args, stdout=out)
    return out.getvalue()


def test_clean_text_rows_reports_then_fixes_without_cutting_text(visit):
    person = _person(visit)
    venue = _venue(visit)
    activity = _activity(visit)
    # Stored past the fields, as older rows were (update() runs no validation).
    Person.objects.filter(pk=person.pk).update(
        full_name="Eric\r\nAndrieu", position="Maire\x1b[31m"
    )
    Venue.objects.filter(pk=venue.pk).update(address="1 rue\nde la\tMairie", city=" Villerouge ")
    Activity.objects.filter(pk=activity.pk).update(description="Une\x0bvisite\x1b\r\nà pied")
    Organisation.objects.filter(pk=visit.owner_id).update(name="Pactes\u202e Locaux")
    Visit.objects.filter(pk=visit.pk).update(description="Ligne 1\n\tLigne 2")

    with pytest.raises(CommandError, match="5 stored values"):
        run()
    person.refresh_from_db()
    assert person.full_name == "Eric\r\nAndrieu"  # a report changes nothing

    out = run("--fix")
    assert f"events.Person #{person.pk} full_name: 'Eric\\r\\nAndrieu'" in out
    assert "-> 'Eric Andrieu'" in out
    assert "clean_text_rows: 5 found, 5 cleaned, 0 left" in out
    person.refresh_from_db()
    venue.refresh_from_db()
    activity.refresh_from_db()
    visit.refresh_from_db()
    assert (person.full_name, person.position) == ("Eric Andrieu", "Maire[31m")
    # The city held no control character (the field strips it as it writes it).
    assert (venue.address, venue.city) == ("1 rue de la Mairie", "Villerouge")
    assert activity.description == "Une\nvisite\nà pied"
    assert Organisation.objects.get(pk=visit.owner_id).name == "Pactes Locaux"
    assert visit.description == "Ligne 1\n\tLigne 2"  # clean multi-line text: not touched

    assert run().strip() == "clean_text_rows: 0 found"


def test_a_value_still_refused_after_cleaning_is_left_and_named(visit):
    if connection.vendor != "sqlite":
        pytest.skip("only SQLite stores a value longer than its column")
    person = _person(visit)
    Person.objects.filter(pk=person.pk).update(position="\x1b" + "x" * 300)
    out = run("--fix")
    assert "left as it is, for a person to decide" in out
    assert "clean_text_rows: 1 found, 0 cleaned, 1 left" in out
    person.refresh_from_db()
    assert person.position == "\x1b" + "x" * 300  # nothing cut


def test_a_cleaned_name_another_row_holds_is_left(visit):
    Organisation.objects.create(name="Twin")
    clash = Organisation.objects.create(name="Twin2")
    Organisation.objects.filter(pk=clash.pk).update(name="Twin\u202e")
    out = run("--fix")
    assert "another row already holds the cleaned value" in out
    assert Organisation.objects.get(pk=clash.pk).name == "Twin\u202e"


def test_guests_and_delegations_are_read_too(visit):
    guest = _guest(visit)
    Guest.objects.filter(pk=guest.pk).update(dietary_needs="sans\tgluten")
    Delegation.objects.filter(pk=guest.delegation_id).update(description="ok\x01")
    out = run("--fix")
    assert f"delegations.Guest #{guest.pk} dietary_needs" in out
    assert "delegations.Delegation" in out
    guest.refresh_from_db()
    assert guest.dietary_needs == "sans gluten"
