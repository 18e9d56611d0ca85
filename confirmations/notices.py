"""Publication notices: what a newly published version changed, told to each person
concerned. Hosts whose slots moved get a new proposal (their link); guests and interpreters a
line per change in their digest."""

import dataclasses
from zoneinfo import ZoneInfo

from django.utils import timezone, translation
from django.utils.translation import gettext as _

from confirmations.links import host_link_get, host_url
from confirmations.models import Proposal
from confirmations.wording import language_of, when
from delegations.models import Guest, Interpreter
from events.models import Person, Visit
from notifications import services as notify
from scheduling.attendance import attends
from scheduling.models import ProgrammeVersion, Slot
from scheduling.selectors import version_changes

# An activity's slot before and after (None: not there), by activity id.
Changes = dict[int, tuple[Slot | None, Slot | None]]


@dataclasses.dataclass
class Concerned:
    """Whom the changes concern, each with the activities that changed for them."""

    hosts: dict[int, list[int]] = dataclasses.field(default_factory=dict)
    interpreters: dict[int, list[int]] = dataclasses.field(default_factory=dict)
    # Each changed activity's audience (sub-group ids; empty: the whole delegation).
    audience: dict[int, frozenset[int]] = dataclasses.field(default_factory=dict)


def _line(title: str, before, after, zone) -> str:
    if before is None:
        return _("%(title)s: added, %(when)s.") % {"title": title, "when": when(*after, zone=zone)}
    if after is None:
        return _("%(title)s: cancelled (was %(when)s).") % {
            "title": title,
            "when": when(*before, zone=zone),
        }
    return _("%(title)s: moved from %(before)s to %(after)s.") % {
        "title": title,
        "before": when(*before, zone=zone),
        "after": when(*after, zone=zone),
    }


def _changes(previous: ProgrammeVersion, version: ProgrammeVersion) -> Changes:
    """Activities added, cancelled, moved in time or to another venue (a cancelled slot is no
    slot)."""
    changes = version_changes(old=previous, new=version, live_only=True)
    return {k: (c.before, c.after) for k, c in changes.items()}


def _concerned(changed: Changes) -> Concerned:
    concerned = Concerned()
    for activity_id, (a, b) in changed.items():
        slot = b or a
        for link in slot.activity.host_links.all():
            concerned.hosts.setdefault(link.person_id, []).append(activity_id)
        concerned.audience[activity_id] = frozenset(g.pk for g in slot.activity.audience.all())
        for s in (a, b):
            for assignment in s.assignments.all() if s else ():
                concerned.interpreters.setdefault(assignment.interpreter_id, []).append(activity_id)
    return concerned


def _lines_for(changed: Changes, activity_ids, zone) -> list[tuple[int, str]]:
    """One line per changed activity, in the active language."""
    out = []
    for activity_id in sorted(set(activity_ids)):
        a, b = changed[activity_id]
        out.append(
            (
                activity_id,
                _line(
                    (b or a).activity.local_title,
                    (a.start, a.end) if a else None,
                    (b.start, b.end) if b else None,
                    zone,
                ),
            )
        )
    return out


def _tell(visit: Visit, changed: Changes, recipient, activity_ids, link="", link_label="") -> None:
    zone = ZoneInfo(visit.time_zone)
    with translation.override(recipient.language):
        for activity_id, line in _lines_for(changed, activity_ids, zone):
            notify.change_notify(
                recipient=recipient,
                topic=visit.title,
                lines=[line],
                key=f"activity-{activity_id}",
                link=link,
                link_label=link_label,
                visit=visit,
            )


def _tell_hosts(visit: Visit, version: ProgrammeVersion, changed: Changes, hosts) -> int:
    """Hosts already sent a proposal get the changes with their link, as a new proposal."""
    told_hosts = set(Proposal.objects.filter(visit=visit).values_list("person_id", flat=True))
    told = 0
    for person in Person.objects.filter(pk__in=hosts.keys() & told_hosts).exclude(email=""):
        _link, key = host_link_get(visit=visit, person=person)
        recipient = notify.Recipient(person.email, language_of(person), person.full_name)
        with translation.override(recipient.language):
            label = _("Your new proposal: confirm or decline each time")
        _tell(visit, changed, recipient, hosts[person.pk], host_url(key), label)
        Proposal.objects.create(
            visit=visit,
            version=version,
            person=person,
            kind=Proposal.Kind.UPDATE,
            sent_at=timezone.now(),
        )
        told += 1
    return told


def _tell_guests(visit: Visit, changed: Changes, concerned: Concerned) -> int:
    told = 0
    for guest in Guest.objects.filter(delegation__visit=visit).exclude(email=""):
        # A guest in no sub-group follows what is meant for the whole delegation (as feeds do).
        group_activities = [
            activity_id
            for activity_id, audience in concerned.audience.items()
            if attends(audience, guest.subgroup_id)
        ]
        if group_activities:
            recipient = notify.Recipient(guest.email, language_of(guest), guest.full_name)
            _tell(visit, changed, recipient, group_activities)
            told += 1
    return told


def _tell_interpreters(visit: Visit, changed: Changes, interpreters) -> int:
    told = 0
    for interpreter in Interpreter.objects.filter(pk__in=interpreters).select_related("person"):
        person = interpreter.person
        if person.email:
            recipient = notify.Recipient(person.email, language_of(person), person.full_name)
            _tell(visit, changed, recipient, interpreters[interpreter.pk])
            told += 1
    return told


def publication_notify(*, version_id: int, previous_id: int) -> dict:
    """What a newly published version changed, told to each person concerned: hosts whose
    slots moved get a new proposal (their link); guests and interpreters a digest."""
    version = ProgrammeVersion.objects.select_related("programme__visit").get(pk=version_id)
    previous = ProgrammeVersion.objects.get(pk=previous_id)
    visit = version.programme.visit
    changed = _changes(previous, version)
    if not changed:
        return {"hosts": 0, "guests": 0, "interpreters": 0}
    concerned = _concerned(changed)
    return {
        "hosts": _tell_hosts(visit, version, changed, concerned.hosts),
        "guests": _tell_guests(visit, changed, concerned),
        "interpreters": _tell_interpreters(visit, changed, concerned.interpreters),
    }
