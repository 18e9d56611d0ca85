from pathlib import Path

import pytest

from events.models import Visit

DEMO = Path(__file__).resolve().parents[2] / "web" / "demo" / "aude-2009.json"


@pytest.fixture
def aude(db, aude_once):
    """The Aude 2009 delegation visit, loaded from the demo file once per module
    (tests/conftest.py); each test's changes are rolled back."""
    return Visit.objects.get(pk=aude_once.pk)
