"""The logistics computed from the published programme: legs, vehicles, rooming, meals,
presence, and the warnings an organiser must see."""

import datetime as dt

from delegations.models import SubGroup
from logistics.models import ActivityGuest, Companion, LegAssignment, MealService
from logistics.selectors import logistics_plan
from tests import factories
from tests.logistics.conftest import DAY1, at


def codes(plan) -> list[str]:
    return [w.code for w in plan.warnings]


def test_without_a_published_version_only_lodging_is_planned(trip):
    plan = logistics_plan(visit=trip.visit)
    assert plan.version is None
    assert plan.legs == [] and plan.meals == []
    assert codes(plan) == ["no_programme"]
    assert [
        (night, [(v.name, len(rows)) for v, rows in hotels]) for night, hotels in plan.rooming()
    ] == [
        (DAY1, [("Hôtel de la Cité", 3)]),
        (DAY1 + dt.timedelta(days=1), [("Hôtel de la Cité", 3)]),
    ]


def test_legs_follow_the_published_version(trip):
    trip.publish_day_one()
    plan = logistics_plan(visit=trip.visit)
    assert [
        (
            v.origin.name,
            v.destination.name,
            v.leg.depart,
            v.leg.people,
            [x.name for x in v.vehicles],
        )
        for v in plan.legs
    ] == [
        ("Hôtel de la Cité", "Mairie de Villerouge", at(0, 9, 15), 3, ["Minibus"]),
        ("Mairie de Villerouge", "Auberge du Château", at(0, 11, 30), 3, ["Minibus"]),
        ("Auberge du Château", "Ferme de Sarrant", at(0, 13), 3, ["Minibus"]),
        ("Ferme de Sarrant", "Hôtel de la Cité", at(0, 16), 3, ["Minibus"]),
    ]
    assert codes(plan) == []

    # A new version moves the farm visit to the second day: the legs follow on publishing.
    trip.publish_day_one(farm=at(1, 14))
    plan = logistics_plan(visit=trip.visit)
    assert [(v.origin.name, v.destination.name, v.leg.depart) for v in plan.legs][-3:] == [
        ("Auberge du Château", "Hôtel de la Cité", at(0, 13)),
        ("Hôtel de la Cité", "Ferme de Sarrant", at(1, 12, 30)),
        ("Ferme de Sarrant", "Hôtel de la Cité", at(1, 16)),
    ]


def test_an_unpublished_version_is_not_used_unless_asked(trip):
    first = trip.publish_day_one()
    draft = factories.programme_version(trip.visit, [(trip.meeting, at(1, 10))], publish=False)
    assert logistics_plan(visit=trip.visit).version == first
    assert len(logistics_plan(visit=trip.visit, version=draft).legs) == 2


def test_leg_with_more_people_than_seats_is_short_by_the_difference(trip):
    trip.minibus.seats = 2
    trip.minibus.save()
    trip.publish_day_one()
    plan = logistics_plan(visit=trip.visit)
    short = [w for w in plan.warnings if w.code == "seats_short"]
    assert len(short) == 4
    assert short[0].message == (
        "Hôtel de la Cité → Mairie de Villerouge at 9:15\u202fAM on Monday, April 20, 2009 "
        "is short by 1 seats (3 people, 2 seats)."
    )
    assert short[0].refs == {"leg": plan.legs[0].key, "missing": 1}


def test_leg_with_more_people_than_any_vehicle_is_split_and_said(trip):
    trip.minibus.delete()
    factories.vehicle(trip.visit, seats=2, name="Voiture A")
    factories.vehicle(trip.visit, seats=2, name="Voiture B")
    trip.publish_day_one()
    plan = logistics_plan(visit=trip.visit)
    assert [sorted(v.name for v in view.vehicles) for view in plan.legs] == [
        ["Voiture A", "Voiture B"]
    ] * 4
    assert codes(plan) == ["leg_split"] * 4


