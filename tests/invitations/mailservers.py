"""Real mail servers for the round trip, each started by the test on a port of its own:
Debian's dovecot for IMAP (a temporary configuration: plaintext login on 127.0.0.1, one
passwd-file user, mail in a temporary maildir) and aiosmtpd as the SMTP receiver."""

import contextlib
import dataclasses
import os
import shutil
import socket
import subprocess
import tempfile
import textwrap
import threading
import time
from pathlib import Path

import pytest

DOVECOT = shutil.which("dovecot") or (
    "/usr/sbin/dovecot" if os.path.exists("/usr/sbin/dovecot") else None
)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@dataclasses.dataclass(frozen=True)
class Mailbox:
    host: str
    port: int
    user: str
    password: str
    log: Path


def _dovecot_conf(root: Path, port: int, uid: int, gid: int) -> str:
    # As root, the mail processes run as nobody (dovecot refuses root for them); as anyone
    # else, every process runs as that user.
    own = (
        ""
        if os.geteuid() == 0
        else (
            f"default_internal_user = {os.environ.get('USER') or uid}\n"
            f"default_login_user = {os.environ.get('USER') or uid}\n"
        )
    )
    return (
        textwrap.dedent(
            f"""\
        base_dir = {root}/run
        state_dir = {root}/state
        log_path = {root}/dovecot.log
        info_log_path = {root}/dovecot.log
        protocols = imap
        listen = 127.0.0.1
        ssl = no
        disable_plaintext_auth = no
        auth_mechanisms = plain login
        first_valid_uid = 1
        first_valid_gid = 1
        mail_location = maildir:{root}/mail/%u
        passdb {{
          driver = passwd-file
          args = scheme=PLAIN username_format=%u {root}/passwd
        }}
        userdb {{
          driver = static
          args = uid={uid} gid={gid} home={root}/mail/%u
        }}
        service imap-login {{
          chroot =
          inet_listener imap {{
            address = 127.0.0.1
            port = {port}
          }}
          inet_listener imaps {{
            port = 0
          }}
        }}
        service anvil {{
          chroot =
        }}
        """
        )
        + own
    )


@contextlib.contextmanager
def dovecot(user: str = "rencontres@example.org", password: str = "secret-imap"):
    """A dovecot IMAP server on 127.0.0.1 (skipped when dovecot is not installed: .ci/mail.sh
    installs it)."""
    if DOVECOT is None:
        if os.environ.get("CI", "").lower() in {"1", "true", "yes"}:
            pytest.fail("dovecot is not installed: run .ci/mail.sh (apt-get install dovecot-imapd)")
        pytest.skip("dovecot is not installed (apt-get install dovecot-imapd, or .ci/mail.sh)")
    root = Path(tempfile.mkdtemp(prefix="planner-dovecot-"))
    root.chmod(0o755)
    uid, gid = (65534, 65534) if os.geteuid() == 0 else (os.getuid(), os.getgid())
    (root / "mail").mkdir()
    if os.geteuid() == 0:
        os.chown(root / "mail", uid, gid)
    (root / "passwd").write_text(f"{user}:{{PLAIN}}{password}\n")
    port = free_port()
    (root / "dovecot.conf").write_text(_dovecot_conf(root, port, uid, gid))
    process = subprocess.Popen(
        [DOVECOT, "-F", "-c", str(root / "dovecot.conf")],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        for _ in range(200):  # until it answers (no clock limit: a bounded number of tries)
            if process.poll() is not None:
                log = root / "dovecot.log"
                output = log.read_text(errors="replace") if log.exists() else ""
                pytest.fail(f"dovecot stopped ({process.returncode}): {output}")
            with contextlib.suppress(OSError), socket.create_connection(("127.0.0.1", port)):
                break
            time.sleep(0.05)
        yield Mailbox("127.0.0.1", port, user, password, root / "dovecot.log")
    finally:
        process.terminate()
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
        shutil.rmtree(root, ignore_errors=True)


class _Collect:
    def __init__(self):
        self.messages: list[dict] = []
        self.arrived = threading.Condition()

    async def handle_DATA(self, server, session, envelope):
        with self.arrived:
            self.messages.append(
                {
                    "from": envelope.mail_from,
                    "to": list(envelope.rcpt_tos),
                    "data": envelope.original_content or envelope.content,
                }
            )
            self.arrived.notify_all()
        return "250 Message accepted"


@contextlib.contextmanager
def smtp_receiver():
    """An SMTP server on 127.0.0.1 keeping every message it receives (``.messages``)."""
    controller_module = pytest.importorskip(
        "aiosmtpd.controller", reason="aiosmtpd is a test dependency (pip install .[test])"
    )
    handler = _Collect()
    controller = controller_module.Controller(handler, hostname="127.0.0.1", port=free_port())
    controller.start()
    try:
        handler.port = controller.port
        yield handler
    finally:
        controller.stop()
