"""URL list of one organiser area (see orga/urls.py)."""

urlpatterns: list = []
