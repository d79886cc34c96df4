import pytest

from tests.market import flow


@pytest.fixture(autouse=True)
def _calendar(db):
    flow.enter_calendar()


@pytest.fixture
def people(db):
    return flow.cast()
