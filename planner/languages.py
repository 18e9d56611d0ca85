"""The language a text sent out is written in (a feed, an email, a letter): the reader's own
when the site has texts in it, else the site's default."""

from django.conf import settings


def text_language(code: str) -> str:
    """A language we have texts in: ``code``'s (``fr-CA`` is ``fr``), else the default."""
    known = {c for c, _name in settings.LANGUAGES}
    code = (code or "").lower().split("-")[0]
    return code if code in known else settings.LANGUAGE_CODE
