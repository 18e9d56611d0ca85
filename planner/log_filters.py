"""Keys never reach the logs.

A host link, a calendar feed, an invitation and an API token are each a key of 43 URL-safe
characters, and the first three travel in the address: Django logs the path of every 4xx and
429 (``django.request``, ``django.server``), gunicorn logs every request line. ``mask`` hides
whatever follows ``/host/``, ``/feeds/`` and ``/invitation/`` in a path, and any other run of
43 key characters (an API token in a message), keeping the first 4 characters to tell links
apart in the logs."""

import logging
import re

MASK = "…"
# The segment after a key-bearing prefix, whatever it is (a wrong key is still a secret
# somebody typed), and any bare key-shaped word elsewhere.
# (Not the organisers' /visits/12/feeds/3/: ids are no secret.)
_PATH_KEY = re.compile(r"(/(?:host|feeds|invitation)/)(?!\d{1,12}(?:/|\s|$))([^/\s?#\"']+)")
_BARE_KEY = re.compile(r"(?<![A-Za-z0-9_-])([A-Za-z0-9_-]{4})[A-Za-z0-9_-]{28,}(?![A-Za-z0-9_-])")


def _path_key(match: re.Match) -> str:
    prefix, segment = match.group(1), match.group(2)
    stem, dot, ext = segment.rpartition(".")
    if dot and ext == "ics":
        segment, suffix = stem, ".ics"
    else:
        suffix = ""
    return f"{prefix}{segment[:4]}{MASK}{suffix}"


def mask(text: str) -> str:
    return _BARE_KEY.sub(r"\1" + MASK, _PATH_KEY.sub(_path_key, text))


class MaskKeys(logging.Filter):
    """Rewrites a record's message (its arguments merged in) with every key masked."""

    def filter(self, record: logging.LogRecord) -> bool:
        try:
            message = record.getMessage()
        except Exception:  # a bad format string: leave it to the handler to report
            return True
        masked = mask(message)
        if masked != message:
            record.msg, record.args = masked, ()
        return True


try:
    from gunicorn.glogging import Logger as _GunicornLogger
except ImportError:  # gunicorn serves production only
    _GunicornLogger = None

if _GunicornLogger is not None:

    class GunicornLogger(_GunicornLogger):
        """gunicorn's logger (deploy/gunicorn.conf.py) with keys masked in the access log's
        request line, path and query, and in its error log."""

        def atoms(self, resp, req, environ, request_time):
            atoms = super().atoms(resp, req, environ, request_time)
            for name in ("r", "U", "q", "f"):
                if isinstance(atoms.get(name), str):
                    atoms[name] = mask(atoms[name])
            return atoms

        def setup(self, cfg):
            super().setup(cfg)
            for log in (self.error_log, self.access_log):
                log.addFilter(MaskKeys())
