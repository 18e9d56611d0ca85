import json
from pathlib import Path

import pytest

from web.seed import seed_load

DEMO = Path(__file__).resolve().parents[2] / "web" / "demo" / "aude-2009.json"


@pytest.fixture
def aude(db):
    """The Aude 2009 delegation visit, loaded from the demo file."""
    report = seed_load(json.loads(DEMO.read_text(encoding="utf-8")))
    return report.visits[0]
