"""Each stage of the logistics plan alone, on plain data: unsaved rows built in memory, no
database. The stages return data and coded warnings; the words come only when read."""

import datetime as dt
from zoneinfo import ZoneInfo

from django.utils import translation

from delegations.models import Guest, SubGroup
from events.models import Activity, Person, Venue
from logistics import legs as leg_model
from logistics.models import Companion, Journey, MealService, Stay, Vehicle
from logistics.plan import attendance, capacity, days, lodging, meals, rides
from logistics.plan.facts import SlotFacts
from logistics.plan.warnings import ActivityName, LegName, LogisticsWarning, warning_text
from scheduling import attendance as attend
from scheduling.attendance import DayPath
from scheduling.models import Slot

PARIS = ZoneInfo("Europe/Paris")
DAY1 = dt.date(2009, 4, 20)


def at(day: int, hour: int, minute: int = 0) -> dt.datetime:
    return dt.datetime.combine(DAY1 + dt.timedelta(days=day), dt.time(hour, minute), PARIS)


HOTEL = Venue(pk=1, name="Hôtel de la Cité", kind=Venue.Kind.LODGING, capacity=1)
TOWNHALL = Venue(pk=2, name="Mairie de Villerouge")
INN = Venue(pk=3, name="Auberge du Château", kind=Venue.Kind.RESTAURANT)
AIRPORT = Venue(pk=4, name="Aéroport de Toulouse-Blagnac", kind=Venue.Kind.STATION)
VENUES = {v.pk: v for v in (HOTEL, TOWNHALL, INN, AIRPORT)}
FARMERS = SubGroup(pk=7, name="Farmers", lodging=HOTEL)


def guest(pk: int, name: str, subgroup=None, **fields) -> Guest:
    return Guest(pk=pk, full_name=name, delegation_id=1, subgroup=subgroup, **fields)


def slot(pk: int, activity: Activity, venue: Venue, start, end) -> Slot:
    return Slot(pk=pk, activity=activity, venue=venue, start=start, end=end)


FISET = guest(1, "Jacques Fiset", FARMERS, dietary_needs="Halal ")
TAMINI = guest(2, "Laurent Tamini")
MEETING = Activity(pk=10, title="Meeting", titles={"fr": "Réunion"})
LUNCH = Activity(pk=11, title="Lunch", kind=Activity.Kind.MEAL)


def test_presence_comes_from_journeys_and_warns_when_leaving_before_arriving():
    late = guest(3, "Ana Late", arrival=at(1, 9), departure=at(0, 9))
    journeys = {1: {"arrival": Journey(direction="arrival", time=at(0, 10))}}
    presence, warnings = attendance.presences([FISET, late], journeys)
    assert presence == {1: (at(0, 10), None), 3: (at(1, 9), at(0, 9))}
    assert warnings == [
        LogisticsWarning("departure_before_arrival", {"guest": "Ana Late"}, {"guest": 3})
    ]


def test_attendance_keeps_the_audience_and_warns_about_absent_guests():
    morning = SlotFacts(slot(100, MEETING, TOWNHALL, at(0, 9), at(0, 10)), required=frozenset({2}))
    farmers_only = SlotFacts(
        slot(101, LUNCH, INN, at(0, 12), at(0, 13)), audience=frozenset({FARMERS.pk})
    )
    presence = {1: (None, None), 2: (at(0, 11), None)}
    attending, warnings = attendance.attendance(
        [morning, farmers_only], [FISET, TAMINI], presence, PARIS
    )
    assert attending == {100: [1], 101: [1]}
    (absent,) = warnings
    assert absent.code == "required_guest_absent"
    assert absent.refs == {"guest": 2, "activity": 10, "slot": 100}
    assert absent.params["activity"] == ActivityName("Meeting", {"fr": "Réunion"})


def test_lodging_takes_the_most_specific_stay_then_the_sub_group_and_warns_without_a_bed():
    stays = [
        Stay(first_night=DAY1, last_night=DAY1, venue_id=INN.pk),  # the whole visit
        Stay(first_night=DAY1, last_night=DAY1, guest_id=2, venue_id=TOWNHALL.pk, room="12"),
    ]
    presence = {1: (None, None), 2: (None, None)}
    where, nights, warnings = lodging.lodging(
        [FISET, TAMINI], presence, stays, VENUES, None, (DAY1, DAY1 + dt.timedelta(2)), PARIS
    )
    second = DAY1 + dt.timedelta(1)
    assert nights == {1: [DAY1, second], 2: [DAY1, second]}
    assert {k: v[0].name for k, v in where.items()} == {
        (1, DAY1): "Auberge du Château",
        (1, second): "Hôtel de la Cité",
        (2, DAY1): "Mairie de Villerouge",
    }
    assert [(w.code, w.refs) for w in warnings] == [
        ("no_lodging", {"guest": 2, "night": "2009-04-21"})
    ]


def test_days_run_from_the_night_before_to_the_night_after_and_transfers_to_the_hotel():
    where = {(1, DAY1): (HOTEL, None)}
    meeting = slot(100, MEETING, TOWNHALL, at(0, 15), at(0, 16))
    (day,) = days.guest_days([meeting], {100: [1]}, where, PARIS)
    assert day == DayPath(
        1, DAY1, HOTEL.pk, HOTEL.pk, (attend.Stop(10, TOWNHALL.pk, at(0, 15), at(0, 16)),)
    )
    landing = Journey(
        direction="arrival", time=at(0, 10), place=AIRPORT, mode="plane", transfer=True
    )
    own_way = Journey(direction="departure", time=at(2, 10), place=AIRPORT, transfer=False)
    journeys = {1: {"arrival": landing, "departure": own_way}}
    assert days.transfers(journeys, where, PARIS) == [
        leg_model.Transfer(1, "arrival", AIRPORT.pk, at(0, 10), "plane", HOTEL.pk)
    ]


