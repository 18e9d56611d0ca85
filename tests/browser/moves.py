"""Finding a move the rules allow, for browser tests that then make it by hand."""

import datetime as dt

from django.db import transaction

from scheduling import services
from scheduling.models import Slot


class _Undo(Exception):
    pass


def legal_move(visit, grid: int) -> tuple[Slot, int]:
    """A slot of version 1 and the minutes by which it can move within its day, found by the
    move service itself (and undone), so the browser's move is known to be legal."""
    offsets = [k * sign for k in (15, 30, 45, 60, 90, 120) for sign in (1, -1) if k % grid == 0]
    for slot in Slot.objects.filter(version__number=1, version__programme__visit=visit).order_by(
        "start"
    ):
        for minutes in offsets:
            try:
                with transaction.atomic():
                    services.slot_move(slot=slot, start=slot.start + dt.timedelta(minutes=minutes))
                    raise _Undo
            except services.EditRefused:
                continue
            except _Undo:
                return slot, minutes
    raise AssertionError("no legal move found")