def test_organiser_choice_of_vehicle_is_kept(trip):
    car = factories.vehicle(trip.visit, seats=3, name="Voiture")
    trip.publish_day_one()
    key = logistics_plan(visit=trip.visit).legs[0].key
    LegAssignment.objects.create(visit=trip.visit, leg_key=key, vehicle=car)
    LegAssignment.objects.create(visit=trip.visit, leg_key="L20000101T0000Z-1-2", vehicle=car)
    plan = logistics_plan(visit=trip.visit)
    assert [v.name for v in plan.legs[0].vehicles] == ["Voiture"]
    assert codes(plan) == ["stale_assignment"]


def test_meal_counts_people_and_dietary_needs(trip):
    interpreter = factories.interpreter(trip.visit.owner)
    version = trip.publish_day_one()
    lunch = version.slots.get(activity=trip.lunch)
    lunch.assignments.create(interpreter=interpreter, source="fr", target="en")
    plan = logistics_plan(visit=trip.visit)
    (meal,) = plan.meals
    assert (len(meal.guests), meal.hosts, meal.interpreters, meal.total) == (3, 0, 1, 4)
    assert meal.diets == {"halal": 1, "vegetarian": 1, "": 1}


def test_meal_counts_only_guests_who_are_there(trip):
    factories.journey(trip.tamini, trip.airport, at(0, 13), mode="train")
    trip.publish_day_one()
    plan = logistics_plan(visit=trip.visit)
    assert plan.meals[0].diets == {"halal": 1, "": 1}
    misses = [w for w in plan.warnings if w.code == "guest_misses"]
    assert [w.refs["activity"] for w in misses] == [trip.meeting.pk, trip.lunch.pk]
    assert misses[1].message == (
        "Patricia Tamini is not there for “Déjeuner à l'auberge” "
        "(Monday, April 20, 2009 12:00\u202fPM)."
    )


def test_meal_at_a_venue_that_serves_none_is_a_warning(trip):
    MealService.objects.create(venue=trip.restaurant, serves_meals=False)
    trip.publish_day_one()
    plan = logistics_plan(visit=trip.visit)
    assert codes(plan) == ["venue_serves_no_meals"]
    assert plan.warnings[0].message == (
        "“Déjeuner à l'auberge” is a meal at Auberge du Château, which does not serve meals."
    )


def test_meal_at_a_host_site_without_meal_service_is_a_warning(trip):
    trip.lunch.venue = trip.farm
    trip.lunch.save()
    trip.publish_day_one(lunch=at(0, 12, 30))
    assert "venue_serves_no_meals" in codes(logistics_plan(visit=trip.visit))
    MealService.objects.create(venue=trip.farm, caterer="Traiteur", capacity=2)
    assert codes(logistics_plan(visit=trip.visit)).count("meal_over_capacity") == 1


def test_guest_without_lodging_for_a_night_is_a_warning(trip):
    # Fiset leaves on the 23rd: he needs the nights of the 20th, 21st and 22nd; stays cover two.
    factories.journey(trip.fiset, trip.airport, at(3, 12), direction="departure")
    plan = logistics_plan(visit=trip.visit)
    missing = [w for w in plan.warnings if w.code == "no_lodging"]
    assert [(w.refs["guest"], w.refs["night"]) for w in missing] == [(trip.fiset.pk, "2009-04-22")]
    assert missing[0].message == (
        "Jacques Fiset has no lodging for the night of Wednesday, April 22, 2009."
    )


def test_visit_lodging_is_the_fallback_for_nights_without_stays(trip):
    trip.visit.lodging = trip.hotel
    trip.visit.save()
    factories.journey(trip.fiset, trip.airport, at(3, 12), direction="departure")
    plan = logistics_plan(visit=trip.visit)
    assert codes(plan) == ["no_programme"]
    assert plan.lodging[(trip.fiset.pk, DAY1 + dt.timedelta(days=2))][0] == trip.hotel


