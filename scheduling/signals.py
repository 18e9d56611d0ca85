"""Signals the programme app sends; higher apps (logistics, confirmations, ...) connect
receivers in their AppConfig.ready, so this app never imports them."""

from django.dispatch import Signal

# Sent before a version is published, with `version`: each receiver returns a list of
# warnings (translated strings) the organiser should see and confirm before publishing
# (logistics: a guest not there for a slot, no lodging for a night, ...).
publish_check = Signal()

# Sent by `version_publish` inside its transaction, once `version` is the programme's current
# version, with `previous` (the version it replaced, or None; the same version when it is
# published again). Receivers write their work in this transaction, so it rolls back with the
# publication, and leave to `transaction.on_commit` only what must follow the commit (emails,
# background tasks). They run in INSTALLED_APPS order: confirmations (hosts' answers carried
# into the version) before logistics (which records the version's logistics as published).
version_published = Signal()

# Sent by `programme_solve` once a solve job has ended, whatever its state, with `job`
# (refreshed). Sent robustly: the job has ended either way, a failing receiver is logged.
solve_finished = Signal()

# Sent by `version_publish` last, inside its transaction, once every receiver of
# `version_published` has written, with `programme` and `at` (when it changed): what the
# published programme shows has changed (the calendar feeds follow).
programme_changed = Signal()
