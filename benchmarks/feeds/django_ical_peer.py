"""The same programme feed built the Django ecosystem's usual way (django-ical, a
syndication Feed): one query set per request, rendered on every request."""

from django_ical.views import ICalFeed

from events.models import Visit
from scheduling.models import Slot

STATUS = {"proposed": "TENTATIVE", "confirmed": "CONFIRMED"}


class ProgrammeICalFeed(ICalFeed):
    product_id = "-//planner//django-ical peer//EN"
    timezone = "Europe/Paris"
    file_name = "programme.ics"

    def get_object(self, request, visit_id):
        return Visit.objects.select_related("programme").get(pk=visit_id)

    def title(self, visit):
        return visit.title

    def items(self, visit):
        return (
            Slot.objects.filter(version_id=visit.programme.current_version_id)
            .select_related("activity__visit", "venue", "version")
            .prefetch_related("activity__host_links__person", "assignments__interpreter__person")
            .order_by("start")
        )

    def item_guid(self, slot):
        return f"activity-{slot.activity_id}@{slot.activity.visit.slug}.planner"

    def item_title(self, slot):
        return slot.activity.title

    def item_description(self, slot):
        hosts = ", ".join(h.person.full_name for h in slot.activity.host_links.all())
        team = ", ".join(sorted({a.interpreter.person.full_name for a in slot.assignments.all()}))
        return (
            f"Hosts: {hosts}\nInterpreters: {team}\nLanguages: {', '.join(slot.activity.languages)}"
        )

    def item_link(self, slot):
        return f"/visits/{slot.activity.visit_id}/"

    def item_start_datetime(self, slot):
        return slot.start

    def item_end_datetime(self, slot):
        return slot.end

    def item_location(self, slot):
        v = slot.venue
        return ", ".join(p for p in (v.name, v.address, v.city) if p)

    def item_geolocation(self, slot):
        v = slot.venue
        return (float(v.latitude), float(v.longitude)) if v.latitude is not None else None

    def item_status(self, slot):
        return STATUS.get(slot.status, "CANCELLED")

    def item_timestamp(self, slot):
        return slot.version.published_at
