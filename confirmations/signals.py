"""Signals confirmations sends; higher apps (invitations) connect receivers in their
AppConfig.ready, so this app never imports them."""

from django.dispatch import Signal

# Sent by `proposal_send` inside its transaction, once the proposal email is queued and the
# `proposal` row written (its `kind`: first, update, resend). Receivers write their own work
# in this transaction (the invitations app queues one calendar invitation per slot).
proposal_sent = Signal()
