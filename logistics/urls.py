"""Pages of the logistics app."""

urlpatterns: list = []
