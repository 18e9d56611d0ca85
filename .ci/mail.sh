#!/usr/bin/env bash
# Mail servers for the invitations round trip (tests/invitations/test_roundtrip.py): Debian's
# dovecot for IMAP. The tests start it themselves, on a port of their own with a temporary
# configuration; only the program is needed here (the SMTP receiver, aiosmtpd, comes with the
# test dependencies). The system service the package would start is not used.
set -u
if ! command -v dovecot >/dev/null 2>&1 && [ ! -x /usr/sbin/dovecot ]; then
    echo "== installing Debian's dovecot-imapd"
    export DEBIAN_FRONTEND=noninteractive
    apt-get install -y -qq dovecot-imapd >/dev/null 2>&1 \
        || { apt-get update -qq && apt-get install -y -qq dovecot-imapd >/dev/null; }
fi
exit 0
