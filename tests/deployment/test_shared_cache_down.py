"""The shared cache (Redis) only saves work: when it cannot be reached, public pages
are built and answered as if nothing were kept, never a server error."""

import pytest

from oncolien.directory.tests.factories import make_service
from tests.deployment.servers import free_port

pytestmark = pytest.mark.django_db


@pytest.fixture
def unreachable_cache(settings):
    # A port nothing listens on: every cache call fails to connect.
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": f"redis://127.0.0.1:{free_port()}/0",
            "OPTIONS": {"socket_connect_timeout": 0.5, "socket_timeout": 0.5},
        }
    }
    settings.ONCOLIEN_PUBLIC_CACHE_SECONDS = 60


def test_public_reads_are_answered_while_the_shared_cache_is_down(
    client, base_data, unreachable_cache
):
    make_service(
        cpts="cpts-nord-aveyron",
        name="Atelier de sophrologie",
        care_types=["sophrology"],
        commune="12202",
    )

    for _ in range(2):
        response = client.get("/api/v1/directory/services?q=sophrologie")
        assert response.status_code == 200
        assert [hit["name"] for hit in response.json()["results"]] == ["Atelier de sophrologie"]
