"""Pages of the confirmations app."""

urlpatterns: list = []
