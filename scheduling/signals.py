"""Signals the programme app sends; higher apps (logistics, confirmations, ...) connect
receivers in their AppConfig.ready, so this app never imports them."""

from django.dispatch import Signal

# Sent before a version is published, with `version`: each receiver returns a list of
# warnings (translated strings) the organiser should see and confirm before publishing
# (logistics: a guest not there for a slot, no lodging for a night, ...).
publish_check = Signal()

# Sent by `version_publish` last, inside its transaction, once every receiver of
# `version_published` has written, with `programme` and `at` (when it changed): what the
# published programme shows has changed (the calendar feeds follow).
programme_changed = Signal()
