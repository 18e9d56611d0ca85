"""Signals the logistics app sends; higher apps (the calendar feeds) connect receivers in
their AppConfig.ready, so this app never imports them."""

from django.dispatch import Signal

# Sent after a guest's journey (arrival or departure) is saved or deleted, with `visit`, in
# the transaction that wrote it (the guests' feeds show their own journeys).
journeys_changed = Signal()