def test_most_specific_stay_wins(trip):
    other = factories.venue(trip.visit, name="Gîte de Couiza", kind="lodging")
    group = SubGroup.objects.create(delegation=trip.delegation, name="Chercheurs")
    trip.jayasooria.subgroup = group
    trip.jayasooria.save()
    factories.stay(trip.visit, other, DAY1, DAY1, subgroup=group)
    factories.stay(trip.visit, trip.hotel, DAY1, DAY1, guest=trip.jayasooria, room="12")
    factories.stay(trip.visit, other, DAY1, DAY1, delegation=trip.delegation)
    plan = logistics_plan(visit=trip.visit)
    night = dict(plan.rooming())[DAY1]
    assert [(v.name, [(g.full_name, room) for g, room in rows]) for v, rows in night] == [
        ("Gîte de Couiza", [("Jacques Fiset", ""), ("Patricia Tamini", "")]),
        ("Hôtel de la Cité", [("Denison Jayasooria", "12")]),
    ]


def test_hotel_over_capacity_is_a_warning(trip):
    trip.hotel.capacity = 2
    trip.hotel.save()
    plan = logistics_plan(visit=trip.visit)
    assert codes(plan) == ["no_programme", "lodging_over_capacity", "lodging_over_capacity"]


def test_departure_before_arrival_in_guest_fields_is_a_warning_not_a_crash(trip):
    # The guest's own fields say 10:00 → 18:00; a departure journey at 08:00 contradicts them.
    trip.fiset.arrival, trip.fiset.departure = at(0, 10), at(0, 18)
    trip.fiset.save()
    factories.journey(trip.fiset, trip.airport, at(0, 8), direction="departure")
    trip.publish_day_one()
    plan = logistics_plan(visit=trip.visit)
    assert codes(plan)[0] == "departure_before_arrival"
    assert plan.warnings[0].message == "Jacques Fiset leaves before arriving."
    assert plan.nights[trip.fiset.pk] == []


def test_required_guest_absent_is_named(trip):
    ActivityGuest.objects.create(activity=trip.visit_farm, guest=trip.tamini)
    factories.journey(trip.tamini, trip.airport, at(0, 13, 30), direction="departure")
    trip.publish_day_one()
    plan = logistics_plan(visit=trip.visit)
    assert [w.code for w in plan.warnings if w.refs.get("guest") == trip.tamini.pk] == [
        "required_guest_absent"
    ]


def test_pickup_and_dropoff_legs_for_arrivals_and_departures(trip):
    for guest in trip.guests:
        factories.journey(guest, trip.airport, at(0, 6, 30))
        factories.journey(guest, trip.airport, at(2, 12), direction="departure")
    trip.publish_day_one()
    plan = logistics_plan(visit=trip.visit)
    kinds = [(v.leg.kind, v.leg.depart, v.leg.people) for v in plan.legs]
    assert kinds[0] == ("pickup", at(0, 7, 15), 3)
    assert kinds[-1] == ("dropoff", at(2, 8, 45), 3)
    assert codes(plan) == []


def test_leg_arriving_after_the_activity_starts_is_a_warning(trip):
    trip.publish_day_one(lunch=at(0, 11, 32))
    plan = logistics_plan(visit=trip.visit)
    assert [(w.code, w.refs["minutes"]) for w in plan.warnings] == [("late_arrival", 3)]


def test_cancelled_slot_carries_no_one(trip):
    version = trip.publish_day_one()
    version.slots.filter(activity=trip.visit_farm).update(status="cancelled")
    plan = logistics_plan(visit=trip.visit)
    assert [v.destination.name for v in plan.legs] == [
        "Mairie de Villerouge",
        "Auberge du Château",
        "Hôtel de la Cité",
    ]


def test_plan_costs_a_fixed_number_of_queries(trip, django_assert_num_queries):
    for guest in trip.guests:
        factories.journey(guest, trip.airport, at(0, 7, 30))
    trip.publish_day_one()
    with django_assert_num_queries(15):
        logistics_plan(visit=trip.visit)
    for n in range(5):
        factories.guest(trip.delegation, full_name=f"Invité {n}")
    with django_assert_num_queries(15):
        logistics_plan(visit=trip.visit)


