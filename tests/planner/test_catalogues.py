"""Every word a person reads exists in French and Spanish: the catalogues are complete and
cover every string the code and the templates mark for translation."""

import subprocess
import sys
from pathlib import Path

import pytest
from babel.messages.pofile import read_po

ROOT = Path(__file__).resolve().parents[2]


def catalogue(lang: str):
    with open(ROOT / "locale" / lang / "LC_MESSAGES" / "django.po", "rb") as f:
        return read_po(f)


@pytest.mark.parametrize("lang", ["fr", "es"])
def test_catalogue_has_no_empty_or_fuzzy_entry(lang):
    entries = [m for m in catalogue(lang) if m.id]
    empty = [
        m.id for m in entries if not m.string or (isinstance(m.string, tuple) and not all(m.string))
    ]
    fuzzy = [m.id for m in entries if m.fuzzy]
    assert (empty, fuzzy) == ([], [])


@pytest.mark.slow
def test_catalogues_cover_every_marked_string(tmp_path):
    """Extract afresh (as `make messages` does) and compare: nothing marked is missing."""
    pot = tmp_path / "django.pot"
    subprocess.run(
        [
            str(Path(sys.executable).with_name("pybabel")),
            "extract",
            "-F",
            "babel.cfg",
            "-k",
            "_",
            "-k",
            "N_",
            "-k",
            "gettext_lazy",
            "-k",
            "gettext",
            "-k",
            "gettext_noop",
            "-k",
            "ngettext:1,2",
            "-k",
            "ngettext_lazy:1,2",
            "--no-location",
            "--ignore-dirs=.venv node_modules var tests benchmarks",
            "-o",
            str(pot),
            ".",
        ],
        cwd=ROOT,
        check=True,
        capture_output=True,
    )
    with open(pot, "rb") as f:
        marked = {m.id if isinstance(m.id, str) else m.id[0] for m in read_po(f) if m.id}
    for lang in ("fr", "es"):
        known = {m.id if isinstance(m.id, str) else m.id[0] for m in catalogue(lang) if m.id}
        assert sorted(marked - known) == [], lang
