"""REST endpoints of the logistics app, mounted under /api/v1/ by planner.api."""

from ninja import Router

router = Router(tags=["logistics"])