def test_meal_for_a_subgroup_counts_only_its_guests(trip):
    group = SubGroup.objects.create(delegation=trip.delegation, name="Chercheurs")
    trip.jayasooria.subgroup = group
    trip.jayasooria.save()
    trip.lunch.audience.set([group])
    trip.publish_day_one()
    (meal,) = logistics_plan(visit=trip.visit).meals
    assert ([g.full_name for g in meal.guests], meal.diets) == (
        ["Denison Jayasooria"],
        {"halal": 1},
    )


def test_subgroups_going_different_ways_at_once_need_two_vehicles(trip):
    group = SubGroup.objects.create(delegation=trip.delegation, name="Chercheurs")
    trip.jayasooria.subgroup = group
    trip.jayasooria.save()
    trip.visit_farm.audience.set([group])
    trip.meeting.audience.set([])
    other = factories.activity(
        trip.visit, trip.townhall, title="Conseil municipal", duration_minutes=120
    )
    other_group = SubGroup.objects.create(delegation=trip.delegation, name="Élus")
    for guest in (trip.fiset, trip.tamini):
        guest.subgroup = other_group
        guest.save()
    other.audience.set([other_group])
    factories.programme_version(trip.visit, [(trip.visit_farm, at(0, 14)), (other, at(0, 14))])
    plan = logistics_plan(visit=trip.visit)
    outbound = [v for v in plan.legs if v.leg.depart < at(0, 14)]
    assert sorted((v.destination.name, v.leg.people) for v in outbound) == [
        ("Ferme de Sarrant", 1),
        ("Mairie de Villerouge", 2),
    ]
    assert [w.code for w in plan.warnings] == ["seats_short", "seats_short"]
    factories.vehicle(trip.visit, seats=3, name="Voiture")
    plan = logistics_plan(visit=trip.visit)
    assert [w.code for w in plan.warnings] == []
    assert len({v.vehicles[0].pk for v in plan.legs if v.leg.depart < at(0, 14)}) == 2


def test_companions_take_seats_on_programme_legs_and_covers_at_meals(trip):
    guide = factories.person(trip.visit.owner, full_name="Alain Laurent")
    Companion.objects.create(visit=trip.visit, person=guide)
    trip.minibus.seats = 3
    trip.minibus.save()
    for guest in trip.guests:
        factories.journey(guest, trip.airport, at(0, 6))
    trip.publish_day_one()
    plan = logistics_plan(visit=trip.visit)
    assert [(v.leg.kind, v.people) for v in plan.legs] == [
        ("pickup", 3),  # the companion does not fetch guests at the airport
        ("programme", 4),
        ("programme", 4),
        ("programme", 4),
        ("programme", 4),
    ]
    assert [w.code for w in plan.warnings] == ["seats_short"] * 4
    assert (plan.meals[0].companions, plan.meals[0].total) == (1, 4)


def test_companion_of_a_subgroup_rides_only_with_it(trip):
    group = SubGroup.objects.create(delegation=trip.delegation, name="Chercheurs")
    trip.jayasooria.subgroup = group
    trip.jayasooria.save()
    trip.visit_farm.audience.set([group])
    guide = factories.person(trip.visit.owner, full_name="Guide")
    Companion.objects.create(visit=trip.visit, person=guide, subgroup=group)
    trip.publish_day_one()
    plan = logistics_plan(visit=trip.visit)
    assert [(v.destination.name, v.leg.people, v.people) for v in plan.legs] == [
        ("Mairie de Villerouge", 3, 4),
        ("Auberge du Château", 3, 4),
        ("Hôtel de la Cité", 2, 2),
        ("Ferme de Sarrant", 1, 2),
        ("Hôtel de la Cité", 1, 2),
    ]
