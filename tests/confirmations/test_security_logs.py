"""Keys never reach the logs: a 4xx, a 404 and a 429 for a real host key, a feed key, and
gunicorn's access line (issue #16)."""

import logging

from django.test import Client
from django.utils.log import ServerFormatter

from confirmations import links
from planner.log_filters import GunicornLogger, mask


def test_a_404_a_4xx_and_a_429_for_a_real_host_key_log_no_key(published, settings, caplog):
    settings.HOST_LINK_RATE_PER_MIN = 2
    _link, key = published.link(published.mayor)
    feed_key = links.host_calendar_key(link=_link, language="fr")
    client = Client()
    caplog.set_level(logging.INFO)
    assert client.get(f"/host/{key}/nowhere").status_code == 404
    client.put(f"/host/{key}/")  # 405
    for _ in range(4):
        last = client.get(f"/host/{key}/")
    assert last.status_code == 429
    client.get(f"/feeds/{feed_key}/reset")  # 405
    text = "\n".join(r.getMessage() for r in caplog.records)
    assert "Method Not Allowed" in text and "Too Many Requests" in text
    assert "Not Found" in text
    assert key not in text and feed_key not in text
    assert key[:8] not in text


def test_the_development_server_line_is_masked(published):
    _link, key = published.link(published.mayor)
    record = logging.LogRecord(
        "django.server",
        logging.WARNING,
        "",
        0,
        '"%s" %s %s',
        (f"GET /host/{key}/ HTTP/1.1", "404", "3"),
        None,
    )
    logging.getLogger("django.server").filters[0].filter(record)
    assert key not in ServerFormatter().format(record)


def test_gunicorn_masks_keys_in_its_access_log():
    key = "Ab3" + "x" * 40
    logger = GunicornLogger.__new__(GunicornLogger)
    atoms = {"r": f"GET /feeds/{key}.ics HTTP/1.1", "U": f"/feeds/{key}.ics", "q": "", "f": "-"}
    base = GunicornLogger.__mro__[1]
    original = base.atoms
    try:
        base.atoms = lambda self, *a: dict(atoms)
        masked = logger.atoms(None, None, {}, None)
    finally:
        base.atoms = original
    assert key not in masked["r"] and key not in masked["U"]


def test_mask_keeps_organiser_paths_and_hides_api_tokens():
    token = "Zy9" + "q" * 40
    assert mask("/visits/12/feeds/3/") == "/visits/12/feeds/3/"
    assert token not in mask(f"Bearer {token} refused")
