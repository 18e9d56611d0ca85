"""Receivers of the programme app's signals (connected in LogisticsConfig.ready)."""

from logistics.plan.warnings import warning_text
from logistics.selectors import logistics_plan
from logistics.services import logistics_snapshot_take
from outbox.services import item_add


def publish_warnings(sender, *, version, **kwargs) -> list[str]:
    """The logistics warnings of `version`, for the organiser to confirm before publishing
    (worded here, in the publisher's language)."""
    plan = logistics_plan(visit=version.programme.visit, version=version)
    return [warning_text(w) for w in plan.warnings]


def version_published(sender, *, version, previous, **kwargs) -> None:
    """In the publishing transaction: keep what the logistics are now (the base of the next
    digest), then have drivers and caterers told what changed for them."""
    logistics_snapshot_take(version=version)
    if previous is None or previous.pk == version.pk:
        return
    # What is due after the commit, written with it: the digest to drivers and caterers.
    item_add(
        kind="logistics.notify",
        key=f"logistics-notify:{version.pk}:{previous.pk}",
        payload={"version_id": version.pk, "previous_id": previous.pk},
    )
