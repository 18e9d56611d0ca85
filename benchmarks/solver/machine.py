"""What every benchmark prints beside a timing: this machine's 1-minute load average (shared
cores make a timing mean little without it)."""

import os


def load() -> str:
    return f"{os.getloadavg()[0]:.1f}"
