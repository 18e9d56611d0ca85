"""An email backend that refuses the first N messages, as an unreachable SMTP server would."""

from django.core.mail.backends.locmem import EmailBackend

FAILURES = {"left": 0}


class FlakyBackend(EmailBackend):
    def send_messages(self, messages):
        if FAILURES["left"] > 0:
            FAILURES["left"] -= 1
            raise ConnectionRefusedError("SMTP server unreachable")
        return super().send_messages(messages)
