"""The project's URLs plus the feeds and their API, for as long as the project does not
mount them itself (then this adds nothing and the tests run against the real wiring)."""

from django.urls import include, path
from ninja import NinjaAPI

from feeds.api import router
from planner.api_support import API_AUTH, install_error_handlers
from web.urls import urlpatterns as project_urls


def _mounted(namespace: str) -> bool:
    return any(getattr(p, "namespace", None) == namespace for p in project_urls)


urlpatterns = list(project_urls)
if not _mounted("feeds"):
    urlpatterns.append(path("", include("feeds.urls")))

# Ninja mounts a router in several APIs: appended, this one answers only the feed paths that
# the project's /api/v1/ does not (yet) route itself.
api = NinjaAPI(auth=API_AUTH, urls_namespace="feeds-tests-api", docs_url=None)
install_error_handlers(api)
api.add_router("/", router)
urlpatterns.append(path("api/v1/", api.urls))
