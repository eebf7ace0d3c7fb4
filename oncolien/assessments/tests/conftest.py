import pytest

from oncolien.pathways.tests.factories import make_pathway


@pytest.fixture
def instruments(base_data):
    """The shipped instruments (the shared base data loads them too; loading is idempotent)."""
    from oncolien.assessments.loader import load_instruments

    load_instruments()


@pytest.fixture
def pathway(coordinating_nurse, instruments):
    return make_pathway(actor=coordinating_nurse)
