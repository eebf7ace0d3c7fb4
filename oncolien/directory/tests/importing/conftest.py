import pytest

from oncolien.directory.importing.validation import validate


@pytest.fixture(autouse=True)
def import_storage(settings, tmp_path):
    """Uploaded files go to a temporary VAR_DIR, never to the project's var/."""
    settings.VAR_DIR = tmp_path
    return tmp_path / "imports"


@pytest.fixture
def verdicts_of(nord_aveyron):
    """Validate a Table against Nord Aveyron's directory; the verdicts."""

    def _verdicts(table, cpts=None):
        return validate(table, cpts=cpts or nord_aveyron, filename="annuaire.csv").verdicts

    return _verdicts
