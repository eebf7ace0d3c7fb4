"""Anonymous reads of public data are answered from the kept answer until the data
change; nothing else is ever kept (oncolien/web/public_cache.py)."""

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext

from oncolien.directory.tests.factories import make_service

pytestmark = pytest.mark.django_db

SEARCH = "/api/v1/directory/services?q=sophrologie"


@pytest.fixture
def kept(settings, base_data):
    settings.ONCOLIEN_PUBLIC_CACHE_SECONDS = 60
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def service(base_data):
    return make_service(
        cpts="cpts-nord-aveyron",
        name="Atelier de sophrologie",
        care_types=["sophrology"],
        commune="12202",
    )


def names(response) -> list[str]:
    return [hit["name"] for hit in response.json()["results"]]


def test_a_second_anonymous_read_is_answered_without_building_it_again(
    client, kept, service, django_assert_num_queries
):
    first = client.get(SEARCH)

    # One query: the fingerprint of the data, to know the kept answer is still true.
    with django_assert_num_queries(1):
        second = client.get(SEARCH)

    assert first.status_code == second.status_code == 200
    assert second.content == first.content
    assert second["Content-Type"] == first["Content-Type"]
    assert names(second) == ["Atelier de sophrologie"]


def test_a_recorded_change_of_the_directory_is_shown_at_once(client, kept, service):
    client.get(SEARCH)

    service.name = "Atelier de sophrologie du Ségala"
    service.save()  # recorded in the history, as every edit through the services

    assert names(client.get(SEARCH)) == ["Atelier de sophrologie du Ségala"]


def test_a_new_reference_version_is_shown_at_once(client, kept):
    from oncolien.reference.models import CareType, ReferenceDataVersion

    path = "/api/v1/reference/care-types?page_size=100"
    before = client.get(path).json()["count"]
    CareType.objects.filter(code="sophrology").update(active=False)
    assert client.get(path).json()["count"] == before  # no version: still the kept answer
    latest = ReferenceDataVersion.objects.order_by("-pk").first()
    ReferenceDataVersion.objects.create(
        version="test", checksum="0" * 64, loaded_at=latest.loaded_at, sources=[]
    )

    assert client.get(path).json()["count"] == before - 1


def test_nothing_is_kept_with_the_cache_off(client, settings, service):
    settings.ONCOLIEN_PUBLIC_CACHE_SECONDS = 0
    cache.clear()
    client.get(SEARCH)

    with CaptureQueriesContext(connection) as again:
        response = client.get(SEARCH)

    assert len(again.captured_queries) > 1  # the search ran again
    assert names(response) == ["Atelier de sophrologie"]
    assert not _kept_keys()


@pytest.mark.parametrize(
    "path",
    [
        "/api/v1/directory/services?page=0",  # refused (422): an error is not kept
        "/api/v1/pathways/",  # patient data: 401 for anyone not signed in
        "/fhir/ServiceRequest/1",  # patient data, never a public path
    ],
)
def test_what_is_not_a_public_answer_is_not_kept(client, kept, path):
    assert client.get(path).status_code != 200

    assert not _kept_keys()


def test_a_signed_in_read_is_not_kept(client, kept, service, login, coordinator):
    response = login(coordinator).get(SEARCH)

    assert names(response) == ["Atelier de sophrologie"]
    assert not _kept_keys()


def test_a_signed_in_read_is_not_served_a_kept_answer(
    client, kept, service, login, coordinator, django_assert_num_queries
):
    from django.test import Client

    Client().get(SEARCH)  # kept, anonymously
    assert _kept_keys()
    signed_in = login(coordinator)
    service.name = "Atelier de sophrologie du Ségala"
    type(service).objects.filter(pk=service.pk).update(name=service.name)  # no history

    assert names(signed_in.get(SEARCH)) == ["Atelier de sophrologie du Ségala"]


def test_a_bearer_token_read_is_not_kept(client, kept, service):
    response = client.get(SEARCH, HTTP_AUTHORIZATION="Bearer inconnu")

    assert response.status_code in (200, 401)
    assert not _kept_keys()


def _kept_keys() -> list[str]:
    # LocMemCache, the suite's cache: its keys say what was kept.
    return [key for key in cache._cache if "oncolien:public:" in key]  # type: ignore[attr-defined]


@pytest.mark.parametrize(
    "path",
    [
        "/api/v1/reference/care-types",
        "/api/v1/territories/cpts",
        "/hsds/services",
        "/fhir/HealthcareService",
        "/fhir/metadata",
    ],
)
def test_each_public_listing_is_kept(client, kept, service, path, django_assert_num_queries):
    first = client.get(path)
    assert first.status_code == 200

    with django_assert_num_queries(1):
        second = client.get(path)

    assert second.content == first.content


def test_the_public_search_page_is_kept_and_the_curation_pages_are_not(
    client, kept, service, django_assert_num_queries
):
    first = client.get("/annuaire/?q=sophrologie")
    assert "Atelier de sophrologie" in first.content.decode()
    with django_assert_num_queries(1):
        second = client.get("/annuaire/?q=sophrologie")
    assert second.content == first.content

    client.get("/annuaire/gestion/")

    assert len(_kept_keys()) == 1


def test_a_visitor_with_a_message_waiting_is_not_served_a_kept_page(client, kept, service):
    client.get("/annuaire/?q=sophrologie")
    client.cookies["messages"] = "un message en attente"

    with CaptureQueriesContext(connection) as again:
        client.get("/annuaire/?q=sophrologie")

    assert len(again.captured_queries) > 1
