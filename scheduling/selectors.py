from django.db.models import Exists, OuterRef, QuerySet
from django.shortcuts import get_object_or_404

from events.models import Visit
from scheduling.models import Programme, ProgrammeVersion


def version_list(*, visit: Visit) -> QuerySet[ProgrammeVersion]:
    current = Programme.objects.filter(pk=OuterRef("programme_id"), current_version=OuterRef("pk"))
    return (
        ProgrammeVersion.objects.filter(programme__visit=visit)
        .annotate(is_current=Exists(current))
        .order_by("-number")
    )


def version_get(*, visit: Visit, number: int) -> ProgrammeVersion:
    return get_object_or_404(
        version_list(visit=visit).prefetch_related("slots__assignments", "slots__activity"),
        number=number,
    )
