import pytest

from .factories import PARAMS


@pytest.fixture
def params():
    return PARAMS