def _leg(origin, destination, depart, minutes, guests, before=None):
    arrive = depart + dt.timedelta(minutes=minutes or 0)
    return leg_model.Leg(
        leg_model.PROGRAMME,
        DAY1,
        origin.pk,
        destination.pk,
        depart,
        arrive,
        minutes,
        guests,
        before_activity=before,
    )


def test_rides_seat_companions_and_warn_about_what_does_not_fit():
    ride = _leg(HOTEL, TOWNHALL, at(0, 8, 30), 45, (1, 2), before=MEETING.pk)
    back = _leg(TOWNHALL, HOTEL, at(0, 11), None, (1,))
    car = Vehicle(pk=5, name="Car", seats=2)
    aide = Companion(person=Person(pk=9, full_name="Aide"), subgroup_id=None)
    meeting = slot(100, MEETING, TOWNHALL, at(0, 9), at(0, 10))
    views, warnings = rides.rides(
        [ride, back],
        guests={1: FISET, 2: TAMINI},
        venues=VENUES,
        companions=[aide],
        vehicles=[car],
        pinned={"L-gone": (5,)},
        travel={},
        slots=[meeting],
        zone=PARIS,
    )
    assert [(v.people, v.seats) for v in views] == [(3, 2), (2, 2)]
    assert [w.code for w in warnings] == [
        "no_travel_time",
        "late_arrival",
        "seats_short",
        "stale_assignment",
    ]
    assert warnings[1].refs == {"leg": ride.key, "activity": MEETING.pk, "minutes": 15}
    assert warnings[2].params["leg"] == LegName(HOTEL.name, TOWNHALL.name, at(0, 8, 30), PARIS)


def test_meals_count_guests_diets_hosts_interpreters_and_companions_once():
    lunch = SlotFacts(
        slot(101, LUNCH, INN, at(0, 12), at(0, 13)),
        hosts=(20, 21),
        interpreters=frozenset({30}),
        interpreter_people=frozenset({22}),
    )
    companions = [
        Companion(person=Person(pk=21), subgroup_id=None),  # hosts: counted as a host
        Companion(person=Person(pk=23), subgroup_id=None),
    ]
    (meal,) = meals.meals([lunch], {101: [1, 2]}, {1: FISET, 2: TAMINI}, {}, companions)
    assert (len(meal.guests), meal.hosts, meal.interpreters, meal.companions) == (2, 2, 1, 1)
    assert meal.diets == {"halal": 1, "": 1}
    assert meal.total == 6


def test_capacity_warns_about_meals_and_hotels_that_overflow():
    small = MealService(venue=INN, capacity=1)
    at_farm = slot(102, LUNCH, TOWNHALL, at(0, 12), at(0, 13))
    at_inn = slot(101, LUNCH, INN, at(0, 12), at(0, 13))
    served = [
        meals.Meal(at_farm, [FISET], 0, 0, {}, None),
        meals.Meal(at_inn, [FISET, TAMINI], 0, 0, {}, small),
    ]
    assert [w.code for w in capacity.meal_warnings(served)] == [
        "venue_serves_no_meals",
        "meal_over_capacity",
    ]
    crowded = {(1, DAY1): (HOTEL, None), (2, DAY1): (HOTEL, None)}
    (full,) = capacity.lodging_warnings(crowded, VENUES)
    assert (full.code, full.params["count"], full.refs) == (
        "lodging_over_capacity",
        2,
        {"venue": HOTEL.pk, "night": "2009-04-20"},
    )


def test_warnings_are_worded_in_the_readers_language():
    leg = LegName(HOTEL.name, TOWNHALL.name, at(0, 8, 30), PARIS)
    meeting = ActivityName("Meeting", {"fr": "Réunion"})
    warnings = [
        LogisticsWarning("departure_before_arrival", {"guest": "Ana"}),
        LogisticsWarning("no_lodging", {"guest": "Ana", "night": DAY1}),
        LogisticsWarning("no_programme"),
        LogisticsWarning(
            "guest_misses", {"guest": "Ana", "activity": meeting, "start": at(0, 9), "zone": PARIS}
        ),
        LogisticsWarning("late_arrival", {"leg": leg, "minutes": 15, "activity": meeting}),
        LogisticsWarning("seats_short", {"leg": leg, "missing": 1, "people": 3, "seats": 2}),
        LogisticsWarning(
            "lodging_over_capacity", {"venue": "Hôtel", "capacity": 1, "count": 2, "night": DAY1}
        ),
    ]
    with translation.override("fr"):
        assert [warning_text(w) for w in warnings] == [
            "Le départ de Ana précède son arrivée.",
            "Ana n'a pas d'hébergement pour la nuit du lundi 20 avril 2009.",
            "Aucun programme n'a encore été publié.",
            "Ana n'est pas présent pour « Réunion » (lundi 20 avril 2009 09:00).",
            "Hôtel de la Cité → Mairie de Villerouge à 08:30 le lundi 20 avril 2009 arrive "
            "15 minutes après le début de « Réunion ».",
            "Il manque 1 places pour Hôtel de la Cité → Mairie de Villerouge à 08:30 le lundi "
            "20 avril 2009 (3 personnes, 2 places).",
            "Hôtel peut loger 1 personnes, mais 2 invités y sont hébergés la nuit du lundi "
            "20 avril 2009.",
        ]
    # The same warning read by an English reader: worded when read, not when computed.
    with translation.override("en"):
        assert warnings[0].message == "Ana leaves before arriving."
        assert warning_text(warnings[3]) == (
            "Ana is not there for “Meeting” (Monday, April 20, 2009 9:00\u202fAM)."
        )
