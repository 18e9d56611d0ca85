"""The README's backup and restore, done for real: ``manage.py backup`` while the planner runs,
a restore into a fresh database (a copied SQLite file; ``pg_restore`` into a scratch PostgreSQL
database), and another process reading the restored database opens the same calendar feed and
the same host link. With another SECRET_KEY the links already sent still open (only their
SHA-256 is stored), but the host link in every email sent after the restore is dead: the
documented reason to keep the key with the backups."""

import hashlib
import io
import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command
from django.db import connection
from django.test import Client

from notifications.models import OutgoingEmail
from tests import factories
from tests.confirmations.conftest import FIRST, Stage

ROOT = Path(__file__).resolve().parents[2]
HOST_LINK = re.compile(r"https?://[^/\s]+(/host/[A-Za-z0-9_-]+/)")
CSRF = re.compile(rb'name="csrfmiddlewaretoken" value="[^"]+"')

# Run by another Python process on the restored database: what a restarted planner answers.
READER = r"""
import hashlib, json, re, sys
import django
django.setup()
from django.db import connection
from django.test import Client
from notifications.models import OutgoingEmail

spec = json.loads(sys.argv[1])
anyone = Client()

def opened(path):
    r = anyone.get(path)
    body = b"".join(r.streaming_content) if r.streaming else r.content
    body = re.sub(rb'name="csrfmiddlewaretoken" value="[^"]+"', b"", body)
    return [r.status_code, hashlib.sha256(body).hexdigest()]

out = {"database": str(connection.settings_dict["NAME"])}
for name, path in spec["paths"].items():
    out[name] = opened(path)
# The organiser sends the host their link again: the email carries the link the planner makes.
organiser = Client(headers={"authorization": "Bearer " + spec["token"]})
r = organiser.post(spec["resend"], {}, content_type="application/json")
out["resend"] = r.status_code
email = OutgoingEmail.objects.filter(to_email=spec["host_email"]).latest("pk")
out["resent_link"] = re.search(r"https?://[^/\s]+(/host/[A-Za-z0-9_-]+/)", email.body_text)[1]
out["resent_link_opens"] = opened(out["resent_link"])[0]
print(json.dumps(out))
"""


def fingerprint(response) -> list:
    body = b"".join(response.streaming_content) if response.streaming else response.content
    return [response.status_code, hashlib.sha256(CSRF.sub(b"", body)).hexdigest()]


def read_restored(database_url: str, secret_key: str, spec: dict, data_dir: Path) -> dict:
    env = {
        k: v
        for k, v in os.environ.items()
        if k not in {"DATABASE_URL", "REDIS_URL", "Q_SYNC", "PYTEST_CURRENT_TEST"}
    }
    env.update(
        DJANGO_SETTINGS_MODULE="planner.settings",
        DATABASE_URL=database_url,
        SECRET_KEY=secret_key,
        DEBUG="0",
        STATIC_MANIFEST="0",
        ALLOWED_HOSTS="testserver",
        PLANNER_DATA_DIR=str(data_dir),
        EMAIL_BACKEND="django.core.mail.backends.locmem.EmailBackend",
    )
    done = subprocess.run(
        [sys.executable, "-c", READER, json.dumps(spec)],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    return json.loads(done.stdout.strip().splitlines()[-1])


@pytest.fixture
def scratch_postgres():
    """An empty PostgreSQL database beside the test database, dropped afterwards."""
    if connection.vendor != "postgresql":
        pytest.skip("PostgreSQL restore: DATABASE_URL is not PostgreSQL")
    if not shutil.which("pg_restore"):
        pytest.skip("pg_restore is not installed")
    s = connection.settings_dict
    name = f"planner_backup_test_{os.getpid()}"
    with connection.cursor() as cursor:
        cursor.execute(f'DROP DATABASE IF EXISTS "{name}"')
        cursor.execute(f'CREATE DATABASE "{name}"')
    user = s["USER"] + (f":{s['PASSWORD']}" if s.get("PASSWORD") else "")
    url = f"postgres://{user}@{s['HOST'] or 'localhost'}:{s['PORT'] or 5432}/{name}"
    yield name, url
    with connection.cursor() as cursor:
        cursor.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def restore(backup: Path, tmp_path: Path, request) -> str:
    """The README's restore into a fresh database; its DATABASE_URL."""
    if connection.vendor == "sqlite":
        restored = tmp_path / "restored" / "planner.sqlite3"
        restored.parent.mkdir()
        shutil.copyfile(backup, restored)
        return f"sqlite:///{restored}"
    _name, url = request.getfixturevalue("scratch_postgres")
    subprocess.run(
        ["pg_restore", "--no-owner", "--exit-on-error", f"--dbname={url}", str(backup)],
        check=True,
        capture_output=True,
    )
    return url


@pytest.mark.slow
@pytest.mark.django_db(transaction=True)
def test_a_restored_backup_opens_the_same_feeds_and_host_links(org, tmp_path, request):
    stage = Stage(org)
    stage.publish(
        {getattr(stage, name): span for name, span in FIRST.items()},
        assignments=[(stage.meeting, stage.interpreter)],
    )
    visit = stage.visit
    token = factories.token_for(factories.organiser(org, username="backup-organiser"))
    organiser = Client(headers={"authorization": f"Bearer {token}"})
    # A guest's calendar subscription and the hosts' links (sent by email), through the API.
    made = organiser.post(
        f"/api/v1/visits/{visit.pk}/feeds",
        {"subject": "guest", "subject_id": stage.guest_ca.pk, "language": "fr"},
        content_type="application/json",
    )
    assert made.status_code == 201, made.content
    feed = "/" + made.json()["https_url"].split("://", 1)[1].split("/", 1)[1]
    sent = organiser.post(
        f"/api/v1/visits/{visit.pk}/confirmations/send", {}, content_type="application/json"
    )
    assert sent.status_code == 202, sent.content
    email = OutgoingEmail.objects.filter(to_email=stage.mayor.email).latest("pk")
    host = HOST_LINK.search(email.body_text)[1]
    key = host.rstrip("/").rsplit("/", 1)[1]
    paths = {"feed": feed, "host_page": host, "host_api": f"/api/v1/host/{key}"}
    before = {name: fingerprint(Client().get(path)) for name, path in paths.items()}
    assert [status for status, _ in before.values()] == [200, 200, 200]

    backup = tmp_path / "planner.backup"
    call_command("backup", str(backup), stdout=io.StringIO())
    database_url = restore(backup, tmp_path, request)
    spec = {
        "paths": paths,
        "token": token,
        "host_email": stage.mayor.email,
        "resend": f"/api/v1/visits/{visit.pk}/confirmations/hosts/{stage.mayor.pk}/resend",
    }

    same_key = read_restored(database_url, settings.SECRET_KEY, spec, tmp_path / "same")
    assert same_key["database"] != str(connection.settings_dict["NAME"])  # another database
    assert {name: same_key[name] for name in paths} == before
    # Emails sent after the restore carry the very link the host already has, and it opens.
    assert (same_key["resend"], same_key["resent_link"]) == (202, host)
    assert same_key["resent_link_opens"] == 200

    other_key = read_restored(database_url, "another-secret-key", spec, tmp_path / "other")
    # What was sent before still opens: the database keeps only a hash of each key...
    assert {name: other_key[name] for name in paths} == before
    # ...but a host link is HMAC(SECRET_KEY, salt): every email from now on carries a link
    # that the database does not know, and the host who follows it finds a dead page.
    assert other_key["resend"] == 202
    assert other_key["resent_link"] != host
    assert other_key["resent_link_opens"] == 404
