"""The invitations app's settings: Django settings first, else the environment (so a deploy
sets them as environment variables, and tests as settings)."""

import os
from dataclasses import dataclass
from email.utils import parseaddr

from django.conf import settings


def setting(name: str, default: str = "") -> str:
    value = getattr(settings, name, None)
    if value is None:
        value = os.environ.get(name, default)
    return str(value).strip()


def _flag(value: str) -> bool:
    return value.lower() in {"1", "true", "yes", "on"}


@dataclass(frozen=True)
class Imap:
    host: str
    port: int
    user: str
    password: str
    ssl: bool
    folder: str


def imap() -> Imap | None:
    """The mailbox replies arrive in, or None when reading replies is off (no host or user)."""
    host, user = setting("INVITATIONS_IMAP_HOST"), setting("INVITATIONS_IMAP_USER")
    if not host or not user:
        return None
    ssl = _flag(setting("INVITATIONS_IMAP_SSL", "true"))
    return Imap(
        host=host,
        port=int(setting("INVITATIONS_IMAP_PORT") or (993 if ssl else 143)),
        user=user,
        password=setting("INVITATIONS_IMAP_PASSWORD"),
        ssl=ssl,
        folder=setting("INVITATIONS_IMAP_FOLDER") or "INBOX",
    )


def organizer_email() -> str:
    """The ORGANIZER of every invitation: calendar clients send their replies there, so it
    must be the mailbox read above (INVITATIONS_ORGANIZER_EMAIL, else the IMAP user when it is
    an address, else the address emails are sent from)."""
    explicit = setting("INVITATIONS_ORGANIZER_EMAIL")
    if explicit:
        return explicit
    user = setting("INVITATIONS_IMAP_USER")
    if "@" in user:
        return user
    return parseaddr(settings.DEFAULT_FROM_EMAIL)[1] or settings.DEFAULT_FROM_EMAIL
