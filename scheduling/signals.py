"""Signals the programme app sends; higher apps (logistics, confirmations, ...) connect
receivers in their AppConfig.ready, so this app never imports them."""

from django.dispatch import Signal

# Sent before a version is published, with `version`: each receiver returns a list of
# warnings (translated strings) the organiser should see and confirm before publishing
# (logistics: a guest not there for a slot, no lodging for a night, ...).
publish_check = Signal()
