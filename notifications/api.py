"""REST endpoints of the notifications app, mounted under /api/v1/ by planner.api."""

from ninja import Router

router = Router(tags=["notifications"])
