import pytest

from tests.routes.world import build_world


@pytest.fixture
def world(settings, tmp_path, coordinator, coordinating_nurse, django_capture_on_commit_callbacks):
    """The Nord Aveyron world of the sweep; import files go to a temporary VAR_DIR."""
    settings.VAR_DIR = tmp_path
    # Messages the services send after commit (report, referral) are not the point here.
    with django_capture_on_commit_callbacks(execute=False):
        return build_world(coordinator=coordinator, coordinating_nurse=coordinating_nurse)
