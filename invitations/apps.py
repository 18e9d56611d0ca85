from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class InvitationsConfig(AppConfig):
    """Calendar invitations (iTIP over email) to hosts and interpreters, and their replies."""

    name = "invitations"
    verbose_name = _("Calendar invitations")

    def ready(self):
        from confirmations import signals as confirmations_signals
        from invitations import receivers
        from invitations.services import syncs_run_due
        from outbox import registry
        from scheduling import signals as scheduling_signals

        confirmations_signals.proposal_sent.connect(
            receivers.proposal_sent, dispatch_uid="invitations.proposal_sent"
        )
        registry.sweeps("invitations")(syncs_run_due)
        scheduling_signals.programme_changed.connect(
            receivers.programme_changed, dispatch_uid="invitations.programme_changed"
        )
