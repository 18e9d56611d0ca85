"""Receivers of the programme app's signals (connected in LogisticsConfig.ready)."""

from logistics.selectors import logistics_plan


def publish_warnings(sender, *, version, **kwargs) -> list[str]:
    """The logistics warnings of `version`, for the organiser to confirm before publishing."""
    plan = logistics_plan(visit=version.programme.visit, version=version)
    return [str(w.message) for w in plan.warnings]
