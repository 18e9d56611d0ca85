"""The organiser's pages. Each area keeps its own URL list (its own module) and is added here."""

from orga.people_urls import urlpatterns as people_urls
from orga.visit_urls import urlpatterns as visit_urls
from orga.workbench_urls import urlpatterns as workbench_urls

app_name = "orga"
urlpatterns = [*visit_urls, *people_urls, *workbench_urls]
